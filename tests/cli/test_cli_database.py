"""`hrpark import / export / db`: a dossier into the database and back, all or nothing, on every
configured backend (SQLite, and PostgreSQL when HRPARK_TEST_DATABASE_URL is set)."""
import datetime
import json
from decimal import Decimal

import pytest
from click.testing import CliRunner

from core.records.accounts import MODELS as ACCOUNT_MODELS
from core.io.cli.main import cli
from core.io.dossier import normalise_dossier
from core.records.models import (
    MODELS,
    Agency,
    AgencyYear,
    Assessment,
    AuditLog,
    JurisdictionYear,
    Park,
    Rectification,
    Recognition,
)

NOT_IMPORTED = ("recognition", "assessments", "description", "ladder")  # evaluation inputs / the file's own note / output only


def row_counts():
    return {model.__name__: model.select().count() for model in MODELS + ACCOUNT_MODELS}


def imported_id(result):
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["park_id"]


def exported(run_db, park_id):
    result = run_db("export", park_id)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def without_evaluation_inputs(dossier):
    return {k: v for k, v in dossier.items() if k not in NOT_IMPORTED}


@pytest.mark.parametrize("name", ["changzhi-park.json", "karamay-park.json", "changzhi-four-branches.json"])
def test_import_then_export_round_trip(run_db, build, name):
    park_id = imported_id(run_db("import", build.example(name), "--json"))
    back = exported(run_db, park_id)
    expected = normalise_dossier(build.example_data(name))
    assert without_evaluation_inputs(back) == without_evaluation_inputs(expected)
    assert back["recognition"] is None and back["assessments"] == []  # not imported


def test_exported_file_imports_again_to_the_same_dossier(run_db, build, write_dossier):
    first = exported(run_db, imported_id(run_db("import", build.example("changzhi-park.json"), "--json")))
    first["park"]["name"] = "潞城区人力资源服务产业园（二期）"
    again = exported(run_db, imported_id(run_db("import", write_dossier(first), "--json")))
    assert again == first


def test_import_prints_the_new_park_and_stores_its_rows(run_db, build):
    result = run_db("import", build.example("changzhi-park.json"))
    assert result.exit_code == 0, result.output
    park = Park.get(Park.name == "潞城区人力资源服务产业园")
    assert f"已导入园区 #{park.id}" in result.stdout and "入驻机构12家" in result.stdout
    assert park.jurisdiction.code == "changzhi"
    assert Agency.select().where(Agency.park == park).count() == 12
    assert AgencyYear.select().join(Agency).where(Agency.park == park).count() == 24
    zhangze = AgencyYear.select().join(Agency).where(
        (Agency.park == park) & (Agency.name == "长治市漳泽人力资源服务有限公司") & (AgencyYear.year == 2025)
    ).get()
    assert (zhangze.revenue, zhangze.pass_through) == (Decimal("3600000.00"), Decimal("4500000.00"))
    targets = {t.year: (t.facts["urban_new_jobs"], t.facts["rural_transfer"]) for t in JurisdictionYear.select()}
    assert targets == {2024: (41000, 18000), 2025: (42000, 18000)}


def test_import_is_audited_as_the_cli_user(run_db, build):
    park_id = imported_id(run_db("import", build.example("karamay-park.json"), "--json"))
    rows = AuditLog.select().where((AuditLog.table == "park") & (AuditLog.record_id == park_id))
    (row,) = list(rows)
    assert row.action == "create" and row.actor.startswith("cli:") and row.role == "admin"


def test_a_park_of_the_same_name_is_refused_and_nothing_written(run_db, build):
    imported_id(run_db("import", build.example("changzhi-park.json"), "--json"))
    before = row_counts()
    result = run_db("import", build.example("changzhi-park.json"))
    assert result.exit_code == 2
    assert "park.name: 长治市已有同名园区“潞城区人力资源服务产业园”" in result.stderr
    assert "already exists" in result.stderr
    assert row_counts() == before


