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

__all__ = ["CAPTIONS", "CHART_FONT", "CONTEXT_BREAKS", "CONTEXT_COLOURS", "bars_svg", "context_colour", "density_legend_svg",
           "density_range", "hours_svg", "map_svg", "national_map_svg", "ranking_svg", "rounded_counts",
           "scale_bar_svg", "years_svg"]

#: EB rate / national rate class limits of the map, and their colours (low → high)
CONTEXT_BREAKS = (0.8, 0.95, 1.05, 1.25)
CONTEXT_COLOURS = ("#2c7bb6", "#abd9e9", "#f7f7e0", "#fdae61", "#d7191c")


#: messages used inside f-strings below (invisible to the extractor on Python 3.11)
_IN_FSTRINGS = (N_("{distance} km"),)


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


def density_range(grid, floor: float) -> tuple[float, float]:
    """Log-density range of the colour scale: the display floor to the national maximum.

    The grid is the national surface shared by every sheet of a run, so every sheet draws
    its density with the same colours.
    """
    top = float(np.nanmax(grid.values)) if grid is not None and np.isfinite(grid.values).any() else floor
    lo = math.log(floor) if floor > 0 and math.isfinite(floor) else 0.0
    return lo, max(math.log(top) if top > 0 else lo, lo + 1e-9)


def density_colour(f: np.ndarray) -> np.ndarray:
    """RGBA (uint8) of the density ramp at fractions ``f`` in [0, 1] (yellow → dark red)."""
    f = np.clip(np.asarray(f, dtype=float), 0, 1)
    out = np.empty(f.shape + (4,), dtype=np.uint8)
    out[..., 0] = (255 - 80 * f).astype(np.uint8)
    out[..., 1] = (220 * (1 - f)).astype(np.uint8)
    out[..., 2] = 30
    out[..., 3] = (120 + 120 * f).astype(np.uint8)
    return out


def _density_png(values: np.ndarray, log_range: tuple[float, float]) -> str:
    """Transparent where NaN; the ramp by the log of the density on the run's common scale."""
    ok = np.isfinite(values)
    rgba = np.zeros(values.shape + (4,), dtype=np.uint8)
    if ok.any():
        lo, hi = log_range
        rgba[ok] = density_colour((np.log(values[ok]) - lo) / (hi - lo))
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


def context_colour(rate: float | None, national: float) -> str:
    """Colour of a region's EB rate against the national rate (grey when hidden)."""
    if rate is None or not math.isfinite(rate) or not national:
        return "#cccccc"
    return CONTEXT_COLOURS[int(np.searchsorted(CONTEXT_BREAKS, rate / national, side="right"))]


def _frame(bounds, width: float, height: float, pad: float = 0.06):
    x0, y0, x1, y1 = bounds
    margin = pad * max(x1 - x0, y1 - y0)
    x0, y0, x1, y1 = x0 - margin, y0 - margin, x1 + margin, y1 + margin
    scale = min(width / (x1 - x0), height / (y1 - y0))
    ox = (width - (x1 - x0) * scale) / 2
    oy = (height - (y1 - y0) * scale) / 2

    def tx(x, y):
        return ox + (x - x0) * scale, oy + (y1 - y) * scale

    return (x0, y0, x1, y1), scale, tx


def _nice_km(max_km: float) -> float:
    for km in (1000, 500, 200, 100, 50, 20, 10, 5, 2, 1):
        if km <= max_km:
            return km
    return 1


def scale_bar_svg(scale: float, width: float, height: float, lang: str) -> str:
    """Scale bar (bottom left) and north arrow (top right); ``scale`` is pt per metre."""
    km = _nice_km(0.28 * width / scale / 1000)
    length = km * 1000 * scale
    x, y = 6, height - 8
    label = _t(lang, "{distance} km").format(distance=format_number(km, lang, 0))
    half = length / 2
    nx, ny = width - 12, 6
    return (f'<rect x="{x - 3}" y="{y - 12}" width="{length + 44:.1f}" height="17" fill="#fff" fill-opacity="0.85"/>'
            f'<rect x="{x}" y="{y - 3}" width="{half:.1f}" height="3" fill="#222"/>'
            f'<rect x="{x + half:.1f}" y="{y - 3}" width="{half:.1f}" height="3" fill="#fff" stroke="#222" stroke-width="0.5"/>'
            f'<text x="{x}" y="{y - 5}" font-size="6.5">0</text>'
            f'<text x="{x + length + 3:.1f}" y="{y}" font-size="6.5">{_e(label)}</text>'
            f'<path d="M{nx},{ny + 4} l-4,12 l4,-3 l4,3 z" fill="#222"/>'
            f'<text x="{nx}" y="{ny + 25}" font-size="7" font-weight="bold" text-anchor="middle">{_e(_t(lang, "N"))}</text>')


