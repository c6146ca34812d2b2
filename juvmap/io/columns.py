"""Map the column headers of a user's file to canonical fields, and parse their values.

Headers in Russian, Kazakh or English are recognised whatever their case, spacing or
punctuation ("Дата совершения", "Күні", "date", "LAT", "Статья УК РК" …). A user can
override any field: ``load_layer(path, mapping={"date": "My column"})``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib.util import find_spec

import numpy as np
import pandas as pd

from juvmap.paths import data_path

HAS_PYARROW = find_spec("pyarrow") is not None

#: canonical field -> header synonyms (compared after :func:`normalize_header`)
SYNONYMS: dict[str, tuple[str, ...]] = {
    "id": ("id", "№", "no", "nr", "номер", "нөмір", "number", "номер записи", "№ п п",
           "уникальный номер", "код записи", "record id", "case id", "ерув", "номер ерв"),
    "date": ("дата", "дата совершения", "дата совершения преступления", "дата события",
             "дата правонарушения", "күні", "күн", "күні мен уақыты", "оқиға күні",
             "жасалған күні", "date", "date of offence", "offence date", "event date",
             "datetime", "дата и время"),
    "time": ("время", "время совершения", "уақыты", "уақыт", "time", "hour", "час"),
    "article": ("статья ук", "статья", "статья ук рк", "ст ук", "бап", "қк бабы", "қк бап",
                "article", "criminal code article", "article cc", "ук рк", "квалификация"),
    "category": ("категория", "вид преступления", "вид", "санат", "санаты", "түрі",
                 "category", "offence type", "type", "crime type"),
    "gravity": ("тяжесть", "степень тяжести", "категория тяжести", "ауырлығы",
                "ауырлық дәрежесі", "gravity", "severity"),
    "region": ("область", "регион", "облыс", "аймақ", "өңір", "өңірі", "өңірлер", "region", "oblast", "province",
               "код региона", "код области", "region code", "iso", "iso code", "kato", "като",
               "область регион", "наименование области", "наименование региона",
               "өңір атауы", "облыс атауы", "region name"),
    "district": ("район", "аудан", "district", "город район", "район город"),
    "lat": ("широта", "ендік", "lat", "latitude", "y", "coord y", "y coord", "lat dd"),
    "lon": ("долгота", "бойлық", "lon", "lng", "long", "longitude", "x", "coord x",
            "x coord", "lon dd"),
    "age": ("возраст", "жасы", "жас", "age", "возраст лет", "полных лет"),
    "sex": ("пол", "жынысы", "жыныс", "sex", "gender"),
    "pupil": ("учащийся", "школьник", "учащийся школы", "оқушы", "pupil", "student",
              "schoolchild"),
    "repeat": ("повторно", "повторное", "повторность", "рецидив", "ранее судим",
               "қайталап", "қайталама", "repeat", "repeated", "recidivism", "reoffence"),
    "group": ("в группе", "группой", "групповое", "группа", "топпен", "топ", "group",
              "in group"),
    "intoxicated": ("в состоянии опьянения", "опьянение", "состояние опьянения",
                    "мас күйінде", "мас", "intoxicated", "drunk", "intoxication"),
    "place": ("место", "место совершения", "место происшествия", "орны", "оқиға орны",
              "жасалған орны", "place", "location", "scene"),
    "count": ("количество", "кол во", "число", "число преступлений", "количество преступлений",
              "число правонарушений", "количество правонарушений", "саны", "қылмыстар саны",
              "қылмыс саны", "құқық бұзушылықтар саны", "count", "cases", "offences", "crimes",
              "number of crimes", "number of offences", "crime count", "total", "всего",
              "барлығы"),
    "year": ("год", "жыл", "жылы", "year", "отчетный год", "есепті жыл", "период", "кезең",
             "period"),
}

#: the canonical fields, in the order they appear in a loaded table
CANONICAL_FIELDS: tuple[str, ...] = tuple(SYNONYMS)

#: words that disqualify a header from the loose (prefix) match of a field
_EXCLUDED_WORDS: dict[str, frozenset[str]] = {
    "date": frozenset({"рождения", "туған", "birth", "регистрации", "тіркелген", "registration"}),
    "region": frozenset({"рождения", "туған", "birth"}),
    "year": frozenset({"рождения", "туған", "birth"}),
}
#: fields that may be matched by the first words of a longer header
_PREFIX_FIELDS = ("date", "time", "article", "region", "district", "lat", "lon", "age", "sex",
                  "place", "count", "category", "gravity", "year")

_PUNCT = re.compile(r"[\s_\-.,:;/\\()\[\]{}\"'«»]+")


def normalize_header(text: object) -> str:
    """Return ``text`` casefolded, ё→е, punctuation as single spaces, stripped.

    Parameters
    ----------
    text : object
        A column header (any type; ``None`` gives ``""``).

    Returns
    -------
    str
        The comparison key, e.g. ``"Статья  УК (РК)"`` → ``"статья ук рк"``.
    """
    if text is None:
        return ""
    return _normalize(str(text))


@lru_cache(maxsize=8192)
def _normalize(text: str) -> str:
    s = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    return _PUNCT.sub(" ", s).strip()


_EXACT: dict[str, str] = {}
for _field, _names in SYNONYMS.items():
    for _name in _names:
        _EXACT.setdefault(normalize_header(_name), _field)


@lru_cache(maxsize=4096)
def _prefix_field(key: str) -> str | None:
    """Return the field whose multi-letter synonym starts the header ``key``, if any."""
    words = key.split()
    best: tuple[int, str] | None = None
    for field in _PREFIX_FIELDS:
        if _EXCLUDED_WORDS.get(field, frozenset()) & set(words):
            continue
        for name in SYNONYMS[field]:
            syn = normalize_header(name).split()
            if len(syn[0]) < 3 or words[: len(syn)] != syn:
                continue
            if best is None or len(syn) > best[0]:
                best = (len(syn), field)
    return best[1] if best else None


def detect_mapping(columns: Iterable[object]) -> dict[str, str]:
    """Guess which column holds each canonical field.

    Exact synonyms win over headers that only start with one ("Дата совершения
    преступления" → date); each column serves at most one field and each field takes the
    first column that matches.

    Parameters
    ----------
    columns : iterable
        The headers of a table, in file order.

    Returns
    -------
    dict
        ``field -> column`` for the fields that were recognised.
    """
    columns = list(columns)
    mapping: dict[str, str] = {}
    used: set[int] = set()
    keys = [normalize_header(c) for c in columns]
    for i, key in enumerate(keys):
        field = _EXACT.get(key)
        if field and field not in mapping:
            mapping[field] = columns[i]
            used.add(i)
    for i, key in enumerate(keys):
        if i in used or not key:
            continue
        field = _prefix_field(key)
        if field and field not in mapping:
            mapping[field] = columns[i]
            used.add(i)
    return {f: mapping[f] for f in CANONICAL_FIELDS if f in mapping}


def resolve_mapping(columns: Iterable[object],
                    overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """Combine :func:`detect_mapping` with a user's ``field -> column`` overrides.

    An override takes its column away from any field that had guessed it. The caller
    checks that the override fields and columns exist.
    """
    columns = list(columns)
    mapping = detect_mapping(columns)
    if overrides:
        taken = set(overrides.values())
        mapping = {f: c for f, c in mapping.items() if c not in taken}
        mapping.update(overrides)
    return {f: mapping[f] for f in CANONICAL_FIELDS if f in mapping}


def mapped_count(columns: Iterable[object]) -> int:
    """Return how many canonical fields the headers ``columns`` map to (header detection)."""
    return len(detect_mapping(columns))


# -- values ------------------------------------------------------------------------------------
#: canonical fields kept as stripped text, and yes/no fields
TEXT_FIELDS = ("category", "gravity", "district", "place")
BOOL_FIELDS = ("pupil", "repeat", "group", "intoxicated")
DATE_FORMATS = ("%d.%m.%Y", "%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S", "%d/%m/%Y",
                "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d.%m.%y", "ISO8601")
TRUE_WORDS = {"1", "да", "д", "иә", "ия", "yes", "y", "true", "истина", "+", "x", "х", "v", "✓"}
FALSE_WORDS = {"0", "нет", "н", "жоқ", "жок", "no", "n", "false", "ложь", "-", "—"}
MALE_WORDS = {"m", "м", "муж", "мужской", "male", "boy", "ер", "еркек", "ұл", "мальчик", "1"}
FEMALE_WORDS = {"f", "ж", "жен", "женский", "female", "girl", "әйел", "қыз", "девочка", "2"}
_ARTICLE = re.compile(r"(\d{1,3})(?:\s*[-‐‑–]\s*(\d{1,2}))?(?![\d])")
_TIME = re.compile(r"(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?")


@lru_cache(maxsize=1)
def known_articles() -> dict[str, str]:
    """Return ``normalised key -> article`` for ``data/criminal_code_articles.csv``."""
    table = pd.read_csv(data_path("criminal_code_articles.csv"), dtype=str, usecols=["article"])
    out = {}
    for art in table["article"].dropna():
        m = _ARTICLE.fullmatch(art.strip())
        if m:
            out[_article_key(m)] = art.strip()
    return out


def _article_key(m: re.Match) -> str:
    return str(int(m.group(1))) + (f"-{int(m.group(2))}" if m.group(2) else "")


# -- value parsers (each works on the distinct values of a column) -----------------------------
def factorize_text(s: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """Return codes (-1 for missing) and the distinct values as stripped text."""
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    text = pd.Series(np.asarray(uniques, dtype=object)).map(_as_text)
    return codes, text


def _as_text(v: object) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def take_codes(values: np.ndarray, codes: np.ndarray, missing: object) -> np.ndarray:
    """Expand per-distinct ``values`` to rows; ``missing`` where the code is -1."""
    out = np.append(values, np.array([missing], dtype=values.dtype))
    return out[np.where(codes < 0, len(values), codes)]


def expand_text(values: list[str | None], codes: np.ndarray) -> pd.Series:
    """Per-row text (pandas ``str`` dtype) from per-distinct ``values``; None/-1 are missing.

    With pyarrow the column is built as a dictionary decode, without a Python object per row.
    """
    codes = np.asarray(codes)
    if HAS_PYARROW:
        import pyarrow as pa

        index = pa.array(codes.astype(np.int32), mask=codes < 0)
        column = pa.DictionaryArray.from_arrays(index, pa.array(values, type=pa.string()))
        return pd.Series(column.cast(pa.string()).to_pandas(), dtype="str")
    table = np.array([*values, None], dtype=object)
    return pd.Series(table[np.where(codes < 0, len(values), codes)], dtype="str")


_UNIT = re.compile(r"^\s*([-+]?\d+(?:[.,]\d+)?)\s*(?:лет|л|год|года|г|жас|жаста|жасар|жаста"
                   r"|жыл|years?(?:\s+old)?|yrs?|y\s*o|шт|случа[йяев]+|дана|cases?)\.?\s*$",
                   re.IGNORECASE)


def strip_units(s: pd.Series) -> pd.Series:
    """Numbers followed by a unit word ("16 лет", "16 жас", "16 years", "3 случая") as the
    number alone; other values unchanged (per distinct value)."""
    if not (pd.api.types.is_object_dtype(s.dtype) or pd.api.types.is_string_dtype(s.dtype)
            or isinstance(s.dtype, pd.CategoricalDtype)):
        return s
    codes, text = factorize_text(s)
    bare = text.str.extract(_UNIT, expand=False)
    if bare.isna().all():
        return s
    return pd.Series(take_codes(bare.fillna(text).to_numpy(dtype=object), codes, None),
                     index=s.index, dtype=object)


def parse_numbers(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Parse numbers (decimal comma, spaces as thousands separators); return values, bad mask."""
    if pd.api.types.is_bool_dtype(s.dtype):
        s = s.astype(object)
    if pd.api.types.is_numeric_dtype(s.dtype):
        vals = np.array(s.to_numpy(dtype=float, na_value=np.nan), copy=True)
        bad = np.isinf(vals)
        vals[bad] = np.nan
        return vals, bad
    vals = np.array(pd.to_numeric(s, errors="coerce").to_numpy(dtype=float, na_value=np.nan),
                    copy=True)
    retry = np.isnan(vals) & s.notna().to_numpy()
    bad = np.zeros(len(s), dtype=bool)
    if retry.any():
        text = s[retry].astype(str).str.replace(r"[\s\u00a0\u202f']", "", regex=True)
        text = text.str.replace(",", ".", regex=False)
        again = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        vals[retry] = again
        bad[retry] = np.isnan(again) & text.ne("").to_numpy()
    inf = np.isinf(vals)
    bad |= inf
    vals[inf] = np.nan
    return vals, bad


def parse_dates(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Parse dates (dd.mm.yyyy, yyyy-mm-dd, dd/mm/yyyy, with or without time); values, bad."""
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        if getattr(s.dt, "tz", None) is not None:
            s = s.dt.tz_convert(None)
        return s.to_numpy(dtype="datetime64[us]"), np.zeros(len(s), dtype=bool)
    codes, text = factorize_text(s)
    parsed = np.full(len(text), np.datetime64("NaT"), dtype="datetime64[us]")
    todo = np.array(text.ne("").to_numpy(), copy=True)
    for fmt in DATE_FORMATS:
        if not todo.any():
            break
        got = pd.to_datetime(text[todo], format=fmt, errors="coerce")
        got_values = np.asarray(got.to_numpy(), dtype="datetime64[us]")
        ok = ~np.isnat(got_values)
        idx = np.flatnonzero(todo)[ok]
        parsed[idx] = got_values[ok]
        todo[idx] = False
    bad_u = todo
    return take_codes(parsed, codes, np.datetime64("NaT")), take_codes(bad_u, codes, False)


def parse_times(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Parse HH:MM[:SS] into timedeltas; return values and a bad mask."""
    codes, text = factorize_text(s)
    out = np.full(len(text), np.timedelta64("NaT"), dtype="timedelta64[s]")
    bad = np.zeros(len(text), dtype=bool)
    for i, t in enumerate(text):
        m = _TIME.search(t)
        if m and int(m.group(1)) < 24 and int(m.group(2)) < 60:
            out[i] = np.timedelta64(int(m.group(1)) * 3600 + int(m.group(2)) * 60
                                    + int(m.group(3) or 0), "s")
        else:
            bad[i] = t != ""
    return take_codes(out, codes, np.timedelta64("NaT")), take_codes(bad, codes, False)


def parse_articles(s: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Return the Criminal Code article of each row (missing when blank or unknown) and a
    mask of the rows whose non-blank value names no known article."""
    known = known_articles()
    codes, text = factorize_text(s)
    out: list[str | None] = []
    unknown = np.zeros(len(text), dtype=bool)
    for i, t in enumerate(text):
        keys = [_article_key(m) for m in _ARTICLE.finditer(t)]
        hit = next((known[k] for k in keys if k in known), None)
        out.append(hit)
        unknown[i] = hit is None and t != ""
    return expand_text(out, codes), take_codes(unknown, codes, False)


def parse_choice(s: pd.Series, choices: dict[str, object], dtype: str) -> pd.Series:
    """Map distinct values through ``choices`` (casefolded); anything else is missing.

    ``dtype`` is ``"boolean"`` or ``"str"``.
    """
    codes, text = factorize_text(s)
    mapped = [choices.get(t.casefold()) for t in text]
    if dtype == "str":
        return expand_text(mapped, codes)
    table = pd.array([*(pd.NA if v is None else v for v in mapped), pd.NA], dtype=dtype)
    return pd.Series(table[np.where(codes < 0, len(text), codes)])


def parse_text(s: pd.Series) -> pd.Series:
    """Return stripped text (pandas ``str`` dtype), blanks missing (per distinct value)."""
    codes, text = factorize_text(s)
    return expand_text([t if t else None for t in text], codes)




def parse_ids(s: pd.Series) -> pd.Series:
    """Return record ids: numbers stay numbers, text is stripped, blanks are missing."""
    if pd.api.types.is_integer_dtype(s.dtype):
        return s.reset_index(drop=True)
    if pd.api.types.is_float_dtype(s.dtype) and np.all(np.isnan(s) | (np.round(s) == s)):
        return s.astype("Int64").reset_index(drop=True)
    text = s.astype("string").str.strip()
    return text.mask(text.eq("")).reset_index(drop=True)
