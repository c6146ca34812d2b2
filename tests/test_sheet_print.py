"""Printed sheets of every region in kk, ru and en: no text runs into the footer, chart text ≥ 6 pt."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from html import unescape

import pytest

pytestmark = [pytest.mark.qt,
              pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")]

_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


def _pages(pdf) -> list[list[tuple[float, float, str]]]:
    """(yMin, yMax, word) of every word, page by page, in the order they are drawn."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for page in out.split("<page ")[1:]:
        pages.append([(float(m[1]), float(m[3]), unescape(m[4])) for m in _WORD.findall(page)])
    return pages


def _footers(html_text: str) -> list[Counter]:
    """The words of every page's footer, from the printed HTML."""
    out = []
    for page in html_text.split("<section class='page'>")[1:]:
        foot = page.split("<div class='foot'>", 1)[1].split("</div>", 1)[0]
        out.append(Counter(unescape(re.sub(r"<br>", " ", foot)).split()))
    return out


@pytest.fixture(scope="module")
def atlases(qapp, demo, profiles, tmp_path_factory):
    from juvmap.recommend.sheets import sheet_sources, sheets_from_profiles
    from juvmap.ui.sheets_pdf import write_sheets

    out = {}
    for lang in ("kk", "ru", "en"):
        sheets = sheets_from_profiles(profiles, lang, synthetic=True, sources=sheet_sources(demo.attrs, lang),
                                      atlas=True)
        (pdf,) = [p for p in write_sheets(sheets, tmp_path_factory.mktemp(lang), parts=("atlas",))
                  if p.suffix == ".pdf"]
        out[lang] = (sheets, pdf)
    return out


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_no_text_overlaps_the_footer_on_any_page(atlases, lang):
    """Below the top of the footer's first line there is nothing but the footer's own words."""
    sheets, pdf = atlases[lang]
    pages = _pages(pdf)
    footers = _footers(sheets.atlas)
    assert len(pages) == len(footers) == 21  # summary + 20 regions, one page each
    names = [sheets.names[c] for c in sorted(sheets.names, key=lambda c: sheets.names[c])]
    for i, (words, foot) in enumerate(zip(pages, footers, strict=True)):
        where = "summary" if i == 0 else names[i - 1]
        first = next(iter(foot))
        top = max(y0 for y0, _y1, w in words if w == first)  # the footer is the page's last block
        below = Counter(w for y0, y1, w in words if y1 > top + 0.5)
        intruders = below - foot
        assert not intruders, f"{lang} {where}: text over the footer: {sorted(intruders)[:8]}"
        assert sum(below.values()) >= 0.95 * sum(foot.values()), f"{lang} {where}: footer cut off"
        assert max(y1 for _y0, y1, _w in words) < 842 - 10, f"{lang} {where}: text runs off the page"


def test_every_page_has_its_region_and_the_demo_band(atlases):
    from juvmap.i18n import translate_in

    for lang, (sheets, pdf) in atlases.items():
        pages = [" ".join(w for _a, _b, w in words) for words in _pages(pdf)]
        demo = translate_in(lang, "DEMO")
        for code, name in sheets.names.items():
            assert any(name in text for text in pages[1:]), (lang, code)
        assert all(text.count(demo) >= 2 for text in pages), lang  # band and title
