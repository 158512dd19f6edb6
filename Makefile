# The two entry points of the README. Everything generated goes under var/ (ignored).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: setup run test bench lint clean

setup: $(VENV)/.installed

# uv is installed with the machine's own pip when missing; the lock file pins everything else.
$(VENV)/.installed: pyproject.toml uv.lock
	@$(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet "uv==0.13.9"
	$(PYTHON) -m uv sync --frozen
	@touch $@

run: setup
	$(PY) -m devenv.run_daily

test: setup
	$(PY) -m pytest -q

bench: setup
	$(PY) -m bench.pipeline_run

lint: setup
	$(VENV)/bin/ruff check .

clean:
	rm -rf var
