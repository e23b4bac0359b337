"""No workflow path reaches another jurisdiction's records: for each kind of account of Karamay (and
a Changzhi park operator, for another park of its own district) every new page and every new step
on Changzhi's records — application, material, notice, recognition, assessment, rectification,
subsidy, ledger line, their documents — answers 403 or 404, and the database is unchanged. The
control at the end proves the same paths open for those who may reach them."""
import re
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest

from admin_test_helpers import db_snapshot
from core.records.models import LedgerEntry, Material, Recognition, Rectification, Subsidy
from core.plugin.registry import rules_for
from core.records.services import assessments
from tests.admin_workflow.pages import CHANGZHI_FAIL, CHANGZHI_PASS, DAY, PDF, actors, application_at
from tests.builders import make_park

ACCOUNTS = ["kr_county", "kr_city", "kr_panel", "kr_finance", "kr_operator", "cz_operator"]


@pytest.fixture
def foreign(app, town):
    """Changzhi records on two parks of 上党区 other than the town's own Changzhi park."""
    shangdang = town.j["shangdang"]
    application = application_at(town, Path(app.config["UPLOAD_DIR"]), "cz", "public_notice",
                                 park=make_park(shangdang, name="公示中园区"))
    park = make_park(shangdang, name="已认定园区")
    recognition = Recognition.create(park=park, jurisdiction=shangdang, recognised_on=DAY(2025, 3, 1),
                                     official_name=rules_for(shangdang).recognised_name(park.name))
    city = actors(town)["cz_city"]
    confirmed = assessments.confirm_assessment(assessments.create_assessment(recognition, 2025, CHANGZHI_FAIL, city), city)
    draft = assessments.create_assessment(recognition, 2026, CHANGZHI_PASS, city)
    subsidy = Subsidy.create(park=park, jurisdiction=shangdang, recognition=recognition, kind="recognition_award",
                             year=2025, amount=Decimal("800000"), rule_id="changzhi.recognition_award", article="第九条")
    entry = LedgerEntry.create(park=park, subsidy=subsidy, project="房租减免", category="agency_rent",
                               amount=Decimal("1000"), date=DAY(2025, 6, 1))
    return SimpleNamespace(
        application=application, material=Material.get(Material.application == application),
        notice=application.notices.get(), park=park, recognition=recognition, draft=draft,
        rectification=Rectification.get(Rectification.assessment == confirmed), subsidy=subsidy, entry=entry,
        confirmed=confirmed,
    )


def pages(f):
    return [
        f"/admin/application/details/?id={f.application.id}",
        f"/admin/files/material/{f.material.id}",
        f"/admin/recognition/details/?id={f.recognition.id}",
        f"/admin/assessment/details/?id={f.draft.id}",
        f"/admin/assessment/details/?id={f.confirmed.id}",
        f"/admin/assessment/enter/?recognition_id={f.recognition.id}",
        f"/admin/subsidy/details/?id={f.subsidy.id}",
        f"/admin/subsidy/propose/?recognition_id={f.recognition.id}&year=2025",
        f"/admin/ledger/details/?id={f.entry.id}",
        f"/admin/ledger/record/?park_id={f.park.id}",
        f"/admin/documents/changzhi.approval_form/{f.application.id}/html",
        f"/admin/documents/changzhi.public_notice/{f.notice.id}/docx",
        f"/admin/documents/changzhi.approval_reply/{f.recognition.id}/html",
        f"/admin/documents/changzhi.assessment_result/{f.confirmed.id}/html",
        f"/admin/documents/changzhi.rectification_notice/{f.rectification.id}/html",
        f"/admin/documents/changzhi.subsidy_sheet/{f.subsidy.id}/docx",
    ]


