"""Inline pictures of the recommendation sheets: the region map, three small charts, a PNG.

Pure SVG strings (no script, no URL) and a PNG encoded with zlib only. Chart bars are drawn
from counts rounded to 5 (1–4 drawn as a dashed 5), so no bar gives a small count away.
"""

from __future__ import annotations

import base64
import html
import math
import struct
import zlib
from functools import lru_cache

import numpy as np
import shapely
from shapely.geometry import box

from juvmap.crs import EQUAL_AREA_CRS, transform_xy
from juvmap.i18n import N_, translate_in
from juvmap.numbers import SUPPRESS_BELOW, format_number
from juvmap.recommend.profile import RegionProfile

__all__ = ["CONTEXT_BREAKS", "CONTEXT_COLOURS", "bars_svg", "hours_svg", "map_svg", "rounded_counts",
           "years_svg"]

#: EB rate / national rate class limits of the map, and their colours (low → high)
CONTEXT_BREAKS = (0.8, 0.95, 1.05, 1.25)
CONTEXT_COLOURS = ("#2c7bb6", "#abd9e9", "#f7f7e0", "#fdae61", "#d7191c")


#: messages used inside f-strings below (invisible to the extractor on Python 3.11)
_IN_FSTRINGS = (N_("hour of day; dot: Kazakhstan"), N_("rate per year; dashed: Kazakhstan"))


def _t(lang: str, msg: str) -> str:
    return translate_in(lang, msg)


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _png(rgba: np.ndarray) -> bytes:
    """Encode an (h, w, 4) uint8 array as PNG (no dependency beyond zlib)."""
    h, w = rgba.shape[:2]
    raw = b"".join(b"\x00" + rgba[i].tobytes() for i in range(h))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def _density_png(values: np.ndarray) -> str:
    """Transparent where NaN; yellow → dark red by the log of the density."""
    ok = np.isfinite(values)
    rgba = np.zeros(values.shape + (4,), dtype=np.uint8)
    if ok.any():
        v = np.log(values[ok])
        f = (v - v.min()) / (np.ptp(v) or 1.0)
        rgba[ok, 0] = (255 - 80 * f).astype(np.uint8)
        rgba[ok, 1] = (220 * (1 - f)).astype(np.uint8)
        rgba[ok, 2] = 30
        rgba[ok, 3] = (120 + 120 * f).astype(np.uint8)
    return "data:image/png;base64," + base64.b64encode(_png(rgba)).decode("ascii")


@lru_cache(maxsize=1)
def _regions_equal_area():
    from juvmap.io.boundaries import load_regions

    return load_regions("display").to_crs(EQUAL_AREA_CRS).set_index("code")


def _path(geom, tx) -> str:
    parts = []
    for poly in getattr(geom, "geoms", [geom]):
        for ring in [poly.exterior, *poly.interiors]:
            pts = [tx(x, y) for x, y in ring.coords]
            parts.append("M" + "L".join(f"{a:.1f},{b:.1f}" for a, b in pts) + "Z")
    return "".join(parts)


def _context_colour(rate: float | None, national: float) -> str:
    if rate is None or not math.isfinite(rate) or not national:
        return "#cccccc"
    return CONTEXT_COLOURS[int(np.searchsorted(CONTEXT_BREAKS, rate / national, side="right"))]