def test_the_same_name_in_another_city_is_a_different_park(run_db, build, write_dossier):
    imported_id(run_db("import", build.example("changzhi-park.json"), "--json"))
    data = build.example_data("changzhi-park.json")
    data["jurisdiction"] = "karamay"
    data["jurisdiction_years"] = []
    assert imported_id(run_db("import", write_dossier(data), "--json"))
    assert Park.select().where(Park.name == "潞城区人力资源服务产业园").count() == 2


def test_a_bad_dossier_exits_2_with_every_path_and_writes_nothing(run_db, build, write_dossier):
    imported_id(run_db("import", build.example("karamay-park.json"), "--json"))
    before = row_counts()
    data = build.dossier()
    data["agencies"][2]["years"][0]["revenue"] = "-100"
    data["agencies"][4]["licence_no"] = data["agencies"][0]["licence_no"]
    data["park"]["public_services"].append("health")
    result = run_db("import", write_dossier(data))
    assert result.exit_code == 2
    for path in ("agencies.2.years.0.revenue", "agencies.4.licence_no", "park.public_services.4"):
        assert f"{path}: " in result.stderr
    assert row_counts() == before


def test_malformed_json_writes_nothing(run_db, write_dossier):
    before = row_counts()
    result = run_db("import", write_dossier('{"format": "hrpark-dossier/1", "park": '))
    assert result.exit_code == 2 and "JSON 格式错误" in result.stderr
    assert row_counts() == before


def test_unknown_jurisdiction_in_the_dossier_writes_nothing_at_all(run_db, build, write_dossier):
    before = row_counts()
    result = run_db("import", write_dossier(build.dossier(jurisdiction="taiyuan")))
    assert result.exit_code == 2
    assert "jurisdiction: 辖区 “taiyuan” 不存在" in result.stderr
    assert row_counts() == before  # not even the jurisdictions synced on the way


def test_employment_targets_created_once_and_a_different_figure_refused(run_db, build, write_dossier):
    imported_id(run_db("import", build.example("changzhi-park.json"), "--json"))
    same = build.dossier(jurisdiction_years=[
        {"year": 2025, "facts": {"urban_new_jobs": 42000, "rural_transfer": 18000}},
        {"year": 2026, "facts": {"urban_new_jobs": 43000, "rural_transfer": 17000}},
    ])
    assert imported_id(run_db("import", write_dossier(same), "--json"))
    targets = {t.year: (t.facts["urban_new_jobs"], t.facts["rural_transfer"]) for t in JurisdictionYear.select()}
    assert targets == {2024: (41000, 18000), 2025: (42000, 18000), 2026: (43000, 17000)}

    before = row_counts()
    clash = build.dossier(jurisdiction_years=[{"year": 2025, "facts": {"urban_new_jobs": 42001, "rural_transfer": 18000}}])
    clash["park"]["name"] = "另一个产业园"
    result = run_db("import", write_dossier(clash))
    assert result.exit_code == 2
    assert "jurisdiction_years.0.facts.urban_new_jobs: 长治市2025年已录入 urban_new_jobs 为 42000，与档案（42001）不一致" in result.stderr
    assert "not the dossier's 42001" in result.stderr
    assert row_counts() == before


def test_export_carries_the_recognition_and_confirmed_assessments(run_db, build, db):
    park_id = imported_id(run_db("import", build.example("karamay-park.json"), "--json"))
    park = Park.get_by_id(park_id)
    recognition = Recognition.create(
        park=park, jurisdiction=park.jurisdiction, official_name="克拉玛依区人力资源服务产业园",
        recognised_on=datetime.date(2025, 9, 26), status="rectifying",
    )
    graded = Assessment.create(recognition=recognition, year=2025, grade="unqualified", status="confirmed")
    Rectification.create(assessment=graded, deadline=datetime.date(2026, 9, 30), outcome="failed")
    Assessment.create(recognition=recognition, year=2026, grade="excellent", status="draft")
    back = exported(run_db, park_id)
    assert back["recognition"] == {"recognised_on": "2025-09-26", "status": "rectifying", "revoked_on": None}
    assert back["assessments"] == [{"year": 2025, "grade": "unqualified", "rectification": "failed"}]


