"""The Region dock: the selected region's indicators beside the national values, and charts."""

from __future__ import annotations

from PySide6.QtCore import Qt
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
from juvmap.ui.charts import HourWeekdayHeatmap, StructureChart, TrendChart, heatmap_inputs

#: indicators shown in the table, in this order (keys of RegionProfile.indicators)
TABLE_KEYS = (
    "count", "rate", "eb_rate", "rank", "change_vs_base", "trend",
    "share_category:property", "share_category:person", "share_grave_plus",
    "share_pupil", "share_repeat", "share_group", "share_intoxicated", "share_female",
    "share_age_14_15", "share_after_school", "share_night", "share_public_place", "peak_hours",
)


class RegionPanel(QWidget):
    """Shows one :class:`~juvmap.recommend.profile.RegionProfile`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("region-panel")
        self._profile = None
        self._heat_args = None
        self._official: str | None = None
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
        for widget in (self.trend, self.structure, self.heatmap):
            self.tabs.addTab(widget, "")
        layout.addWidget(self.tabs, 2)
        self.retranslate()

    @property
    def region_name(self) -> str:
        """Name of the shown region as displayed ("" when none)."""
        return self.title.text() if (self._profile is not None or self._official) else ""

    def show_profile(self, profile, incidents=None, flt=None) -> None:
        """Show ``profile``; ``incidents`` (filtered by ``flt``) feed the hour × weekday map."""
        self._official = None
        self._profile = profile
        self._heat_args = (incidents, flt)
        self._fill()

    def show_official(self, code: str) -> None:
        """Show a region's official 2022 figures (Form 1-M) beside the national ones."""
        from juvmap.io import builtin
        from juvmap.io.gazetteer import get_gazetteer
        from juvmap.numbers import SUPPRESS_BELOW, format_count, format_number
        from juvmap.mapping.official_map import MULTIPLIER, official_2022_table

        lang = get_language()
        self._profile, self._heat_args, self._official = None, None, code
        table, form = official_2022_table(), builtin.official_2022()
        if code not in table.index:
            return
        row, total = form.loc[code], form.sum(numeric_only=True)
        small = 0 < int(row["juveniles"]) < SUPPRESS_BELOW
        national_rate = total["juveniles"] / table["population"].sum() * MULTIPLIER

        def share(column: str) -> tuple[str, str]:
            mine = "×" if small else format_number(100 * row[column] / max(row["juveniles"], 1), lang, 1) + " %"
            return mine, format_number(100 * total[column] / total["juveniles"], lang, 1) + " %"

        rows = [
            (_("Juvenile offenders, 2022"), format_count(row["juveniles"], lang),
             format_number(total["juveniles"], lang, 0)),
            (_("Rate per 10,000 residents aged 0–17 (estimate)"),
             "×" if small else format_number(table.loc[code, "rate"], lang, 2),
             format_number(national_rate, lang, 2)),
            (_("Aged 16–17"), *share("juv_age_16_17")),
            (_("Grave"), *share("juv_grave")),
            (_("Especially grave"), *share("juv_especially_grave")),
            (_("Criminal misdemeanours"), *share("juv_misdemeanours")),
        ]
        self.title.setText(get_gazetteer().name(code, lang))
        self.table.setRowCount(len(rows))
        for i, texts in enumerate(rows):
            for j, text in enumerate(texts):
                self.table.setItem(i, j, QTableWidgetItem(str(text)))
        for chart in (self.trend, self.structure, self.heatmap):
            chart.clear()

    def clear(self) -> None:
        """Show that no region is selected."""
        self._profile = None
        self._heat_args = None
        self._fill()

    def _fill(self) -> None:
        from juvmap.recommend.sheet_html import format_value

        lang = get_language()
        profile = self._profile
        self.table.setRowCount(0)
        if profile is None and self._official is not None:
            self.show_official(self._official)
            return
        if profile is None:
            self.title.setText(_("Click a region on the map"))
            for chart in (self.trend, self.structure, self.heatmap):
                chart.clear()
            return
        self.title.setText(profile.name(lang))
        rows = [key for key in TABLE_KEYS if key in profile.indicators]
        self.table.setRowCount(len(rows))
        for i, key in enumerate(rows):
            ind = profile.indicators[key]
            for j, text in enumerate((_(ind.label), format_value(ind, lang),
                                      format_value(ind, lang, national=True))):
                self.table.setItem(i, j, QTableWidgetItem(text))
        self._fill_charts(lang)

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
        if dist is None or profile.suppressed or dist["count"].sum() == 0:
            self.structure.clear()
        else:
            from juvmap.labels import value_label

            total = float(dist["count"].sum())
            self.structure.set_data(
                labels=[value_label("category", v) for v in dist.index],
                region_shares=list(dist["count"] / total),
                national_shares=list(dist["share"].astype(float)),
                region_name=profile.name(lang),
            )
        incidents, flt = self._heat_args or (None, None)
        if incidents is None or profile.suppressed:
            self.heatmap.clear()
        else:
            self.heatmap.set_data(**heatmap_inputs(incidents, profile.code, flt))

    def retranslate(self) -> None:
        """Set every text in the current language (and refill the table)."""
        self.table.setHorizontalHeaderLabels([_("Indicator"), _("Region"), _("Kazakhstan")])
        for i, (text, hint) in enumerate(((_("Trend"), _("Trend of the rate per year")),
                                          (_("Structure"), _("Offence structure")),
                                          (_("Hour × day"), _("Hour × weekday")))):
            self.tabs.setTabText(i, text), self.tabs.setTabToolTip(i, hint)  # short tabs fit a narrow dock
        for chart in (self.trend, self.structure, self.heatmap):
            chart.retranslate()
        self._fill()
