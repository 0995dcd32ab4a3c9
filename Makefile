# The two commands of the README: `make run` and `make test`. Everything else is a helper.
# Dependencies are pinned in pyproject.toml; .venv/ is created at the repository root.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
# Debian packages the test suite needs: a real headless browser and a CJK font to render pages;
# poppler-utils (pdfsig, pdftoppm) checks signed result documents and renders them to PNG; CUPS
# with the cups-pdf driver is the kiosk's virtual printer.
TEST_DEBS := chromium chromium-driver fonts-wqy-microhei slapd ldap-utils \
	cups cups-client printer-driver-cups-pdf poppler-utils
# axe-core (accessibility checks of the kiosk screens in the browser tests), from the npm
# registry at a pinned version, checked against its SHA-256; never committed.
AXE_VERSION := 4.10.3
AXE_SHA256 := 880970c081707360e64f34cea25ff91892f5bc95675b0776925b9709dd8a68bb
AXE_JS := var/vendor/axe-core-$(AXE_VERSION)/axe.min.js
# Debian packages the platform needs at run time: pango (and harfbuzz's subsetter) for
# WeasyPrint's PDF documents, and a CJK font that the documents embed.
RUN_DEBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-wqy-microhei
# Debian packages needed to build wheels from source (python-ldap links against OpenLDAP).
BUILD_DEBS := libldap2-dev libsasl2-dev
# Tests keep their state (SQLite files, broker folders, cache) apart from the demo's.
TEST_ENV := VAR_DIR=$(CURDIR)/var/test
# The test processes copy one template database per alias, migrated once per run by the first
# of them (tests/conftest.py); the next run replaces a template that a killed run left behind.
# Three test processes on two cores: browser, worker and network waits leave a third busy
# (measured: 10 min 45 s with 2, 9 min 41 s with 3; docs/performance.md).
PYTEST_WORKERS ?= 3
# Size of the dashboard's demo history: applications per unit of last year's volume (0.01 ≈
# 5,500 applications, quick on SQLite; 1.0 is a full year of the reference university).
DEMO_HISTORY_SCALE ?= 0.01

.PHONY: run test install lint format bench clean messages

$(BIN)/activate:
	@$(PYTHON) -m venv --help >/dev/null 2>&1 || scripts/ensure-debian-packages python3-venv
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	@scripts/ensure-debian-packages $(BUILD_DEBS)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[test]"
	@touch $@

install: $(VENV)/.installed

$(AXE_JS):
	@command -v npm >/dev/null || scripts/ensure-debian-packages npm
	mkdir -p $(dir $@)
	cd $(dir $@) && npm pack --silent axe-core@$(AXE_VERSION) >/dev/null \
		&& tar xzf axe-core-$(AXE_VERSION).tgz package/axe.min.js \
		&& mv package/axe.min.js axe.min.js && rmdir package && rm axe-core-$(AXE_VERSION).tgz
	echo "$(AXE_SHA256)  $@" | sha256sum -c --quiet -

run: install
	@scripts/ensure-debian-packages $(RUN_DEBS)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py migrate --noinput --database=warehouse
	$(PY) manage.py load_demo_data
	$(PY) manage.py warehouse_load_demo
	$(PY) manage.py accounts_load_demo
	$(PY) manage.py applications_load_demo
	$(PY) manage.py matter_config_load_demo
	$(PY) manage.py province_load_demo
	$(PY) manage.py dashboard_load_demo
	$(PY) manage.py dashboard_demo_history --scale $(DEMO_HISTORY_SCALE)
	$(PY) manage.py results_demo_keys
	$(PY) manage.py results_load_demo
	$(PY) manage.py queueing_load_demo
	scripts/run-platform

test: install $(AXE_JS)
	@scripts/ensure-debian-packages $(TEST_DEBS) $(RUN_DEBS)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run
	rm -rf var/test
	$(TEST_ENV) AXE_JS=$(CURDIR)/$(AXE_JS) $(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install
	@scripts/ensure-debian-packages wrk slapd ldap-utils
	$(PY) bench/run_all.py

clean:
	rm -rf var $(VENV)

# Refresh the Simplified Chinese catalogue after changing user-facing text (needs gettext);
# translate the new entries in locale/zh_Hans/LC_MESSAGES/django.po, then run it again.
messages: install
	@scripts/ensure-debian-packages gettext
	$(PY) manage.py makemessages -l zh_Hans --ignore=.venv --ignore=var --ignore=tests --ignore=bench
	$(PY) manage.py compilemessages -l zh_Hans
