"""Issue 12: by district, the Region dock lists the selected district's region's districts in a
sortable table, and clicking one selects it."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.qt


def test_the_districts_of_the_region_sortable_and_clickable(qtbot, english):
    from juvmap.analysis import AnalysisRequest, Sources, analyse
    from juvmap.ui.docks.region import RegionPanel

    result = analyse(AnalysisRequest(level="districts", period=(2019, 2023), permutations=99), Sources.builtin())
    areas = result.areas
    almaty = areas[areas["region"] == "KZ-75"]
    panel = RegionPanel()
    qtbot.addWidget(panel)
    panel.show(None, result, almaty["code"].iloc[0])
    assert not panel.districts.isHidden()
    assert panel.districts.rowCount() == len(almaty) == 8  # Almaty city's districts
    panel.districts.sortItems(1)
    counts = [panel.districts.item(i, 1).text() for i in range(8)]
    numbers = [int(c.replace(",", "")) for c in counts if c.replace(",", "").isdigit()]
    assert numbers == sorted(numbers)
    with qtbot.waitSignal(panel.areaChosen) as got:
        panel._district_clicked(3, 0)
    assert got.args[0] in set(almaty["code"])
