"""Kubernetes resource quantities ("250m", "0.5", "128Mi", "1G", "1e3") per QTY-1..QTY-2.

CPU is handled in integer millicores and memory in integer bytes, both rounded
up, as the scheduler does (QTY-4).
"""

import re
from fractions import Fraction
from functools import lru_cache
from math import ceil

_MULTIPLIERS = {
    "Ki": 2**10,
    "Mi": 2**20,
    "Gi": 2**30,
    "Ti": 2**40,
    "Pi": 2**50,
    "Ei": 2**60,
    "n": Fraction(1, 10**9),
    "u": Fraction(1, 10**6),
    "m": Fraction(1, 10**3),
    "": 1,
    "k": 10**3,
    "M": 10**6,
    "G": 10**9,
    "T": 10**12,
    "P": 10**15,
    "E": 10**18,
}

# The exponent form is tried before the single-letter suffixes so "1e3" is 1000
# while "1E" stays one exa.
_GRAMMAR = re.compile(
    r"(?P<sign>[+-]?)(?P<number>\d+(?:\.\d*)?|\.\d+)"
    r"(?:(?P<exponent>[eE][+-]?\d{1,3})|(?P<suffix>Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]))?"
)


@lru_cache(maxsize=1024)
def parse_quantity(text: str) -> Fraction:
    """Exact value of a quantity string; ValueError naming the bad input otherwise."""
    if not isinstance(text, str):
        text = str(text)
    match = _GRAMMAR.fullmatch(text.strip()) if text.strip() == text else None
    if match is None:
        raise ValueError(
            f"quantities must match the regular expression "
            f"'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': {text!r} is not a valid quantity"
        )
    value = Fraction(match["number"])
    if match["exponent"]:
        value *= Fraction(10) ** int(match["exponent"][1:])
    else:
        value *= _MULTIPLIERS[match["suffix"] or ""]
    return -value if match["sign"] == "-" else value


def cpu_millis(text: str) -> int:
    """CPU in millicores, finer values rounded up ("0.1m" -> 1)."""
    return ceil(parse_quantity(text) * 1000)


def memory_bytes(text: str) -> int:
    """Memory in bytes, fractions rounded up ("400m" -> 1)."""
    return ceil(parse_quantity(text))
