# The two set-up commands of the README: `make demo` (back office with demo data on SQLite) and
# `make test` (the whole suite; PostgreSQL too when HRPARK_TEST_DATABASE_URL is set).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install demo test browser doctools

$(BIN)/hrpark: setup.cfg pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(BIN)/hrpark

install: $(BIN)/hrpark

demo: install
	$(BIN)/hrpark demo

# Debian's Chromium and CJK fonts for the end-to-end tests (Playwright cannot download a browser
# here). Installed when missing and when we may; without them the browser tests are skipped.
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && (apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk >/dev/null) || echo "chromium not installed: browser tests will be skipped"; }

# LibreOffice (headless), CJK fonts and poppler for the slow document test that converts every
# .docx to PDF and PNG. Installed when missing and when we may; without them that test is skipped.
doctools:
	@command -v soffice >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && (apt-get update -qq && apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui fonts-noto-cjk poppler-utils >/dev/null) || echo "LibreOffice/poppler not installed: the document conversion test will be skipped"; }

# Both cores: tests are independent (each has its own database or schema), so xdist spreads them.
test: install browser doctools
	$(BIN)/python -m pytest -n auto
