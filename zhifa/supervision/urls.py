from django.urls import path

from zhifa.supervision import views

app_name = "supervision"

urlpatterns = [
    path("", views.home, name="home"),
]

from zhifa.supervision import clue_urls  # noqa: E402

urlpatterns += clue_urls.urlpatterns
