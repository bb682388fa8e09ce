from django.urls import path

from zhifa.supervision import assessment_views as views

urlpatterns = [
    path("assessment/", views.assessment_list, name="assessment_list"),
    path("assessment/<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path("assessment/<int:pk>/step/<slug:code>/", views.assessment_step, name="assessment_step"),
]
