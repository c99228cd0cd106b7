"""ConfigMap and Secret objects and the actions that write them (CFG-3..CFG-5)."""

import base64
import hashlib
import json

import pytest

from cluster_sim import ActionError
from cluster_sim.configdata import base64_error_offset
from tests.cluster_sim.conftest import act, add_deployment, cluster_with, get, replica_sets

KEY_RULE = (
    "a valid config key must consist of alphanumeric characters, '-', '_' or '.'"
    " (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name',"
    " regex used for validation is '[-._a-zA-Z0-9]+')"
)
IMMUTABLE = "data: Forbidden: field is immutable when `immutable` is set"
MIB = 1024 * 1024


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def refused(cluster, message, **action):
    """The action is refused with exactly this message and the cluster does not change."""
    before = cluster.to_state()
    with pytest.raises(ActionError) as error:
        cluster.apply(action)
    assert str(error.value) == message
    assert cluster.to_state() == before


@pytest.fixture
def cluster():
    cluster = cluster_with("medium")
    add_deployment(cluster)
    cluster.step(5)
    return cluster


def use(cluster, kind, name, how, deployment="web", **extra):
    return act(
        cluster,
        action="use_config",
        deployment=deployment,
        kind=kind,
        name=name,
        **{"as": how},
        **extra,
    )


# ConfigMaps


def test_create_configmap_stores_the_real_shape_and_records_no_event(cluster):
    events = len(cluster.recent_events())
    message = act(cluster, action="create_configmap", name="app", data={"b": "2", "a": "1"})
    assert message == "configmap/app created"
    configmap = get(cluster, "ConfigMap", "app")
    assert configmap["apiVersion"] == "v1"
    assert list(configmap["data"].items()) == [("a", "1"), ("b", "2")]  # sorted, as Go prints
    assert set(configmap) == {"apiVersion", "kind", "metadata", "data"}
    assert configmap["metadata"]["namespace"] == "default"
    assert len(cluster.recent_events()) == events


def test_immutable_is_kept_when_given(cluster):
    act(cluster, action="create_configmap", name="app", data={}, immutable=True)
    configmap = get(cluster, "ConfigMap", "app")
    assert configmap["immutable"] is True
    assert "data" not in configmap  # an empty map is omitted


def test_update_replaces_data_and_leaves_binary_data_alone(cluster):
    act(cluster, action="create_configmap", name="app", data={"a": "1", "b": "2"})
    stored = cluster.store.get("ConfigMap", "app")
    with cluster.store.edit(stored):
        stored["binaryData"] = {"logo.png": b64("PNG")}
    message = act(cluster, action="update_configmap", name="app", data={"c": "3"})
    assert message == "configmap/app configured"
    configmap = get(cluster, "ConfigMap", "app")
    assert configmap["data"] == {"c": "3"}
    assert configmap["binaryData"] == {"logo.png": b64("PNG")}
    version = configmap["metadata"]["resourceVersion"]
    assert act(cluster, action="update_configmap", name="app", data={"c": "3"}) == (
        "configmap/app unchanged"
    )
    assert get(cluster, "ConfigMap", "app")["metadata"]["resourceVersion"] == version


def test_delete_and_not_found_and_already_exists(cluster):
    act(cluster, action="create_configmap", name="app", data={})
    refused(
        cluster,
        'configmaps "app" already exists',
        action="create_configmap",
        name="app",
        data={"x": "y"},
    )
    assert act(cluster, action="delete_configmap", name="app") == 'configmap "app" deleted'
    assert get(cluster, "ConfigMap", "app") is None
    refused(cluster, 'configmaps "app" not found', action="delete_configmap", name="app")
    refused(
        cluster,
        'configmaps "app" not found',
        action="update_configmap",
        name="app",
        data={},
    )


