"""Staff pages of 公示 (namespace "disclosure"); each area keeps its routes in its own module."""

from zhifa.disclosure import urls_annual, urls_portal, urls_queue

app_name = "disclosure"

urlpatterns = [*urls_queue.staff, *urls_annual.staff, *urls_portal.staff]
