# zhifa — the two commands a new user needs are `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
ZHIFA  := $(BIN)/zhifa
STAMP  := $(VENV)/.installed
# Front-end files served from our own origin (Swagger UI), copied from the npm lock.
VENDOR := zhifa/core/static/vendor/swagger-ui/swagger-ui-bundle.js
# ECharts for the supervision cockpit, from the same lock.
CHARTS := zhifa/core/static/vendor/echarts/echarts.common.min.js
# Statute texts for the law library and the demo; imported at run time, never copied in.
LAWS_DIR ?= ../shared/laws
HOST ?= 127.0.0.1:8000

.PHONY: setup run demo test lint check serve clean lock

setup: $(STAMP) $(VENDOR) $(CHARTS)

$(VENDOR) $(CHARTS) &: package.json package-lock.json scripts/vendor-assets.sh
	@sh scripts/vendor-assets.sh
	@touch $(VENDOR) $(CHARTS)

$(STAMP): requirements.lock pyproject.toml
	@sh scripts/ensure-system-packages.sh $(PYTHON)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $(STAMP)

demo: setup
	$(ZHIFA) migrate --noinput
	@# A database from before the ledger gets the leaves of its existing records (a no-op otherwise).
	$(ZHIFA) ledger backfill
	$(ZHIFA) collectstatic --noinput --verbosity 0
	@if [ -d "$(LAWS_DIR)" ]; then $(ZHIFA) demo --laws "$(LAWS_DIR)"; else $(ZHIFA) demo; fi

run: demo
	@sh scripts/serve.sh $(ZHIFA) $(HOST)

# --dist load keeps pytest-django's order on each worker (transactional tests, which empty the
# tables, after the others); --dist loadscope would build each demo class once but loses that
# order, and the xdist_group mark no longer groups under pytest 9.2.
# --durations: CI prints the slowest tests, so the 15-minute budget shows where it goes.
test: setup
	@sh scripts/ensure-browser.sh
	@echo "== SQLite =="
	$(BIN)/pytest -n auto --dist load --durations=15
	@if [ -n "$$ZHIFA_TEST_DATABASE_URL" ]; then \
		echo "== PostgreSQL ($$ZHIFA_TEST_DATABASE_URL) =="; \
		ZHIFA_TEST_DATABASE_PASS=1 DATABASE_URL="$$ZHIFA_TEST_DATABASE_URL" $(BIN)/pytest -n auto --dist load --durations=15; \
	else \
		echo "PostgreSQL skipped: set ZHIFA_TEST_DATABASE_URL (e.g. postgresql://postgres@127.0.0.1:5432/test) to run the suite on it too."; \
	fi

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy zhifa

check: lint test

# Regenerate the lock after changing dependencies in pyproject.toml.
lock:
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --universal --python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) var/static node_modules zhifa/core/static/vendor .pytest_cache .mypy_cache .ruff_cache
