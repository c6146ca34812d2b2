"""Kernel shapes of the kernel density surface, with the definitions of QGIS's Heatmap.

Every kernel is a function of ``u = d / r`` (distance over radius) and is zero for ``u > 1``
(``d == r`` is still inside, as in QGIS). With ``r`` the radius and ``D`` the triangular decay:

============  ==========================  ===========================================
kernel        raw value ``K(u)``          normalising constant ``c`` (unit disc)
============  ==========================  ===========================================
quartic       ``(1 - u²)²``               ``3 / π``
triangular    ``1 - (1 - D)·u``           ``3 / ((1 + 2D)·π)``  (``D >= 0``)
uniform       ``1``                       ``1 / π``
triweight     ``(1 - u²)³``               ``4 / π``
epanechnikov  ``1 - u²``                  ``2 / π``
gaussian      ``exp(-u²·9/2)``            ``9 / (2π·(1 - e^-4.5))``
============  ==========================  ===========================================

Output values (what one point of weight 1 adds to a cell at distance ``d``):

* ``"raw"``: ``K(d/r)`` — QGIS's *Raw* output (a sum of kernel values, no unit).
* ``"scaled"``: ``c·K(d/r) / r²`` with ``r`` in map units — QGIS's *Scaled* output, a density
  per square map unit (per m² here) that integrates to the weight of the point.
* ``"density"``: the scaled value times 10⁶: incidents per km² (integrates to N over the map).

The constants ``c`` make the kernel integrate to 1 over the disc of radius 1 (polar integral of
``K``), as QGIS's source says it intends (``QgsKernelDensityEstimation``, kernels from Wand &
Jones 1995, p. 175). QGIS up to 3.40 multiplies the *scaled quartic* kernel by
``116/(5π) · 15/16`` instead of ``3/π`` — 7.25 times too large; that typo was fixed in QGIS
pull request #60631 (February 2025). We use the corrected constant, so a QGIS 3.22 "Scaled"
quartic surface is 7.25 × ours.

The decay ``D`` of the triangular kernel is QGIS's "decay ratio": 0 (default) makes the value
vanish at the edge, 0.5 halves it, 1 gives a uniform disc, > 1 more weight at the edge. A
negative decay is only meaningful for ``"raw"`` (it has no finite normalisation).

**Gaussian** is not in QGIS: we define it as a normal kernel with ``σ = r / 3`` truncated at the
radius (3σ) and renormalised over that disc, so it has the same finite support as the others.
"""

from __future__ import annotations

import math

import numpy as np

from juvmap.errors import AnalysisError
from juvmap.i18n import N_, _

#: Kernel names in the order shown to users (QGIS's order, then Gaussian).
KERNELS: tuple[str, ...] = ("quartic", "triangular", "uniform", "triweight", "epanechnikov", "gaussian")

#: User-visible kernel labels (translate with ``_()`` when shown).
KERNEL_LABELS: dict[str, str] = {
    "quartic": N_("Quartic (biweight)"),
    "triangular": N_("Triangular"),
    "uniform": N_("Uniform"),
    "triweight": N_("Triweight"),
    "epanechnikov": N_("Epanechnikov"),
    "gaussian": N_("Gaussian (truncated at 3σ)"),
}

#: QGIS's ``KERNEL`` parameter value of each kernel (Gaussian has none).
QGIS_KERNEL_IDS: dict[str, int] = {
    "quartic": 0,
    "triangular": 1,
    "uniform": 2,
    "triweight": 3,
    "epanechnikov": 4,
}

#: Output kinds: QGIS's Raw and Scaled, plus incidents per km².
OUTPUTS: tuple[str, ...] = ("raw", "density", "scaled")

#: Unit label of each output (msgids; translate with ``_()``).
OUTPUT_UNITS: dict[str, str] = {
    "raw": N_("sum of kernel values"),
    "density": N_("incidents per km²"),
    "scaled": N_("incidents per m²"),
}

#: The radius of the Gaussian kernel is this many standard deviations.
GAUSSIAN_SIGMAS = 3.0


