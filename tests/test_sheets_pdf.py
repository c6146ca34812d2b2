"""Printed recommendation sheets: searchable PDF text in the chosen language, one A4 page."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

pytestmark = [pytest.mark.qt,
              pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")]


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_pdf_sheet_has_region_name_and_every_recommendation(qapp, tmp_path, demo, profiles, lang):
    from juvmap.io.gazetteer import get_gazetteer
    from juvmap.recommend.rules import evaluate_all
    from juvmap.recommend.sheets import sheet_sources, sheets_from_profiles
    from juvmap.ui.sheets_pdf import write_sheets

    sheets = sheets_from_profiles(profiles, lang, synthetic=True, sources=sheet_sources(demo.attrs, lang),
                                  region="KZ-35")
    written = write_sheets(sheets, tmp_path, parts=("regions",))
    pdf = next(p for p in written if p.name.startswith("KZ-35") and p.suffix == ".pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert re.search(r"Pages:\s+1\n", info) and "A4" in info
    text = _words(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout)
    assert get_gazetteer().name("KZ-35", lang) in text
    result = evaluate_all(profiles, lang=lang)[0]["KZ-35"]
    assert result.recommendations, "the demo profile of Karaganda triggers rules"
    for rec in result.recommendations:
        first_words = " ".join(_words(rec.text).split()[:6])  # a line break may follow later
        assert first_words in text, first_words
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert "DejaVu" in fonts and " yes " in fonts  # fonts embedded
