"""`hrpark erase-objections`: the objectors' personal information kept past the retention period is
erased, and the audit log says how many and which, never what."""
import datetime
import json

from core.records.models import AuditLog, Objection, Setting
from core.records.services import objections as obj
from tests.services.test_objections import file, under_notice  # noqa: F401 (fixture)


def test_the_command_erases_only_what_is_past_the_period(run_db, under_notice):  # noqa: F811
    application, notice, city = under_notice
    decided = obj.decide(obj.start_investigation(file(notice), city), "dismissed", "查无实据", "不成立", city,
                         on=datetime.date(2025, 11, 10))
    Setting.create(jurisdiction_code="", key="objection_retention_days", value="10")
    kept = run_db("erase-objections", "--on", "2025-11-20")  # ten days after the decision: still kept
    assert kept.exit_code == 0, kept.output
    assert "删除0条" in kept.output and Objection.get_by_id(decided.id).objector_phone == "13812345678"
    erased = run_db("erase-objections", "--on", "2025-11-21")
    assert erased.exit_code == 0, erased.output
    assert decided.reference in erased.output
    assert Objection.get_by_id(decided.id).objector_phone == "" and Objection.get_by_id(decided.id).erased_on
    row = AuditLog.select().where(AuditLog.action == "erase").order_by(AuditLog.id.desc()).get()
    assert row.actor.startswith("cli:") and json.loads(row.after)["erased"] == 1 and "13812345678" not in row.after
    assert run_db("erase-objections", "--on", "2025-13-40").exit_code == 2  # an impossible day is refused
