# Corridor Atlas — the two commands a new machine needs:
#   make run    start the app on the bundled corpus (seeds/)
#   make test   run the whole test suite (installs test deps and Chromium)
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8501

.PHONY: run test install install-test assets chromium benchmark clean

$(PY):
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: $(PYTHON) not found (Python >= 3.11 is required; set PYTHON=...)" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Installs are stamped on pyproject.toml so a second `make run` starts at once.
$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed assets
install-test: $(VENV)/.installed-test assets chromium

# Leaflet and friends come from the npm registry at install time (never committed),
# checked against pinned SHA-512 digests, and are served by Streamlit from static/.
assets: $(VENV)/.installed
	$(PY) -m geo assets

chromium:
	@if [ -x /usr/bin/chromium ]; then echo "chromium: $$(/usr/bin/chromium --version 2>/dev/null)"; \
	else \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO="sudo"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium chromium-driver >/dev/null; \
	  /usr/bin/chromium --version; \
	fi

# The gazetteer index is compiled here (about a minute, once; a no-op when fresh) rather than during
# the first page load.
run: install
	$(PY) -m geo.gazetteer
	$(VENV)/bin/streamlit run app.py --server.port $(PORT)

test: install-test
	$(PY) -m pytest $(PYTEST_ARGS)

benchmark: install-test
	$(PY) scripts/bench_geoparse_speed.py

clean:
	rm -rf $(VENV) static/vendor .cache
