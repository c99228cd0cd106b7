"""The three patch types, and the bodies kubectl really sends (docs/kubectl.md section 4)."""

import pytest

from cluster_sim import Cluster
from cluster_sim.manifests import ManifestError
from cluster_sim.manifests.patch import json_patch, merge_patch, strategic_merge, three_way_patch
from cluster_sim.manifests.read import get_object, list_objects
from cluster_sim.manifests.scale import get_scale, patch_scale
from cluster_sim.manifests.update import patch_object


@pytest.fixture
def cluster():
    return Cluster.demo(seed=6, config=False, traffic=False)


def test_kubectl_set_image_body(cluster):
    body = {
        "spec": {
            "template": {
                "spec": {
                    "$setElementOrder/containers": [{"name": "web"}],
                    "containers": [{"image": "nginx:1.28", "name": "web"}],
                }
            }
        }
    }
    stored = patch_object(cluster, "Deployment", "web", "default", body, "strategic")
    container = stored["spec"]["template"]["spec"]["containers"][0]
    assert container["image"] == "nginx:1.28"
    assert container["resources"] == {"requests": {"cpu": "250m", "memory": "128Mi"}}
    assert stored["metadata"]["generation"] == 2
    cluster.step(60)
    images = {
        p["spec"]["containers"][0]["image"]
        for p in list_objects(cluster, "Pod", label_selector="app=web")
    }
    assert images == {"nginx:1.28"}


def test_kubectl_rollout_restart_body(cluster):
    body = {
        "spec": {
            "template": {
                "metadata": {
                    "annotations": {"kubectl.kubernetes.io/restartedAt": "2026-01-01T00:01:00Z"}
                }
            }
        }
    }
    stored = patch_object(cluster, "Deployment", "web", "default", body, "strategic")
    assert stored["spec"]["template"]["metadata"] == {
        "labels": {"app": "web"},
        "annotations": {"kubectl.kubernetes.io/restartedAt": "2026-01-01T00:01:00Z"},
    }
    cluster.step(1)
    assert len(list_objects(cluster, "ReplicaSet", label_selector="app=web")) == 2


