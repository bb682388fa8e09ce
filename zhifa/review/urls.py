from django.urls import path

from zhifa.review import views

app_name = "review"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("catalog/", views.catalog_edit, name="catalog"),
    path("staffing/", views.staffing, name="staffing"),
    path("cases/<int:pk>/", views.case_review, name="case"),
    path("cases/<int:pk>/<slug:action>/", views.case_action, name="action"),
]
