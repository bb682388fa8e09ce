from django.urls import path

from zhifa.workbench import views

app_name = "workbench"

urlpatterns = [
    path("", views.home, name="home"),
    path("calendar/", views.calendar_view, name="calendar"),
    path("search/", views.search_view, name="search"),
]
