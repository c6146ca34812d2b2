"""The Region dock: the selected area's indicators beside the national values, and charts.

It renders the analysis result the map shows (the same numbers): a region's profile cut out
of it in incident mode, the area table's row otherwise (official figures, districts, a user
layer). Nothing is computed here; hidden cells stay hidden in the charts too."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from juvmap.i18n import _, get_language
from juvmap.ui.charts import HourWeekdayHeatmap, StructureChart, TrendChart

#: indicators shown in the table, in this order (keys of RegionProfile.indicators)
TABLE_KEYS = (
    "count", "rate", "eb_rate", "rank", "change_vs_base", "trend",
    "share_category:property", "share_category:person", "share_grave_plus",
    "share_pupil", "share_repeat", "share_group", "share_intoxicated", "share_female",
    "share_age_14_15", "share_after_school", "share_night", "share_public_place", "peak_hours",
)


class _Sorted(QTableWidgetItem):
    """A cell shown as text, sorted by a number (hidden values last)."""

    def __init__(self, text: str, key: float) -> None:
        super().__init__(text)
        self.key = key

    def __lt__(self, other) -> bool:  # noqa: D105
        return self.key < getattr(other, "key", 0.0)


class RegionPanel(QWidget):
    """Shows one :class:`~juvmap.recommend.profile.RegionProfile` (or an area's row).

    Signals
    -------
    areaChosen(str)
        A district was clicked in the Districts tab (select it on the map).
    """

    areaChosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("region-panel")
        self._profile = None
        self._result = None
        self._code: str | None = None
        self._name = ""
        layout = QVBoxLayout(self)
        self.title = QLabel()
        self.title.setObjectName("region-title")
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        layout.addWidget(self.title)
        self.table = QTableWidget(0, 3)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):  # values whole; the indicator's name wraps in what is left
            self.table.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)  # a long word breaks, never "…"
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        layout.addWidget(self.table, 3)
        self.tabs = QTabWidget()
        self.trend = TrendChart()
        self.structure = StructureChart()
        self.heatmap = HourWeekdayHeatmap()
        self.districts = QTableWidget(0, 3)
        self.districts.setObjectName("region-districts")
        self.districts.setSortingEnabled(True)
        self.districts.verticalHeader().setVisible(False)
        self.districts.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.districts.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.districts.cellClicked.connect(self._district_clicked)
        for widget in (self.trend, self.structure, self.heatmap):
            self.tabs.addTab(widget, "")
        layout.addWidget(self.districts, 2)  # shown when the areas are districts
        self.districts.hide()
        layout.addWidget(self.tabs, 2)
        self.retranslate()

    @property
    def region_name(self) -> str:
        """Name of the shown area as displayed ("" when none)."""
        return self._name if (self._profile is not None or self._code) else ""

    def show(self, profile, result, code: str | None = None) -> None:
        """Show ``profile`` (a RegionProfile of ``result``), or area ``code``'s row of ``result``."""
        self._profile, self._result = profile, result
        self._code = profile.code if profile is not None else code
        self._fill()

    def _fill_districts(self, lang: str) -> None:
        """The districts of the selected district's region, sortable; a click selects one."""
        from juvmap.describe import area_names
        from juvmap.numbers import format_number

        self.districts.setSortingEnabled(False)
        self.districts.setRowCount(0)
        result = self._result
        if result is None or result.request.level != "districts" or self._code is None:
            self.districts.setSortingEnabled(True)
            return
        areas = result.areas.assign(label=area_names(result, lang))
        own = areas.loc[areas["code"] == self._code, "region"]
        rows = areas[areas["region"] == (own.iloc[0] if len(own) else self._code)]
        self.districts.setRowCount(len(rows))
        for i, row in enumerate(rows.itertuples()):
            hidden = bool(row.suppressed)
            count = ("<5" if row.small else "×") if hidden else format_number(row.count, lang, 0)
            rate = "×" if hidden else format_number(row.rate, lang, 2)
            name = QTableWidgetItem(str(row.label))
            name.setData(Qt.ItemDataRole.UserRole, row.code)
            number = -1.0 if hidden or row.rate != row.rate else float(row.rate)
            counted = -1.0 if hidden else float(row.count)
            for j, item in enumerate((name, _Sorted(count, counted), _Sorted(rate, number))):
                self.districts.setItem(i, j, item)
        self.districts.setSortingEnabled(True)

    def _district_clicked(self, row: int, _column: int) -> None:
        item = self.districts.item(row, 0)
        if item is not None:
            self.areaChosen.emit(str(item.data(Qt.ItemDataRole.UserRole)))

    def clear(self) -> None:
        """Show that no area is selected."""
        self._profile, self._code = None, None
        self._fill()

    def _fill(self) -> None:
        from juvmap.recommend.sheet_html import format_value

        lang = get_language()
        profile = self._profile
        self.table.setRowCount(0)
        if profile is None and self._code is not None and self._result is not None:
            self._fill_area(lang)
            return
        if profile is None:
            self.title.setText(_("Click a region on the map"))
            for chart in (self.trend, self.structure, self.heatmap):
                chart.clear()
            return
        self._name = profile.name(lang)
        self.title.setText(f"{self._name} — {self._period_text()}")
        rows = [key for key in TABLE_KEYS if key in profile.indicators]
        self._set_rows([(_(profile.indicators[k].label), format_value(profile.indicators[k], lang),
                         format_value(profile.indicators[k], lang, national=True)) for k in rows])
        self._fill_charts(lang)

    def _period_text(self) -> str:
        from juvmap.describe import period_text

        return period_text(self._result) if self._result is not None else ""

    def _set_rows(self, rows: list[tuple[str, str, str]]) -> None:
        self.table.setRowCount(len(rows))
        for i, texts in enumerate(rows):
            for j, text in enumerate(texts):
                self.table.setItem(i, j, QTableWidgetItem(str(text)))

    def _fill_area(self, lang: str) -> None:
        """The area table's row of the selected area beside the national figures."""
        import math

        from juvmap.describe import area_names, denominator_text, source_notes
        from juvmap.numbers import format_number

        result, code = self._result, self._code
        codes = list(result.areas["code"])
        if code not in codes:
            self.clear()
            return
        row, nat = result.area(code), result.national
        hidden = bool(row["suppressed"])
        count = ("<5" if row["small"] else "×") if hidden else format_number(row["count"], lang, 0)
        ncount = "—" if nat["count"] is None else format_number(nat["count"], lang, 0)

        def rate(value, low, high) -> str:
            if hidden or not math.isfinite(value):
                return "×" if hidden else "—"
            return _("{rate} ({low}–{high})").format(rate=format_number(value, lang, 2),
                                                     low=format_number(low, lang, 2), high=format_number(high, lang, 2))

        rows = [
            (_("Count"), count, ncount),
            (_("Rate {unit}").format(unit=denominator_text(result, lang)),
             rate(row["rate"], row["ci_low"], row["ci_high"]), rate(nat["rate"], nat["ci_low"], nat["ci_high"])),
            (_("Smoothed rate (EB)"), "×" if hidden else format_number(row["eb_rate"], lang, 2), ""),
            (_("Rank by rate"), "×" if hidden or not math.isfinite(row["rank"]) else
             _("{rank} of {n}").format(rank=int(row["rank"]), n=len(codes)), ""),
        ]
        self._name = area_names(result, lang)[codes.index(code)]
        self.title.setText(f"{self._name} — {self._period_text()}")
        notes = source_notes(result)
        if code in result.flags.get("partial", []):
            notes.append(_("2022 split: the figures of 2022 cover part of the year or include a territory "
                           "that left in June 2022"))
        self._set_rows(rows + [(note, "", "") for note in notes])
        for chart in (self.trend, self.structure, self.heatmap):
            chart.clear()
        self._fill_districts(lang)
        self.districts.setVisible(result.request.level == "districts")

    def _fill_charts(self, lang: str) -> None:
        profile = self._profile
        yearly = profile.yearly
        if profile.suppressed or yearly.empty:
            self.trend.clear()
        else:
            self.trend.set_data(
                years=[int(y) for y in yearly.index],
                region=list(yearly["rate"].astype(float)),
                national=list(yearly["national_rate"].astype(float)),
                region_name=profile.name(lang),
                y_title=_("Rate"),
            )
        dist = profile.distributions.get("category")
        if dist is None or profile.suppressed or not (dist["count"] > 0).any():
            self.structure.clear()
        else:
            from juvmap.labels import value_label

            total = float(profile.indicators["count"].value)
            self.structure.set_data(
                labels=[value_label("category", v) for v in dist.index],
                region_shares=list(dist["count"] / total),  # hidden categories are NaN: no bar
                national_shares=list(dist["share"].astype(float)),
                region_name=profile.name(lang),
            )
        table = profile.hour_weekday
        if table is None or profile.suppressed:
            self.heatmap.clear()
        else:
            self.heatmap.set_data(table=table.to_numpy().T.copy())

    def retranslate(self) -> None:
        """Set every text in the current language (and refill the table)."""
        self.table.setHorizontalHeaderLabels([_("Indicator"), _("Region"), _("Kazakhstan")])
        self.districts.setHorizontalHeaderLabels([_("District"), _("Count"), _("Rate")])
        self.districts.setToolTip(_("The districts of the selected region"))
        for i, (text, hint) in enumerate(((_("Trend"), _("Trend of the rate per year")),
                                          (_("Structure"), _("Offence structure")),
                                          (_("Hour × day"), _("Hour × weekday")))):
            self.tabs.setTabText(i, text), self.tabs.setTabToolTip(i, hint)  # short tabs fit a narrow dock
        for chart in (self.trend, self.structure, self.heatmap):
            chart.retranslate()
        self._fill()
