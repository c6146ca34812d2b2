"""The kernel density overlay: a :class:`~juvmap.stats.grid.DensityGrid` as a Web-Mercator image.

Leaflet stretches an ``ImageOverlay`` linearly between the Web-Mercator projections of its
two corner coordinates. So the surface is warped (``rasterio.warp.reproject``) from its
equal-area CRS to EPSG:3857, and the overlay's bounds are the longitude/latitude of the
corners of that EPSG:3857 extent: every pixel then sits exactly where it belongs.
Values are coloured with a perceptual ramp (viridis or magma, as in branca); cells below a
threshold stay transparent. The PNG is embedded as a ``data:`` URL (no file, no network).
"""

from __future__ import annotations

import base64
import math
import warnings
from dataclasses import dataclass

import folium
import numpy as np
from affine import Affine
from babel.numbers import format_decimal

from juvmap.crs import WGS84, as_crs, transformer
from juvmap.errors import AnalysisError
from juvmap.i18n import _, get_language
from juvmap.mapping.elements import LegendEntry, LegendSpec
from juvmap.numbers import babel_locale, format_number
from juvmap.stats.grid import DensityGrid

MERCATOR = "EPSG:3857"
#: Longest side of the overlay image in pixels: at least MIN_IMAGE_SIZE (finer than the grid, so
#: bilinear resampling smooths a coarse grid's cells), at most MAX_IMAGE_SIZE.
MIN_IMAGE_SIZE = 1024
MAX_IMAGE_SIZE = 2048
RAMPS = ("viridis", "magma", "inferno", "plasma")
#: share of the ramp over which the colour fades in from a quarter to full opacity
FADE = 0.3


def ramp_colours(name: str = "viridis", n: int = 256) -> np.ndarray:
    """Return an ``(n, 3)`` uint8 table of the perceptual ramp ``name`` (branca's colour stops)."""
    from branca.colormap import linear

    if name not in RAMPS:
        raise AnalysisError(_("Unknown colour ramp {name}.").format(name=name))
    stops = np.asarray([c[:3] for c in getattr(linear, name).colors], dtype=float)
    at = np.linspace(0.0, 1.0, len(stops))
    t = np.linspace(0.0, 1.0, n)
    table = np.stack([np.interp(t, at, stops[:, i]) for i in range(3)], axis=1)
    return np.round(table * 255).astype(np.uint8)


@dataclass(frozen=True)
class MercatorImage:
    """A surface warped to Web Mercator.

    Attributes
    ----------
    values : ndarray
        float32 (rows, cols); NaN outside the source grid.
    transform : Affine
        EPSG:3857 transform of ``values`` (north up).
    bounds : list
        ``[[south, west], [north, east]]`` in degrees: the corners of the EPSG:3857 extent.
    """

    values: np.ndarray
    transform: Affine
    bounds: list[list[float]]


def to_mercator(bands: np.ndarray, transform: Affine, crs, max_size: int = MAX_IMAGE_SIZE,
                resampling: str = "bilinear") -> MercatorImage:
    """Reproject ``(bands, rows, cols)`` (or ``(rows, cols)``) to EPSG:3857, as float32 with NaN outside.

    The resolution keeps about as many pixels as the source has (one pixel per cell), with
    between ``min(MIN_IMAGE_SIZE, max_size)`` and ``max_size`` pixels on the longest side.
    """
    from rasterio.crs import CRS as RioCRS
    from rasterio.transform import array_bounds
    from rasterio.warp import Resampling, calculate_default_transform, reproject

    data = np.asarray(bands, dtype=np.float32)
    single = data.ndim == 2
    data = data[None] if single else data
    _count, rows, cols = data.shape
    src_crs = RioCRS.from_wkt(as_crs(crs).to_wkt())
    bounds = array_bounds(rows, cols, transform)  # (west, south, east, north)
    dst, width, height = calculate_default_transform(src_crs, MERCATOR, cols, rows, *bounds)
    longest = max(width, height)
    wanted = min(max(longest, min(MIN_IMAGE_SIZE, max_size)), max_size)
    if longest != wanted:
        resolution = abs(dst.a) * longest / wanted
        dst, width, height = calculate_default_transform(
            src_crs, MERCATOR, cols, rows, *bounds, resolution=resolution)
    out = np.full((data.shape[0], height, width), np.nan, dtype=np.float32)
    reproject(data, out, src_transform=transform, src_crs=src_crs, src_nodata=np.nan,
              dst_transform=dst, dst_crs=MERCATOR, dst_nodata=np.nan,
              resampling=getattr(Resampling, resampling))
    left, top = dst.c, dst.f
    right, bottom = dst.c + dst.a * width, dst.f + dst.e * height
    lon0, lat0 = transformer(MERCATOR, WGS84).transform(left, bottom)
    lon1, lat1 = transformer(MERCATOR, WGS84).transform(right, top)
    return MercatorImage(out[0] if single else out, dst,
                         [[float(lat0), float(lon0)], [float(lat1), float(lon1)]])


def warp_to_mercator(grid: DensityGrid, max_size: int = MAX_IMAGE_SIZE) -> MercatorImage:
    """Reproject ``grid`` to EPSG:3857 at about one pixel per cell (at most ``max_size`` pixels)."""
    return to_mercator(grid.values, grid.transform, grid.crs, max_size)