def test_kubectl_rollout_undo_json_patch(cluster):
    cluster.apply({"action": "set_image", "deployment": "web", "image": "nginx:1.28"})
    cluster.step(60)
    old = next(
        rs
        for rs in list_objects(cluster, "ReplicaSet", label_selector="app=web")
        if rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "1"
    )
    template = old["spec"]["template"]
    del template["metadata"]["labels"]["pod-template-hash"]
    live = get_object(cluster, "Deployment", "web")
    ops = [
        {"op": "replace", "path": "/spec/template", "value": template},
        {
            "op": "replace",
            "path": "/metadata/annotations",
            "value": live["metadata"]["annotations"],
        },
    ]
    stored = patch_object(cluster, "Deployment", "web", "default", ops, "json")
    assert stored["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.27"
    cluster.step(60)
    revisions = {
        rs["spec"]["template"]["spec"]["containers"][0]["image"]: rs["metadata"]["annotations"][
            "deployment.kubernetes.io/revision"
        ]
        for rs in list_objects(cluster, "ReplicaSet", label_selector="app=web")
    }
    assert revisions == {"nginx:1.27": "3", "nginx:1.28": "2"}


def test_kubectl_scale_merge_patch(cluster):
    scale = patch_scale(cluster, "web", "default", {"spec": {"replicas": 3}}, "merge")
    assert scale["spec"] == {"replicas": 3}
    assert scale["status"]["selector"] == "app=web"
    assert get_object(cluster, "Deployment", "web")["spec"]["replicas"] == 3
    before = cluster.to_state()
    with pytest.raises(ManifestError) as error:
        patch_scale(cluster, "web", "default", {"spec": {"replicas": -1}}, "merge")
    assert error.value.message == (
        'Scale.autoscaling "web" is invalid: spec.replicas: Invalid value: -1: '
        "must be greater than or equal to 0"
    )
    assert cluster.to_state() == before
    assert get_scale(cluster, "web")["spec"]["replicas"] == 3


def test_a_patch_is_validated_like_a_manifest(cluster):
    before = cluster.to_state()
    with pytest.raises(ManifestError) as error:
        patch_object(cluster, "Deployment", "web", None, {"spec": {"replicas": -1}}, "merge")
    assert error.value.message == (
        'Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: '
        "must be greater than or equal to 0"
    )
    with pytest.raises(ManifestError) as error:
        patch_object(cluster, "Deployment", "web", None, {"spec": {"replica": 1}}, "merge")
    assert 'unknown field "spec.replica"' in error.value.message
    with pytest.raises(ManifestError) as error:
        patch_object(cluster, "Deployment", "nope", None, {}, "merge")
    assert error.value.message == 'deployments.apps "nope" not found'
    assert cluster.to_state() == before


def test_pods_take_label_patches_only(cluster):
    pod = list_objects(cluster, "Pod")[0]["metadata"]["name"]
    stored = patch_object(
        cluster, "pods", pod, None, {"metadata": {"labels": {"debug": "1"}}}, "merge"
    )
    assert stored["metadata"]["labels"]["debug"] == "1"
    replica_set = list_objects(cluster, "ReplicaSet")[0]["metadata"]["name"]
    body = {"metadata": {"annotations": {"note": "x"}}}
    stored = patch_object(cluster, "rs", replica_set, None, body, "merge")
    assert stored["metadata"]["annotations"]["note"] == "x"
    with pytest.raises(ManifestError):
        patch_object(cluster, "pods", pod, None, {"spec": {"nodeName": "x"}}, "merge")


# The patch functions themselves


def test_strategic_merge_by_keys_and_directives():
    target = {
        "containers": [
            {
                "name": "a",
                "image": "x",
                "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
            },
            {"name": "b", "image": "y"},
        ],
        "volumes": [{"name": "v", "emptyDir": {}}],
        "tolerations": [{"key": "k", "operator": "Exists"}],
        "nodeSelector": {"zone": "a", "disk": "ssd"},
    }
    patch = {
        "containers": [
            {"name": "a", "env": [{"name": "B", "$patch": "delete"}, {"name": "C", "value": "3"}]},
            {"name": "b", "$patch": "delete"},
        ],
        "volumes": [{"name": "w", "configMap": {"name": "cfg"}}],
        "tolerations": [{"key": "other", "operator": "Exists"}],
        "nodeSelector": {"disk": None},
    }
    result = strategic_merge(target, patch)
    assert result["containers"] == [
        {
            "name": "a",
            "image": "x",
            "env": [{"name": "A", "value": "1"}, {"name": "C", "value": "3"}],
        }
    ]
    assert [v["name"] for v in result["volumes"]] == ["v", "w"]
    assert result["tolerations"] == [{"key": "other", "operator": "Exists"}]  # no merge key
    assert result["nodeSelector"] == {"zone": "a"}
    assert target["nodeSelector"] == {"zone": "a", "disk": "ssd"}  # untouched
    replaced = strategic_merge(target, {"nodeSelector": {"$patch": "replace", "x": "1"}})
    assert replaced["nodeSelector"] == {"x": "1"}
    retained = strategic_merge(
        {"strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1}}},
        {"strategy": {"$retainKeys": ["type"], "type": "Recreate"}},
    )
    assert retained == {"strategy": {"type": "Recreate"}}
    ports = strategic_merge(
        {"ports": [{"port": 80, "nodePort": 30080}]}, {"ports": [{"port": 80, "targetPort": 8080}]}
    )
    assert ports == {"ports": [{"port": 80, "nodePort": 30080, "targetPort": 8080}]}


def test_three_way_patch_deletes_what_left_the_manifest():
    original = {
        "spec": {
            "replicas": 2,
            "paused": False,
            "template": {"containers": [{"name": "a", "args": ["x"]}, {"name": "b"}]},
        }
    }
    modified = {"spec": {"template": {"containers": [{"name": "a"}]}}}
    assert three_way_patch(original, modified) == {
        "spec": {
            "replicas": None,
            "paused": None,
            "template": {
                "containers": [{"args": None, "name": "a"}, {"name": "b", "$patch": "delete"}]
            },
        }
    }


def test_merge_patch_rfc7386():
    assert merge_patch({"a": "b", "c": {"d": "e", "f": "g"}}, {"a": "z", "c": {"f": None}}) == {
        "a": "z",
        "c": {"d": "e"},
    }
    assert merge_patch({"a": [1, 2]}, {"a": [3]}) == {"a": [3]}


def test_json_patch_rfc6902():
    doc = {"a": {"b": [1, 2]}, "c": 1}
    ops = [
        {"op": "add", "path": "/a/b/1", "value": 9},
        {"op": "add", "path": "/a/b/-", "value": 7},
        {"op": "remove", "path": "/c"},
        {"op": "copy", "from": "/a/b", "path": "/d"},
        {"op": "move", "from": "/d", "path": "/e"},
        {"op": "test", "path": "/a/b/0", "value": 1},
    ]
    assert json_patch(doc, ops) == {"a": {"b": [1, 9, 2, 7]}, "e": [1, 9, 2, 7]}
    assert doc == {"a": {"b": [1, 2]}, "c": 1}
    with pytest.raises(ManifestError):
        json_patch(doc, [{"op": "test", "path": "/c", "value": 2}])
    with pytest.raises(ManifestError):
        json_patch(doc, [{"op": "replace", "path": "/missing", "value": 2}])


def test_random_patches_are_refused_cleanly_or_applied():
    """Seeded garbage of every patch type: a ManifestError or a working object, never a crash."""
    import json
    import random

    base = Cluster.demo(seed=1, config=False, traffic=False)
    base.apply({"action": "create_service", "name": "web", "deployment": "web"})
    state = json.dumps(base.to_state())
    rng = random.Random(4)
    atoms = [None, "x", 0, -1, True, [], {}, [None], [{"name": "web"}], {"$patch": "replace"}]
    keys = ["spec", "metadata", "template", "containers", "replicas", "selector", "labels"]
    keys += ["ports", "$setElementOrder/containers", "$retainKeys", "$patch", "name", "image"]

    def garbage(depth=0):
        if depth > 3 or rng.random() < 0.4:
            return rng.choice(atoms)
        if rng.random() < 0.7:
            return {rng.choice(keys): garbage(depth + 1) for _ in range(rng.randint(1, 3))}
        return [garbage(depth + 1) for _ in range(rng.randint(0, 2))]

    paths = ["/spec", "/spec/replicas", "/metadata/labels/a", "/spec/ports/-", "", "/a/b"]
    for _ in range(300):
        kind = rng.choice(["Deployment", "Service"])
        patch_type = rng.choice(["strategic", "merge", "json"])
        patch = garbage()
        if patch_type == "json":
            op = rng.choice(["add", "replace", "remove", "move", "copy", "test"])
            patch = [{"op": op, "path": rng.choice(paths), "value": patch, "from": "/spec"}]
        trial = Cluster.from_state(json.loads(state))
        try:
            patch_object(trial, kind, "web", "default", patch, patch_type)
        except ManifestError:
            continue
        trial.step(1)


def test_a_dry_run_patch_answers_the_object_and_changes_nothing(cluster):
    before = cluster.to_state()
    body = {"spec": {"replicas": 2}}
    answered = patch_object(cluster, "Deployment", "web", None, body, "merge", dry_run=True)
    assert answered["spec"]["replicas"] == 2
    assert cluster.to_state() == before
