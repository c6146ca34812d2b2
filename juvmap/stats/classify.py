"""Choropleth classification through mapclassify, behind a string-keyed registry.

``SCHEMES`` maps a scheme id to the name of its mapclassify class and a label for a combo box
(``_(SCHEMES[id].label)``); mapclassify itself (with scipy.stats and scikit-learn, about a
second to import) is imported at the first classification, not with this module. :func:`classify` ignores missing values (class -1).
Classes are right-closed, ``(lower, upper]``, the first one closed on both sides.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from juvmap.errors import AnalysisError
from juvmap.i18n import N_, _

__all__ = ["SCHEMES", "Scheme", "Classification", "classify"]


@dataclass(frozen=True)
class Scheme:
    """One classification method: the name of its mapclassify class and its untranslated label."""

    classifier: str
    label: str
    uses_k: bool = True
    open_ended: bool = False

    def classifier_class(self) -> type:
        """The mapclassify class."""
        import mapclassify

        return getattr(mapclassify, self.classifier)


SCHEMES: dict[str, Scheme] = {
    "quantiles": Scheme("Quantiles", N_("Quantiles")),
    "fisher_jenks": Scheme("FisherJenks", N_("Natural breaks (Fisher–Jenks)")),
    "equal_interval": Scheme("EqualInterval", N_("Equal intervals")),
    "std_mean": Scheme("StdMean", N_("Standard deviations"), uses_k=False, open_ended=True),
    "box_plot": Scheme("BoxPlot", N_("Box map (outliers)"), uses_k=False, open_ended=True),
    "user_defined": Scheme("UserDefined", N_("Custom breaks"), uses_k=False),
}

_BOX_NAMES = (
    N_("Lower outliers"), N_("Below 25%"), N_("25%–50%"), N_("50%–75%"),
    N_("Above 75%"), N_("Upper outliers"),
)


@dataclass(frozen=True)
class Classification:
    """Result of :func:`classify`.

    Attributes
    ----------
    scheme : str
        The scheme id.
    bins : ndarray
        Upper bound of each class.
    yb : ndarray of int
        Class of each input value; -1 where the value is missing.
    classes : list of tuple
        ``(lower, upper, count)`` per class; ``lower`` is -inf for an open first class.
    """

    scheme: str
    bins: np.ndarray
    yb: np.ndarray
    classes: list[tuple[float, float, int]]

    @property
    def k(self) -> int:
        """Number of classes."""
        return len(self.classes)

    def labels(self, fmt: str = "{:,.1f}", counts: bool = False) -> list[str]:
        """Legend labels, one per class (translated).

        Parameters
        ----------
        fmt : str
            Format of a bound, e.g. ``"{:.0f}"``.
        counts : bool
            Append the number of units, e.g. "1.0 – 2.5 (4)".
        """
        out = []
        for i, (low, high, count) in enumerate(self.classes):
            if self.scheme == "box_plot" and len(self.classes) == len(_BOX_NAMES):
                text = _(_BOX_NAMES[i])
            elif np.isneginf(low):
                text = _("≤ {upper}").format(upper=fmt.format(high))
            else:
                text = _("{lower} – {upper}").format(lower=fmt.format(low), upper=fmt.format(high))
            out.append(_("{label} ({count})").format(label=text, count=count) if counts else text)
        return out


def classify(values, scheme: str = "quantiles", k: int = 5, bins=None) -> Classification:
    """Classify values for a choropleth.

    Parameters
    ----------
    values : array-like of float
        One value per unit; NaN/None are left unclassified (class -1).
    scheme : str
        A key of :data:`SCHEMES`.
    k : int
        Number of classes for quantiles, Fisher–Jenks and equal intervals (fewer when
        the data have fewer distinct values).
    bins : sequence of float, optional
        Upper bounds for ``"user_defined"`` (the maximum is added when above them).

    Returns
    -------
    Classification

    Raises
    ------
    AnalysisError
        Unknown scheme, or ``user_defined`` without bins.
    """
    if scheme not in SCHEMES:
        raise AnalysisError(_("Unknown classification {scheme}.").format(scheme=scheme))
    spec = SCHEMES[scheme]
    y = np.asarray(values, dtype=float).ravel()
    ok = np.isfinite(y)
    yb = np.full(y.shape, -1, dtype=int)
    data = y[ok]
    if data.size == 0:
        return Classification(scheme, np.array([]), yb, [])
    if scheme == "user_defined":
        if bins is None or len(bins) == 0:
            raise AnalysisError(_("Custom breaks need at least one break value."))
        result = _run(spec.classifier_class(), data, bins=sorted(float(b) for b in bins))
    elif np.unique(data).size == 1:
        only = float(data[0])
        yb[ok] = 0
        return Classification(scheme, np.array([only]), yb, [(only, only, int(data.size))])
    elif spec.uses_k:
        result = _run(spec.classifier_class(), data, k=max(1, min(int(k), np.unique(data).size)))
    else:
        result = _run(spec.classifier_class(), data)
    edges = np.asarray(result.bins, dtype=float)
    yb[ok] = np.asarray(result.yb, dtype=int)
    counts = np.bincount(yb[ok], minlength=len(edges))
    first_low = -np.inf if spec.open_ended else float(min(data.min(), edges[0]))
    lows = np.concatenate([[first_low], edges[:-1]])
    classes = [(float(lo), float(hi), int(c)) for lo, hi, c in zip(lows, edges, counts)]
    return Classification(scheme, edges, yb, classes)


def _run(cls, data, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return cls(data, **kwargs)
