from django.urls import path

from zhifa.supervision import evaluation_views as views

urlpatterns = [
    path("evaluation/", views.campaign_list, name="evaluation_list"),
    path("evaluation/<int:pk>/", views.campaign_detail, name="evaluation_campaign"),
    path("evaluation/<int:pk>/step/<slug:code>/", views.campaign_step, name="evaluation_step"),
    path("evaluation/files/", views.my_files, name="evaluation_my_files"),
    path("evaluation/files/<int:pk>/", views.file_detail, name="evaluation_file"),
    path("evaluation/files/<int:pk>/assign/", views.file_assign, name="evaluation_assign"),
    path("evaluation/results/", views.results, name="evaluation_results"),
    path("evaluation/rectifications/<int:pk>/", views.rectification_detail, name="evaluation_rectification"),
]
