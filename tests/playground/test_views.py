"""The landing page, creating a playground and opening one."""

import pytest

from playground.models import Playground

pytestmark = pytest.mark.django_db


def test_the_landing_page_explains_and_offers_a_new_playground(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"New playground" in response.content


def test_new_playground_creates_one_and_opens_it(client):
    response = client.post("/playgrounds/new")
    assert response.status_code == 302
    playground = Playground.objects.get()
    assert response["Location"] == f"/playgrounds/{playground.id}/"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert f"/ws/playgrounds/{playground.id}/".encode() in page.content


def test_new_playground_only_accepts_post(client):
    assert client.get("/playgrounds/new").status_code == 405
    assert Playground.objects.count() == 0


def test_each_playground_is_isolated(client):
    first = client.post("/playgrounds/new")["Location"]
    second = client.post("/playgrounds/new")["Location"]
    assert first != second
    assert Playground.objects.count() == 2


def test_an_unknown_playground_is_a_friendly_404(client):
    response = client.get("/playgrounds/nosuchplace/")
    assert response.status_code == 404
    assert b"New playground" in response.content


def test_static_files_are_served_without_collectstatic(client):
    response = client.get("/static/js/main.js")
    assert response.status_code == 200
