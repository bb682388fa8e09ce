"""The navigation each role sees; links only, permissions are checked by the views."""

from django.http import HttpRequest
from django.urls import reverse

from zhifa.accounts.models import Role


def navigation(request: HttpRequest) -> dict[str, object]:
    user = request.user
    if not user.is_authenticated:
        return {"nav_items": []}
    items = [
        ("workbench:home", "工作台"),
        ("org:agency_list", "执法主体"),
        ("org:officer_list", "执法人员"),
        ("catalog:matter_list", "执法事项"),
        ("catalog:law_list", "法律法规库"),
        ("workbench:calendar", "工作日历"),
    ]
    nav = [
        {"url": reverse(name), "label": label, "active": request.path == reverse(name)}
        for name, label in items
    ]
    if getattr(user, "role", None) == Role.SYSADMIN:
        nav.append(
            {"url": reverse("admin:index"), "label": "系统配置", "active": request.path.startswith("/admin/")}
        )
    return {"nav_items": nav}
