# The two commands: `make run` and `make test`. Both call `make install` first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
CATALOGS := $(patsubst %.po,%.mo,$(wildcard app/translations/*/LC_MESSAGES/messages.po))
RUN_PACKAGES := fonts-dejavu-core poppler-utils tesseract-ocr tesseract-ocr-vie
TEST_PACKAGES := $(RUN_PACKAGES) chromium qpdf softhsm2 opensc zbar-tools

.PHONY: install run test bench lint format translations clean

install: $(STAMP) $(CATALOGS)
	@scripts/system-packages $(RUN_PACKAGES)

# Installs only when the pinned requirements changed since the last install.
$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt -r requirements-dev.txt
	@touch $(STAMP)

app/translations/%/LC_MESSAGES/messages.mo: app/translations/%/LC_MESSAGES/messages.po $(STAMP)
	@$(VENV)/bin/pybabel -q compile -i $< -o $@

run: install
	$(PY) -m app.devserver

test: install
	@scripts/system-packages $(TEST_PACKAGES)
	$(PY) -m pytest $(PYTEST_ARGS)

bench: install
	$(PY) -m bench

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Refresh the message catalogues after changing user-facing text.
translations: install
	@mkdir -p app/translations
	$(VENV)/bin/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext --project eoffice --version 0.1.0 \
		--copyright-holder "e-office" -o app/translations/messages.pot .
	@test -f app/translations/vi/LC_MESSAGES/messages.po || \
		$(VENV)/bin/pybabel -q init -i app/translations/messages.pot -d app/translations -l vi
	$(VENV)/bin/pybabel -q update -i app/translations/messages.pot -d app/translations --no-fuzzy-matching
	$(MAKE) --no-print-directory install

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
