"""Routes of the public portal (mounted at /public/, namespace "portal") and of the staff side of
the credential check (mounted at /disclosure/, namespace "disclosure")."""

from django.urls import URLPattern, path

from zhifa.disclosure import portal_views as v

staff: list[URLPattern] = [
    path("feedback/", v.feedback_list, name="feedback_list"),
    path("agencies/<int:pk>/feedback/", v.feedback_list, name="agency_feedback_list"),
    path("credentials/<int:pk>/qr.svg", v.credential_qr, name="credential_qr"),
    path("credentials/<int:pk>/card/", v.credential_card, name="credential_card"),
]

public: list[URLPattern] = [
    path("", v.home, name="home"),
    path("agencies/", v.agency_list, name="agency_list"),
    path("agencies/<int:pk>/", v.agency_column, name="agency"),
    path("agencies/<int:pk>/matters/<str:code>/", v.matter_detail, name="matter"),
    path("agencies/<int:pk>/<str:kind>/v<int:number>/", v.prior_version, name="prior_version"),
    path("flowcharts/<str:procedure>/", v.flowchart_page, name="flowchart"),
    path("decisions/<int:pk>/", v.decision_detail, name="decision"),
    path("credentials/", v.credential_lookup, name="credential_lookup"),
    path("credentials/<str:token>/", v.credential_detail, name="credential"),
    path("credentials/<str:token>/feedback/", v.feedback_create, name="feedback"),
    path("credentials/<str:token>/photo.jpg", v.credential_photo, name="credential_photo"),
]