def test_invalid_keys_are_refused_with_the_api_servers_words(cluster):
    refused(
        cluster,
        f'ConfigMap "app" is invalid: data[a b]: Invalid value: "a b": {KEY_RULE}',
        action="create_configmap",
        name="app",
        data={"a b": "x"},
    )
    refused(
        cluster,
        'ConfigMap "app" is invalid: [data[..]: Invalid value: "..": must not be \'..\', '
        f'data[{"k" * 254}]: Invalid value: "{"k" * 254}": must be no more than 253 characters]',
        action="create_configmap",
        name="app",
        data={"..": "x", "k" * 254: "y"},
    )


def test_invalid_names_and_types_are_refused(cluster):
    refused(
        cluster,
        'ConfigMap "App_1" is invalid: metadata.name: Invalid value: "App_1": a lowercase RFC 1123'
        " subdomain must consist of lower case alphanumeric characters, '-' or '.', and must"
        " start and end with an alphanumeric character (e.g. 'example.com', regex used for"
        r" validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
        action="create_configmap",
        name="App_1",
        data={},
    )
    refused(
        cluster,
        'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal'
        " number into Go struct field ConfigMap.data of type string",
        action="create_configmap",
        name="app",
        data={"port": 80},
    )
    refused(
        cluster,
        'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal'
        " string into Go struct field ConfigMap.immutable of type bool",
        action="create_configmap",
        name="app",
        data={},
        immutable="yes",
    )


def test_one_mebibyte_of_values_is_the_limit(cluster):
    # Keys do not count towards a ConfigMap's size, only values (in bytes).
    act(cluster, action="create_configmap", name="full", data={"a": "x" * (MIB - 1), "b": "y"})
    refused(
        cluster,
        'ConfigMap "big" is invalid: []: Too long: may not be more than 1048576 bytes',
        action="create_configmap",
        name="big",
        data={"a": "x" * (MIB - 1), "b": "é"},  # é is two bytes in UTF-8
    )
    refused(
        cluster,
        'Secret "big" is invalid: data: Too long: may not be more than 1048576 bytes',
        action="create_secret",
        name="big",
        stringData={"a": "x" * MIB, "b": "y"},
    )


def test_an_immutable_configmap_refuses_new_data_and_accepts_the_same(cluster):
    act(cluster, action="create_configmap", name="app", data={"a": "1"}, immutable=True)
    refused(
        cluster,
        f'ConfigMap "app" is invalid: {IMMUTABLE}',
        action="update_configmap",
        name="app",
        data={"a": "2"},
    )
    assert act(cluster, action="update_configmap", name="app", data={"a": "1"}) == (
        "configmap/app unchanged"
    )
    # Only delete and re-create works (CFG-4).
    act(cluster, action="delete_configmap", name="app")
    act(cluster, action="create_configmap", name="app", data={"a": "2"})
    assert get(cluster, "ConfigMap", "app")["data"] == {"a": "2"}


# Secrets


def test_secret_data_is_base64_and_string_data_wins_and_is_never_stored(cluster):
    message = act(
        cluster,
        action="create_secret",
        name="db",
        data={"user": b64("admin"), "password": b64("old")},
        stringData={"password": "new", "host": "db.local"},
    )
    assert message == "secret/db created"
    secret = get(cluster, "Secret", "db")
    assert secret["type"] == "Opaque"
    assert secret["data"] == {"host": b64("db.local"), "password": b64("new"), "user": b64("admin")}
    assert "stringData" not in secret
    assert list(secret["data"]) == ["host", "password", "user"]


def test_update_secret_replaces_data_with_string_data_on_top(cluster):
    act(cluster, action="create_secret", name="db", stringData={"a": "1", "b": "2"})
    message = act(
        cluster, action="update_secret", name="db", data={"c": b64("3")}, stringData={"c": "4"}
    )
    assert message == "secret/db configured"
    assert get(cluster, "Secret", "db")["data"] == {"c": b64("4")}
    refused(cluster, "update_secret needs data or stringData", action="update_secret", name="db")


def test_base64_is_stored_canonically(cluster):
    act(cluster, action="create_secret", name="db", data={"k": "aGVs\nbG8="})
    assert get(cluster, "Secret", "db")["data"] == {"k": "aGVsbG8="}


