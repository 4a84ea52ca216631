# The two commands of the README: `make serve` and `make test`. Both set up everything they need first.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: serve test lint install system clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

# The query UI's front-end packages (YASGUI), installed from the npm registry and served by the app.
NODE_STAMP := node_modules/.installed
$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || bash .ci/setup.d/10-node.sh
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

install: $(STAMP) $(NODE_STAMP)

# System programs some tests need (Chromium, Virtuoso, ...): each script in .ci/setup.d installs its program
# with apt-get when run as root and only reports what is missing otherwise (those tests then skip, except in CI).
system: $(STAMP)
	@for script in .ci/setup.d/*.sh; do bash "$$script" || exit 1; done

## Start the service on the bundled graph with the embedded in-memory store at http://127.0.0.1:8000
serve: install
	$(BIN)/helsegraf serve

# Files kept in ruff's format (ruff format); the rest of the tree is linted and type-checked, and joins this
# list once its owner has formatted it (formatting it all at once would collide with work in progress).
FORMATTED := src/helsegraf/formats.py src/helsegraf/errors.py src/helsegraf/sparql src/helsegraf/web/sparql.py \
	src/helsegraf/web/graph_store.py src/helsegraf/web/errors.py src/helsegraf/web/write_path.py \
	src/helsegraf/store/remote.py src/helsegraf/store/dialects.py tests/conformance \
	tests/integration/test_protocol_regressions.py tests/integration/test_client_matrix.py

## Lint (ruff), format check (ruff format) and type check (mypy); configured in pyproject.toml
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check $(FORMATTED)
	$(BIN)/mypy

## Install, lint and run every test
test: system install lint
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) build *.egg-info
