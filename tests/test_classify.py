"""Choropleth classification: member counts, box-map outliers, missing values, labels."""

from __future__ import annotations

import numpy as np
import pytest

from juvmap.errors import AnalysisError
from juvmap.i18n import _
from juvmap.stats.classify import SCHEMES, classify


def test_registry_has_the_six_schemes_with_labels():
    assert set(SCHEMES) == {"quantiles", "fisher_jenks", "equal_interval", "std_mean",
                            "box_plot", "user_defined"}
    assert all(_(scheme.label) for scheme in SCHEMES.values())


def test_quantiles_put_two_values_in_each_of_five_classes():
    result = classify(np.arange(1, 11, dtype=float), "quantiles", k=5)
    assert [c[2] for c in result.classes] == [2, 2, 2, 2, 2]
    np.testing.assert_allclose(result.bins, [2.8, 4.6, 6.4, 8.2, 10.0])
    assert result.yb.tolist() == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]
    assert result.classes[0][0] == 1.0


def test_equal_interval_counts():
    values = np.array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10], dtype=float)
    result = classify(values, "equal_interval", k=5)
    np.testing.assert_allclose(result.bins, [2, 4, 6, 8, 10])
    assert [c[2] for c in result.classes] == [3, 2, 2, 2, 3]  # right-closed, first closed


def test_fisher_jenks_finds_the_natural_groups():
    values = np.array([1.0, 1.1, 1.2, 5.0, 5.1, 10.0, 10.2])
    result = classify(values, "fisher_jenks", k=3)
    assert [c[2] for c in result.classes] == [3, 2, 2]
    np.testing.assert_allclose(result.bins, [1.2, 5.1, 10.2])


def test_box_plot_flags_outliers_at_1_5_iqr():
    values = np.array([-40.0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 60])
    # quartiles 2.5 and 7.5 (numpy linear), IQR 5 → fences -5 and 15
    result = classify(values, "box_plot")
    np.testing.assert_allclose(result.bins[:5], [-5.0, 2.5, 5.0, 7.5, 15.0])
    assert [c[2] for c in result.classes] == [1, 2, 3, 2, 2, 1]
    assert result.yb[0] == 0 and result.yb[-1] == 5
    assert result.classes[0][0] == -np.inf
    assert result.labels()[0] == _("Lower outliers") and result.labels()[-1] == _("Upper outliers")


def test_std_mean_counts():
    values = np.array([0.0] * 10 + [10.0])
    result = classify(values, "std_mean")
    mean, sd = values.mean(), values.std(ddof=1)
    np.testing.assert_allclose(result.bins[:4], mean + sd * np.array([-2, -1, 1, 2]))
    assert sum(c[2] for c in result.classes) == 11
    assert result.yb[-1] == len(result.classes) - 1


def test_user_defined_bins_and_missing_values():
    values = np.array([np.nan, 1.0, 4.0, 5.0, 7.0, None, 12.0], dtype=float)
    result = classify(values, "user_defined", bins=[5, 10])
    assert result.yb.tolist() == [-1, 0, 0, 0, 1, -1, 2]
    assert [c[2] for c in result.classes] == [3, 1, 1]
    assert result.labels("{:.0f}", counts=True)[1] == _("{label} ({count})").format(
        label=_("{lower} – {upper}").format(lower="5", upper="10"), count=1)
    with pytest.raises(AnalysisError):
        classify(values, "user_defined")


def test_degenerate_inputs():
    empty = classify([np.nan, np.nan], "quantiles")
    assert empty.yb.tolist() == [-1, -1] and empty.classes == []
    constant = classify([3.0, 3.0, np.nan], "equal_interval", k=5)
    assert constant.yb.tolist() == [0, 0, -1] and constant.classes == [(3.0, 3.0, 2)]
    few = classify([1.0, 2.0, 2.0, 3.0], "quantiles", k=5)
    assert sum(c[2] for c in few.classes) == 4 and few.k <= 3
    with pytest.raises(AnalysisError):
        classify([1.0], "jenks")


def test_input_is_not_modified():
    values = np.array([3.0, np.nan, 1.0, 2.0])
    copy = values.copy()
    classify(values, "quantiles", k=2)
    np.testing.assert_array_equal(values, copy)
