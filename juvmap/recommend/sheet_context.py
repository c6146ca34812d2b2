"""What a sheet says about a region among all 20: its place by rate (with intervals) and its type.

Qt-free; computed once per run from the profiles of every region.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from juvmap.recommend.profile import RegionProfile
from juvmap.stats.typology import DEFAULT_CLUSTERS, ward_typology

__all__ = ["TYPOLOGY_INDICATORS", "SheetContext", "rate_ranking", "region_typology", "sheet_context",
           "typology_table"]

#: the indicator profile the typology compares (rate level and structure)
TYPOLOGY_INDICATORS = (
    "rate", "share_pupil", "share_repeat", "share_group", "share_intoxicated", "share_female",
    "share_grave_plus", "share_category:property", "share_category:person", "share_after_school",
    "share_night", "share_public_place",
)


def typology_table(profiles: Mapping[str, RegionProfile], keys=TYPOLOGY_INDICATORS) -> pd.DataFrame:
    """Regions × indicators; a suppressed or undefined value is NaN."""
    rows = {}
    for code, p in profiles.items():
        rows[code] = {k: (np.nan if (ind := p.indicators.get(k)) is None or ind.suppressed else ind.value)
                      for k in keys}
    return pd.DataFrame.from_dict(rows, orient="index", columns=list(keys)).astype(float)


def region_typology(profiles: Mapping[str, RegionProfile], n_clusters: int = DEFAULT_CLUSTERS) -> pd.DataFrame | None:
    """Ward typology of the regions (:func:`juvmap.stats.typology.ward_typology`).

    Regions whose own count is 1–4 are left out (nothing about them may be shown); None
    when fewer than three regions remain.
    """
    usable = {c: p for c, p in profiles.items() if not p.suppressed}
    if len(usable) < 3:
        return None
    return ward_typology(typology_table(usable), n_clusters=n_clusters)


def rate_ranking(profiles: Mapping[str, RegionProfile]) -> pd.DataFrame:
    """Every region's rate, 95 % interval, rank and the range of ranks its interval allows.

    ``rank_best`` counts the regions whose interval lies wholly above this region's, plus
    one; ``rank_worst`` is the number of regions minus those wholly below. Suppressed regions
    have NaN values. Sorted by rate, highest first.
    """
    rows = []
    for code, p in profiles.items():
        ind = p.indicators["rate"]
        lo, hi = ind.ci if ind.ci else (math.nan, math.nan)
        hidden = ind.suppressed
        rows.append({"code": code, "rate": math.nan if hidden else ind.value,
                     "ci_low": math.nan if hidden else lo, "ci_high": math.nan if hidden else hi,
                     "national": ind.national})
    table = pd.DataFrame(rows).set_index("code")
    lo, hi = table["ci_low"].to_numpy(), table["ci_high"].to_numpy()
    n = int(table["rate"].notna().sum())
    with np.errstate(invalid="ignore"):
        table["rank"] = table["rate"].rank(ascending=False, method="min")
        table["rank_best"] = [1 + int(np.sum(lo > h)) if math.isfinite(h) else math.nan for h in hi]
        table["rank_worst"] = [n - int(np.sum(hi < low)) if math.isfinite(low) else math.nan for low in lo]
    return table.sort_values("rate", ascending=False, na_position="last")


@dataclass
class SheetContext:
    """What every sheet of one run shares: ranking, typology, density scale, rules, tests.

    Attributes
    ----------
    ranking : DataFrame
        :func:`rate_ranking`.
    typology : DataFrame or None
        :func:`region_typology`.
    density : tuple of float or None
        Common log-density range of the maps (:func:`juvmap.recommend.sheet_svg.density_range`).
    names : dict
        Code → {lang: name} of every region.
    rules : list
        The rules of the run (the key of the summary page).
    tests : DataFrame or None
        Every region × rule test (:func:`juvmap.recommend.rule_tests.run_rule_tests`).
    """

    ranking: pd.DataFrame
    typology: pd.DataFrame | None
    density: tuple[float, float] | None
    names: dict = field(default_factory=dict)
    rules: list = field(default_factory=list)
    tests: pd.DataFrame | None = None


def sheet_context(profiles: Mapping[str, RegionProfile], rules=(), tests=None) -> SheetContext:
    """Compute the shared context of a run from the profiles of every region."""
    from juvmap.recommend.sheet_svg import density_range

    first = next(iter(profiles.values()))
    dens = density_range(*first.density) if first.density is not None else None
    for p in profiles.values():  # a suppressed region has no density; any other carries the grid
        if dens is None and p.density is not None:
            dens = density_range(*p.density)
    return SheetContext(rate_ranking(profiles), region_typology(profiles), dens,
                        {c: dict(p.names) for c, p in profiles.items()}, list(rules), tests)
