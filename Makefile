# Two commands from a fresh clone: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: install demo test lint migrations-check clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed

# make demo [V=1] [DEMO_RESET_PASSWORDS=1]; ports: SINQRO_PORT (8000), SANDBOX_MARKET_PORT (8100)
demo: install
	$(PY) manage.py migrate --no-input
	$(PY) scripts/demo.py $(if $(V),-v,)

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) var db.sqlite3*

.PHONY: bench-catalog bench-pages
bench-catalog: install
	$(PY) bench/catalog.py

bench-pages: install
	$(PY) bench/pages.py

# Benchmarks 1, 2, 4 and the chaos run (PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379; see README "Performance").
.PHONY: bench-ingest bench-e2e bench-backlog bench-chaos
bench-ingest: install
	$(PY) bench/ingest.py

bench-e2e: install
	$(PY) bench/e2e.py

bench-backlog: install
	$(PY) bench/backlog.py

bench-chaos: install  # CHAOS_ARGS="--orders 400 --rate 4" for a smaller run (bench/chaos.py --help)
	$(PY) bench/chaos.py $(CHAOS_ARGS)