def steps(f):
    a = f.application.id
    scores = {f"score-{k}": v for k, v in CHANGZHI_PASS.items()}
    posts = [
        ("/admin/application/open/", {"park": f.park.id, "year": "2026"}, None),
        (f"/admin/application/{a}/upload/", {"material_id": "other"}, {"file": (PDF, "x.pdf")}),
        (f"/admin/application/{a}/verdict/", {"criterion_id": "planning_report", "met": "0", "remark": "伪造"}, None),
        (f"/admin/application/{a}/waiver/", {"criterion_id": "branch_sites", "reason": "伪造"}, None),
        (f"/admin/application/{a}/objection/", {"text": "伪造"}, None),
        (f"/admin/assessment/enter/?recognition_id={f.recognition.id}", dict(scores, year="2027"), None),
        (f"/admin/assessment/{f.draft.id}/confirm/", {"version": str(f.draft.version)}, None),
        (f"/admin/assessment/{f.draft.id}/cancel/", {"reason": "伪造"}, None),
        (f"/admin/assessment/rectification/{f.rectification.id}/close/",
         {"outcome": "failed", "remark": "伪造", "version": str(f.rectification.version)}, None),
        (f"/admin/subsidy/propose/?recognition_id={f.recognition.id}", {"year": "2025"}, None),
        (f"/admin/ledger/record/", {"park_id": f.park.id, "category": "agency_rent", "amount": "1", "date": "2025-06-01",
                                    "project": "伪造"}, None),
        (f"/admin/ledger/{f.entry.id}/cancel/", {"reason": "伪造"}, None),
    ]
    procedure = rules_for(f.application.jurisdiction).procedure()
    for transition in procedure.transitions:  # every step of the procedure, whatever the state
        posts.append((f"/admin/application/{a}/transition/",
                      {"transition": transition.id, "version": str(f.application.version), "remark": "伪造"}, None))
    for action in ("approve", "pay", "withhold", "cancel", "recover"):
        posts.append((f"/admin/subsidy/{f.subsidy.id}/act/",
                      {"action": action, "version": str(f.subsidy.version), "reason": "伪造"}, None))
    return posts


@pytest.mark.parametrize("account", ACCOUNTS)
def test_no_workflow_path_reaches_another_jurisdiction(browse, town, foreign, account):
    browser = browse(account)
    before = db_snapshot()
    problems = []
    for path in pages(foreign):
        status = browser.get(path).status_code
        if status not in (403, 404):
            problems.append(f"GET {path}: {status}")
    for path, data, files in steps(foreign):
        status = browser.post(path, data, files=files).status_code
        if status not in (403, 404):
            problems.append(f"POST {path} {data.get('transition') or data.get('action') or ''}: {status}")
    assert not problems, "\n".join(problems)
    assert db_snapshot() == before


def test_the_same_pages_open_for_those_who_reach_them(browse, foreign):
    """The control: the checks above can fail — the city bureau reaches every one of these pages."""
    browser = browse("cz_city")
    for path in pages(foreign):
        assert browser.get(path).status_code == 200, path


def test_the_lists_leave_out_another_jurisdictions_records(browse, foreign):
    browser = browse("kr_city")
    for endpoint, record in (("application", foreign.application), ("assessment", foreign.draft),
                             ("recognition", foreign.recognition), ("subsidy", foreign.subsidy), ("ledger", foreign.entry)):
        html = browser.html(f"/admin/{endpoint}/")
        assert f"details/?id={record.id}" not in html, endpoint


def test_every_step_needs_the_forms_token(app, browse, town, foreign):
    """A POST without the CSRF token is refused with 400 and changes nothing (the other test files
    take these steps with the page's token, as the control)."""
    from admin_test_helpers import csrf_tokens

    browser = browse("cz_city")
    page = browser.html(f"/admin/application/details/?id={foreign.application.id}")
    forms = re.findall(r"<form\b[^>]*method=\"post\"[^>]*>.*?</form>", page, re.S)
    assert len(forms) >= 4 and all(csrf_tokens(form) for form in forms)
    before = db_snapshot()
    for path, data, files in steps(foreign):
        response = browser.client.post(path, data=data)
        assert response.status_code == 400, path
    assert db_snapshot() == before
