"""Resource quantities (QTY-1, QTY-2)."""

import pytest

from cluster_sim.quantity import cpu_millis, memory_bytes, parse_quantity


@pytest.mark.parametrize(
    ("text", "millis"),
    [
        ("250m", 250),
        ("0.5", 500),
        ("1", 1000),
        ("0.1", 100),
        ("2", 2000),
        ("0.1m", 1),
        ("100u", 1),
        ("1e3", 1_000_000),
    ],
)
def test_it_reads_cpu_in_millicores_rounding_up(text, millis):
    assert cpu_millis(text) == millis


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("128Mi", 134_217_728),
        ("1Gi", 1_073_741_824),
        ("1G", 1_000_000_000),
        ("129M", 129_000_000),
        ("123Mi", 128_974_848),
        ("400m", 1),
        ("1e3", 1000),
        ("1E", 10**18),
        ("4Gi", 4 * 2**30),
        ("1.5Gi", 1536 * 2**20),
    ],
)
def test_it_reads_memory_in_bytes(text, size):
    assert memory_bytes(text) == size


def test_it_keeps_exact_values():
    assert parse_quantity("1.5") * 1000 == 1500
    assert parse_quantity("-1k") == -1000


@pytest.mark.parametrize("text", ["", "1K", "abc", "1.2.3", "Mi", "1 Gi", " 1", "1Gb", "--1"])
def test_it_rejects_bad_quantities_with_a_clear_message(text):
    with pytest.raises(ValueError, match="not a valid quantity"):
        parse_quantity(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("500m", "1/2"),
        ("0.5", "1/2"),
        ("1", "1"),
        ("1e3", "1000"),
        ("1E3", "1000"),
        ("1G", "1000000000"),
    ],
)
def test_every_documented_form_parses(text, value):
    from fractions import Fraction

    assert parse_quantity(text) == Fraction(value)


@pytest.mark.parametrize("text", ["12K", "abc", ""])
def test_the_documented_bad_forms_are_refused(text):
    with pytest.raises(ValueError, match="is not a valid quantity"):
        parse_quantity(text)


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("1.5", "1500m"),
        ("1.5Gi", "1536Mi"),
        ("0.5Gi", "512Mi"),
        ("1000m", "1"),
        ("1Gi", "1Gi"),
        ("128Mi", "128Mi"),
        ("1500", "1500"),
        ("2000", "2k"),
        ("1e3", "1e3"),
        ("0.1m", "100u"),
        ("0", "0"),
        ("-250m", "-250m"),
    ],
)
def test_canonical_serialization(text, form):
    from cluster_sim.quantity import canonical

    assert canonical(text) == form
