from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    OFFICER = "officer", "执法人员"
    REVIEWER = "reviewer", "法制审核人员"
    HEAD = "head", "机关负责人"
    DISCLOSURE_ADMIN = "disclosure_admin", "公示管理员"
    ARCHIVIST = "archivist", "档案管理员"
    SUPERVISOR = "supervisor", "司法局监督人员"
    SYSADMIN = "sysadmin", "系统管理员"


class User(AbstractUser):
    """A login. Which agency the user works for is the org app's business (org.Officer.user)."""

    full_name = models.CharField("姓名", max_length=50, blank=True)
    role = models.CharField("角色", max_length=20, choices=Role.choices, default=Role.OFFICER)
    phone = models.CharField("联系电话", max_length=30, blank=True)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """How a person is shown everywhere (pages, records, documents): by name, not by login.

        The 姓名 of the account, else the name on its officer record, and the login name only
        for an account that has neither (a bare system account).
        """
        if self.full_name:
            return self.full_name
        officer = getattr(self, "officer", None)  # reverse one-to-one; None when there is none
        return (officer.name if officer is not None else "") or self.username

    @property
    def is_sysadmin(self) -> bool:
        return self.role == Role.SYSADMIN

    @property
    def is_supervisor(self) -> bool:
        return self.role == Role.SUPERVISOR
