# Two commands for a fresh clone: `make serve` (or `make build`) and `make test`.
# Everything is installed here: Python packages pinned into .venv, Debian packages with apt-get.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The same site on ProperDocs (the maintained fork of MkDocs 1.6), from its own venv.
PROPERDOCS_VENV := .venv-properdocs
# What a build needs (libqrencode encodes the QR codes; cairo draws makets and QR codes; DejaVu covers
# Vietnamese; librsvg paints an SVG backdrop template into them; Pango and HarfBuzz lay out the invitation's
# PDF (WeasyPrint); Liberation Serif 2, unlike fonts-liberation 1.07, has every Vietnamese letter), then
# what tests add.
BUILD_DEBIAN_PACKAGES := fonts-dejavu-core libcairo2 librsvg2-2 libqrencode4 fonts-liberation2 libpango-1.0-0 \
	libpangoft2-1.0-0 libharfbuzz-subset0
# `make publish` copies the site with rsync.
PUBLISH_DEBIAN_PACKAGES := rsync
# default-jre-headless runs the W3C Nu HTML checker (vnu-jar from npm) in tests/test_vnu.py.
DEBIAN_PACKAGES := $(BUILD_DEBIAN_PACKAGES) $(PUBLISH_DEBIAN_PACKAGES) chromium default-jre-headless nginx poppler-utils unzip
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: serve build test deps test-deps build-system-deps system-deps clean offline node-deps schema bench \
	properdocs properdocs-deps publish publish-system-deps lighthouse

## serve: install, build and serve at http://127.0.0.1:8000, rebuilding when data/meeting.yaml changes
serve: deps
	@echo "Trang thử ở http://127.0.0.1:8000, tự tạo lại mỗi khi lưu data/meeting.yaml; dừng bằng Ctrl+C."
	$(BIN)/mkdocs serve --strict --dirty --dev-addr 127.0.0.1:8000

## build: install and build the site into site/ (the old site/ stays until the new one is complete)
build: deps
	$(BIN)/python tools/build.py

## properdocs: the same as `make build`, with ProperDocs 1.6.7 in place of MkDocs (same mkdocs.yml, hooks, theme)
properdocs: properdocs-deps build-system-deps
	$(PROPERDOCS_VENV)/bin/python tools/build.py

## publish: build for SITE_URL and copy site/ to DEST with rsync (DEST=/srv/hoinghi/site or host:/path)
publish: deps publish-system-deps
	$(BIN)/python tools/publish.py "$(DEST)"

## schema: regenerate from the model data/meeting.schema.json (editor completion and checks) and the field reference in HUONG-DAN.md
schema: deps
	$(BIN)/python tools/schema.py

## test: install the test dependencies and run the tests
test: test-deps
	$(BIN)/python -m pytest

## offline: build the site for halls with no line, zipped into dist/ (opens from file://, search works)
offline: deps node-deps
	$(BIN)/python tools/offline.py

## bench: time national-scale builds against the floor, then `make serve` edits: the seed against plain MkDocs, the country (by hand, 25 minutes)
bench: $(VENV)/.bench-deps
	$(BIN)/python tools/bench.py $(BENCH_ARGS)
	$(BIN)/python tools/serve_latency.py --edits 7
	$(BIN)/python tools/serve_latency.py --edits 7 --plain
	$(BIN)/python tools/serve_latency.py --edits 3 --points 11372

## lighthouse: Lighthouse scores (mobile, slow 4G) of the seed site served by deploy/nginx.conf; minutes
lighthouse: deps system-deps node-deps
	$(BIN)/python tools/lighthouse.py $(LIGHTHOUSE_ARGS)

# node-deps too: the licence notices of every build read the npm packages the theme's files carry.
deps: $(VENV)/.deps build-system-deps node-deps
test-deps: $(VENV)/.test-deps $(PROPERDOCS_VENV)/.deps system-deps node-deps
properdocs-deps: $(PROPERDOCS_VENV)/.deps
node-deps: node_modules/.installed

$(VENV)/.deps: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

# requirements.txt without MkDocs, then ProperDocs, all with --no-deps: mkdocs-material would pull
# MkDocs back in (see requirements-properdocs.txt).
$(PROPERDOCS_VENV)/.deps: requirements.txt requirements-properdocs.txt
	test -x $(PROPERDOCS_VENV)/bin/python || $(PYTHON) -m venv $(PROPERDOCS_VENV)
	grep -vE '^mkdocs(-get-deps)?==' requirements.txt > $(PROPERDOCS_VENV)/requirements-without-mkdocs.txt
	$(PROPERDOCS_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --no-deps \
	  -r $(PROPERDOCS_VENV)/requirements-without-mkdocs.txt -r requirements-properdocs.txt
	touch $@

# Benchmark only: real place names for synthetic meetings (GPL-3.0, never imported by the site).
$(VENV)/.bench-deps: $(VENV)/.deps requirements-bench.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	touch $@

$(VENV)/.test-deps: $(VENV)/.deps requirements-dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# JavaScript packages pinned in package-lock.json (axe-core and vnu-jar for the tests, iframe-worker for
# the offline bundle, lighthouse for `make lighthouse`, and the libraries inside the theme's files, whose
# licences the notices read), from the npm registry; npm itself from Debian when the machine has none.
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  echo "Đang cài các gói Debian: nodejs npm"; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm; }
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# Browser, Java, web server and PDF tools for the tests come from Debian, never from a download.
# $(call apt_install,PACKAGES): install those dpkg does not report as installed.
apt_install = @dpkg -s $(1) >/dev/null 2>&1 || { \
	  echo "Đang cài các gói Debian: $(1)"; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $(1); }

build-system-deps:
	$(call apt_install,$(BUILD_DEBIAN_PACKAGES))

publish-system-deps:
	$(call apt_install,$(PUBLISH_DEBIAN_PACKAGES))

system-deps:
	$(call apt_install,$(DEBIAN_PACKAGES))

clean:
	rm -rf site .venv $(PROPERDOCS_VENV) .pytest_cache .cache
