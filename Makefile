# The two entry points of the README. Everything generated goes under var/ (ignored).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# The packages whose types are checked in `make test` (tests and DAG files are linted, not type-checked).
TYPED := extractors warehouse sandbox devenv expectations

.PHONY: setup run test bench lint clean preview-email browser screenshots

setup: $(VENV)/.installed

# uv is installed with the machine's own pip when missing; the lock file pins everything else.
$(VENV)/.installed: pyproject.toml uv.lock
	@$(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet "uv==0.13.9"
	$(PYTHON) -m uv sync --frozen --compile-bytecode
	@touch $@

run: setup
	$(PY) -m devenv.run_daily

# Lint, format and type checks first: they take seconds and fail before the slow suite starts.
test: setup lint browser
	$(PY) -m pytest -q

# Headless Chromium (Debian's package) and a CJK font (the zh-CN emails) for the email screenshot tests
# and the docs/ pictures; installed once.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BROWSER_PACKAGES := chromium fonts-wqy-zenhei
browser:
	@dpkg -s $(BROWSER_PACKAGES) >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(BROWSER_PACKAGES) >/dev/null; }

bench: setup
	$(PY) -m bench.pipeline_run

# Re-render the daily brief and weekly review from the serving file `make run` left, without running the pipeline.
preview-email: setup
	$(PY) -m warehouse.summary_email.brief

# The README's pictures of the emails, shot from the previews `make run` left.
screenshots: setup browser
	$(PY) -m devenv.screenshots

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy $(TYPED)

clean:
	rm -rf var
