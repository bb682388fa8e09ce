from django.urls import path

from zhifa.party import views

app_name = "party"

urlpatterns = [
    path("", views.start, name="start"),
    path("case/", views.case_page, name="case"),
    path("case/statement/", views.statement, name="statement"),
    path("case/hearing/", views.hearing, name="hearing"),
    path("case/consent/", views.consent, name="consent"),
    path("case/payment-plan/", views.payment_plan, name="payment_plan"),
    path("case/complaint/", views.complaint, name="complaint"),
    path("case/credit-repair/", views.credit_repair, name="credit_repair"),
    path("case/documents/<int:pk>.pdf", views.document_pdf, name="document_pdf"),
    path("leave/", views.leave, name="leave"),
    path("staff/", views.queue, name="queue"),
    path("staff/<int:pk>/", views.submission_detail, name="submission"),
    path("staff/attachments/<int:pk>/", views.attachment, name="attachment"),
]
