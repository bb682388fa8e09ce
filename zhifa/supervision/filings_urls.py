"""备案审查 and 预警 pages (joined into zhifa.supervision.urls; names reverse as supervision:<name>)."""

from django.urls import path

from zhifa.supervision import filing_views as v

urlpatterns = [
    path("filings/", v.filing_list, name="filing_list"),
    path("filings/declare/", v.filing_declare, name="filing_declare"),
    path("filings/<int:pk>/", v.filing_detail, name="filing_detail"),
    path("filings/<int:pk>/steps/<slug:code>/", v.filing_step, name="filing_step"),
    path("warnings/", v.warning_list, name="warning_list"),
    path("warnings/<int:pk>/", v.warning_detail, name="warning_detail"),
    path("warnings/<int:pk>/dismiss/", v.warning_dismiss, name="warning_dismiss"),
    path("warnings/<int:pk>/convert/", v.warning_convert, name="warning_convert"),
]
