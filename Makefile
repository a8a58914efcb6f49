# Two commands on a fresh machine: `make run` (set up, then the whole graph on the generated sample, offline)
# and `make test` (set up, then the test suite). Everything installs into .venv from this repository's files.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup run test bench ui clean chromium

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv

# Bytecode is compiled at install time: with PYTHONDONTWRITEBYTECODE set, every process would otherwise
# recompile Dagster's sources on import (seconds per command).
setup: $(BIN)/uv
	$(BIN)/uv pip install --quiet -p $(BIN)/python --compile-bytecode -e ".[test]"

run: setup
	$(BIN)/osir run

test: setup chromium
	$(BIN)/python -m pytest -q

# The HTML report tests render the report in headless Chromium. Installed once (Debian package; needs root
# or sudo); on a machine without it those tests skip and say why.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
chromium:
	@if [ ! -x /usr/bin/chromium ]; then $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium; fi

bench: setup
	$(BIN)/python bench/bench_month.py

ui: setup
	DAGSTER_HOME=$(CURDIR)/dagster_home $(BIN)/dagster dev -w workspace.yaml

clean:
	rm -rf $(VENV) data out
