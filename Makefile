# Một Cửa: `make run` starts the demo server, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint bench clean

$(STAMP): setup.cfg pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/motcua db upgrade
	$(BIN)/motcua demo load
	$(BIN)/motcua run --host 127.0.0.1 --port 5000

test: install
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check engine bpmn forms webapp tests bench

bench: install
	$(BIN)/python bench/task_completion.py

clean:
	rm -rf $(VENV) instance *.egg-info
