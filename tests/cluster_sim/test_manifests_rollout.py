"""Rollout fields in manifests (DEP-3, DEP-7, DEP-10): Recreate and spec.paused are applied,
and the strategy numbers are checked by the same rules and words as the set_rollout action."""

import pytest

from cluster_sim import ActionError, Cluster
from cluster_sim.manifests import ManifestError
from cluster_sim.manifests.apply import apply_documents
from cluster_sim.manifests.read import get_object, list_objects
from cluster_sim.manifests.update import patch_object

from . import manifest_docs as docs

REVISION = "deployment.kubernetes.io/revision"


@pytest.fixture
def cluster():
    cluster = Cluster.empty(seed=12)
    apply_documents(cluster, [docs.node("ship-1"), docs.deployment("web", 2)])
    cluster.step(10)
    return cluster


def replica_sets(cluster):
    return list_objects(cluster, "ReplicaSet", label_selector="app=web")


def images(cluster):
    return {p["spec"]["containers"][0]["image"] for p in list_objects(cluster, "Pod")}


def refused(cluster, documents) -> ManifestError:
    before = cluster.to_state()
    with pytest.raises(ManifestError) as caught:
        apply_documents(cluster, documents)
    assert cluster.to_state() == before
    return caught.value


def test_a_recreate_deployment_stops_every_old_pod_before_a_new_one(cluster):
    doc = docs.deployment("web", 2, strategy={"type": "Recreate"})
    assert apply_documents(cluster, [doc]) == ["deployment.apps/web configured"]
    assert get_object(cluster, "Deployment", "web")["spec"]["strategy"] == {"type": "Recreate"}
    assert len(replica_sets(cluster)) == 1  # a strategy change rolls nothing out
    doc["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:1.28"
    apply_documents(cluster, [doc])
    cluster.reconcile()
    (old,) = replica_sets(cluster)  # no new ReplicaSet while old pods exist
    assert old["spec"]["replicas"] == 0
    cluster.step(60)
    assert images(cluster) == {"nginx:1.28"}
    assert len(list_objects(cluster, "Pod")) == 2


def test_a_new_deployment_may_say_recreate():
    cluster = Cluster.empty(seed=13)
    apply_documents(
        cluster,
        [docs.node("ship-1"), docs.deployment("shop", 2, strategy={"type": "Recreate"})],
    )
    cluster.step(10)
    shop = get_object(cluster, "Deployment", "shop")
    assert shop["spec"]["strategy"] == {"type": "Recreate"}
    assert shop["status"]["availableReplicas"] == 2


def test_recreate_takes_no_rolling_update(cluster):
    doc = docs.deployment("web", 2, strategy={"type": "Recreate", "rollingUpdate": {"maxSurge": 1}})
    assert str(refused(cluster, [doc])) == (
        'document 1 (Deployment/web): Deployment.apps "web" is invalid: '
        "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is "
        "'Recreate'"
    )


@pytest.mark.parametrize(
    ("spec", "args"),
    [
        ({"strategy": {"type": "BlueGreen"}}, {"strategy": "BlueGreen"}),
        (
            {"strategy": {"rollingUpdate": {"maxSurge": 0, "maxUnavailable": "0%"}}},
            {"maxSurge": 0, "maxUnavailable": "0%"},
        ),
        ({"strategy": {"rollingUpdate": {"maxSurge": "110%"}}}, {"maxSurge": "110%"}),
        ({"strategy": {"rollingUpdate": {"maxSurge": "ten"}}}, {"maxSurge": "ten"}),
        ({"strategy": {"rollingUpdate": {"maxUnavailable": 101}}}, {"maxUnavailable": 101}),
        ({"minReadySeconds": 3601}, {"minReadySeconds": 3601}),
        ({"minReadySeconds": 600}, {"minReadySeconds": 600}),
        ({"progressDeadlineSeconds": -1}, {"progressDeadlineSeconds": -1}),
        ({"revisionHistoryLimit": 51}, {"revisionHistoryLimit": 51}),
    ],
)
def test_manifests_and_set_rollout_refuse_with_the_same_words(cluster, spec, args):
    with pytest.raises(ActionError) as action_error:
        cluster.apply({"action": "set_rollout", "deployment": "web", **args})
    error = refused(cluster, [docs.deployment("web", 2, **spec)])
    action_text = str(action_error.value).removeprefix('The Deployment "web" is invalid: ')
    assert str(error) == (
        f'document 1 (Deployment/web): Deployment.apps "web" is invalid: {action_text}'
    )


def test_a_paused_deployment_holds_template_changes_until_resumed(cluster):
    (first,) = replica_sets(cluster)
    doc = docs.deployment("web", 2, paused=True)
    assert apply_documents(cluster, [doc]) == ["deployment.apps/web configured"]
    assert get_object(cluster, "Deployment", "web")["spec"]["paused"] is True
    doc["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:1.28"
    apply_documents(cluster, [doc])
    cluster.step(60)
    assert [rs["metadata"]["name"] for rs in replica_sets(cluster)] == [first["metadata"]["name"]]
    assert images(cluster) == {"nginx:1.27"}
    doc["spec"]["paused"] = False
    apply_documents(cluster, [doc])
    assert "paused" not in get_object(cluster, "Deployment", "web")["spec"]  # false is omitted
    cluster.step(60)
    assert len(replica_sets(cluster)) == 2
    assert images(cluster) == {"nginx:1.28"}
    assert get_object(cluster, "Deployment", "web")["metadata"]["annotations"][REVISION] == "2"


def test_kubectl_rollout_pause_and_resume_bodies(cluster):
    """kubectl rollout pause sends {"spec":{"paused":true}}, resume {"spec":{"paused":null}}."""
    stored = patch_object(cluster, "Deployment", "web", "default", {"spec": {"paused": True}})
    assert stored["spec"]["paused"] is True
    body = {"spec": {"template": {"spec": {"containers": [{"name": "web", "image": "x:2"}]}}}}
    patch_object(cluster, "Deployment", "web", "default", body)
    cluster.step(30)
    assert len(replica_sets(cluster)) == 1
    stored = patch_object(cluster, "Deployment", "web", "default", {"spec": {"paused": None}})
    assert "paused" not in stored["spec"]
    cluster.step(1)
    assert len(replica_sets(cluster)) == 2


def test_a_deployment_created_paused_waits_for_resume():
    cluster = Cluster.empty(seed=14)
    apply_documents(cluster, [docs.node("ship-1"), docs.deployment("shop", 2, paused=True)])
    cluster.step(10)
    assert list_objects(cluster, "ReplicaSet") == []
    cluster.apply({"action": "resume_rollout", "deployment": "shop"})
    cluster.step(10)
    assert get_object(cluster, "Deployment", "shop")["status"]["availableReplicas"] == 2
