from django.urls import path

from zhifa.devices import views

app_name = "devices"

urlpatterns = [
    path("", views.device_list, name="list"),
    path("new/", views.device_new, name="new"),
    path("<int:pk>/", views.device_detail, name="detail"),
    path("<int:pk>/submit/", views.device_submit, name="submit"),
    path("<int:pk>/opinion/", views.device_opinion, name="opinion"),
    path("<int:pk>/publish/", views.device_publish, name="publish"),
    path("records/", views.event_list, name="events"),
    path("records/import/", views.event_import, name="import"),
    path("records/<int:pk>/", views.event_detail, name="event"),
    path("records/<int:pk>/review/", views.event_review, name="review"),
    path("records/<int:pk>/case/", views.event_case, name="case"),
    path("records/<int:pk>/notify/", views.event_notify, name="notify"),
]
