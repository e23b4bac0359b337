"""The written approval's document number (批复文号): typed with the step that recognises the park
(长治 第七条: 公示无异议的，行文批复), kept on the recognition, shown on its page and published on the
public 认定名单; a number longer than 60 characters is refused with nothing written."""
import datetime
from pathlib import Path

from admin_test_helpers import db_snapshot
from core.records.models import Application, PublicNotice, Recognition
from tests.admin_workflow.pages import application_at

NUMBER = "长人社发〔2025〕12号"


def after_the_notice(app, town, on_day):
    application = application_at(town, Path(app.config["UPLOAD_DIR"]), "cz", "public_notice")
    end = PublicNotice.get(PublicNotice.application == application).end
    on_day(end + datetime.timedelta(days=1))
    return application


def approve(browser, application, number):
    version = Application.get_by_id(application.id).version
    return browser.flashed(f"/admin/application/{application.id}/transition/",
                           {"transition": "approve", "version": str(version), "document_number": number})


def test_the_number_typed_with_the_approval_is_kept_shown_and_published(app, browse, town, on_day):
    application = after_the_notice(app, town, on_day)
    city = browse("cz_city")
    assert 'name="document_number"' in city.html(f"/admin/application/details/?id={application.id}")
    approve(city, application, f"  {NUMBER} ")
    recognition = Recognition.get(Recognition.application == application.id)
    assert recognition.document_number == NUMBER
    assert NUMBER in city.html(f"/admin/recognition/details/?id={recognition.id}")
    page = app.test_client().get("/public/changzhi/recognised/").get_data(as_text=True)
    assert f"<dd>{NUMBER}</dd>" in page


def test_a_number_of_61_characters_is_refused_and_60_taken(app, browse, town, on_day):
    application = after_the_notice(app, town, on_day)
    city = browse("cz_city")
    before = db_snapshot()
    page = approve(city, application, "号" * 61)
    assert "批复文号不能超过60个字" in page and db_snapshot() == before
    approve(city, application, "号" * 60)
    assert Recognition.get(Recognition.application == application.id).document_number == "号" * 60


def test_without_a_number_the_public_list_says_not_recorded(app, browse, town, on_day):
    application = after_the_notice(app, town, on_day)
    approve(browse("cz_city"), application, "")
    assert Recognition.get(Recognition.application == application.id).document_number == ""
    page = app.test_client().get("/public/changzhi/recognised/").get_data(as_text=True)
    assert "<dd>未登记</dd>" in page
