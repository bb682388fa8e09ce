from django.urls import path

from zhifa.supervision import (
    assessment_urls,
    clue_urls,
    cockpit_urls,
    evaluation_urls,
    filings_urls,
    views,
    warning_urls,
)

app_name = "supervision"

urlpatterns = [
    path("", views.home, name="home"),
]

urlpatterns += clue_urls.urlpatterns
urlpatterns += evaluation_urls.urlpatterns
urlpatterns += cockpit_urls.urlpatterns
urlpatterns += filings_urls.urlpatterns
urlpatterns += assessment_urls.urlpatterns
urlpatterns += warning_urls.urlpatterns