def colourise(values: np.ndarray, vmin: float, vmax: float, ramp: str = "viridis") -> np.ndarray:
    """RGBA uint8 image: ``values`` in [vmin, vmax] along the ramp; below ``vmin`` or NaN transparent.

    Just above ``vmin`` the colour is a quarter opaque and fades in over the first :data:`FADE`
    of the ramp, so the overlay has no hard edge at the threshold.
    """
    table = ramp_colours(ramp)
    span = vmax - vmin if vmax > vmin else 1.0
    t = np.clip((np.nan_to_num(values, nan=-np.inf) - vmin) / span, 0.0, 1.0)
    index = np.round(t * (len(table) - 1)).astype(np.intp)
    rgba = np.empty(values.shape + (4,), dtype=np.uint8)
    rgba[..., :3] = table[index]
    fade = np.sqrt(np.clip(t / FADE, 0.0, 1.0))  # the lowest part of the ramp fades in
    rgba[..., 3] = np.where(np.isfinite(values) & (values >= vmin), np.round(64 + 191 * fade), 0)
    return rgba


def png_bytes(rgba: np.ndarray) -> bytes:
    """Encode an ``(rows, cols, 4)`` uint8 array as PNG (GDAL's PNG driver through rasterio)."""
    from rasterio.errors import NotGeoreferencedWarning
    from rasterio.io import MemoryFile

    rows, cols, bands = rgba.shape
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NotGeoreferencedWarning)
        with MemoryFile() as memory:
            with memory.open(driver="PNG", width=cols, height=rows, count=bands, dtype="uint8") as dst:
                dst.write(np.moveaxis(rgba, -1, 0))
            return memory.read()


def significant(value: float, lang: str, digits: int = 2) -> str:
    """``value`` with about ``digits`` significant digits in the conventions of ``lang``."""
    if not np.isfinite(value) or value == 0:
        return format_number(value, lang, 0)
    decimals = min(max(digits - 1 - math.floor(math.log10(abs(value))), 0), 8)
    return format_decimal(value, format="#,##0." + "0" * decimals if decimals else "#,##0",
                          locale=babel_locale(lang))


@dataclass
class DensityLayer:
    """The KDE overlay of a map (see :func:`density_layer`)."""

    image: MercatorImage
    rgba: np.ndarray
    legend: LegendSpec
    name: str
    opacity: float = 0.7
    synthetic: bool = False
    key: str = "kde"
    show: bool = True

    def data_url(self) -> str:
        """The overlay image as a ``data:image/png;base64`` URL."""
        return "data:image/png;base64," + base64.b64encode(png_bytes(self.rgba)).decode("ascii")

    def add_to(self, fmap: folium.Map):
        """Add the overlay to ``fmap`` in the density pane; return it."""
        return add_image_overlay(fmap, self.name, self.data_url(), self.image.bounds, pane="jm-density",
                                 opacity=self.opacity, show=self.show)


def add_image_overlay(fmap: folium.Map, name: str, url: str, bounds: list[list[float]], *, pane: str,
                      opacity: float = 1.0, show: bool = True):
    """Add a non-interactive ``L.imageOverlay`` of ``url`` over ``bounds`` in ``pane``; return it."""
    from juvmap.mapping.build import ScriptLayer, js_json

    options = js_json({"opacity": opacity, "interactive": False, "pane": pane, "className": "jm-image"})

    def script(var: str, _map: str) -> str:
        return f"var {var} = L.imageOverlay({js_json(url)}, {js_json(bounds)}, {options});"

    layer = ScriptLayer(name, script, show=show)
    layer.add_to(fmap)
    return layer


def density_layer(
    grid: DensityGrid,
    *,
    threshold: float = 0.05,
    ramp: str = "viridis",
    opacity: float = 0.7,
    name: str | None = None,
    lang: str | None = None,
    max_size: int = MAX_IMAGE_SIZE,
) -> DensityLayer:
    """Build the KDE overlay of ``grid``.

    Parameters
    ----------
    grid : DensityGrid
        The surface (any projected CRS). Not modified.
    threshold : float
        Cells below ``threshold × maximum`` are transparent (0 ≤ threshold < 1).
    ramp : str
        One of :data:`RAMPS`.
    opacity : float
        Opacity of the overlay (0–1), adjustable in the page through the Leaflet layer.
    name : str, optional
        Layer name; default "Kernel density".
    lang : str, optional
        Language of the legend's numbers.
    max_size : int
        Longest side of the image in pixels.

    Returns
    -------
    DensityLayer
    """
    if not 0.0 <= threshold < 1.0:
        raise AnalysisError(_("The transparency threshold must be at least 0 and below 1."))
    if not 0.0 <= opacity <= 1.0:
        raise AnalysisError(_("The opacity must be between 0 and 1."))
    lang = lang or get_language()
    image = warp_to_mercator(grid, max_size)
    top = float(np.nanmax(grid.values)) if np.isfinite(grid.values).any() else 0.0
    vmin = threshold * top if top > 0 else 1.0
    rgba = colourise(image.values, vmin, max(top, vmin), ramp)
    table = ramp_colours(ramp)
    entries = []
    for t in np.linspace(0.0, 1.0, 5)[::-1]:
        r, g, b = table[int(round(t * (len(table) - 1)))]
        value = vmin + t * (max(top, vmin) - vmin)
        entries.append(LegendEntry(f"#{r:02x}{g:02x}{b:02x}", significant(value, lang)))
    notes = [grid.units,
             _("Transparent below {value}").format(value=significant(vmin, lang)),
             _("Radius {radius} km, cell {cell} km").format(
                 radius=format_number(grid.radius / 1000.0, lang, 1), cell=format_number(grid.cell / 1000.0, lang, 1))]
    if grid.synthetic:
        notes.append(_("Synthetic data: not real incidents"))
    title = name or _("Kernel density")
    legend = LegendSpec(title, tuple(entries), tuple(notes))
    return DensityLayer(image, rgba, legend, title, opacity, bool(grid.synthetic))
