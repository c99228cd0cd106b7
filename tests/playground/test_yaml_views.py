"""YAML in the browser: parsing pasted manifests, kubectl-style dumps, the YAML views and the
console's hooks (apply -f - documents in, -o yaml out)."""

import pytest
import yaml
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from playground import mailbox, tasks
from playground.protocol import ProtocolError, parse
from playground.yamlio import YamlError, dump, dump_all, parse_documents

SHOP = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
  creationTimestamp: 2026-01-01T00:00:00Z
spec:
  replicas: 2
  selector:
    matchLabels: {app: shop}
  template:
    metadata:
      labels: {app: shop}
    spec:
      containers:
      - name: shop
        image: nginx:1.27
"""


def test_documents_are_json_safe_and_empty_ones_skipped():
    docs = parse_documents("---\n" + SHOP + "---\n---\nkind: ConfigMap\napiVersion: v1\n")
    assert [d["kind"] for d in docs] == ["Deployment", "ConfigMap"]
    assert docs[0]["metadata"]["creationTimestamp"] == "2026-01-01T00:00:00Z"
    assert docs[0]["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.27"


def test_a_list_expands_to_its_items():
    docs = parse_documents("kind: List\napiVersion: v1\nitems:\n- kind: A\n- kind: B\n")
    assert docs == [{"kind": "A"}, {"kind": "B"}]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (SHOP + "---\nkind: x\n  bad: indent\n", ["document 2", "line 2", "mapping values"]),
        ("kind: Pod\n---\n- a\n- b\n", ["document 2 is a list, not an object"]),
        ("---\n", ["no objects passed to apply"]),
    ],
)
def test_bad_yaml_names_the_document_and_why(text, words):
    with pytest.raises(YamlError) as caught:
        parse_documents(text)
    for word in words:
        assert word in str(caught.value)


def test_dump_looks_like_kubectl():
    text = dump(
        {
            "kind": "Deployment",
            "metadata": {"annotations": {"deployment.kubernetes.io/revision": "1"}, "name": "w"},
            "spec": {"containers": [{"name": "w", "image": "nginx"}], "flag": "true"},
            "data": {"script": "echo 1\necho 2\n"},
        }
    )
    assert text == (
        "data:\n"
        "  script: |\n"
        "    echo 1\n"
        "    echo 2\n"
        "kind: Deployment\n"
        "metadata:\n"
        "  annotations:\n"
        '    deployment.kubernetes.io/revision: "1"\n'
        "  name: w\n"
        "spec:\n"
        "  containers:\n"
        "  - image: nginx\n"
        "    name: w\n"
        '  flag: "true"\n'
    )
    assert list(yaml.safe_load_all(dump_all([{"a": 1}, {"b": 2}]))) == [{"a": 1}, {"b": 2}]


def test_the_console_sends_yaml_and_the_engine_gets_documents():
    message = parse(
        '{"type": "action", "id": "c9", "action": "kubectl", '
        '"args": {"command": "kubectl apply -f -", "yaml": ' + _json(SHOP) + "}}"
    )
    assert message.args["command"] == "kubectl apply -f -"
    assert message.args["documents"][0]["metadata"]["name"] == "shop"
    assert "yaml" not in message.args
    with pytest.raises(ProtocolError, match="document 1") as caught:
        parse(
            '{"type": "action", "id": "c10", "action": "kubectl", '
            '"args": {"command": "apply -f -", "yaml": "a: b: c"}}'
        )
    assert caught.value.message_id == "c10"


def _json(text: str) -> str:
    import json

    return json.dumps(text)


@pytest.mark.django_db
def test_object_yaml_view(client, playground):
    response = client.get(f"/playgrounds/{playground.id}/yaml/deployments/web")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/yaml")
    obj = yaml.safe_load(response.content)
    assert (obj["kind"], obj["metadata"]["name"]) == ("Deployment", "web")
    assert response.content.startswith(b"apiVersion: apps/v1\nkind: Deployment\n")
    node = yaml.safe_load(client.get(f"/playgrounds/{playground.id}/yaml/node/ship-1").content)
    assert node["kind"] == "Node"
    assert client.get(f"/playgrounds/{playground.id}/yaml/pods/nope").status_code == 404
    assert client.get(f"/playgrounds/{playground.id}/yaml/frobs/x").status_code == 404
    assert client.get("/playgrounds/nosuch/yaml/pods/x").status_code == 404


@pytest.mark.django_db
def test_export_yaml_view(client, playground):
    pytest.importorskip("cluster_sim.manifests.export")
    response = client.get(f"/playgrounds/{playground.id}/export.yaml")
    assert response.status_code == 200
    docs = list(yaml.safe_load_all(response.content))
    kinds = [d["kind"] for d in docs]
    assert "Deployment" in kinds
    assert "Node" in kinds
    assert "Pod" not in kinds
    assert all("status" not in d for d in docs if d["kind"] != "Node")  # ships keep their size


@pytest.mark.django_db(transaction=True)
def test_kubectl_o_yaml_answers_in_yaml(playground):
    channel = async_to_sync(get_channel_layer().new_channel)()
    command = "kubectl get deployment web -o yaml"
    mailbox.post(
        playground.id,
        {
            "type": "action",
            "name": "kubectl",
            "args": {"command": command},
            "reply_to": channel,
            "id": "c1",
        },
    )
    tasks.apply_pending(playground.id)
    import orjson

    answer = orjson.loads(async_to_sync(get_channel_layer().receive)(channel)["text"])
    assert answer["type"] == "ack"
    assert answer["message"].startswith("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n")
    assert yaml.safe_load(answer["message"])["spec"]["replicas"] == 6
