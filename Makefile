# Một Cửa: `make run` starts the demo server, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install static run test lint bench clean
STATIC := webapp/static/vendor/.built
FONTS := forms/printing/fonts
# Compiled from the committed .po at build time (the .mo is not committed).
MO := webapp/translations/en/LC_MESSAGES/messages.mo

$(STAMP): setup.cfg pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/pybabel -q compile -d webapp/translations
	touch $(STAMP)

install: $(STAMP)

# A changed catalogue recompiles (pybabel's -q goes before the command).
$(MO): webapp/translations/en/LC_MESSAGES/messages.po $(STAMP)
	$(BIN)/pybabel -q compile -d webapp/translations

# Front-end packages come from npm (package-lock.json) and are copied into static files; no CDN.
$(STATIC): package.json package-lock.json $(wildcard webapp/static_src/*.js)
	# a dependency (@carbon, via the properties panel) would report its use to IBM from a CI machine: not from ours
	IBM_TELEMETRY_DISABLED=true npm ci --no-audit --no-fund --loglevel=error
	mkdir -p webapp/static/vendor
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/js/bootstrap.bundle.min.js \
	   node_modules/htmx.org/dist/htmx.min.js node_modules/chart.js/dist/chart.umd.min.js webapp/static/vendor/
	# the studio (bpmn-js modeler, Camunda 7 properties panel, form-js editor) and the dossier page's viewer
	node_modules/.bin/esbuild webapp/static_src/studio.js webapp/static_src/viewer.js --bundle --minify \
	   --format=iife --target=es2020 --outdir=webapp/static/vendor --entry-names=[name].bundle --log-level=warning \
	   --loader:.woff=file --loader:.woff2=file --loader:.eot=file --loader:.ttf=file --loader:.svg=dataurl
	# Noto Serif (every Vietnamese glyph) for the printed forms, in the browser and in WeasyPrint's PDFs
	mkdir -p $(FONTS)
	cp node_modules/@expo-google-fonts/noto-serif/400Regular/NotoSerif_400Regular.ttf \
	   node_modules/@expo-google-fonts/noto-serif/400Regular_Italic/NotoSerif_400Regular_Italic.ttf \
	   node_modules/@expo-google-fonts/noto-serif/700Bold/NotoSerif_700Bold.ttf \
	   node_modules/@expo-google-fonts/noto-serif/700Bold_Italic/NotoSerif_700Bold_Italic.ttf $(FONTS)/
	cp node_modules/@expo-google-fonts/noto-serif/LICENSE_FONT $(FONTS)/OFL.txt
	touch $(STATIC)

static: $(STATIC)

# `motcua scheduler` (timers, warnings, outbox) runs beside the web server and stops with it.
# The demo switches the simulators on and gives their callbacks development secrets explicitly: nothing
# outside this recipe has a default secret, and MOTCUA_ENV=production refuses simulators altogether.
run: install static $(MO)
	$(BIN)/motcua db upgrade
	$(BIN)/motcua demo load
	export MOTCUA_SIMULATORS=$${MOTCUA_SIMULATORS:-true}; \
	export MOTCUA_PAYMENT_GATEWAY_SECRET=$${MOTCUA_PAYMENT_GATEWAY_SECRET:-dev-only-payment-secret}; \
	export MOTCUA_NATIONAL_PORTAL_URL=$${MOTCUA_NATIONAL_PORTAL_URL:-http://127.0.0.1:5000/simulators/national-portal}; \
	export MOTCUA_POPULATION_URL=$${MOTCUA_POPULATION_URL:-http://127.0.0.1:5000/simulators/population}; \
	export MOTCUA_POSTAL_URL=$${MOTCUA_POSTAL_URL:-http://127.0.0.1:5000/simulators/postal}; \
	export MOTCUA_CIVIL_STATUS_URL=$${MOTCUA_CIVIL_STATUS_URL:-http://127.0.0.1:5000/simulators/civil-status}; \
	export MOTCUA_RESIDENCE_URL=$${MOTCUA_RESIDENCE_URL:-http://127.0.0.1:5000/simulators/residence}; \
	export MOTCUA_INTERCONNECTION_URL=$${MOTCUA_INTERCONNECTION_URL:-http://127.0.0.1:5000/simulators/interconnection}; \
	export MOTCUA_POSTAL_CALLBACK_URL=$${MOTCUA_POSTAL_CALLBACK_URL:-http://127.0.0.1:5000/postal/callback}; \
	export MOTCUA_POSTAL_CALLBACK_SECRET=$${MOTCUA_POSTAL_CALLBACK_SECRET:-dev-only-postal-secret}; \
	export MOTCUA_PAYMENT_GATEWAY_URL=$${MOTCUA_PAYMENT_GATEWAY_URL:-http://127.0.0.1:5000/simulators/payment}; \
	export MOTCUA_VNEID_ISSUER=$${MOTCUA_VNEID_ISSUER:-http://127.0.0.1:5000/simulators/vneid}; \
	export MOTCUA_VNEID_CLIENT_SECRET=$${MOTCUA_VNEID_CLIENT_SECRET:-dev-only-vneid-secret}; \
	$(BIN)/motcua scheduler & pid=$$!; trap 'kill $$pid 2>/dev/null' EXIT INT TERM; \
	MOTCUA_WARM_BLANK_FORMS=true $(BIN)/motcua run --host 127.0.0.1 --port 5000

test: install static $(MO)
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check engine bpmn forms webapp tests bench

bench: install
	$(BIN)/python bench/task_completion.py

clean:
	rm -rf $(VENV) instance *.egg-info
