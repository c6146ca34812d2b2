"""Read map layers (GeoPackage, Shapefile, GeoJSON …) with pyogrio's Arrow reader.

:func:`read_points` is the one reader of point layers: the loader, ``juvmap kde`` and the
open-data preview use it. A GeoPackage point layer is read without decoding geometries in
Python (the driver's ``ST_MinX``/``ST_MinY`` give the coordinates); other layers are decoded by
shapely. :func:`list_layers` and :func:`choose_layer` name the layers a file holds; a file
with several candidate layers and no choice is a :class:`LayerChoiceError`. A Shapefile's
DBF encoding is detected when no ``.cpg`` names it (cp1251, cp866 or UTF-8).
"""

from __future__ import annotations

import re
import struct
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from juvmap.errors import DataLoadError
from juvmap.i18n import _
from juvmap.io.rawtable import RawTable, unique_names
from juvmap.io.sniff import content_format, fail

#: geometry types of the layers a user may mean as data (points or areas)
DATA_GEOMETRIES = ("Point", "MultiPoint", "Polygon", "MultiPolygon")
_X, _Y = "__juvmap_x__", "__juvmap_y__"


class LayerChoiceError(DataLoadError):
    """A file holds several layers (or sheets) that could be the data: the user must choose.

    ``choices`` lists their names, in file order.
    """

    def __init__(self, message: str, path: str | None = None,
                 choices: list[str] | None = None) -> None:
        super().__init__(message, path)
        self.choices = list(choices or [])


@dataclass
class PointLayer:
    """The features of one layer, located by the coordinates of their points.

    Attributes
    ----------
    frame : pandas.DataFrame
        The attribute columns read, one row per feature.
    x, y : numpy.ndarray
        Each feature's point in ``crs`` (NaN for a missing or empty geometry, and for a
        feature that is not a single point: see ``geometry``).
    crs : pyproj.CRS or None
    layer, geometry_type : str
    geometry : numpy.ndarray of shapely geometries or None
        ``None`` when every feature is a point (or missing); else all features' geometries.
    details : dict
        ``encoding`` (a detected Shapefile encoding) and ``notes``.
    """

    frame: pd.DataFrame
    x: np.ndarray
    y: np.ndarray
    crs: object
    layer: str
    geometry_type: str
    geometry: np.ndarray | None = None
    details: dict | None = None


def _vector_errors() -> tuple[type[BaseException], ...]:
    from pyogrio.errors import DataLayerError, DataSourceError, FieldError, GeometryError

    return (DataSourceError, DataLayerError, FieldError, GeometryError, OSError, ValueError,
            RuntimeError, TypeError, KeyError)


def unreadable(path: Path, exc: BaseException) -> DataLoadError:
    """The translated error of a layer GDAL cannot read (no raw library text in it)."""
    text = str(exc).lower()
    if path.suffix.lower() == ".gpkg" or "sqlite" in text or "database" in text:
        message = _("{name} is damaged or incomplete: the GeoPackage database cannot be read "
                    "(was the copy interrupted?). Copy or export the file again.")
    elif "not recognized" in text or "not a supported" in text:
        message = _("{name} is not a map layer format juvmap can read.")
    else:
        message = _("{name} is not a readable map layer: the file is damaged or incomplete.")
    error = DataLoadError(message.format(name=path.name), str(path))
    error.detail = str(exc)  # for the log, not for the user
    return error


