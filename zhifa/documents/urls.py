from django.urls import path

from zhifa.documents import views

app_name = "documents"

urlpatterns = [
    path("<int:pk>/pdf/", views.document_pdf, name="pdf"),
    path("<int:pk>/docx/", views.document_docx, name="docx"),
    path("<int:pk>/purpose/", views.purpose, name="purpose"),
]

# Mounted at /verify/ with the namespace "verify" (public, no login).
verify_urlpatterns = [
    path("", views.verify_lookup, name="lookup"),
    path("<str:code>/", views.verify_detail, name="detail"),
]
