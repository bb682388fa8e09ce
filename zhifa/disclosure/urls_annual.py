"""年报: the staff page under /disclosure/annual/ and the public pages under /public/annual/."""

from django.urls import URLPattern, path

from zhifa.disclosure import annual_views

staff: list[URLPattern] = [
    path("annual/", annual_views.staff_page, name="annual"),
    path("annual/submit/", annual_views.submit, name="annual_submit"),
    path("annual/versions/<int:pk>/approve/", annual_views.approve, name="annual_approve"),
]
public: list[URLPattern] = [
    path("annual/", annual_views.public_list, name="annual_list"),
    path("annual/<int:pk>/", annual_views.public_detail, name="annual_detail"),
    path("annual/<int:pk>.pdf", annual_views.public_pdf, name="annual_pdf"),
    path("annual/<int:pk>.xlsx", annual_views.public_xlsx, name="annual_xlsx"),
]
