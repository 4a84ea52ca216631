# The two commands of the README: `make serve` and `make test`. Both set up everything they need first.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: serve test install qc clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

## Start the service on the bundled graph with the embedded in-memory store at http://127.0.0.1:8000
serve: install
	$(BIN)/helsegraf serve

## Install and run every test
test: install
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) build *.egg-info