def check_kernel(kernel: str, output: str = "raw", decay: float = 0.0) -> None:
    """Raise :class:`AnalysisError` unless ``kernel``/``output``/``decay`` are valid together."""
    if kernel not in KERNELS:
        raise AnalysisError(_("Unknown kernel: {name}").format(name=kernel))
    if output not in OUTPUTS:
        raise AnalysisError(_("Unknown output type: {name}").format(name=output))
    if not math.isfinite(decay):
        raise AnalysisError(_("The decay ratio must be a number"))
    if kernel == "triangular" and decay < 0 and output != "raw":
        raise AnalysisError(_("A negative decay ratio is only allowed with raw output"))


def raw_kernel(kernel: str, u: np.ndarray, decay: float = 0.0) -> np.ndarray:
    """Return the raw kernel value ``K(u)`` for ``u = distance / radius`` (0 where ``u > 1``)."""
    u = np.asarray(u, dtype=np.float64)
    inside = u <= 1.0
    if kernel == "quartic":
        value = (1.0 - u * u) ** 2
    elif kernel == "triangular":
        value = 1.0 - (1.0 - decay) * u
    elif kernel == "uniform":
        value = np.ones_like(u)
    elif kernel == "triweight":
        value = (1.0 - u * u) ** 3
    elif kernel == "epanechnikov":
        value = 1.0 - u * u
    elif kernel == "gaussian":
        value = np.exp(-0.5 * (u * GAUSSIAN_SIGMAS) ** 2)
    else:
        raise AnalysisError(_("Unknown kernel: {name}").format(name=kernel))
    return np.where(inside, value, 0.0)


def unit_disc_constant(kernel: str, decay: float = 0.0) -> float:
    """Return ``c`` such that ``c · K(|x|)`` integrates to 1 over the unit disc."""
    if kernel == "quartic":
        return 3.0 / math.pi
    if kernel == "triangular":
        return 3.0 / ((1.0 + 2.0 * decay) * math.pi)
    if kernel == "uniform":
        return 1.0 / math.pi
    if kernel == "triweight":
        return 4.0 / math.pi
    if kernel == "epanechnikov":
        return 2.0 / math.pi
    if kernel == "gaussian":
        s2 = GAUSSIAN_SIGMAS**2
        return s2 / (2.0 * math.pi * (1.0 - math.exp(-0.5 * s2)))
    raise AnalysisError(_("Unknown kernel: {name}").format(name=kernel))


def output_factor(kernel: str, radius: float, output: str, decay: float = 0.0, unit_m: float = 1.0) -> float:
    """Return the factor that turns raw kernel values into ``output`` values.

    Parameters
    ----------
    radius : float
        Radius in map units.
    unit_m : float
        Metres per map unit (for ``"density"``, which is per km²).
    """
    if output == "raw":
        return 1.0
    per_unit2 = unit_disc_constant(kernel, decay) / (radius * radius)
    if output == "scaled":
        return per_unit2
    return per_unit2 * 1.0e6 / (unit_m * unit_m)


def kernel_values(
    kernel: str,
    distance: np.ndarray,
    radius: float,
    output: str = "raw",
    decay: float = 0.0,
    unit_m: float = 1.0,
) -> np.ndarray:
    """Return what a point of weight 1 adds at ``distance`` (map units) for ``output``."""
    u = np.asarray(distance, dtype=np.float64) / radius
    return raw_kernel(kernel, u, decay) * output_factor(kernel, radius, output, decay, unit_m)


def kernel_stencil(
    kernel: str,
    radius: float,
    cell: float,
    output: str = "raw",
    decay: float = 0.0,
    unit_m: float = 1.0,
) -> np.ndarray:
    """Return the kernel sampled at whole-cell offsets: a ``(2m+1, 2m+1)`` array, ``m = ⌊r/cell⌋``.

    Entry ``[m + i, m + j]`` is the value at ``i`` cells down and ``j`` cells right of the point.
    """
    m = int(math.floor(radius / cell + 1e-9))
    offsets = np.arange(-m, m + 1, dtype=np.float64) * cell
    distance = np.hypot(offsets[:, None], offsets[None, :])
    return kernel_values(kernel, distance, radius, output, decay, unit_m)
