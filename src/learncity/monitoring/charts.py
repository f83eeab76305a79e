"""Server-side SVG charts. Pure: standard library only.

Accessible by construction: each chart is an <svg role="img"> named by its <title> and
described by a <desc> that states the figures in words; every bar, point and interval carries
its value as text, a withheld value is written out ("suppressed") instead of drawn, a target is
a labelled dashed line, and series differ by marker shape and a direct label, never by colour
alone. Pages show the same figures in a table beside the chart.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

INK, BAR, MUTED, TARGET = "#111111", "#0b4f9c", "#3d3d3d", "#a4000f"
FONT = 'font-family="Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif"'
HALO = 'paint-order="stroke" stroke="#ffffff" stroke-width="4" stroke-linejoin="round"'
MARKERS = ("circle", "square", "triangle", "diamond")


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    text: str  # the value as shown, or e.g. "suppressed"
    low: float | None = None  # interval, for confidence-interval charts
    high: float | None = None


def _open(chart_id: str, width: int, height: int, title: str, desc: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'width="100%" style="max-width:{width}px" aria-labelledby="{chart_id}-t {chart_id}-d" '
        f'class="chart" {FONT} font-size="13">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(desc)}</desc>',
    ]


def bar_chart(chart_id: str, title: str, bars: list[Bar], *, target: float | None = None,
              target_label: str = "", top: float | None = None) -> str:
    """Horizontal bars (with interval whiskers when bars have low/high)."""
    label_w, plot_w, value_w, row_h = 170, 360, 150, 26
    width = label_w + plot_w + value_w
    height = 34 + row_h * len(bars) + 10
    values = [b.high if b.high is not None else b.value for b in bars if b.value is not None]
    scale_top = top or max([*values, target or 0, 1e-9]) * 1.05
    x = lambda v: label_w + plot_w * max(v, 0) / scale_top  # noqa: E731
    desc = "; ".join(f"{b.label}: {b.text}" for b in bars)
    if target is not None:
        desc = f"{target_label}. {desc}"
    out = _open(chart_id, width, height, title, desc)
    out.append(f'<line x1="{label_w}" y1="24" x2="{label_w}" y2="{height - 8}" '
               f'stroke="{INK}" aria-hidden="true"/>')
    if target is not None:
        tx = x(target)
        out.append(f'<line x1="{tx:.1f}" y1="22" x2="{tx:.1f}" y2="{height - 8}" '
                   f'stroke="{TARGET}" stroke-width="2" stroke-dasharray="6 4"/>')
        out.append(f'<text x="{tx:.1f}" y="16" text-anchor="middle" fill="{TARGET}" '
                   f'font-weight="bold">{escape(target_label)}</text>')
    for i, b in enumerate(bars):
        y = 30 + i * row_h
        out.append(f'<g><text x="{label_w - 6}" y="{y + 14}" text-anchor="end" '
                   f'fill="{INK}">{escape(b.label)}</text>')
        if b.value is None:
            out.append(f'<text x="{label_w + 6}" y="{y + 14}" fill="{MUTED}" '
                       f'font-style="italic">{escape(b.text)}</text></g>')
            continue
        end = x(b.value)
        if b.low is None:
            out.append(f'<rect x="{label_w}" y="{y + 3}" width="{end - label_w:.1f}" '
                       f'height="{row_h - 8}" fill="{BAR}"/>')
        else:
            lo, hi = x(b.low), x(b.high)
            out.append(f'<line x1="{lo:.1f}" y1="{y + 11}" x2="{hi:.1f}" y2="{y + 11}" '
                       f'stroke="{INK}" stroke-width="2"/>')
            for edge in (lo, hi):
                out.append(f'<line x1="{edge:.1f}" y1="{y + 5}" x2="{edge:.1f}" y2="{y + 17}" '
                           f'stroke="{INK}" stroke-width="2"/>')
            out.append(f'<circle cx="{end:.1f}" cy="{y + 11}" r="5" fill="{BAR}"/>')
        right = max(end, x(b.high) if b.high is not None else end)
        out.append(f'<text x="{right + 6:.1f}" y="{y + 14}" fill="{INK}" {HALO}>'
                   f'{escape(b.text)}</text></g>')
    out.append("</svg>")
    return "\n".join(out)


def _text_width(text: str) -> int:
    """Rough width in pixels at 13px: CJK characters are square, others about half."""
    return sum(13 if ord(ch) > 0x2E80 else 7 for ch in text)


def _marker(shape: str, cx: float, cy: float) -> str:
    if shape == "circle":
        return f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="5" fill="{BAR}"/>'
    if shape == "square":
        return f'<rect x="{cx - 5:.1f}" y="{cy - 5:.1f}" width="10" height="10" fill="{INK}"/>'
    if shape == "triangle":
        return (f'<polygon points="{cx:.1f},{cy - 6:.1f} {cx - 6:.1f},{cy + 5:.1f} '
                f'{cx + 6:.1f},{cy + 5:.1f}" fill="{MUTED}"/>')
    return (f'<polygon points="{cx:.1f},{cy - 6:.1f} {cx + 6:.1f},{cy:.1f} {cx:.1f},{cy + 6:.1f} '
            f'{cx - 6:.1f},{cy:.1f}" fill="{BAR}"/>')


def line_chart(chart_id: str, title: str, series: list[tuple[str, list[tuple[int, float | None,
               str]]]], *, target: float | None = None, target_label: str = "") -> str:
    """Trends: one line per series, points as (year, value, text)."""
    longest = max((_text_width(label) for label, _pts in series), default=0)
    width, height, left, right, top, bottom = 460 + longest + 20, 280, 50, longest + 20, 34, 40
    years = sorted({y for _l, pts in series for y, _v, _t in pts})
    values = [v for _l, pts in series for _y, v, _t in pts if v is not None]
    hi = max([*values, target or 0, 1e-9]) * 1.1
    span = max(len(years) - 1, 1)
    px = lambda y: left + (width - left - right) * years.index(y) / span  # noqa: E731
    py = lambda v: height - bottom - (height - top - bottom) * v / hi  # noqa: E731
    desc = "; ".join(f"{label}: " + ", ".join(f"{y} {t}" for y, _v, t in pts)
                     for label, pts in series)
    out = _open(chart_id, width, height, title, desc)
    out.append(f'<line x1="{left}" y1="{height - bottom}" x2="{width - right}" '
               f'y2="{height - bottom}" stroke="{INK}" aria-hidden="true"/>')
    for y in years:
        out.append(f'<text x="{px(y):.1f}" y="{height - bottom + 18}" text-anchor="middle" '
                   f'fill="{INK}">{y}</text>')
    for n, (label, pts) in enumerate(series):
        shape = MARKERS[n % len(MARKERS)]
        drawn = [(y, v, t) for y, v, t in pts if v is not None]
        if len(drawn) > 1:
            path = " ".join(f"{px(y):.1f},{py(v):.1f}" for y, v, _t in drawn)
            dash = "" if n == 0 else ' stroke-dasharray="5 3"'
            out.append(f'<polyline points="{path}" fill="none" stroke="{INK}" '
                       f'stroke-width="2"{dash}/>')
        for y, v, t in drawn:
            out.append(_marker(shape, px(y), py(v)))
            out.append(f'<text x="{px(y):.1f}" y="{py(v) - 10:.1f}" text-anchor="middle" '
                       f'fill="{INK}" font-size="12" {HALO}>{escape(t)}</text>')
        if drawn:
            y, v, _t = drawn[-1]
            out.append(f'<text x="{px(y) + 12:.1f}" y="{py(v) + 4:.1f}" fill="{INK}">'
                       f'{escape(label)}</text>')
    if target is not None:
        out.append(f'<line x1="{left}" y1="{py(target):.1f}" x2="{width - right}" '
                   f'y2="{py(target):.1f}" stroke="{TARGET}" stroke-width="2" '
                   f'stroke-dasharray="6 4"/>')
        out.append(f'<text x="{left}" y="{py(target) - 6:.1f}" fill="{TARGET}" '
                   f'font-weight="bold" {HALO}>{escape(target_label)}</text>')
    out.append("</svg>")
    return "\n".join(out)
