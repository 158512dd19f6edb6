# The two entry points of the README. Everything generated goes under var/ (ignored).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# The packages whose types are checked in `make test` (tests and DAG files are linted, not type-checked).
TYPED := extractors warehouse sandbox devenv expectations

.PHONY: setup run test bench lint clean preview-email

setup: $(VENV)/.installed

# uv is installed with the machine's own pip when missing; the lock file pins everything else.
$(VENV)/.installed: pyproject.toml uv.lock
	@$(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet "uv==0.13.9"
	$(PYTHON) -m uv sync --frozen
	@touch $@

run: setup
	$(PY) -m devenv.run_daily

# Lint, format and type checks first: they take seconds and fail before the slow suite starts.
test: setup lint
	$(PY) -m pytest -q

bench: setup
	$(PY) -m bench.pipeline_run

# Re-render the daily brief from the serving file that `make run` left, without running the pipeline.
preview-email: setup
	$(PY) -m warehouse.summary_email.brief

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy $(TYPED)

clean:
	rm -rf var
