"""The daily scan of deadlines drawing near: a public notice with seven working days left (holidays
and make-up days counted) but not eight, a yearly assessment and a rectification within thirty
days, each told once to the accounts concerned, however often the scan runs."""
import pytest

from core.records import reminders
from core.records.models import PublicNotice
from core.records.notifications import Notification
from tests.admin_workflow.pages import DAY, application_at
from tests.admin_workflow.reminders import (  # noqa: F401 (no_mail is a fixture)
    no_mail, notifications_of, uploads,
)



def _under_notice_until(town, app, end):
    application = application_at(town, uploads(app), "cz", "public_notice")
    PublicNotice.update(end=end).where(PublicNotice.application == application).execute()
    return application


@pytest.mark.parametrize("on, told", [
    # The notice ends Monday 13 October 2025. After Friday 26 September: Sunday 28 September (a
    # make-up working day), 29 and 30 September, 9 and 10 October (the National Day holiday between),
    # Saturday 11 October (make-up) and the 13th — 7 working days left: told.
    (DAY(2025, 9, 26), True),
    # After Thursday the 25th, Friday the 26th is left too: 8 working days, not yet.
    (DAY(2025, 9, 25), False),
])
def test_a_notice_is_about_to_end_with_seven_working_days_left_not_eight(app, town, no_mail, on, told):
    _under_notice_until(town, app, DAY(2025, 10, 13))
    reminders.scan(on)
    rows = notifications_of(town.users["cz_city"], "notice_ending")
    assert bool(rows) is told
    if told:
        assert rows[0].due_on == DAY(2025, 10, 13) and "第七条" in rows[0].article
        assert notifications_of(town.users["cz_operator"], "notice_ending")
        assert not notifications_of(town.users["kr_city"], "notice_ending")


def test_the_scan_run_twice_tells_nothing_twice(app, town, no_mail):
    _under_notice_until(town, app, DAY(2025, 10, 13))
    first = reminders.scan(DAY(2025, 10, 9))
    assert first
    count = Notification.select().count()
    assert reminders.scan(DAY(2025, 10, 10)) == []
    assert Notification.select().count() == count


def test_an_assessment_falling_due_is_told_to_the_bureau_and_the_park(app, town, no_mail):
    """长治 assesses the previous year in the first quarter (第十八条): a park recognised in 2025 is due
    by 31 March 2026 — told on 10 March, not on 20 February (more than 30 days ahead)."""
    application_at(town, uploads(app), "cz", "recognised")
    assert reminders.scan(DAY(2026, 2, 20)) == []
    reminders.scan(DAY(2026, 3, 10))
    [row] = notifications_of(town.users["cz_city"], "assessment_due")
    assert row.due_on == DAY(2026, 3, 31) and "2025年度考核" in row.title and row.article == "第十八条"
    assert notifications_of(town.users["cz_operator"], "assessment_due")
    assert not notifications_of(town.users["cz_county"], "assessment_due")


@pytest.mark.parametrize("on, told", [(DAY(2026, 5, 1), True), (DAY(2026, 4, 30), False)])
def test_a_rectification_deadline_within_thirty_days_is_told(app, town, no_mail, on, told):
    from core.records.models import Assessment, Recognition, Rectification

    recognition = Recognition.create(park=town.kr_park, jurisdiction=town.j["karamay"], recognised_on=DAY(2025, 3, 1),
                                     official_name="克拉玛依市独山子人力资源服务产业园")
    assessment = Assessment.create(recognition=recognition, year=2025, status="confirmed", grade="unqualified",
                                   consequences=[{"kind": "rectify", "article": "第二十二条"}])
    Rectification.create(assessment=assessment, deadline=DAY(2026, 5, 31))
    closed = Rectification.create(assessment=assessment, deadline=DAY(2026, 5, 20), outcome="passed")
    reminders.scan(on)
    rows = notifications_of(town.users["kr_city"], "rectification_due")
    assert [(r.due_on, r.article, r.record_id) for r in rows] == ([(DAY(2026, 5, 31), "第二十二条", assessment.id)] if told else [])
    assert bool(notifications_of(town.users["kr_operator"], "rectification_due")) is told
    assert not notifications_of(town.users["kr_county"], "rectification_due")
    assert not Notification.select().where(Notification.dedupe_key == f"rectification_due:{closed.id}").exists()
