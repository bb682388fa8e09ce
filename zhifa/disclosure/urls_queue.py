"""The disclosure administrator's queue and review pages (namespace "disclosure")."""

from django.urls import URLPattern, path

from zhifa.disclosure import views

staff: list[URLPattern] = [
    path("", views.queue, name="queue"),
    path("cases/<int:case_pk>/prepare/", views.prepare, name="prepare"),
    path("<int:pk>/", views.review, name="review"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/draft/", views.draft_edit, name="draft_edit"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/correct/", views.correct, name="correct"),
]
public: list[URLPattern] = []