def test_export_to_a_file(run_db, build, tmp_path):
    park_id = imported_id(run_db("import", build.example("changzhi-park.json"), "--json"))
    target = tmp_path / "out.json"
    result = run_db("export", park_id, "-o", target)
    assert result.exit_code == 0 and f"已写入 {target}" in result.stderr
    assert json.loads(target.read_text(encoding="utf-8"))["park"]["name"] == "潞城区人力资源服务产业园"


def test_export_of_an_unknown_park_exits_2(run_db):
    result = run_db("export", 4242)
    assert result.exit_code == 2 and "park_id: 园区 #4242 不存在" in result.stderr


def test_db_upgrade_and_status_on_a_migrated_database(run_db):
    upgrade = run_db("db", "upgrade")
    assert upgrade.exit_code == 0 and "数据库已是最新" in upgrade.stdout
    status = run_db("db", "status", "--json")
    assert status.exit_code == 0
    applied = {m["name"]: m["applied"] for m in json.loads(status.stdout)}
    assert "0001_initial" in applied and all(applied.values())


def test_import_migrates_a_new_database_first(registry, build, tmp_path, db):
    runner = CliRunner()
    url = f"sqlite:///{tmp_path / 'new' / 'fresh.db'}"
    try:
        status = runner.invoke(cli, ["--database", url, "db", "status"])
        assert "未应用 pending" in status.stdout
        result = runner.invoke(cli, ["--database", url, "import", str(build.example("changzhi-park.json"))])
        assert result.exit_code == 0, result.output
        export = runner.invoke(cli, ["--database", url, "export", "1"])
        assert json.loads(export.stdout)["park"]["name"] == "潞城区人力资源服务产业园"
    finally:
        from core.records.db import database

        database.initialize(db)


def test_export_from_an_empty_database_asks_for_the_migrations(registry, tmp_path, db):
    runner = CliRunner()
    try:
        result = runner.invoke(cli, ["--database", f"sqlite:///{tmp_path / 'empty.db'}", "export", "1"])
    finally:
        from core.records.db import database

        database.initialize(db)
    assert result.exit_code == 1 and "hrpark db upgrade" in result.output


def test_the_database_url_comes_from_the_environment(registry, build, tmp_path, monkeypatch, db):
    monkeypatch.setenv("HRPARK_DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    try:
        result = CliRunner().invoke(cli, ["import", str(build.example("karamay-park.json"))])
    finally:
        from core.records.db import database

        database.initialize(db)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "env.db").exists()




def test_read_only_commands_read_deployment_settings_from_the_configured_database(registry, db, db_url):
    """A start date entered in the back office (a Setting row) reaches `hrpark plugins --database`."""
    from core.records.db import database
    from core.records.models import Setting
    from core.plugin.registry import set_registry

    Setting.create(jurisdiction_code="karamay", key="effective_from", value="2025-03-01")
    database.initialize(None)  # as in a fresh process: nothing bound before the command
    set_registry(None)  # the plugins load (and read their dates) inside the command
    try:
        result = CliRunner().invoke(cli, ["--database", db_url, "plugins", "--json"])
    finally:
        if database.obj is not None:
            database.obj.close()
        set_registry(registry)
        database.initialize(db)
    assert result.exit_code == 0, result.output
    karamay = next(j for j in json.loads(result.stdout)["jurisdictions"] if j["code"] == "karamay")
    assert (karamay["effective_from"], karamay["effective_until"]) == ("2025-03-01", "2027-02-28")
