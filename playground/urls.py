from django.urls import path

from . import views

urlpatterns = [
    path("", views.landing, name="landing"),
    path("playgrounds/new", views.create_playground, name="playground-create"),
    path("playgrounds/<str:playground_id>/", views.playground_page, name="playground"),
    path("healthz", views.healthz, name="healthz"),
]
