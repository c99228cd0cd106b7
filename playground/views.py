"""HTTP views: the landing page, creating a playground, the playground page."""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from .models import Playground
from .services import create_playground as create_new_playground


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


@require_GET
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")
