from django.urls import path

from zhifa.ledger import views

app_name = "ledger"

urlpatterns = [
    path("", views.index, name="index"),
    path("checkpoint", views.checkpoint, name="checkpoint"),
    path("checkpoint/<int:size>", views.checkpoint_at, name="checkpoint_at"),
    path("key", views.key, name="key"),
    path("verify.py", views.verifier_script, name="verifier"),
]