@pytest.mark.parametrize(
    ("text", "offset"),
    [
        ("aGVsbG8=", None),
        ("aGVsbG8", 4),  # unpadded tail: Go points at its start
        ("abc", 0),
        ("hello world", 5),  # the space
        ("aGVsbG8=x", 8),  # trailing garbage after padding
        ("a===", 1),  # padding too early
        ("aGk=\n", None),
        ("", None),
    ],
)
def test_base64_errors_point_where_go_gives_up(text, offset):
    assert base64_error_offset(text) == offset


def test_invalid_base64_is_refused(cluster):
    refused(
        cluster,
        'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 5',
        action="create_secret",
        name="db",
        data={"password": "hello world"},
    )


def test_typed_secrets_need_their_keys(cluster):
    refused(
        cluster,
        'Secret "cert" is invalid: [data[tls.crt]: Required value, data[tls.key]: Required value]',
        action="create_secret",
        name="cert",
        type="kubernetes.io/tls",
        stringData={"ca.crt": "x"},
    )
    refused(
        cluster,
        'Secret "cert" is invalid: data[tls.key]: Required value',
        action="create_secret",
        name="cert",
        type="kubernetes.io/tls",
        stringData={"tls.crt": "x"},
    )
    refused(
        cluster,
        'Secret "login" is invalid: [data[username]: Required value, data[password]: Required'
        " value]",
        action="create_secret",
        name="login",
        type="kubernetes.io/basic-auth",
        stringData={},
    )
    refused(
        cluster,
        'Secret "ssh" is invalid: data[ssh-privatekey]: Required value',
        action="create_secret",
        name="ssh",
        type="kubernetes.io/ssh-auth",
    )
    refused(
        cluster,
        'Secret "pull" is invalid: data[.dockerconfigjson]: Required value',
        action="create_secret",
        name="pull",
        type="kubernetes.io/dockerconfigjson",
    )
    refused(
        cluster,
        'Secret "pull" is invalid: data[.dockerconfigjson]: Invalid value: "<secret contents'
        " redacted>\": invalid character 'x' looking for beginning of value",
        action="create_secret",
        name="pull",
        type="kubernetes.io/dockerconfigjson",
        stringData={".dockerconfigjson": "x"},
    )
    act(
        cluster,
        action="create_secret",
        name="cert",
        type="kubernetes.io/tls",
        stringData={"tls.crt": "CERT", "tls.key": "KEY"},
    )
    # An update keeps the type's rules.
    refused(
        cluster,
        'Secret "cert" is invalid: data[tls.key]: Required value',
        action="update_secret",
        name="cert",
        stringData={"tls.crt": "CERT2"},
    )
    act(
        cluster,
        action="create_secret",
        name="login",
        type="kubernetes.io/basic-auth",
        stringData={"password": "only"},  # one of the two is enough
    )


def test_an_immutable_secret_refuses_new_data(cluster):
    act(cluster, action="create_secret", name="db", stringData={"a": "1"}, immutable=True)
    refused(
        cluster,
        f'Secret "db" is invalid: {IMMUTABLE}',
        action="update_secret",
        name="db",
        stringData={"a": "2"},
    )
    assert act(cluster, action="update_secret", name="db", data={"a": b64("1")}) == (
        "secret/db unchanged"
    )
    assert act(cluster, action="delete_secret", name="db") == 'secret "db" deleted'


# Pod templates


