"""Property: whatever text file comes in, every row is accounted for or one DataLoadError
is raised — never another exception."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from juvmap.errors import DataLoadError
from juvmap.io.columns import SYNONYMS, detect_mapping
from juvmap.io.load import load_layer

KNOWN_HEADERS = sorted({name for names in SYNONYMS.values() for name in names})
JUNK_HEADERS = ["", "Примечание", "Unnamed: 0", "колонка 7", "\ufeffid", " ", "a;b", 'q"q']
CELLS = ["", " ", "43,25", "43.25", "76.9", "76,95", "51.18", "71.44", "55.75", "37.6",
         "-0", "1e400", "nan", "NULL", "01.01.2020", "2021-06-30", "31/12/2019", "32.13.2020",
         "01.01.2099", "15.03.1995", "10:30", "25:99", "Алматы", "г. Астана", "ЮКО",
         "Атлантида", "KZ-75", "190000000", "188", "188-1", "ст. 190 ч.2", "999", "15", "9",
         "17,0", "М", "ж", "да", "иә", "1", "0", '"', '""', "a,b", "a;b", "x\ty", "line\nbreak",
         "\x00", "\u2028"]

cell = st.one_of(st.sampled_from(CELLS), st.text(max_size=12),
                 st.floats(allow_nan=True, allow_infinity=True).map(str),
                 st.integers(-10**6, 10**6).map(str))
#: values that make sense for a field, so that many random files also load rows
PLAUSIBLE = {
    "lat": st.floats(40.5, 55.5).map(lambda v: f"{v:.5f}"),
    "lon": st.floats(46.5, 87.0).map(lambda v: f"{v:.5f}".replace(".", ",")),
    "region": st.sampled_from(["Алматы", "Астана", "Карагандинская область", "Жетісу облысы",
                               "ЮКО", "KZ-61", "Mangystau Region", "Всего"]),
    "date": st.sampled_from(["15.03.2022", "2023-07-01", "01/02/2021 10:15", "2020-12-31"]),
    "article": st.sampled_from(["188", "190", "188-1", "106", "ст.293"]),
    "age": st.integers(9, 18).map(str),
    "count": st.integers(0, 500).map(str),
    "id": st.integers(1, 30).map(str),
}
header = st.one_of(st.sampled_from(KNOWN_HEADERS), st.sampled_from(JUNK_HEADERS),
                   st.text(max_size=10))


@st.composite
def csv_files(draw) -> tuple[bytes, str]:
    headers = draw(st.lists(header, min_size=1, max_size=8))
    if draw(st.booleans()):  # most files name a location: exercise the full pipeline
        headers += draw(st.sampled_from([["Широта", "Долгота"], ["lat", "lon"], ["Область"],
                                         ["Облыс", "Саны"], ["X", "Y", "region"]]))
    width = len(headers)
    fields = {col: field for field, col in detect_mapping(headers).items()}
    plausible = [PLAUSIBLE.get(fields.get(h, ""), cell) for h in headers]

    def row() -> list[str]:
        if draw(st.integers(0, 3)) == 0:  # a ragged or garbage row
            return draw(st.lists(cell, min_size=max(0, width - 2), max_size=width + 2))
        return [draw(st.one_of(p, cell) if draw(st.integers(0, 5)) == 0 else p)
                for p in plausible]

    rows = [row() for _ in range(draw(st.integers(0, 25)))]
    sep = draw(st.sampled_from([",", ";", "\t"]))
    quoted = draw(st.booleans())
    if quoted:
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter=sep, lineterminator=draw(st.sampled_from(
            ["\n", "\r\n"])))
        writer.writerow(headers)
        writer.writerows(rows)
        text = buf.getvalue()
    else:  # naive joining: stray quotes and separators inside cells stay unescaped
        text = "\n".join(sep.join(r) for r in [headers, *rows])
    title_rows = draw(st.lists(st.text(max_size=20), max_size=2))
    text = "".join(t.replace("\x00", "") + "\n" for t in title_rows) + text
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1251", "utf-16"]))
    return text.encode(encoding, errors="replace"), draw(st.sampled_from([".csv", ".txt"]))


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(csv_files())
def test_random_csv_accounts_for_every_row(content):
    data, suffix = content
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"random{suffix}"
        path.write_bytes(data)
        try:
            res = load_layer(path)
        except DataLoadError as exc:
            assert str(exc)
            return
    rep = res.report
    assert rep.rows_read == rep.loaded + rep.rejected
    assert sum(rep.reasons.values()) == rep.rejected == len(rep.rejected_rows)
    assert len(res.data) == rep.loaded
    assert res.kind in ("points", "regions")
    assert set(res.data["region"].dropna()) <= {f"KZ-{c}" for c in (
        "10", "11", "15", "19", "23", "27", "31", "33", "35", "39", "43", "47", "55", "59",
        "61", "62", "63", "71", "75", "79")}


# -- an oracle: valid tables under title rows, with ragged rows, are loaded row for row ------
#: points well inside Kazakhstan (city centres, data/settlements.csv)
INSIDE = [(43.2525, 76.9115), (51.1801, 71.4460), (42.3099, 69.6004), (50.2797, 57.2072),
          (49.8028, 73.1021), (52.2873, 76.9674), (53.2144, 63.6246), (44.8528, 65.5092),
          (51.2333, 51.3667), (50.4111, 80.2275), (42.9000, 71.3667)]
LAT_HEADERS = ["Широта", "lat", "Latitude", "Ендік", "Y"]
LON_HEADERS = ["Долгота", "lon", "Longitude", "Бойлық", "X"]
OPTIONAL = {"date": ["Дата", "Дата совершения", "date", "Күні"],
            "age": ["Возраст", "age", "Жасы"],
            "article": ["Статья УК", "article", "Бап"]}
TITLES = ["Отчёт о правонарушениях несовершеннолетних, 2023 год",
          "Составил: инспектор ПДН; тел. 8 727 000-00-00", "ДП г. Алматы",
          "Кәмелетке толмағандардың құқық бұзушылықтары, 2023", "Form 1-M, page 1",
          "Примечание: данные предварительные, не для печати", "Итого; за; период"]


@st.composite
def valid_tables(draw) -> tuple[bytes, int, int, list[float]]:
    """A table whose data rows are all valid; returns the file, the rows it must load, the
    rows with a surplus field (to reject) and the latitudes of the loaded rows."""
    fields = ["lat", "lon"] + draw(st.lists(st.sampled_from(sorted(OPTIONAL)), unique=True))
    fields = draw(st.permutations(fields))
    names = {"lat": st.sampled_from(LAT_HEADERS), "lon": st.sampled_from(LON_HEADERS),
             **{f: st.sampled_from(h) for f, h in OPTIONAL.items()}}
    header = [draw(names[f]) for f in fields]
    sep = draw(st.sampled_from([",", ";", "\t"]))
    comma = sep != "," and draw(st.booleans())
    loaded, surplus, lats = 0, 0, []
    rows = []
    for _i in range(draw(st.integers(1, 12))):
        lat, lon = draw(st.sampled_from(INSIDE))
        values = {"lat": f"{lat:.4f}", "lon": f"{lon:.4f}",
                  "date": draw(st.sampled_from(["15.03.2022", "2023-07-01", "01/02/2021"])),
                  "age": draw(st.sampled_from(["14", "16", "17 лет", "15 жас"])),
                  "article": draw(st.sampled_from(["188", "190", "106"]))}
        if comma:
            values["lat"], values["lon"] = (values[k].replace(".", ",") for k in ("lat", "lon"))
        row = [values[f] for f in fields]
        kind = draw(st.sampled_from(["plain", "plain", "trailing", "surplus"]))
        if kind == "trailing":
            row.append("")  # "a;b;c;" as spreadsheets export it
        elif kind == "surplus":
            row.append("лишнее")
            surplus += 1
        if kind != "surplus":
            loaded += 1
            lats.append(lat)
        rows.append(row)
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=sep, lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
    for title in draw(st.lists(st.sampled_from(TITLES), max_size=4)):
        buf.write(title + "\n")
    writer.writerow(header)
    writer.writerows(rows)
    text = buf.getvalue()
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1251", "utf-16"]))
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    return data, loaded, surplus, lats


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(valid_tables())
def test_valid_rows_under_title_rows_and_among_ragged_rows_are_loaded(table):
    data, loaded, surplus, lats = table
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "table.csv"
        path.write_bytes(data)
        res = load_layer(path)
    rep = res.report
    assert rep.rows_read == rep.loaded + rep.rejected == loaded + surplus
    assert rep.loaded == loaded
    assert rep.reasons == ({"malformed_row": surplus} if surplus else {})
    assert res.data["lat"].round(4).tolist() == lats
