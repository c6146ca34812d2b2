# juvmap — every target installs what it needs into .venv first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
HEADLESS := QT_QPA_PLATFORM=offscreen QTWEBENGINE_CHROMIUM_FLAGS="--no-sandbox --disable-gpu"

.PHONY: install run test screenshots benchmarks translations package clean

install: $(STAMP)

$(STAMP): pyproject.toml tools/system_deps.sh
	bash tools/system_deps.sh
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	$(PY) tools/i18n.py compile
	touch $(STAMP)

translations: install
	$(PY) tools/i18n.py extract
	$(PY) tools/i18n.py update
	$(PY) tools/i18n.py check

run: install
	$(PY) tools/i18n.py compile --quiet
	$(VENV)/bin/juvmap

test: install
	$(PY) tools/i18n.py compile --quiet
	$(HEADLESS) $(PY) -m pytest -q -p no:cacheprovider

screenshots: install
	$(PY) tools/i18n.py compile --quiet
	xvfb-run -a -s "-screen 0 1600x1000x24" env QTWEBENGINE_CHROMIUM_FLAGS="--no-sandbox --disable-gpu" \
		$(PY) tools/screenshots.py

benchmarks: install
	$(HEADLESS) $(PY) benchmarks/run_all.py

package: install
	$(PY) -m pip install --quiet -e ".[package]"
	$(PY) tools/i18n.py compile --quiet
	PY=$(PY) bash packaging/build.sh
	bash packaging/smoke_offline.sh dist/juvmap

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