def map_svg(profile: RegionProfile, width: float = 420, height: float = 300) -> str:
    regions = _regions_equal_area()
    national = profile.indicators["eb_rate"].national
    if profile.code in regions.index:
        x0, y0, x1, y1 = regions.geometry[profile.code].bounds
    else:
        x0, y0, x1, y1 = regions.total_bounds
    pad = 0.06 * max(x1 - x0, y1 - y0)
    x0, y0, x1, y1 = x0 - pad, y0 - pad, x1 + pad, y1 + pad
    scale = min(width / (x1 - x0), height / (y1 - y0))
    ox = (width - (x1 - x0) * scale) / 2
    oy = (height - (y1 - y0) * scale) / 2

    def tx(x, y):
        return ox + (x - x0) * scale, oy + (y1 - y) * scale

    tol = 1.0 / scale
    out = [f'<svg class="map" viewBox="0 0 {width:.0f} {height:.0f}">',
           f'<rect width="{width:.0f}" height="{height:.0f}" fill="#eef3f7"/>']
    for code, geom in regions.geometry.items():
        if code == profile.code or not geom.intersects(box(x0, y0, x1, y1)):
            continue
        colour = _context_colour(profile.context.get(code), national)
        out.append(f'<path d="{_path(geom.simplify(tol), tx)}" fill="{colour}" fill-opacity="0.45" '
                   'stroke="#fff" stroke-width="1" fill-rule="evenodd"/>')
    if profile.code in regions.index:
        geom = regions.geometry[profile.code].simplify(tol)
        colour = _context_colour(profile.context.get(profile.code), national)
        out.append(f'<path d="{_path(geom, tx)}" fill="{colour}" stroke="#222" stroke-width="1.6" '
                   'fill-rule="evenodd"/>')
        out.append(_density_image(profile, geom, tx))
    for i, spot in enumerate(profile.hotspots, start=1):
        sx, sy = transform_xy([spot.lon], [spot.lat], "EPSG:4326", EQUAL_AREA_CRS)
        px, py = tx(float(sx[0]), float(sy[0]))
        out.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="7" fill="#fff" stroke="#900" stroke-width="1.2"/>'
                   f'<text x="{px:.1f}" y="{py + 3.2:.1f}" font-size="9" text-anchor="middle" fill="#900">{i}</text>')
    out.append("</svg>")
    return "".join(out)


