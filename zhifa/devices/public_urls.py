"""The public list of monitoring device locations (mounted at /public/devices/)."""

from django.urls import path

from zhifa.devices import views

app_name = "devices_portal"

urlpatterns = [path("", views.public_list, name="list")]
