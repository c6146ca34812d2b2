"""Coordinates typed by people: decimal degrees, or degrees-minutes-seconds strings.

«43°15′30″ с.ш.», "43 15 30 N", "N 43°15.5'", "76°54'30\\" E", "43-15-30" and
"43°15′30″ с.е." (Kazakh) are read; a value that is neither a number nor such a string is
flagged, and the loader's reason names both accepted formats.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from juvmap.io.columns import factorize_text, parse_numbers, take_codes

#: hemisphere words (after casefolding, dots and spaces removed) -> sign
_HEMISPHERES = {
    "n": 1, "north": 1, "сш": 1, "с": 1, "се": 1, "сш.": 1, "северной": 1, "солтүстік": 1,
    "s": -1, "south": -1, "юш": -1, "ю": -1, "ое": -1,
    "e": 1, "east": 1, "вд": 1, "в": 1, "шб": 1, "восточной": 1, "шығыс": 1,
    "w": -1, "west": -1, "зд": -1, "з": -1, "бб": -1,
}
_NUMBER = r"\d+(?:[.,]\d+)?"
_DMS = re.compile(
    rf"^(?P<pre>[^\d\s-]+)?\s*(?P<d>{_NUMBER})\s*(?:°|º|˚|град\.?|deg|[\s:-])\s*"
    rf"(?:(?P<m>{_NUMBER})\s*(?:['′’‘`]|мин\.?|min|[\s:-])?\s*)?"
    rf"(?:(?P<s>{_NUMBER})\s*(?:[\"″”“]|''|′′|сек\.?|sec)?\s*)?"
    rf"(?P<post>[^\d]+)?$", re.IGNORECASE)


def _hemisphere(word: str | None) -> int | None:
    """+1/-1 for a hemisphere word, 0 for none, ``None`` for an unknown word."""
    if not word:
        return 0
    key = re.sub(r"[\s.]", "", word.casefold())
    if not key:
        return 0
    return _HEMISPHERES.get(key)


def parse_dms(text: str) -> float | None:
    """Decimal degrees of a degrees-minutes-seconds string, ``None`` when it is not one."""
    m = _DMS.match(text.strip())
    if not m or (m.group("m") is None and m.group("s") is None and "°" not in text):
        return None
    pre, post = _hemisphere(m.group("pre")), _hemisphere(m.group("post"))
    if pre is None or post is None or (pre and post):
        return None
    degrees, minutes, seconds = (float((m.group(k) or "0").replace(",", ".")) for k in "dms")
    if minutes >= 60 or seconds >= 60:
        return None
    value = degrees + minutes / 60 + seconds / 3600
    return value * (pre or post or 1)


#: a value that is not a plain number: digit groups, degree or minute marks, or letters
_DMS_HINT = re.compile(r"\d\s+\d|\d-\d|[°º˚'′’\"″]|[^\W\d_]")


def parse_coordinates(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Parse a latitude or longitude column: decimal degrees, or DMS strings.

    A value with spaces between digit groups is read as degrees minutes seconds ("43 15 30"),
    not as a number with thousands separators.

    Returns
    -------
    (ndarray, ndarray)
        Decimal degrees (NaN where missing or bad) and the mask of the bad values.
    """
    if pd.api.types.is_numeric_dtype(s.dtype) or pd.api.types.is_bool_dtype(s.dtype):
        return parse_numbers(s)
    codes, text = factorize_text(s)
    hint = text.str.contains(_DMS_HINT).to_numpy(dtype=bool)
    values, bad = parse_numbers(text.where(~hint, ""))
    for i in np.flatnonzero(hint):
        value = parse_dms(text.iloc[i])
        values[i], bad[i] = (np.nan, True) if value is None else (value, False)
    return take_codes(values, codes, np.nan), take_codes(bad, codes, False)


__all__ = ["parse_coordinates", "parse_dms"]
