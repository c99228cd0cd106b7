"""Bad manifests are refused with the API server's words, naming the document, and change
nothing at all (a list is validated completely before anything is applied)."""

import pytest

from cluster_sim import Cluster
from cluster_sim.manifests import ManifestError
from cluster_sim.manifests.apply import apply_documents

from . import manifest_docs as docs


@pytest.fixture
def cluster():
    cluster = Cluster.empty(seed=8)
    apply_documents(
        cluster,
        [
            docs.node("ship-1"),
            docs.deployment("web", 2),
            docs.service("web"),
            {**docs.configmap("frozen"), "immutable": True},
        ],
    )
    cluster.step(5)
    return cluster


def refused(cluster, documents, mode="apply") -> ManifestError:
    before = cluster.to_state()
    with pytest.raises(ManifestError) as caught:
        apply_documents(cluster, documents, mode=mode)
    assert cluster.to_state() == before
    return caught.value


def test_unknown_kind(cluster):
    doc = {"apiVersion": "v1", "kind": "Foo", "metadata": {"name": "x"}}
    error = refused(cluster, [doc])
    assert str(error) == 'document 1 (Foo/x): no matches for kind "Foo" in version "v1"'
    assert error.code == 404


def test_known_kind_in_the_wrong_version(cluster):
    doc = docs.deployment("shop")
    doc["apiVersion"] = "extensions/v1beta1"
    error = refused(cluster, [doc])
    assert (
        error.server_message == 'no matches for kind "Deployment" in version "extensions/v1beta1"'
    )


def test_unknown_field(cluster):
    doc = docs.deployment("shop")
    doc["spec"]["replica"] = 3
    doc["spec"]["template"]["spec"]["containers"][0]["imagee"] = "x"
    error = refused(cluster, [doc])
    assert str(error) == (
        'document 1 (Deployment/shop): Deployment in version "v1" cannot be handled as a '
        "Deployment: strict decoding error: unknown field "
        '"spec.template.spec.containers[0].imagee", unknown field "spec.replica"'
    )
    assert (error.code, error.reason) == (400, "BadRequest")


def test_wrong_type(cluster):
    doc = docs.deployment("shop")
    doc["spec"]["replicas"] = "three"
    error = refused(cluster, [doc])
    assert error.server_message == (
        'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal '
        "string into Go struct field Deployment.spec.replicas of type int32"
    )


def test_impossible_value(cluster):
    error = refused(cluster, [docs.deployment("web", -1)])
    assert str(error) == (
        'document 1 (Deployment/web): Deployment.apps "web" is invalid: spec.replicas: '
        "Invalid value: -1: must be greater than or equal to 0"
    )
    assert (error.code, error.reason) == (422, "Invalid")
    assert error.details["causes"] == [
        {
            "field": "spec.replicas",
            "message": "Invalid value: -1: must be greater than or equal to 0",
        }
    ]


def test_missing_name(cluster):
    doc = docs.configmap()
    doc["metadata"] = {}
    error = refused(cluster, [doc])
    assert error.server_message == (
        'ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required'
    )


def test_bad_name(cluster):
    error = refused(cluster, [docs.deployment("Web_1")])
    assert error.server_message.startswith(
        'Deployment.apps "Web_1" is invalid: metadata.name: Invalid value: "Web_1": a lowercase '
        "RFC 1123 subdomain must consist of lower case alphanumeric characters"
    )


def test_immutable_selector(cluster):
    doc = docs.deployment("web", 2)
    doc["spec"]["selector"]["matchLabels"]["tier"] = "front"
    doc["spec"]["template"]["metadata"]["labels"]["tier"] = "front"
    error = refused(cluster, [doc])
    assert error.server_message == (
        'Deployment.apps "web" is invalid: spec.selector: Invalid value: v1.LabelSelector'
        '{MatchLabels:map[string]string{"app":"web", "tier":"front"}, '
        "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable"
    )


def test_selector_must_match_the_template(cluster):
    doc = docs.deployment("shop")
    doc["spec"]["template"]["metadata"]["labels"] = {"app": "other"}
    error = refused(cluster, [doc])
    assert error.server_message == (
        'Deployment.apps "shop" is invalid: spec.template.metadata.labels: Invalid value: '
        'map[string]string{"app":"other"}: `selector` does not match template `labels`'
    )


def test_several_errors_print_as_a_list(cluster):
    doc = docs.deployment("shop", -2)
    doc["spec"]["template"]["spec"]["containers"][0].pop("image")
    error = refused(cluster, [doc])
    assert error.server_message == (
        'Deployment.apps "shop" is invalid: [spec.replicas: Invalid value: -2: must be greater '
        "than or equal to 0, spec.template.spec.containers[0].image: Required value]"
    )


def test_one_bad_document_stops_the_whole_list(cluster):
    bad = docs.service("db", "db", type_="LoadBalancer")
    error = refused(cluster, [docs.deployment("shop"), bad, docs.configmap("other")])
    assert str(error).startswith(
        'document 2 (Service/db): Service "db" is invalid: spec.type: Unsupported value: '
        '"LoadBalancer"'
    )
    assert error.document == 2


def test_a_later_document_may_break_a_limit_an_earlier_one_filled(cluster):
    nodes = [docs.node(f"extra-{i}") for i in range(10)]
    error = refused(cluster, nodes)
    assert str(error) == "document 10 (Node/extra-9): the harbour is full: at most 10 ships"


def test_other_namespaces_do_not_exist(cluster):
    doc = docs.configmap()
    doc["metadata"]["namespace"] = "prod"
    error = refused(cluster, [doc])
    assert error.code == 404
    assert error.server_message.startswith('namespaces "prod" not found')