def map_svg(profile: RegionProfile, lang: str = "en", *, density: tuple[float, float] | None = None,
            width: float = 283, height: float = 150) -> str:
    """The region (outlined) among its neighbours, density, hot spots, scale bar and north arrow.

    Sizes are in points (the SVG is drawn at that size on paper). ``density`` is the
    run's common log-density range (:func:`density_range`); without it the sheet's own.
    """
    regions = _regions_equal_area()
    national = profile.indicators["eb_rate"].national
    own = profile.code in regions.index
    bounds = regions.geometry[profile.code].bounds if own else regions.total_bounds
    (x0, y0, x1, y1), scale, tx = _frame(bounds, width, height)
    tol = 1.0 / scale
    out = [f'<svg class="map" width="{width}pt" height="{height}pt" viewBox="0 0 {width:.0f} {height:.0f}">',
           f'<rect width="{width:.0f}" height="{height:.0f}" fill="#eef3f7"/>']
    for code, geom in regions.geometry.items():
        if code == profile.code or not geom.intersects(box(x0, y0, x1, y1)):
            continue
        colour = context_colour(profile.context.get(code), national)
        out.append(f'<path d="{_path(geom.simplify(tol), tx)}" fill="{colour}" fill-opacity="0.45" '
                   'stroke="#fff" stroke-width="1" fill-rule="evenodd"/>')
    if own:
        geom = regions.geometry[profile.code].simplify(tol)
        colour = context_colour(profile.context.get(profile.code), national)
        out.append(f'<path d="{_path(geom, tx)}" fill="{colour}" stroke="#222" stroke-width="1.6" '
                   'fill-rule="evenodd"/>')
        out.append(_density_image(profile, geom, tx, density))
    for i, spot in enumerate(profile.hotspots, start=1):
        sx, sy = transform_xy([spot.lon], [spot.lat], "EPSG:4326", EQUAL_AREA_CRS)
        px, py = tx(float(sx[0]), float(sy[0]))
        out.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="5" fill="#fff" stroke="#900" stroke-width="1"/>'
                   f'<text x="{px:.1f}" y="{py + 2.4:.1f}" font-size="6.5" text-anchor="middle" fill="#900">{i}</text>')
    out.append(scale_bar_svg(scale, width, height, lang))
    out.append("</svg>")
    return "".join(out)


def _density_image(profile: RegionProfile, geom, tx, log_range) -> str:
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
    rng = log_range or density_range(grid, floor)
    return (f'<image x="{ax:.1f}" y="{ay:.1f}" width="{bx - ax:.1f}" height="{by - ay:.1f}" '
            f'preserveAspectRatio="none" href="{_density_png(values, rng)}"/>')


def density_legend_svg(log_range: tuple[float, float], lang: str, width: float = 110, height: float = 20) -> str:
    """The density ramp with its end values (per km² per period) — the same on every sheet."""
    lo, hi = log_range
    stops = "".join(
        f'<stop offset="{f:.2f}" stop-color="rgb({c[0]},{c[1]},{c[2]})" stop-opacity="{c[3] / 255:.2f}"/>'
        for f, c in zip(np.linspace(0, 1, 5), density_colour(np.linspace(0, 1, 5)), strict=True))
    return (f'<svg class="legend" width="{width}pt" height="{height}pt" viewBox="0 0 {width} {height}">'
            f'<defs><linearGradient id="dens">{stops}</linearGradient></defs>'
            f'<rect x="1" y="1" width="{width - 2}" height="7" fill="url(#dens)" stroke="#888" stroke-width="0.4"/>'
            f'<text x="1" y="{height - 3}" font-size="6.5">{_e(format_number(math.exp(lo), lang, 2))}</text>'
            f'<text x="{width - 1}" y="{height - 3}" font-size="6.5" text-anchor="end">'
            f'{_e(format_number(math.exp(hi), lang, 1))}</text></svg>')


