"""Generated names, UIDs and the pod-template-hash (RS-2)."""

import random
import re

from cluster_sim.names import (
    ALPHABET,
    fnv32a,
    generate_name,
    new_uid,
    pod_template_hash,
    safe_encode,
)


def test_it_appends_five_characters_from_the_safe_alphabet():
    name = generate_name("web-6fdd5ccb5d-", random.Random(1))
    assert name.startswith("web-6fdd5ccb5d-")
    suffix = name.removeprefix("web-6fdd5ccb5d-")
    assert len(suffix) == 5
    assert set(suffix) <= set("bcdfghjklmnpqrstvwxz2456789")


def test_it_truncates_the_base_so_names_stay_within_63_characters():
    name = generate_name("x" * 80, random.Random(1))
    assert len(name) == 63
    assert name.startswith("x" * 58)


def test_the_alphabet_has_no_vowels_and_no_look_alike_digits():
    assert ALPHABET == "bcdfghjklmnpqrstvwxz2456789"
    assert not set(ALPHABET) & set("aeiouy013")


def test_safe_encode_maps_digits_onto_ten_letters():
    assert safe_encode("0123456789") == "456789bcdf"


def test_fnv32a_matches_the_reference_values():
    assert fnv32a(b"") == 0x811C9DC5
    assert fnv32a(b"a") == 0xE40C292C
    assert fnv32a(b"foobar") == 0xBF9CF968


def test_the_template_hash_is_stable_and_uses_only_hash_characters():
    template = {
        "metadata": {"labels": {"app": "web"}},
        "spec": {"containers": [{"image": "nginx"}]},
    }
    first = pod_template_hash(template)
    assert first == pod_template_hash({"spec": template["spec"], "metadata": template["metadata"]})
    assert re.fullmatch(r"[456789bcdf]{1,10}", first)
    assert pod_template_hash(template, 1) != first
    changed = {"metadata": template["metadata"], "spec": {"containers": [{"image": "nginx:2"}]}}
    assert pod_template_hash(changed) != first


def test_uids_are_version_4_uuids_from_the_seeded_rng():
    first, second = new_uid(random.Random(3)), new_uid(random.Random(3))
    assert first == second
    assert re.fullmatch(
        r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", first
    )
