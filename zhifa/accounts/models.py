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
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @property
    def is_sysadmin(self) -> bool:
        return self.role == Role.SYSADMIN

    @property
    def is_supervisor(self) -> bool:
        return self.role == Role.SUPERVISOR
