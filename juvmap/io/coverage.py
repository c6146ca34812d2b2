"""Polygon coverages: repair, clean (no gaps or overlaps between neighbours) and simplify.

Used by :mod:`juvmap.io.boundaries` for user boundary files and by ``data/make_boundaries.py``
for the built-in layers. A *coverage* is a set of polygons whose interiors do not overlap and
whose shared edges have identical vertices (``shapely.coverage_is_valid``); it can be
simplified without opening gaps (``shapely.coverage_simplify``).
"""

from __future__ import annotations

import numpy as np
import shapely

#: coverage_simplify tolerance of the 20-region display layer, in degrees (~ 400 m)
DISPLAY_TOLERANCE = 0.004
#: decimals kept in a display layer (1e-5 degree ~ 1 m)
DISPLAY_DECIMALS = 5


def polygonal(geoms: np.ndarray) -> np.ndarray:
    """Drop z, repair invalid rings (``make_valid``) and keep only the polygonal parts.

    Parameters
    ----------
    geoms : numpy.ndarray of shapely geometries

    Returns
    -------
    numpy.ndarray
        One valid (multi)polygon per input; an empty polygon where nothing polygonal is left.
    """
    geoms = shapely.make_valid(shapely.force_2d(np.asarray(geoms, dtype=object)))
    out = []
    for g in geoms:
        parts = [p for p in shapely.get_parts(g) if p.geom_type in ("Polygon", "MultiPolygon")]
        out.append(shapely.union_all(parts) if parts else shapely.Polygon())
    return np.asarray(out, dtype=object)


def clean_coverage(geoms: np.ndarray, priority: np.ndarray) -> np.ndarray:
    """Make polygons a valid coverage: no overlaps, no slivers, shared edges noded.

    All boundaries are noded and polygonised into faces. A face inside one polygon belongs to
    it; a face inside several (an overlap) goes to the one with the highest ``priority``
    (cities of republican significance keep their territory); a face inside none (a gap
    enclosed by the layer) goes to the neighbour it shares the longest edge with.

    Parameters
    ----------
    geoms : numpy.ndarray of shapely geometries
        Valid (multi)polygons.
    priority : numpy.ndarray of int
        Higher wins an overlap.

    Returns
    -------
    numpy.ndarray
        One (multi)polygon per input, together forming a valid coverage.
    """
    lines = shapely.union_all(shapely.boundary(geoms))
    faces = np.asarray(shapely.get_parts(shapely.polygonize(shapely.get_parts(lines))))
    tree = shapely.STRtree(geoms)
    face_idx, geom_idx = tree.query(shapely.point_on_surface(faces), predicate="within")
    owner = np.full(len(faces), -1)
    best = np.full(len(faces), np.iinfo(np.int64).min)
    for f, g in zip(face_idx, geom_idx, strict=True):
        if priority[g] > best[f]:
            owner[f], best[f] = g, priority[g]
    for f in np.flatnonzero(owner < 0):
        cands = tree.query(faces[f], predicate="intersects")
        if len(cands):
            shared = shapely.length(shapely.intersection(faces[f].exterior, geoms[cands]))
            owner[f] = cands[int(np.argmax(shared))]
    return np.asarray([shapely.coverage_union_all(faces[owner == i]) if (owner == i).any()
                       else shapely.Polygon() for i in range(len(geoms))], dtype=object)


def simplify_coverage(geoms: np.ndarray, tolerance: float = DISPLAY_TOLERANCE,
                      decimals: int = DISPLAY_DECIMALS) -> np.ndarray:
    """Simplify a clean coverage without opening gaps, then round the coordinates.

    Parameters
    ----------
    geoms : numpy.ndarray of shapely geometries
        A valid coverage (see :func:`clean_coverage`).
    tolerance : float
        ``shapely.coverage_simplify`` tolerance, in the units of the coordinates.
    decimals : int
        Decimals kept in the coordinates.

    Returns
    -------
    numpy.ndarray
        The simplified polygons, still sharing every edge with their neighbours.
    """
    simple = shapely.coverage_simplify(geoms, tolerance)
    simple = shapely.transform(simple, lambda xy: np.round(xy, decimals))
    bad = ~shapely.is_valid(simple)
    if bad.any():  # rounding can pinch a ring; repairs keep the shared vertices
        simple[bad] = polygonal(simple[bad])
    return simple


def union_by(geoms: np.ndarray, keys: np.ndarray) -> tuple[list, np.ndarray]:
    """Union the polygons of a coverage per key (e.g. districts into their regions).

    Returns
    -------
    (list, numpy.ndarray)
        The sorted distinct keys and one (multi)polygon per key.
    """
    keys = np.asarray(keys)
    distinct = sorted(set(keys.tolist()))
    merged = [shapely.coverage_union_all(geoms[keys == k]) for k in distinct]
    return distinct, np.asarray(merged, dtype=object)


def contiguity_report(geoms: np.ndarray, codes) -> "pd.DataFrame":
    """Neighbours of every polygon of a coverage; islands and enclaves named, not dropped.

    Two polygons are neighbours when they share at least a point (queen contiguity). An
    *island* has no neighbour (rates are smoothed towards the global mean there); an
    *enclave* has one neighbour that surrounds it (a city inside its district, Baikonur
    inside Karmakshy): its local mean is the pair's.

    Returns
    -------
    pandas.DataFrame
        Indexed by code: ``neighbours`` (int), ``island`` (bool), ``enclave_of`` (the
        surrounding unit's code, else "").
    """
    import pandas as pd

    geoms = np.asarray(geoms, dtype=object)
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    keep = left != right
    left, right = left[keep], right[keep]
    count = np.bincount(left, minlength=len(geoms))
    codes = np.asarray([str(c) for c in codes], dtype=object)
    enclave = np.full(len(geoms), "", dtype=object)
    for i in np.flatnonzero(count == 1):
        j = right[left == i][0]
        outer = shapely.boundary(shapely.Polygon(shapely.get_exterior_ring(
            max(shapely.get_parts(geoms[i]), key=shapely.area))))
        shared = shapely.length(shapely.intersection(outer, shapely.boundary(geoms[j])))
        if shared >= 0.999 * shapely.length(outer):
            enclave[i] = codes[j]
    return pd.DataFrame({"neighbours": count, "island": count == 0, "enclave_of": enclave},
                        index=pd.Index(codes, name="code"))
