"""Unified social credit code (统一社会信用代码), GB 32100-2015. Pure: imports no Django.

18 characters from the alphabet 0-9 and 31 capital letters (no I, O, Z, S, V): registration
authority (1), organisation kind (1), administrative region (6), organisation code (9), and a
check character computed MOD 31 with the weights 3^i mod 31.
"""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
_WEIGHTS = [pow(3, i, 31) for i in range(17)]


class USCCError(ValueError):
    """Raised when a code breaks GB 32100-2015; ``code`` says which rule."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def check_char(first17: str) -> str:
    total = sum(_VALUE[c] * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def check_uscc(code: str) -> str:
    """Return the normalised code or raise USCCError."""
    code = code.strip().upper()
    if len(code) != 18:
        raise USCCError("wrong_length")
    if any(c not in _VALUE for c in code):
        raise USCCError("bad_characters")
    if code[17] != check_char(code[:17]):
        raise USCCError("bad_check_char")
    return code


def make_uscc(first17: str) -> str:
    """Complete 17 characters with their check character (used by demo data and tests)."""
    return first17 + check_char(first17)
