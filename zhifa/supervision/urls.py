from django.urls import path

from zhifa.supervision import views

app_name = "supervision"

urlpatterns = [
    path("", views.home, name="home"),
]

from zhifa.supervision import filings_urls  # noqa: E402

urlpatterns += filings_urls.urlpatterns
