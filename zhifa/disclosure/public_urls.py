"""The public portal (namespace "portal"): no login, only published, redacted projections."""

from zhifa.disclosure import urls_annual, urls_opendata, urls_portal

app_name = "portal"

urlpatterns = [*urls_portal.public, *urls_opendata.public, *urls_annual.public]
