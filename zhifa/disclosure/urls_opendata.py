"""Search and open data: the public decision list, the open-data page, the Atom feed, exports."""

from django.urls import URLPattern, path
from django.views.decorators.http import require_safe

from zhifa.disclosure import exports, opendata_views
from zhifa.disclosure.feeds import PublicationFeed
from zhifa.disclosure.portal_cache import cached_page

staff: list[URLPattern] = []
public: list[URLPattern] = [
    path("decisions/", opendata_views.decision_list, name="decisions"),
    path("opendata/", opendata_views.opendata_page, name="opendata"),
    path("feed.atom", require_safe(cached_page(PublicationFeed())), name="feed"),
    path("export.csv", exports.export_csv, name="export_csv"),
    path("export.xlsx", exports.export_xlsx, name="export_xlsx"),
]
