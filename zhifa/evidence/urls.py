from django.urls import path

from zhifa.evidence import views

app_name = "evidence"

urlpatterns = [
    path("access/", views.access_log, name="access_log"),
    path("case/<int:case_pk>/add/", views.add, name="add"),
    path("case/<int:case_pk>/exception/", views.exception, name="exception"),
    path("case/<int:case_pk>/purpose/", views.purpose, name="purpose"),
    path("records/<int:pk>/", views.record, name="record"),
    path("<int:pk>/", views.item, name="item"),
    path("<int:pk>/file/", views.file, name="file"),
    path("<int:pk>/thumbnail/", views.thumbnail, name="thumbnail"),
    path("<int:pk>/dispose/", views.dispose, name="dispose"),
]
