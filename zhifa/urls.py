from django.contrib import admin
from django.urls import include, path

from zhifa.api import api, api_not_found
from zhifa.documents.urls import verify_urlpatterns

admin.site.site_header = "zhifa 行政执法平台 · 系统配置"
admin.site.site_title = "zhifa 系统配置"
admin.site.index_title = "配置管理"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("zhifa.accounts.urls")),
    path("org/", include("zhifa.org.urls")),
    path("catalog/", include("zhifa.catalog.urls")),
    path("cases/", include("zhifa.cases.urls")),
    path("documents/", include("zhifa.documents.urls")),
    path("ledger/", include("zhifa.ledger.urls")),
    path("evidence/", include("zhifa.evidence.urls")),
    path("review/", include("zhifa.review.urls")),
    path("disclosure/", include("zhifa.disclosure.urls")),
    path("payments/", include("zhifa.payments.urls")),
    path("devices/", include("zhifa.devices.urls")),
    path("supervision/", include("zhifa.supervision.urls")),
    # 第四十一条: where the electronic monitoring devices stand, published before their records are used.
    path("public/devices/", include("zhifa.devices.public_urls")),
    # The inspection tasks before the rest of the app (zhifa.inspections.task_urls).
    path("inspections/tasks/", include("zhifa.inspections.task_urls")),
    path("inspections/", include("zhifa.inspections.urls")),
    # The public portal (公示专栏): no login. 双随机抽查计划 and their draws first (their own app),
    # and the page a task's 检查码 opens.
    path("public/inspections/code/", include("zhifa.inspections.task_public_urls")),
    path("public/inspections/", include("zhifa.inspections.public_urls")),
    # 投诉举报 (监督线索): the public form and the status page by query code.
    path("public/complaints/", include("zhifa.supervision.clue_public_urls")),
    path("public/", include("zhifa.disclosure.public_urls")),
    path("api/", api.urls),
    # Anything else under /api/ answers like the API, in JSON.
    path("api/<path:rest>", api_not_found),
    path("verify/", include((verify_urlpatterns, "verify"))),
    # The party's case page (当事人页面): no account, an access code and a second factor.
    path("party/", include("zhifa.party.urls")),
    path("", include("zhifa.workbench.urls")),
]
