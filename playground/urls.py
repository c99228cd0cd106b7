from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.landing, name="landing"),
    path("playgrounds/new", views.create_playground, name="playground-create"),
    path("playgrounds/<str:playground_id>/", views.playground_page, name="playground"),
    path("playgrounds/<str:playground_id>/export.yaml", views.export_yaml, name="export-yaml"),
    path(
        "playgrounds/<str:playground_id>/yaml/<str:kind>/<str:name>",
        views.object_yaml,
        name="object-yaml",
    ),
    path("healthz", views.healthz, name="healthz"),
    path("", include("playground.k8s_api.urls")),
]