def national_map_svg(context: dict, national: float, labels: dict, lang: str, width: float = 500,
                     height: float = 250) -> str:
    """Kazakhstan's 20 regions coloured by EB rate against the national rate, with labels."""
    regions = _regions_equal_area()
    _bounds, scale, tx = _frame(regions.total_bounds, width, height, pad=0.02)
    tol = 1.0 / scale
    out = [f'<svg class="nmap" width="{width}pt" height="{height}pt" viewBox="0 0 {width:.0f} {height:.0f}">']
    for code, geom in regions.geometry.items():
        out.append(f'<path d="{_path(geom.simplify(tol), tx)}" fill="{context_colour(context.get(code), national)}" '
                   'stroke="#fff" stroke-width="0.8" fill-rule="evenodd"/>')
    for code, geom in regions.geometry.items():
        if code in labels:
            pt = geom.representative_point()
            px, py = tx(pt.x, pt.y)
            out.append(f'<text x="{px:.1f}" y="{py + 2.5:.1f}" font-size="7" text-anchor="middle" '
                       f'stroke="#fff" stroke-width="2" paint-order="stroke">{_e(labels[code])}</text>')
    out.append(scale_bar_svg(scale, width, height, lang))
    out.append("</svg>")
    return "".join(out)


def rounded_counts(counts) -> tuple[np.ndarray, np.ndarray]:
    """Counts rounded to the nearest 5 (1–4 become 5) and a mask of the cells that were 1–4."""
    c = np.asarray(counts, dtype=float)
    small = (c > 0) & (c < SUPPRESS_BELOW)
    return np.where(small, SUPPRESS_BELOW, np.round(c / 5) * 5), small


#: captions printed under the charts by the page (they may wrap there)
CAPTIONS = {"hours": N_("hour of day; dot: Kazakhstan"), "years": N_("rate per year; dashed: Kazakhstan"),
            "ranking": N_("rate and 95% interval of the 20 regions, highest first; dashed: Kazakhstan")}

#: smallest chart text on paper, in points (issue 14: at least 6 pt)
CHART_FONT = 6.5


def _chart(w: float, h: float) -> str:
    return f'<svg class="chart" width="{w}pt" height="{h}pt" viewBox="0 0 {w} {h}" font-size="{CHART_FONT}">'


def bars_svg(labels: list[str], counts, national_shares, lang: str, w: float = 205, h: float = 80) -> str:
    """Horizontal bars of shares (region from rounded counts) with national ticks; sizes in pt."""
    r, small = rounded_counts(counts)
    shares = r / r.sum() if r.sum() else r * 0
    top = max(float(np.max(shares, initial=0)), float(np.max(np.asarray(national_shares, dtype=float), initial=0)), 0.01)
    left, row = 100, (h - 11) / len(labels)
    out = [_chart(w, h)]
    for i, (lab, s, ns, sm) in enumerate(zip(labels, shares, national_shares, small, strict=True)):
        y = 1 + i * row
        bw = (w - left - 4) * s / top
        fill = 'fill="#f4a582" stroke="#b2182b" stroke-dasharray="2,1"' if sm else 'fill="#b2182b"'
        nx = left + (w - left - 4) * ns / top
        out.append(f'<text x="{left - 2}" y="{y + row * 0.72:.1f}" text-anchor="end">{_e(lab)}</text>'
                   f'<rect x="{left}" y="{y + 1:.1f}" width="{bw:.1f}" height="{row - 2.5:.1f}" {fill}/>'
                   f'<line x1="{nx:.1f}" x2="{nx:.1f}" y1="{y:.1f}" y2="{y + row - 0.5:.1f}" stroke="#222" stroke-width="1.2"/>')
    note = _t(lang, "bars: region; black tick: Kazakhstan")
    out.append(f'<text x="1" y="{h - 1.5}" fill="#444">{_e(note)}</text></svg>')
    return "".join(out)


def hours_svg(counts, national_shares, lang: str, w: float = 140, h: float = 60) -> str:
    """Share of offences by 3-hour band: region bars (rounded counts), national dots; sizes in pt.

    The caption (:data:`CAPTIONS`) is printed under the chart by the page.
    """
    hours = np.asarray(counts, dtype=float).reshape(8, 3)
    hidden = np.isnan(hours).any(axis=1)  # a band with an hour the disclosure rule hides: "×", no bar
    c = np.where(hidden, 0.0, np.nansum(hours, axis=1))
    n = np.asarray(national_shares, dtype=float).reshape(8, 3).sum(axis=1)
    r, small = rounded_counts(c)
    s = r / r.sum() if r.sum() else r * 0
    top = max(float(s.max(initial=0)), float(n.max(initial=0)), 0.01)
    base, cw = h - 10, (w - 4) / 8
    out = [_chart(w, h)]
    for i in range(8):
        x = 2 + i * cw
        bh = (base - 4) * s[i] / top
        fill = 'fill="#f4a582" stroke="#b2182b" stroke-dasharray="2,1"' if small[i] else 'fill="#b2182b"'
        ny = base - (base - 4) * n[i] / top
        mark = (f'<text x="{x + cw / 2:.1f}" y="{base - 2:.1f}" text-anchor="middle">×</text>'
                if hidden[i] else "")
        out.append(mark + f'<rect x="{x + 2:.1f}" y="{base - bh:.1f}" width="{cw - 4:.1f}" height="{bh:.1f}" {fill}/>'
                   f'<circle cx="{x + cw / 2:.1f}" cy="{ny:.1f}" r="2" fill="#222"/>'
                   f'<text x="{x + cw / 2:.1f}" y="{base + 8}" text-anchor="middle">{3 * i:02d}</text>')
    out.append("</svg>")
    return "".join(out)


