"""Fixtures of the command-line tests: a CliRunner, dossiers built in the test, and the test
database handed to the CLI by URL (the CLI binds its own connection; the test's is restored)."""
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from core.io.cli.main import cli
from core.records.db import database
from core.rules.settings import forget_cached_settings

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
ALL_PUBLIC_SERVICES = ["employment_entrepreneurship", "vocational_training", "social_security", "talent_personnel"]


@pytest.fixture(autouse=True)
def no_ambient_database(monkeypatch, tmp_path):
    """No HRPARK_DATABASE_URL and no instance/hrpark.db: a command only sees the database a test gives it.
    Nor a database an earlier test left bound (the demo's enters start dates), nor settings cached from it."""
    monkeypatch.delenv("HRPARK_DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(database, "obj", None)
    forget_cached_settings()


@pytest.fixture
def run(registry):
    """run(*args) -> click Result, with both city plugins installed."""
    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(cli, [str(a) for a in args], catch_exceptions=True)

    return invoke


def example(name) -> Path:
    return EXAMPLES / name


def agency(n, revenue, pass_through=0, kind="operating", year=2025, licence_no=None, **extra):
    return {
        "name": f"测试人力资源服务有限公司{n:02d}",
        "kind": kind,
        "licence_no": f"晋人服证字〔2022〕第99{n:04d}号" if licence_no is None else licence_no,
        "service_lines": ["recruitment"],
        "admitted_on": "2023-01-01",
        "years": [{"year": year, "revenue": str(revenue), "pass_through": str(pass_through)}],
        **extra,
    }


def make_dossier(jurisdiction="changzhi", agencies=None, **overrides):
    """A park meeting every computed condition of both cities unless `overrides` say otherwise."""
    data = {
        "format": "hrpark-dossier/2",
        "jurisdiction": jurisdiction,
        "park": {
            "name": "测试人力资源服务产业园",
            "address": "山西省长治市屯留区测试路1号",
            "public_services": list(ALL_PUBLIC_SERVICES),
            "operator": {"kind": "company", "name": "测试运营有限公司", "staff_fulltime": 5, "staff_parttime": 1},
        },
        "sites": [{"name": "主园区", "core": True, "floor_area": "3200"}],
        "agencies": agencies if agencies is not None else [agency(i, 5_500_000) for i in range(1, 13)],
        "park_years": [{"year": 2025, "events_held": 20, "employment_promoted": 1600}],
        "facts": {"district_support_measures": ["房租补贴"], "special_fund": False},
        "jurisdiction_years": [{"year": 2025, "facts": {"urban_new_jobs": 7000, "rural_transfer": 3000}}],
    }
    for key, value in overrides.items():
        data[key] = value
    return data


@pytest.fixture
def write_dossier(tmp_path):
    """write_dossier(data or text) -> path of a file holding it."""
    counter = {"n": 0}

    def write(data):
        counter["n"] += 1
        path = tmp_path / f"dossier{counter['n']}.json"
        text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False, indent=2)
        path.write_text(text, encoding="utf-8")
        return path

    return write


def database_url(db) -> str:
    """The URL naming the test database `db` (for PostgreSQL: its own schema on the search path)."""
    from urllib.parse import quote

    if db.__class__.__name__.startswith("Sqlite"):
        return f"sqlite:///{db.database}"
    base = os.environ["HRPARK_TEST_DATABASE_URL"]
    options = db.connect_params.get("options", "")
    return f"{base}{'&' if '?' in base else '?'}options={quote(options)}"


@pytest.fixture
def db_url(db):
    return database_url(db)


@pytest.fixture
def run_db(db, registry):
    """run_db(*args): the CLI on the test database (via --database); the test's binding is restored."""
    runner = CliRunner()
    url = database_url(db)

    def invoke(*args):
        try:
            return runner.invoke(cli, ["--database", url, *[str(a) for a in args]], catch_exceptions=True)
        finally:
            database.initialize(db)
            db.connect(reuse_if_open=True)

    return invoke


class Builders:
    """The builders above, handed to tests as the `build` fixture (conftest is not importable
    under --import-mode=importlib)."""

    agency = staticmethod(agency)
    dossier = staticmethod(make_dossier)
    example = staticmethod(example)

    @staticmethod
    def example_data(name):
        return json.loads(example(name).read_text(encoding="utf-8"))


@pytest.fixture
def build():
    return Builders
