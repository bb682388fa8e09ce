from django.urls import URLPattern

staff: list[URLPattern] = []
public: list[URLPattern] = []