def test_configmap_rules_come_from_configdata(cluster):
    error = refused(cluster, [docs.configmap("bad", {"a b": "x"})])
    assert error.server_message.startswith(
        'ConfigMap "bad" is invalid: data[a b]: Invalid value: "a b": a valid config key'
    )
    error = refused(cluster, [docs.configmap("frozen", {"greeting": "changed"})])
    assert error.server_message == (
        'ConfigMap "frozen" is invalid: [data: Forbidden: field is immutable when `immutable` '
        "is set, immutable: Forbidden: field is immutable when `immutable` is set]"
    )


def test_secret_base64_is_decoded_like_the_api_server(cluster):
    doc = docs.secret()
    doc.pop("stringData")
    doc["data"] = {"password": "not base64!"}
    error = refused(cluster, [doc])
    assert error.server_message == (
        'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 3'
    )
    assert error.code == 400


def test_hpa_rules_come_from_hpa_actions(cluster):
    error = refused(cluster, [docs.hpa("web", max_replicas=0)])
    assert error.server_message == (
        'HorizontalPodAutoscaler.autoscaling "web" is invalid: spec.maxReplicas: Invalid value: '
        "0: must be greater than 0"
    )


def test_a_taken_cluster_ip_is_refused(cluster):
    taken = next(iter(cluster.store.list("Service")))["spec"]["clusterIP"]
    doc = docs.service("other")
    doc["spec"]["clusterIP"] = taken
    error = refused(cluster, [doc])
    assert error.server_message == (
        f'Service "other" is invalid: spec.clusterIPs: Invalid value: []string{{"{taken}"}}: '
        f"failed to allocate IP {taken}: provided IP is already allocated"
    )


def test_controller_owned_kinds_are_not_applied(cluster):
    doc = {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": {"name": "x"},
    }
    error = refused(cluster, [doc])
    assert error.code == 405


def test_a_missing_container_list(cluster):
    doc = docs.deployment("shop")
    doc["spec"]["template"]["spec"]["containers"] = []
    error = refused(cluster, [doc])
    assert error.server_message == (
        'Deployment.apps "shop" is invalid: spec.template.spec.containers: Required value'
    )


def _paths(value, path=()):
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*path, index))


@pytest.mark.parametrize(
    "doc",
    [docs.deployment("web"), docs.service("web"), docs.hpa("web"), docs.node("ship-1")],
    ids=lambda doc: doc["kind"],
)
def test_any_field_of_any_shape_is_refused_cleanly_or_applied(cluster, doc):
    """Every field set to null, a string, a number, a list or an object: a ManifestError
    or a working object, never a crash."""
    import json

    state = json.dumps(cluster.to_state())
    for path in list(_paths(doc))[1:]:
        for value in (None, "x", -5, [None], {}):
            mutated = json.loads(json.dumps(doc))
            parent = mutated
            for key in path[:-1]:
                parent = parent[key]
            parent[path[-1]] = value
            trial = Cluster.from_state(json.loads(state))
            try:
                apply_documents(trial, [mutated])
            except ManifestError:
                continue
            trial.step(2)


def test_null_means_not_set(cluster):
    doc = docs.deployment("shop")
    doc["spec"]["replicas"] = None
    doc["spec"]["template"]["spec"]["containers"][0]["resources"] = None
    apply_documents(cluster, [doc])
    stored = cluster.store.get("Deployment", "shop")
    assert stored["spec"]["replicas"] == 1
    assert stored["spec"]["template"]["spec"]["containers"][0]["resources"] == {}


def test_one_autoscaler_per_deployment(cluster):
    apply_documents(cluster, [docs.hpa("web")])
    error = refused(cluster, [docs.hpa("web-2", target="web")])
    assert error.server_message.startswith(
        'HorizontalPodAutoscaler.autoscaling "web-2" is invalid: spec.scaleTargetRef.name: '
        'Duplicate value: "web"'
    )


def test_namespaces_are_fixed(cluster):
    default = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "default"}}
    assert apply_documents(cluster, [default]) == ["namespace/default unchanged"]
    other = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "prod"}}
    error = refused(cluster, [other])
    assert error.code == 403


def test_immutable_fields_of_other_kinds(cluster):
    apply_documents(cluster, [docs.priority_class("batch", 100), docs.secret("creds")])
    error = refused(cluster, [docs.priority_class("batch", 200)])
    assert error.server_message == (
        'PriorityClass.scheduling.k8s.io "batch" is invalid: value: Forbidden: '
        "may not be changed in an update."
    )
    changed = docs.secret("creds")
    changed["type"] = "kubernetes.io/basic-auth"
    changed["stringData"] = {"username": "u"}
    error = refused(cluster, [changed])
    assert error.server_message == (
        'Secret "creds" is invalid: type: Invalid value: "kubernetes.io/basic-auth": '
        "field is immutable"
    )
    doc = docs.service("web")
    doc["spec"]["clusterIP"] = "10.96.0.10"
    error = refused(cluster, [doc])
    assert "may not change once set" in error.server_message


def test_budgets_need_exactly_one_bound(cluster):
    doc = docs.pdb()
    doc["spec"]["maxUnavailable"] = 1
    error = refused(cluster, [doc])
    assert error.server_message == (
        'PodDisruptionBudget.policy "web-pdb" is invalid: spec: Invalid value: minAvailable '
        "and maxUnavailable cannot be both set"
    )


def test_a_deployment_without_a_selector(cluster):
    doc = docs.deployment("shop")
    del doc["spec"]["selector"]
    error = refused(cluster, [doc])
    assert error.server_message == (
        'Deployment.apps "shop" is invalid: [spec.selector: Required value, '
        'spec.template.metadata.labels: Invalid value: map[string]string{"app":"shop"}: '
        "`selector` does not match template `labels`]"
    )
