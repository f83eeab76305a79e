"""QR codes (segno): inline SVG for pages, a module matrix for drawing into PDFs."""

from __future__ import annotations

import segno


def _code(data: str):
    return segno.make(data, error="m", micro=False)


def svg(data: str, title: str, scale: int = 5) -> str:
    """An inline SVG with a <title>, so screen readers announce what the code holds."""
    return _code(data).svg_inline(scale=scale, title=title, dark="#000", light="#fff")


def matrix(data: str) -> list[list[bool]]:
    """Rows of dark (True) and light modules, quiet zone included."""
    return [[bool(cell) for cell in row] for row in _code(data).matrix_iter(scale=1, border=4)]
