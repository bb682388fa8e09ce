"""The public 投诉举报 form and the status page by query code (mounted at /public/complaints/)."""

from django.urls import URLPattern, path

from zhifa.supervision import clue_public_views as v

app_name = "clue_public"

urlpatterns: list[URLPattern] = [
    path("", v.complaint_form, name="form"),
    path("status/", v.complaint_status, name="status"),
]
