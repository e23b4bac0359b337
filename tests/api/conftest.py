"""Fixtures of the API tests: `api_app`, `api_client` and `country`, from tests/api/api_fixtures.py
(shared with tests/imports)."""
from tests.api.api_fixtures import api_app, api_client, country  # noqa: F401  (fixtures)
