"""Open the space-time widgets alone on the synthetic demo data and save screenshots.

    QT_QPA_PLATFORM=offscreen python tools/spacetime_demo.py --lang kk --out /tmp/shots

Writes ``funnel_map_<lang>.png`` (an emerging-hot-spot layer drawn beside the funnel plot)
and ``evaluation_<lang>.png`` (the evaluation panel after a run). The small map here is a
QPainter sketch for the screenshot only; the application draws layers on its Leaflet map.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

COLORS = {"new": "#fdd49e", "consecutive": "#fdbb84", "intensifying": "#d7301f", "persistent": "#ef6548",
          "diminishing": "#fc8d59", "sporadic": "#fee8c8", "oscillating": "#c994c7", "historical": "#969696"}


def funnel_inputs(lang: str):
    from juvmap.io.builtin import juvenile_population
    from juvmap.io.demo import load_demo_incidents
    from juvmap.io.gazetteer import get_gazetteer
    from juvmap.stats.funnel import funnel_limits, funnel_points
    from juvmap.stats.rates import Denominator, count_by_region

    incidents = load_demo_incidents()
    denominator = Denominator.from_table(juvenile_population())
    codes = list(denominator.population.index)
    counts = count_by_region(incidents[incidents["date"].dt.year == 2023], codes)
    points = funnel_points(counts, denominator.population, multiplier=denominator.multiplier)
    pop = denominator.population[denominator.population > 0]
    limits = funnel_limits(np.geomspace(pop.min() * 0.8, pop.max() * 1.2, 200),
                           points.attrs["reference_rate"] / denominator.multiplier,
                           multiplier=denominator.multiplier)
    names = {c: get_gazetteer().name(c, lang) for c in codes}
    return points, limits, names, denominator.describe()


def emerging_layer():
    from juvmap.crs import EQUAL_AREA_CRS
    from juvmap.io.boundaries import load_regions
    from juvmap.io.demo import load_demo_incidents
    from juvmap.io.points import point_xy
    from juvmap.stats.cells import cell_grid
    from juvmap.stats.emerging import emerging_hotspots, step_counts

    incidents = load_demo_incidents()
    x, y, rows = point_xy(incidents, crs=EQUAL_AREA_CRS)
    ids, cells, adjacency = cell_grid(x, y, 30_000, "hex")
    counts = step_counts(incidents["date"].to_numpy()[rows], ids, cells.index, "quarter")
    result = emerging_hotspots(counts, adjacency)
    regions = load_regions("display").to_crs(EQUAL_AREA_CRS)
    return regions, cells.assign(category=result["category"])


class SketchMap:
    """A QWidget painting region outlines and emerging-hot-spot cells (screenshot only)."""

    def __new__(cls, regions, cells):
        from PySide6.QtCore import QPointF, QRectF, Qt
        from PySide6.QtGui import QColor, QPainter, QPen, QPolygonF
        from PySide6.QtWidgets import QWidget

        from juvmap.i18n import _
        from juvmap.stats.emerging import CATEGORY_LABELS

        class _Map(QWidget):
            def paintEvent(self, event):  # noqa: N802
                painter = QPainter(self)
                painter.setRenderHint(QPainter.RenderHint.Antialiasing)
                painter.fillRect(self.rect(), QColor("white"))
                x0, y0, x1, y1 = regions.total_bounds
                scale = min((self.width() - 20) / (x1 - x0), (self.height() - 150) / (y1 - y0))

                def pt(x, y):
                    return QPointF(10 + (x - x0) * scale, 10 + (y1 - y) * scale)

                def draw(geom):
                    for part in getattr(geom, "geoms", [geom]):
                        painter.drawPolygon(QPolygonF([pt(*c) for c in part.exterior.coords]))

                for code, row in cells.iterrows():
                    kind = row["category"].rsplit("_", 1)[0]
                    if row["category"] == "none":
                        continue
                    color = QColor(COLORS[kind])
                    if row["category"].endswith("_cold"):
                        color = QColor("#6baed6")
                    painter.setPen(Qt.PenStyle.NoPen)
                    painter.setBrush(color)
                    draw(row["geometry"])
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.setPen(QPen(QColor("#555555"), 1))
                for geom in regions.geometry:
                    draw(geom)
                present = [c for c in CATEGORY_LABELS if c in set(cells["category"]) and c != "none"]
                y = self.height() - 130
                for i, code in enumerate(present):
                    kind = code.rsplit("_", 1)[0]
                    color = QColor("#6baed6") if code.endswith("_cold") else QColor(COLORS[kind])
                    col, row_ = divmod(i, 6)
                    painter.fillRect(QRectF(12 + col * 260, y + row_ * 20, 14, 12), color)
                    painter.setPen(QColor("black"))
                    painter.drawText(QPointF(32 + col * 260, y + row_ * 20 + 11), _(CATEGORY_LABELS[code]))

        return _Map()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lang", default="ru", choices=("kk", "ru", "en"))
    parser.add_argument("--out", default=".")
    args = parser.parse_args(argv)
    from PySide6.QtWidgets import QApplication, QHBoxLayout, QWidget

    from juvmap.i18n import set_language
    from juvmap.io.gazetteer import get_gazetteer
    from juvmap.stats.evaluation import evaluate
    from juvmap.ui.docks.evaluation import EvaluationPanel
    from juvmap.ui.funnel_plot import FunnelPlot

    set_language(args.lang)
    app = QApplication.instance() or QApplication(sys.argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    window = QWidget()
    row = QHBoxLayout(window)
    regions, cells = emerging_layer()
    row.addWidget(SketchMap(regions, cells), 3)
    plot = FunnelPlot()
    points, limits, names, unit = funnel_inputs(args.lang)
    plot.set_data(points, limits, names, unit)
    plot.select("KZ-75")
    row.addWidget(plot, 2)
    window.resize(1500, 650)
    window.show()
    app.processEvents()
    window.grab().save(str(out / f"funnel_map_{args.lang}.png"))

    from juvmap.io.demo import load_demo_incidents

    incidents = load_demo_incidents()
    region = incidents["region"].astype(str).to_numpy()

    def run(request):
        masks = {key: np.isin(region, request[role]) for key, role in
                 (("T", "treated"), ("C", "control"), ("D", "displacement"), ("CD", "displacement_control"))
                 if request[role]}
        return evaluate(incidents["date"], masks, request["before"], request["after"])

    gaz = get_gazetteer()
    codes = sorted(set(region))
    panel = EvaluationPanel([(c, gaz.name(c, args.lang)) for c in codes], range(2019, 2024), run)
    for role, chosen in (("treated", ["KZ-75"]), ("control", ["KZ-71"]), ("displacement", ["KZ-19"]),
                         ("displacement_control", ["KZ-11"])):
        panel.choose(role, chosen)
    panel.set_periods((2019, 2021), (2022, 2023))
    panel.run()
    panel.resize(760, 620)
    panel.show()
    app.processEvents()
    panel.grab().save(str(out / f"evaluation_{args.lang}.png"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
