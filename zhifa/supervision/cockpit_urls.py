from django.urls import path

from zhifa.supervision import cockpit_views

urlpatterns = [
    path("cockpit/", cockpit_views.cockpit, name="cockpit"),
]
