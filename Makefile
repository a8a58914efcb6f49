# Two commands on a fresh machine: `make run` (set up, then the whole graph on the generated sample, offline)
# and `make test` (set up, then the test suite). Everything installs into .venv from this repository's files.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup run test bench ui clean chromium mutation

# uv itself lives in its own small venv (uv sync removes from .venv whatever the lock file does not list).
UV_VERSION := 0.13.8
UV := .tools/bin/uv
$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# The lock file decides every version: --locked fails when uv.lock no longer matches pyproject.toml
# (update deliberately: `.tools/bin/uv lock --upgrade`, then `make test`). Bytecode is compiled at install
# time: with PYTHONDONTWRITEBYTECODE set, every process would otherwise recompile Dagster's sources on import.
# The sync runs again only when the lock file or pyproject.toml changed since the last one (the project itself
# is installed editable, so a code change needs none): a no-op sync still costs most of a second per command.
SYNCED := $(VENV)/.synced
setup: $(SYNCED)
$(SYNCED): uv.lock pyproject.toml | $(UV)
	UV_PYTHON_DOWNLOADS=never $(UV) sync --quiet --locked --extra test --compile-bytecode --python $(PYTHON)
	@touch $@

run: setup
	$(BIN)/osir run
	$(BIN)/osir analytics

test: setup chromium
	$(BIN)/python -m pytest -q

# The HTML report tests render the report in headless Chromium. Installed once (Debian package; needs root
# or sudo); on a machine without it those tests skip and say why.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
chromium:
	@if [ ! -x /usr/bin/chromium ]; then $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium; fi

bench: setup
	$(BIN)/python bench/bench_month.py

# The UI opens the Dagster instance that records the default database's runs (`osir instance`: data/dagster_home,
# or $$OSIR_DB's folder, or $$DAGSTER_HOME), so it shows what `make run` and the other osir commands materialised.
ui: setup
	DAGSTER_HOME="$$($(BIN)/osir instance)" $(BIN)/dagster dev -w workspace.yaml

clean:
	rm -rf $(VENV) .tools data out

# Occasional mutation testing of the Python (README: Rule tests and mutation testing). mutmut copies the package
# into mutants/ but not the bundled links to dbt_like_sql/ and registry/, so they are made here first.
mutation: $(UV)
	UV_PYTHON_DOWNLOADS=never $(UV) sync --quiet --locked --extra test --extra mutation --compile-bytecode --python $(PYTHON)
	mkdir -p mutants/osir_assets/bundled
	ln -sfn ../../dbt_like_sql mutants/osir_assets/bundled/dbt_like_sql
	ln -sfn ../../registry mutants/osir_assets/bundled/registry
	nice $(BIN)/mutmut run --max-children 1
