"""Official documents through the one scoped download route: a Word and a print-ready HTML link on
the application, notice, recognition, assessment, rectification and subsidy pages; each downloads
for those who may see the record, answers 404 outside the user's reach or for another
jurisdiction's template, and 403 for a role that may not see that kind of record."""
import re
from decimal import Decimal
from pathlib import Path

import pytest

from core.records.models import Rectification, Recognition, Subsidy
from core.records.services import assessments
from tests.admin_workflow.pages import CHANGZHI_FAIL, actors, application_at


@pytest.fixture
def records(app, town):
    """A recognised Changzhi application with its notice, an assessment with a rectification, a subsidy."""
    application = application_at(town, Path(app.config["UPLOAD_DIR"]), "cz", "recognised")
    recognition = Recognition.get(Recognition.application == application)
    city = actors(town)["cz_city"]
    assessment = assessments.confirm_assessment(assessments.create_assessment(recognition, 2025, CHANGZHI_FAIL, city), city)
    subsidy = Subsidy.create(park=town.cz_park, jurisdiction=town.cz_park.jurisdiction, recognition=recognition,
                             kind="recognition_award", year=2025, amount=Decimal("800000"), rule_id="changzhi.recognition_award",
                             article="第九条", explanation="认定为市级产业园，一次性奖励80万元")
    return {
        "application": (f"/admin/application/details/?id={application.id}", "changzhi.approval_form", application.id),
        "notice": (f"/admin/application/details/?id={application.id}", "changzhi.public_notice", application.notices.get().id),
        "recognition": (f"/admin/recognition/details/?id={recognition.id}", "changzhi.approval_reply", recognition.id),
        "assessment": (f"/admin/assessment/details/?id={assessment.id}", "changzhi.assessment_result", assessment.id),
        "rectification": (f"/admin/assessment/details/?id={assessment.id}", "changzhi.rectification_notice",
                          Rectification.get(Rectification.assessment == assessment).id),
        "subsidy": (f"/admin/subsidy/details/?id={subsidy.id}", "changzhi.subsidy_sheet", subsidy.id),
    }


def download(template_id, record_id, fmt):
    return f"/admin/documents/{template_id}/{record_id}/{fmt}"


def test_each_page_links_its_documents_and_each_downloads(browse, town, records):
    city = browse("cz_city")
    for kind, (page, template_id, record_id) in records.items():
        html = city.html(page)
        for fmt in ("docx", "html"):
            assert download(template_id, record_id, fmt) in html, (kind, fmt)
        word = city.get(download(template_id, record_id, "docx"))
        assert word.status_code == 200, kind
        assert word.mimetype.endswith("wordprocessingml.document") and word.data[:2] == b"PK"
        assert word.headers["Content-Disposition"].startswith("attachment;")
        printed = city.get(download(template_id, record_id, "html"))
        assert printed.status_code == 200 and printed.headers["Content-Disposition"].startswith("inline;")
        assert town.cz_park.name in printed.get_data(as_text=True) or "长治上党人力资源服务产业园" in printed.get_data(as_text=True)


def test_the_park_operator_downloads_its_own_documents(browse, records):
    page, template_id, record_id = records["recognition"]
    operator = browse("cz_operator")
    assert download(template_id, record_id, "html") in operator.html(page)
    assert operator.get(download(template_id, record_id, "html")).status_code == 200


def test_another_jurisdiction_gets_404_for_every_document(browse, records):
    for account in ("kr_city", "kr_county", "kr_operator"):
        browser = browse(account)
        for kind, (_page, template_id, record_id) in records.items():
            for fmt in ("docx", "html"):
                assert browser.get(download(template_id, record_id, fmt)).status_code == 404, (account, kind, fmt)


def test_unknown_templates_formats_and_records_answer_404(browse, records):
    admin = browse("admin")
    _page, template_id, record_id = records["recognition"]
    assert admin.get(download(template_id, record_id, "html")).status_code == 200  # the control
    assert admin.get(download("changzhi.no_such_template", record_id, "html")).status_code == 404
    assert admin.get(download(template_id, record_id, "pdf")).status_code == 404
    assert admin.get(download(template_id, 999999, "html")).status_code == 404
    assert admin.get(download("karamay.recognition_notice", record_id, "html")).status_code == 404  # not its measures


def test_a_role_that_may_not_see_the_record_kind_gets_403(browse, records):
    finance, panel = browse("cz_finance"), browse("cz_panel")
    _page, template_id, record_id = records["application"]
    assert finance.get(download(template_id, record_id, "html")).status_code == 403
    _page, template_id, record_id = records["assessment"]
    assert panel.get(download(template_id, record_id, "html")).status_code == 403
    page, template_id, record_id = records["subsidy"]
    assert finance.get(download(template_id, record_id, "html")).status_code == 200
    assert not re.search(r"/admin/documents/changzhi\.approval_form/", finance.html(records["recognition"][0]))
