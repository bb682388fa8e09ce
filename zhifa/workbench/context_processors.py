"""The navigation each role sees; links only, permissions are checked by the views.

It lives here, not in core: it names every role and every app's pages, and the workbench is the
one app that reads the others (core sits below them all, DESIGN §2).
"""

from django.http import HttpRequest
from django.urls import reverse

from zhifa.accounts.models import Role
from zhifa.core import calendar
from zhifa.workbench import search, todo


def navigation(request: HttpRequest) -> dict[str, object]:
    user = request.user
    if not user.is_authenticated:
        return {"nav_items": []}
    items = [
        ("workbench:home", "工作台"),
        ("cases:list", "案件"),
        ("review:queue", "法制审核"),
        ("inspections:plan_list", "双随机抽查"),
        ("org:agency_list", "执法主体"),
        ("org:officer_list", "执法人员"),
        ("catalog:matter_list", "执法事项"),
        ("catalog:law_list", "法律法规库"),
        ("workbench:calendar", "工作日历"),
    ]
    nav: list[dict[str, object]] = []
    for name, label in items:
        url = reverse(name)
        # A section stays marked on its inner pages (a case page under 案件); the home only on itself.
        active = request.path == url or (url != "/" and request.path.startswith(url))
        nav.append({"url": url, "label": label, "active": active})
    # 待办: the home page lists them; the badge on 工作台 is what waits among them.
    todos = todo.todos(user, calendar.today())
    nav[0]["count"] = todo.pending_total(todos)
    # 行政检查任务: the inspectors, their heads and the supervisors (zhifa.inspections.task_policies).
    if getattr(user, "role", None) in (Role.OFFICER, Role.HEAD, Role.SUPERVISOR):
        url = reverse("inspection_tasks:list")
        nav.append({"url": url, "label": "检查任务", "active": request.path.startswith(url)})
    # 公示管理: the disclosure administrators, heads and supervisors (zhifa.disclosure.policies).
    if getattr(user, "role", None) in (Role.DISCLOSURE_ADMIN, Role.HEAD, Role.SUPERVISOR):
        url = reverse("disclosure:queue")
        nav.append({"url": url, "label": "公示管理", "active": request.path.startswith(url)})
    # 当事人申请: what the party sent that the head or the 公示管理员 decides (zhifa.party).
    if getattr(user, "role", None) in (Role.HEAD, Role.DISCLOSURE_ADMIN):
        url = reverse("party:queue")
        nav.append({"url": url, "label": "当事人申请", "active": request.path.startswith(url)})
    # 罚款收缴 (zhifa.payments.policies) and 非现场执法 (zhifa.devices.policies): the agency's staff.
    role = getattr(user, "role", None)
    if role in (Role.HEAD, Role.OFFICER):
        url = reverse("payments:imports")
        nav.append({"url": url, "label": "罚款收缴", "active": request.path.startswith(url)})
    if role in (Role.HEAD, Role.OFFICER, Role.REVIEWER, Role.DISCLOSURE_ADMIN):
        url = reverse("devices:list")
        nav.append({"url": url, "label": "非现场执法", "active": request.path.startswith(url)})
    # 执法监督: the 司法局's (and 司法所's) supervisors (zhifa.supervision.policies).
    if role == Role.SUPERVISOR:
        url = reverse("supervision:home")
        nav.append({"url": url, "label": "执法监督", "active": request.path.startswith(url)})
    if getattr(user, "role", None) == Role.SYSADMIN:
        nav.append(
            {"url": reverse("admin:index"), "label": "系统配置", "active": request.path.startswith("/admin/")}
        )
    return {"nav_items": nav, "todos": todos, "can_search": search.can_search(user)}
