from django.urls import path

from zhifa.supervision import cockpit_urls, views

app_name = "supervision"

urlpatterns = [
    path("", views.home, name="home"),
]
urlpatterns += cockpit_urls.urlpatterns
