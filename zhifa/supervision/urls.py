from django.urls import path

from zhifa.supervision import views

app_name = "supervision"

urlpatterns = [
    path("", views.home, name="home"),
]
