from django.urls import path

from zhifa.catalog import benchmark_views, views

app_name = "catalog"

urlpatterns = [
    path("matters/", views.matter_list, name="matter_list"),
    path("matters/new/", views.matter_create, name="matter_create"),
    path("matters/<int:pk>/", views.matter_detail, name="matter_detail"),
    path("matters/<int:pk>/amend/", views.matter_amend, name="matter_amend"),
    path("matters/<int:pk>/repeal/", views.matter_repeal, name="matter_repeal"),
    path("matters/<int:pk>/benchmarks/", benchmark_views.matter_benchmarks, name="matter_benchmarks"),
    path("benchmarks/public/", benchmark_views.public_benchmarks, name="benchmarks_public"),
    path("laws/", views.law_list, name="law_list"),
    path("laws/<int:pk>/", views.law_detail, name="law_detail"),
]