def test_use_config_writes_envfrom_env_and_volumes(cluster):
    assert use(cluster, "ConfigMap", "app", "env") == "deployment.apps/web patched"
    assert use(cluster, "ConfigMap", "app", "env") == "deployment.apps/web patched (no change)"
    use(cluster, "Secret", "db", "env", key="db.password", optional=True)
    use(cluster, "ConfigMap", "app", "volume")
    use(cluster, "Secret", "app", "volume")
    spec = get(cluster, "Deployment", "web")["spec"]["template"]["spec"]
    container = spec["containers"][0]
    assert container["envFrom"] == [{"configMapRef": {"name": "app"}}]
    assert container["env"] == [
        {
            "name": "DB_PASSWORD",
            "valueFrom": {"secretKeyRef": {"name": "db", "key": "db.password", "optional": True}},
        }
    ]
    assert spec["volumes"] == [
        {"name": "app", "configMap": {"name": "app", "defaultMode": 420}},
        {"name": "app-secret", "secret": {"secretName": "app", "defaultMode": 420}},
    ]
    assert container["volumeMounts"] == [
        {"name": "app", "mountPath": "/etc/config/app"},
        {"name": "app-secret", "mountPath": "/etc/secrets/app", "readOnly": True},
    ]


def test_unuse_config_gives_back_the_template_it_changed(cluster):
    before = get(cluster, "Deployment", "web")["spec"]["template"]
    use(cluster, "ConfigMap", "app", "env")
    use(cluster, "ConfigMap", "app", "env", key="LOG_LEVEL")
    use(cluster, "ConfigMap", "app", "volume")
    assert act(cluster, action="unuse_config", deployment="web", kind="ConfigMap", name="app") == (
        "deployment.apps/web patched"
    )
    assert get(cluster, "Deployment", "web")["spec"]["template"] == before
    assert act(cluster, action="unuse_config", deployment="web", kind="ConfigMap", name="app") == (
        "deployment.apps/web patched (no change)"
    )


def test_use_config_checks_its_arguments(cluster):
    base = {"action": "use_config", "deployment": "web", "name": "app"}
    refused(cluster, "kind must be ConfigMap or Secret", **base, kind="Pod", **{"as": "env"})
    refused(cluster, "as must be env or volume", **base, kind="Secret", **{"as": "file"})
    refused(
        cluster,
        "key is only used with as: env (one variable from one key)",
        **base,
        kind="Secret",
        key="k",
        **{"as": "volume"},
    )
    refused(
        cluster,
        "subPath is only used with as: volume (one key as one file)",
        **base,
        kind="Secret",
        subPath="k",
        **{"as": "env"},
    )
    refused(
        cluster,
        "optional must be true or false",
        **base,
        kind="Secret",
        optional="yes",
        **{"as": "env"},
    )
    refused(
        cluster,
        'deployments.apps "nope" not found',
        **{**base, "deployment": "nope"},
        kind="Secret",
        **{"as": "env"},
    )


def test_roll_out_config_puts_the_checksum_of_the_data_in_the_template(cluster):
    refused(
        cluster,
        'deployment "web" consumes no ConfigMap or Secret (use_config first)',
        action="roll_out_config",
        deployment="web",
    )
    act(cluster, action="create_configmap", name="app", data={"v": "1"})
    act(cluster, action="create_secret", name="db", stringData={"p": "x"})
    use(cluster, "ConfigMap", "app", "volume")
    use(cluster, "Secret", "db", "env")
    assert act(cluster, action="roll_out_config", deployment="web") == (
        "deployment.apps/web patched"
    )
    canonical = json.dumps(
        {"configmap/app": {"v": "1"}, "secret/db": {"p": b64("x")}},
        sort_keys=True,
        separators=(",", ":"),
    )
    template = get(cluster, "Deployment", "web")["spec"]["template"]
    assert template["metadata"]["annotations"] == {
        "checksum/config": hashlib.sha256(canonical.encode()).hexdigest()
    }
    assert act(cluster, action="roll_out_config", deployment="web") == (
        "deployment.apps/web patched (no change)"
    )
    revisions = len(replica_sets(cluster, "web"))
    act(cluster, action="update_configmap", name="app", data={"v": "2"})
    assert len(replica_sets(cluster, "web")) == revisions  # a change alone rolls nothing out
    assert act(cluster, action="roll_out_config", deployment="web") == (
        "deployment.apps/web patched"
    )
    assert len(replica_sets(cluster, "web")) == revisions + 1
