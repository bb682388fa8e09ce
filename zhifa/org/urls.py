from django.urls import path

from zhifa.org import views

app_name = "org"

urlpatterns = [
    path("agencies/", views.agency_list, name="agency_list"),
    path("agencies/<int:pk>/", views.agency_detail, name="agency_detail"),
    path("agencies/<int:pk>/edit/", views.agency_edit, name="agency_edit"),
    path("agencies/<int:pk>/officers/new/", views.officer_create, name="officer_create"),
    path("officers/", views.officer_list, name="officer_list"),
    path("officers/<int:pk>/", views.officer_detail, name="officer_detail"),
    path("officers/<int:pk>/edit/", views.officer_edit, name="officer_edit"),
    path("officers/<int:pk>/photo/", views.officer_photo, name="officer_photo"),
    path("officers/<int:pk>/photo.jpg", views.officer_photo_file, name="officer_photo_file"),
    path("officers/<int:pk>/certificates/new/", views.certificate_create, name="certificate_create"),
    path("officers/<int:pk>/training/new/", views.training_create, name="training_create"),
    path("certificates/<int:pk>/status/", views.certificate_status, name="certificate_status"),
    path("certificates/<int:pk>/reviews/new/", views.annual_review_create, name="annual_review_create"),
]