def years_svg(profile: RegionProfile, lang: str, w: float = 140, h: float = 60) -> str:
    """Rate per year (from rounded counts) against the national rate; base year marked; sizes in pt."""
    y = profile.yearly
    years = [int(v) for v in y.index]
    counts = y["count"].to_numpy(dtype=float)
    r, _small = rounded_counts(counts)
    with np.errstate(divide="ignore", invalid="ignore"):
        reg = np.where(counts > 0, y["rate"].to_numpy() * r / counts, 0.0)
    reg = reg if not profile.suppressed else np.full(len(years), np.nan)
    nat = y["national_rate"].to_numpy(dtype=float)
    top = max(np.nanmax(np.concatenate([reg, nat, [0.01]])), 0.01) * 1.1
    left, base = 14, h - 10
    step = (w - left - 12) / max(len(years) - 1, 1)

    def pt(i, v):
        return left + i * step, base - (base - 8) * v / top

    out = [_chart(w, h), f'<text x="1" y="7">{_e(format_number(top, lang, 1))}</text>'
           f'<line x1="{left}" x2="{w - 4}" y1="{base}" y2="{base}" stroke="#999"/>']
    for series, style in ((nat, 'stroke="#222" stroke-dasharray="4,2"'), (reg, 'stroke="#b2182b" stroke-width="2"')):
        pts = [pt(i, v) for i, v in enumerate(series) if math.isfinite(v)]
        if len(pts) > 1:
            out.append(f'<polyline fill="none" {style} points="{" ".join(f"{a:.1f},{b:.1f}" for a, b in pts)}"/>')
    for i, yr in enumerate(years):
        x = left + i * step
        weight = ' font-weight="bold"' if yr == profile.base_year else ""
        out.append(f'<text x="{x:.1f}" y="{base + 8}" text-anchor="middle"{weight}>{yr}</text>')
    out.append("</svg>")
    return "".join(out)


def ranking_svg(ranking, code: str, lang: str, w: float = 190, h: float = 70) -> str:
    """The 20 regions' rates with 95 % intervals, highest first; ``code`` in red; sizes in pt.

    ``ranking`` is :func:`juvmap.recommend.sheet_context.rate_ranking`; suppressed regions
    are left out.
    """
    shown = ranking[ranking["rate"].notna()]
    national = float(ranking["national"].iloc[0]) if len(ranking) else math.nan
    top = max(float(shown["ci_high"].max()) if len(shown) else 0.0, national if math.isfinite(national) else 0, 0.01)
    base, left = h - 3, 14
    step = (w - left - 4) / max(len(shown), 1)
    out = [_chart(w, h), f'<text x="1" y="7">{_e(format_number(top, lang, 1))}</text>',
           f'<line x1="{left}" x2="{w - 2}" y1="{base}" y2="{base}" stroke="#999"/>']
    if math.isfinite(national):
        ny = base - (base - 6) * national / top
        out.append(f'<line x1="{left}" x2="{w - 2}" y1="{ny:.1f}" y2="{ny:.1f}" stroke="#222" stroke-dasharray="4,2"/>')
    for i, (c, row) in enumerate(shown.iterrows()):
        x = left + (i + 0.5) * step
        colour, width = ("#b2182b", 2.2) if c == code else ("#888", 1.0)
        y0, y1, yv = (base - (base - 6) * row[k] / top for k in ("ci_low", "ci_high", "rate"))
        out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y0:.1f}" y2="{y1:.1f}" stroke="{colour}" stroke-width="{width}"/>'
                   f'<circle cx="{x:.1f}" cy="{yv:.1f}" r="{width + 0.6:.1f}" fill="{colour}"/>')
    out.append("</svg>")
    return "".join(out)