def _density_image(profile: RegionProfile, geom, tx) -> str:
    if profile.density is None:
        return ""
    grid, floor = profile.density
    xs, ys = grid.cell_centres()
    gx0, gy0, gx1, gy1 = geom.bounds
    cols = np.flatnonzero((xs >= gx0) & (xs <= gx1))
    rows = np.flatnonzero((ys >= gy0) & (ys <= gy1))
    if cols.size == 0 or rows.size == 0:
        return ""
    sub = grid.values[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
    mx, my = np.meshgrid(xs[cols[0]:cols[-1] + 1], ys[rows[0]:rows[-1] + 1])
    values = np.where(shapely.contains_xy(geom, mx, my) & (sub >= floor), sub, np.nan)
    if not np.isfinite(values).any():
        return ""
    half = grid.cell / 2
    ax, ay = tx(xs[cols[0]] - half, ys[rows[0]] + half)
    bx, by = tx(xs[cols[-1]] + half, ys[rows[-1]] - half)
    return (f'<image x="{ax:.1f}" y="{ay:.1f}" width="{bx - ax:.1f}" height="{by - ay:.1f}" '
            f'preserveAspectRatio="none" href="{_density_png(values)}"/>')


def rounded_counts(counts) -> tuple[np.ndarray, np.ndarray]:
    """Counts rounded to the nearest 5 (1–4 become 5) and a mask of the cells that were 1–4."""
    c = np.asarray(counts, dtype=float)
    small = (c > 0) & (c < SUPPRESS_BELOW)
    return np.where(small, SUPPRESS_BELOW, np.round(c / 5) * 5), small


def bars_svg(labels: list[str], counts, national_shares, lang: str, w: float = 320, h: float = 150) -> str:
    """Horizontal bars of shares (region from rounded counts) with national ticks."""
    r, small = rounded_counts(counts)
    shares = r / r.sum() if r.sum() else r * 0
    top = max(float(np.max(shares, initial=0)), float(np.max(np.asarray(national_shares, dtype=float), initial=0)), 0.01)
    left, row = 170, (h - 14) / len(labels)
    out = [f'<svg class="chart" viewBox="0 0 {w} {h}">']
    for i, (lab, s, ns, sm) in enumerate(zip(labels, shares, national_shares, small, strict=True)):
        y = 2 + i * row
        bw = (w - left - 6) * s / top
        fill = 'fill="#f4a582" stroke="#b2182b" stroke-dasharray="2,1"' if sm else 'fill="#b2182b"'
        nx = left + (w - left - 6) * ns / top
        out.append(f'<text x="{left - 3}" y="{y + row * 0.7:.1f}" font-size="7.5" text-anchor="end">{_e(lab)}</text>'
                   f'<rect x="{left}" y="{y + 1:.1f}" width="{bw:.1f}" height="{row - 3:.1f}" {fill}/>'
                   f'<line x1="{nx:.1f}" x2="{nx:.1f}" y1="{y:.1f}" y2="{y + row - 1:.1f}" stroke="#222" stroke-width="1.5"/>')
    note = _t(lang, "bars: region; black tick: Kazakhstan")
    out.append(f'<text x="{left}" y="{h - 2}" font-size="8" fill="#555">{_e(note)}</text></svg>')
    return "".join(out)


def hours_svg(counts, national_shares, lang: str, w: float = 240, h: float = 150) -> str:
    """Share of offences by 3-hour band: region bars (rounded counts), national dots."""
    c = np.asarray(counts, dtype=float).reshape(8, 3).sum(axis=1)
    n = np.asarray(national_shares, dtype=float).reshape(8, 3).sum(axis=1)
    r, small = rounded_counts(c)
    s = r / r.sum() if r.sum() else r * 0
    top = max(float(s.max(initial=0)), float(n.max(initial=0)), 0.01)
    base, cw = h - 24, (w - 10) / 8
    out = [f'<svg class="chart" viewBox="0 0 {w} {h}">']
    for i in range(8):
        x = 5 + i * cw
        bh = (base - 6) * s[i] / top
        fill = 'fill="#f4a582" stroke="#b2182b" stroke-dasharray="2,1"' if small[i] else 'fill="#b2182b"'
        ny = base - (base - 6) * n[i] / top
        out.append(f'<rect x="{x + 3:.1f}" y="{base - bh:.1f}" width="{cw - 6:.1f}" height="{bh:.1f}" {fill}/>'
                   f'<circle cx="{x + cw / 2:.1f}" cy="{ny:.1f}" r="2.6" fill="#222"/>'
                   f'<text x="{x + cw / 2:.1f}" y="{base + 9}" font-size="7" text-anchor="middle">{3 * i:02d}</text>')
    out.append(f'<text x="5" y="{h - 3}" font-size="7" fill="#555">{_e(_t(lang, "hour of day; dot: Kazakhstan"))}</text></svg>')
    return "".join(out)


def years_svg(profile: RegionProfile, lang: str, w: float = 240, h: float = 150) -> str:
    """Rate per year (from rounded counts) against the national rate; base year marked."""
    y = profile.yearly
    years = [int(v) for v in y.index]
    counts = y["count"].to_numpy(dtype=float)
    r, _small = rounded_counts(counts)
    with np.errstate(divide="ignore", invalid="ignore"):
        reg = np.where(counts > 0, y["rate"].to_numpy() * r / counts, 0.0)
    reg = reg if not profile.suppressed else np.full(len(years), np.nan)
    nat = y["national_rate"].to_numpy(dtype=float)
    top = max(np.nanmax(np.concatenate([reg, nat, [0.01]])), 0.01) * 1.1
    left, base = 26, h - 22
    step = (w - left - 10) / max(len(years) - 1, 1)

    def pt(i, v):
        return left + i * step, base - (base - 6) * v / top

    out = [f'<svg class="chart" viewBox="0 0 {w} {h}">',
           f'<text x="2" y="10" font-size="7">{_e(format_number(top, lang, 1))}</text>'
           f'<line x1="{left}" x2="{w - 6}" y1="{base}" y2="{base}" stroke="#999"/>']
    for series, style in ((nat, 'stroke="#222" stroke-dasharray="4,2"'), (reg, 'stroke="#b2182b" stroke-width="2"')):
        pts = [pt(i, v) for i, v in enumerate(series) if math.isfinite(v)]
        if len(pts) > 1:
            out.append(f'<polyline fill="none" {style} points="{" ".join(f"{a:.1f},{b:.1f}" for a, b in pts)}"/>')
    for i, yr in enumerate(years):
        x = left + i * step
        weight = ' font-weight="bold"' if yr == profile.base_year else ""
        out.append(f'<text x="{x:.1f}" y="{base + 10}" font-size="7" text-anchor="middle"{weight}>{yr}</text>')
    out.append(f'<text x="{left}" y="{h - 2}" font-size="7" fill="#555">'
               f'{_e(_t(lang, "rate per year; dashed: Kazakhstan"))}</text></svg>')
    return "".join(out)
