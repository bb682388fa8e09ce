from django.urls import path

from zhifa.supervision import evaluation_urls, views

app_name = "supervision"

urlpatterns = [
    path("", views.home, name="home"),
]
urlpatterns += evaluation_urls.urlpatterns
