# The two commands a new user needs are `make serve` and `make test`; both set
# everything up first. Everything lives in .venv/ and node_modules/.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CHROMIUM ?= /usr/bin/chromium

.PHONY: setup serve build test lint fuzz chromium clean bench

setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Debian's Chromium drives the browser tests (Playwright's own download cannot work here).
chromium:
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else echo "Chromium is missing: run 'sudo apt-get install chromium' (the browser tests need it)"; exit 1; fi; }

export NO_MKDOCS_2_WARNING := 1

serve: setup
	HANDBOOK_SITE_URL=http://127.0.0.1:8000/ $(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

build: setup
	$(BIN)/mkdocs build --strict

# Python: ruff. The runtime's JavaScript: type-checked by TypeScript (strict, against the
# page-worker protocol in assets/protocol.d.ts), one config for the page and one for the
# worker (and the handbook's own docs/javascripts/handbook.js, tsconfig.json); the build
# scripts syntax-checked by Node; markup.js current with markup.py.
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	node_modules/.bin/tsc -p plugins/handbook_calculators/tsconfig.page.json
	node_modules/.bin/tsc -p plugins/handbook_calculators/tsconfig.worker.json
	node_modules/.bin/tsc -p tsconfig.json
	for script in plugins/handbook_calculators/*.mjs; do node --check "$$script" || exit 1; done
	$(BIN)/python -m handbook_calculators.markup --check

# Three runs: the pure-Python tests with 100% branch coverage of calculators/ enforced;
# the fuzzing (10,000 examples per calculator) on both cores without the coverage
# tracer, which would slow it several times over; then the builds, the browser, and the
# compatibility matrix (other engines, other plugins: tests/compat/).
test: setup chromium lint
	$(BIN)/python -m pytest -m "not fuzz" tests/unit tests/parity
	$(BIN)/python -m pytest --no-cov -n 2 -m fuzz tests/unit
	CHROMIUM=$(CHROMIUM) $(BIN)/python -m pytest --no-cov tests/site tests/browser tests/compat tests/bench

# A longer fuzzing run of calculators.run than the test command's 10,000 examples per calculator.
fuzz: setup
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-100000} $(BIN)/python -m pytest --no-cov -n 2 -m fuzz tests/unit

# The speed benchmark (bench/, docs/performance.md): builds what it needs into a temp dir,
# measures in Chromium and with mkdocs build, prints one table. About 20-25 minutes;
# e.g. BENCH_ARGS="--runs 5 --pages 500" for a shorter run. Its last rows are cold loads over
# a shaped link (harness/link.py, bench/throttled.py): BENCH_ARGS="--only throttled" runs that
# section alone (about 5 minutes), BENCH_ARGS="--skip-throttled" leaves it out.
bench: setup chromium
	@CHROMIUM=$(CHROMIUM) $(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules site .pytest_cache .coverage .hypothesis
