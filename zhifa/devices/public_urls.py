from django.urls import URLPattern

app_name = "devices_portal"
urlpatterns: list[URLPattern] = []
