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
def test_pdf_sheet_has_region_name_and_every_recommendation(qapp, tmp_path, lang):
    from juvmap.analysis import AnalysisRequest, Sources, analyse
    from juvmap.io.gazetteer import get_gazetteer
    from juvmap.recommend.profile import all_profiles
    from juvmap.recommend.rules import evaluate
    from juvmap.recommend.sheets import build_sheets, sheet_request
    from juvmap.ui.sheets_pdf import write_sheets

    analysis = analyse(sheet_request(AnalysisRequest(period=(2019, 2023))), Sources.builtin())
    sheets = build_sheets(analysis, lang, region="KZ-35")
    written = write_sheets(sheets, tmp_path)
    pdf = next(p for p in written if p.name.startswith("KZ-35") and p.suffix == ".pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert re.search(r"Pages:\s+1\n", info) and "A4" in info
    text = _words(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout)
    assert get_gazetteer().name("KZ-35", lang) in text
    result = evaluate(all_profiles(analysis, lang=lang)["KZ-35"], lang=lang)
    assert result.recommendations, "the demo profile of Karaganda triggers rules"
    for rec in result.recommendations:
        first_words = " ".join(_words(rec.text).split()[:6])  # a line break may follow later
        assert first_words in text, first_words
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert "DejaVu" in fonts and " yes " in fonts  # fonts embedded
