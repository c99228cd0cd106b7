"""/k8s/<playground id>/...: one catch-all, so no path ever gets an APPEND_SLASH redirect."""

from django.urls import path, re_path

from . import kubeconfig, views

urlpatterns = [
    path("k8s/<str:playground_id>/kubeconfig", kubeconfig.kubeconfig, name="k8s-kubeconfig"),
    re_path(r"^k8s/(?P<playground_id>[^/]+)/(?P<path>.*)$", views.endpoint, name="k8s-api"),
]
