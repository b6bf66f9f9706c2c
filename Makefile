# Một Cửa: `make run` starts the demo server, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install static run test lint bench clean
STATIC := webapp/static/vendor/.built

$(STAMP): setup.cfg pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# Front-end packages come from npm (package-lock.json) and are copied into static files; no CDN.
$(STATIC): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p webapp/static/vendor
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/js/bootstrap.bundle.min.js \
	   node_modules/htmx.org/dist/htmx.min.js webapp/static/vendor/
	touch $(STATIC)

static: $(STATIC)

run: install static
	$(BIN)/motcua db upgrade
	$(BIN)/motcua demo load
	# the scheduler runs beside the web server and is stopped with it
	$(BIN)/motcua scheduler & pid=$$!; trap 'kill $$pid 2>/dev/null' EXIT INT TERM; \
	$(BIN)/motcua run --host 127.0.0.1 --port 5000

test: install static
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check engine bpmn forms webapp tests bench

bench: install
	$(BIN)/python bench/task_completion.py

clean:
	rm -rf $(VENV) instance *.egg-info
