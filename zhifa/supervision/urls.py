from django.urls import path

from zhifa.supervision import assessment_urls, clue_urls, evaluation_urls, views

app_name = "supervision"

urlpatterns = [
    path("", views.home, name="home"),
]

urlpatterns += clue_urls.urlpatterns
urlpatterns += evaluation_urls.urlpatterns
urlpatterns += assessment_urls.urlpatterns
