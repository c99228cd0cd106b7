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


_BINARY = ("Ei", "Pi", "Ti", "Gi", "Mi", "Ki")
_DECIMAL = {18: "E", 15: "P", 12: "T", 9: "G", 6: "M", 3: "k", 0: "", -3: "m", -6: "u", -9: "n"}


def canonical(text: str) -> str:
    """QTY-3: the API's canonical form, in the suffix family of the input, with the largest
    suffix that keeps the value whole ("1.5" -> "1500m", "1.5Gi" -> "1536Mi", "1000m" -> "1").
    Values finer than 1n are rounded up; a binary value that is not whole bytes is written
    in decimal, as the API does."""
    value = parse_quantity(text)
    match = _GRAMMAR.fullmatch(text)
    sign = "-" if value < 0 else ""
    value = abs(value)
    if value == 0:
        return "0"
    if match["suffix"] in _BINARY and value.denominator == 1:
        number = value.numerator
        for suffix in _BINARY:
            if number % _MULTIPLIERS[suffix] == 0 and number >= _MULTIPLIERS[suffix]:
                return f"{sign}{number // _MULTIPLIERS[suffix]}{suffix}"
        return f"{sign}{number}"
    nanos = ceil(value * 10**9)
    exponent = -9
    while exponent < 18 and nanos % 1000 == 0:
        nanos //= 1000
        exponent += 3
    if match["exponent"]:
        return f"{sign}{nanos}" + (f"e{exponent}" if exponent else "")
    return f"{sign}{nanos}{_DECIMAL[exponent]}"
