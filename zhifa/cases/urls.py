from django.urls import path

from zhifa.cases import discretion_views, remedy_views, views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_new, name="new"),
    path("on-the-spot/", views.on_the_spot, name="on_the_spot"),
    path("on-the-spot/forms/", views.forms_reserve, name="forms_reserve"),
    path("on-the-spot/forms/<int:pk>/void/", views.form_void, name="form_void"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/step/<slug:code>/", views.case_step, name="step"),
    path("<int:pk>/discretion/", discretion_views.case_assess, name="assess"),
    path("<int:pk>/remedies/", remedy_views.remedy_add, name="remedy_add"),
    path("<int:pk>/remedies/<int:remedy_pk>/result/", remedy_views.remedy_conclude, name="remedy_conclude"),
]
