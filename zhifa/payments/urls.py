from django.urls import path

from zhifa.payments import views

app_name = "payments"

urlpatterns = [
    path("", views.imports, name="imports"),
    path("imports/<int:pk>/", views.import_detail, name="import"),
    path("queue/", views.queue, name="queue"),
    path("lines/<int:pk>/", views.line_detail, name="line"),
    path("lines/<int:pk>/resolve/", views.line_resolve, name="resolve"),
    path("lines/<int:pk>/dismiss/", views.line_dismiss, name="dismiss"),
]
