"""Routes of 监督线索 under /supervision/ (names prefixed clue_, reversed as supervision:<name>)."""

from django.urls import URLPattern, path

from zhifa.supervision import clue_views as v

urlpatterns: list[URLPattern] = [
    path("clues/", v.clue_list, name="clue_list"),
    path("clues/new/", v.clue_new, name="clue_new"),
    path("clues/import/", v.clue_import, name="clue_import"),
    path("clues/import-feedback/", v.clue_import_feedback, name="clue_import_feedback"),
    path("clues/<int:pk>/", v.clue_detail, name="clue_detail"),
    path("clues/<int:pk>/steps/<str:code>/", v.clue_step, name="clue_step"),
    path("clues/attachments/<int:pk>/", v.clue_attachment, name="clue_attachment"),
    path("clues/cases/<int:pk>/", v.clue_case, name="clue_case"),
]
