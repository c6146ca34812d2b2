"""The core is Qt-free: every module outside juvmap.ui imports with PySide6 blocked."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def core_modules() -> list[str]:
    names = []
    for path in sorted((ROOT / "juvmap").rglob("*.py")):
        rel = path.relative_to(ROOT).with_suffix("")
        parts = list(rel.parts)
        if parts[:2] == ["juvmap", "ui"] or parts[-1] == "__main__":
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names.append(".".join(parts))
    return names


def test_core_imports_without_pyside6():
    modules = core_modules()
    assert "juvmap.stats" in modules and "juvmap.io" in modules
    script = textwrap.dedent(
        f"""
        import importlib, sys
        class Block:
            def find_spec(self, name, path=None, target=None):
                if name == "PySide6" or name.startswith("PySide6."):
                    raise ImportError("PySide6 is blocked for the core: " + name)
        sys.meta_path.insert(0, Block())
        for name in {modules!r}:
            importlib.import_module(name)
        assert not any(m.startswith("PySide6") for m in sys.modules)
        print("ok", len({modules!r}))
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("ok")


def test_only_ui_imports_pyside6():
    offenders = []
    for path in (ROOT / "juvmap").rglob("*.py"):
        if "ui" in path.relative_to(ROOT / "juvmap").parts[:1]:
            continue
        text = path.read_text(encoding="utf-8")
        if "PySide6" in text and ("import PySide6" in text or "from PySide6" in text):
            offenders.append(str(path))
    assert offenders == []


def test_layer_contracts_hold():
    """import-linter: io -> stats -> analysis -> presenters -> state -> commands/ui, lazy imports
    included (the contracts are in pyproject.toml)."""
    lint = Path(sys.executable).with_name("lint-imports")
    out = subprocess.run([str(lint)], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]
    assert "0 broken" in out.stdout


def test_one_definition_of_the_small_count_threshold():
    """The threshold of the "<5" rule is defined once (juvmap.disclosure)."""
    import re

    definitions = []
    for path in (ROOT / "juvmap").rglob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if re.match(r"\s*SUPPRESS_BELOW\s*(:\s*int\s*)?=", line):
                definitions.append(str(path.relative_to(ROOT)))
    assert definitions == ["juvmap/disclosure.py"]


def test_html_sheets_need_no_qt(tmp_path):
    """`juvmap sheets --html-only` runs with PySide6 made unimportable."""
    script = textwrap.dedent(
        f"""
        import sys
        class Block:
            def find_spec(self, name, path=None, target=None):
                if name == "PySide6" or name.startswith("PySide6."):
                    raise ImportError("PySide6 is blocked: " + name)
        sys.meta_path.insert(0, Block())
        from juvmap.cli import main
        code = main(["--lang", "en", "sheets", "--source", "incidents", "--html-only", "--region", "KZ-75",
                     "--years", "2021-2023",
                     "--out", {str(tmp_path)!r}])
        assert code == 0, code
        assert not any(m.startswith("PySide6") for m in sys.modules)
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-3000:]
    pages = sorted(p.name for p in tmp_path.glob("*.html"))
    assert len(pages) == 2 and pages[0].startswith("KZ-75_") and pages[1] == "summary_en.html", pages
