"""The kubeconfig file for one playground: point kubectl at /k8s/<id>/ with no user."""

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from playground.models import Playground


def server_url(request, playground_id: str) -> str:
    return request.build_absolute_uri(f"/k8s/{playground_id}")


def kubeconfig_text(server: str, playground_id: str) -> str:
    name = f"harbour-{playground_id}"
    return (
        "apiVersion: v1\n"
        "kind: Config\n"
        "clusters:\n"
        f"- name: {name}\n"
        "  cluster:\n"
        f"    server: {server}\n"
        "contexts:\n"
        f"- name: {name}\n"
        "  context:\n"
        f"    cluster: {name}\n"
        "    namespace: default\n"
        f"current-context: {name}\n"
    )


@require_GET
def kubeconfig(request, playground_id: str):
    if not Playground.objects.filter(pk=playground_id).exists():
        raise Http404(f"No playground {playground_id}")
    text = kubeconfig_text(server_url(request, playground_id), playground_id)
    response = HttpResponse(text, content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="harbour-{playground_id}.kubeconfig"'
    return response
