from django.urls import path

from zhifa.inspections import views

app_name = "inspections_public"

urlpatterns = [
    path("", views.public_plan_list, name="plan_list"),
    path("plans/<int:pk>/", views.public_plan_detail, name="plan_detail"),
]