def list_layers(path: str | Path) -> list[tuple[str, str]]:
    """``(name, geometry type)`` of every layer of a vector file, in file order."""
    import pyogrio

    path = Path(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            layers = pyogrio.list_layers(path)
    except _vector_errors() as exc:
        raise unreadable(path, exc) from exc
    return [(str(name), str(gtype or "")) for name, gtype in layers]


def choose_layer(path: str | Path, layer: str | None = None) -> tuple[str, str]:
    """Return ``(layer, geometry_type)`` of the layer to read.

    The named ``layer``; else the only point or polygon layer; else the first layer.

    Raises
    ------
    LayerChoiceError
        When several point or polygon layers could be the data and none was named.
    DataLoadError
        When ``layer`` does not exist, or the file has no layer.
    """
    path = Path(path)
    layers = list_layers(path)
    names = [name for name, _g in layers]
    if not layers:
        raise fail(path, _("{name} has no data rows.").format(name=path.name))
    if layer is not None:
        if layer not in names:
            raise fail(path, _("{name} has no layer {layer}; its layers: {layers}").format(
                name=path.name, layer=layer, layers=", ".join(names)))
        return layer, dict(layers)[layer]
    data = [(n, g) for n, g in layers if g.replace(" Z", "").replace(" M", "") in DATA_GEOMETRIES]
    if len(data) > 1:
        choices = [n for n, _g in data]
        raise LayerChoiceError(_("{name} holds several layers: {layers}. Choose the layer "
                                 "of the data (--layer NAME).").format(
            name=path.name, layers=", ".join(choices)), str(path), choices)
    return data[0] if data else layers[0]


# -- Shapefile encoding ------------------------------------------------------------------------
_CYRILLIC_LOWER = re.compile(r"[а-яёәғқңөұүһі]")


def shapefile_encoding(path: str | Path) -> str | None:
    """The encoding of a Shapefile's DBF when no ``.cpg`` names it and it is not ASCII.

    UTF-8 when the text decodes as UTF-8, else whichever of cp1251 and cp866 (DOS) turns
    most of the non-ASCII bytes into Cyrillic small letters; ``None`` when a ``.cpg`` exists,
    the DBF is missing or pure ASCII (GDAL decides then).
    """
    path = Path(path)
    if path.suffix.lower() != ".shp" or any(
            path.with_suffix(s).exists() for s in (".cpg", ".CPG")):
        return None
    dbf = next((p for p in (path.with_suffix(".dbf"), path.with_suffix(".DBF")) if p.exists()),
               None)
    if dbf is None:
        return None
    with open(dbf, "rb") as fh:
        head = fh.read(32)
        if len(head) < 32:
            return None
        fh.seek(struct.unpack("<H", head[8:10])[0])
        body = fh.read(1 << 20)
    high = bytes(b for b in body if b >= 0x80)
    if not high:
        return None
    try:
        body.decode("utf-8")
        return "UTF-8"
    except UnicodeDecodeError:
        pass
    scores = {enc: len(_CYRILLIC_LOWER.findall(high.decode(enc, errors="replace")))
              for enc in ("cp1251", "cp866")}
    return max(scores, key=scores.get)


# -- reading -----------------------------------------------------------------------------------
def _read_gpkg_points(path: Path, layer: str, columns: list[str] | None,
                      max_features: int | None):
    """A GeoPackage point layer: coordinates from the driver's SQL functions, no decoding."""
    import pyogrio

    info = pyogrio.read_info(path, layer=layer)
    geom = info.get("geometry_name") or "geom"
    fields = list(info["fields"]) if columns is None else list(columns)

    def quote(name: str) -> str:
        return '"' + str(name).replace('"', '""') + '"'

    select = ", ".join([f"ST_MinX({quote(geom)}) AS {_X}", f"ST_MinY({quote(geom)}) AS {_Y}",
                        *(quote(f) for f in fields)])
    limit = f" LIMIT {int(max_features)}" if max_features is not None else ""
    meta, table = pyogrio.read_arrow(path, sql=f"SELECT {select} FROM {quote(layer)}{limit}",
                                     read_geometry=False)
    frame = table.to_pandas()
    x = frame.pop(_X).to_numpy(dtype=float, na_value=np.nan)
    y = frame.pop(_Y).to_numpy(dtype=float, na_value=np.nan)
    return frame, x, y, info.get("crs"), None


def _read_arrow(path: Path, layer: str, columns: list[str] | None, encoding: str | None,
                max_features: int | None):
    """Any layer: Arrow table, geometries decoded by shapely."""
    import pyogrio
    import shapely

    meta, table = pyogrio.read_arrow(path, layer=layer, columns=columns, encoding=encoding,
                                     max_features=max_features)
    name = meta.get("geometry_name") or "wkb_geometry"
    wkb = None
    if name in table.column_names:
        wkb = table.column(name).to_numpy()
        table = table.drop_columns([name])
    frame = table.to_pandas()
    if wkb is None:
        n = len(frame)
        return frame, np.full(n, np.nan), np.full(n, np.nan), meta.get("crs"), None
    geoms = shapely.from_wkb(wkb)
    kinds = shapely.get_type_id(geoms)
    points = (kinds == 0) & ~shapely.is_empty(geoms)
    x, y = np.full(len(geoms), np.nan), np.full(len(geoms), np.nan)
    x[points], y[points] = shapely.get_x(geoms[points]), shapely.get_y(geoms[points])
    others = ~np.isin(kinds, (-1, 0))
    return frame, x, y, meta.get("crs"), (geoms if others.any() else None)


def read_points(path: str | Path, layer: str | None = None, columns: list[str] | None = None,
                max_features: int | None = None) -> PointLayer:
    """Read one layer of a vector file as points (see :class:`PointLayer`).

    Parameters
    ----------
    path : str or Path
        GeoPackage, Shapefile, GeoJSON, FlatGeobuf …
    layer : str, optional
        The layer (default: :func:`choose_layer`).
    columns : list of str, optional
        The attribute columns to read (default all; ``[]`` for none).
    max_features : int, optional
        Read only the first features (a preview).

    Raises
    ------
    DataLoadError
        The file, layer or a column cannot be read (translated; :class:`LayerChoiceError`
        when the layer must be chosen).
    """
    from pyproj import CRS

    path = Path(path)
    if not path.exists():
        raise fail(path, _("File not found: {name}").format(name=path.name))
    layer, gtype = choose_layer(path, layer)
    encoding = shapefile_encoding(path)
    try:
        if gtype == "Point" and path.suffix.lower() == ".gpkg":
            frame, x, y, crs, geometry = _read_gpkg_points(path, layer, columns, max_features)
        else:
            frame, x, y, crs, geometry = _read_arrow(path, layer, columns, encoding,
                                                     max_features)
    except DataLoadError:
        raise
    except _vector_errors() as exc:
        raise unreadable(path, exc) from exc
    details: dict = {"notes": {}}
    if encoding:
        details["encoding"] = encoding
    if crs is None and path.suffix.lower() == ".shp" and not path.with_suffix(".prj").exists():
        details["notes"]["no_prj"] = {}
    return PointLayer(frame.reset_index(drop=True), x, y,
                      CRS.from_user_input(crs) if crs else None, layer, gtype, geometry, details)


def read_vector(path: str | Path, layer: str | None = None) -> RawTable:
    """Read a GeoPackage, Shapefile or GeoJSON layer as a :class:`RawTable`."""
    import geopandas as gpd

    path = Path(path)
    with open(path, "rb") as fh:
        fmt = content_format(path, fh.read(65536)) or "vector"
    points = read_points(path, layer)
    n = len(points.frame)
    if n == 0:
        raise fail(path, _("{name} has no data rows.").format(name=path.name))
    frame = points.frame
    frame.columns = unique_names(list(frame.columns))
    raw = RawTable(frame, np.arange(n) + 1, fmt, crs=points.crs)
    if points.geometry is None:
        raw.xy = (points.x, points.y)
    else:
        raw.geometry = gpd.GeoSeries(points.geometry, crs=points.crs)
    raw.details = {"layer": points.layer, "geometry_type": points.geometry_type,
                   "source_crs": points.crs.to_string() if points.crs is not None else None}
    if points.details.get("encoding"):
        raw.details["encoding"] = points.details["encoding"]
        raw.note("encoding_detected", encoding=points.details["encoding"])
    for code, values in points.details["notes"].items():
        raw.note(code, **values)
    others = [name for name, _g in list_layers(path) if name != points.layer]
    if others:
        raw.note("skipped_layers", layers=", ".join(others))
    return raw


__all__ = ["LayerChoiceError", "PointLayer", "choose_layer", "list_layers", "read_points",
           "read_vector", "shapefile_encoding"]
