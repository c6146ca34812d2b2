# juvmap — every target installs what it needs into .venv first.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
HEADLESS := QT_QPA_PLATFORM=offscreen QTWEBENGINE_CHROMIUM_FLAGS="--no-sandbox --disable-gpu"

.PHONY: install run test translations screenshots benchmarks clean

install: $(STAMP)

$(STAMP): pyproject.toml tools/system_deps.sh
	bash tools/system_deps.sh
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	$(MAKE) translations
	touch $(STAMP)

translations: $(VENV)/bin/pybabel
	$(PY) tools/i18n.py compile

$(VENV)/bin/pybabel:
	@test -x $@ || (echo "run make install first" && false)

run: install
	$(PY) tools/i18n.py compile --quiet
	$(VENV)/bin/juvmap

test: install
	$(PY) tools/i18n.py compile --quiet
	$(HEADLESS) $(PY) -m pytest -q -p no:cacheprovider

screenshots: install
	$(PY) tools/screenshots.py

benchmarks: install
	$(HEADLESS) $(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
