"""Fixtures of the import tests: `api_app`, `api_client` and `country` from tests/api/api_fixtures.py
(an app on the `db` fixture's database with the real city plugins, and the world of
tests/api/api_world.py), and the spreadsheet builders of sheets.py as `import_test_sheets`."""
from pathlib import Path

from tests.api.api_fixtures import api_app, api_client, country, load  # noqa: F401  (fixtures)

sheets = load("import_test_sheets", Path(__file__).parent / "sheets.py")
