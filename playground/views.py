"""HTTP views: the landing page, creating a playground, the playground page."""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from cluster_sim import Cluster
from cluster_sim.manifests.kinds import kind_for
from cluster_sim.manifests.read import get_object

from .models import Playground
from .services import create_playground as create_new_playground
from .yamlio import dump, dump_all

YAML_TYPE = "application/yaml; charset=utf-8"


@require_GET
def landing(request):
    return render(request, "playground/landing.html")


@require_POST
def create_playground(request):
    playground = create_new_playground()
    return redirect("playground", playground_id=playground.id)


@require_GET
def playground_page(request, playground_id: str):
    playground = Playground.objects.filter(pk=playground_id).only("id").first()
    if playground is None:
        raise Http404(f"No playground {playground_id}")
    context = {"playground": playground, "ws_path": f"/ws/playgrounds/{playground.id}/"}
    return render(request, "playground/playground.html", context)


def _cluster(playground_id: str) -> Cluster:
    playground = Playground.objects.filter(pk=playground_id).only("state").first()
    if playground is None:
        raise Http404(f"No playground {playground_id}")
    return Cluster.from_state(playground.state)


@require_GET
def export_yaml(request, playground_id: str):
    """Every user-writable object as one multi-document manifest that applies cleanly."""
    from cluster_sim.manifests.export import export_manifests

    documents = export_manifests(_cluster(playground_id))
    response = HttpResponse(dump_all(documents), content_type=YAML_TYPE)
    response["Content-Disposition"] = f'inline; filename="harbour-{playground_id}.yaml"'
    return response


@require_GET
def object_yaml(request, playground_id: str, kind: str, name: str):
    """One object as `kubectl get KIND NAME -o yaml` prints it."""
    entry = kind_for(kind)
    if entry is None:
        raise Http404(f'the server doesn\'t have a resource type "{kind}"')
    namespace = request.GET.get("namespace") or "default"
    obj = get_object(_cluster(playground_id), entry["kind"], name, namespace)
    if obj is None:
        raise Http404(f'{entry["plural"]} "{name}" not found')
    return HttpResponse(dump(obj), content_type=YAML_TYPE)


@require_GET
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")
