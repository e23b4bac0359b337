"""The demo enters both cities' (and 潞州区's) start dates of their measures as deployment settings
(issue 11 item 7), so no page of the demo warns that a start date is not set."""
import re

from admin_test_helpers import login

from admin.demo_accounts import DEMO_PASSWORD
from core.records.models import Application, Setting
from core.plugin.registry import load_registry

NOT_SET = ("施行日期尚未设置", "not yet entered")


def test_issue_11_item_7_the_demo_sets_each_jurisdictions_start_date(demo_db):
    entered = {(s.jurisdiction_code, s.key): s.value for s in Setting.select()}
    assert set(entered) >= {("changzhi", "effective_from"), ("karamay", "effective_from"), ("changzhi-luzhou", "effective_from")}
    registry = load_registry()
    for code in registry.jurisdictions:
        assert registry.get(code).info.effective_from is not None, code


def test_issue_11_item_7_no_demo_page_warns_that_a_start_date_is_not_set(demo_client, demo_db):
    assert login(demo_client, "admin", DEMO_PASSWORD).status_code == 302
    pages = ["/admin/", "/admin/rules/"] + [f"/admin/application/details/?id={a.id}" for a in Application.select()]
    evaluated = 0
    for path in pages:
        response = demo_client.get(path)
        assert response.status_code == 200, path
        page = response.get_data(as_text=True)
        evaluated += len(re.findall(r'id="criterion-', page))
        assert not any(text in page for text in NOT_SET), path
    assert evaluated > 0  # the eligibility panels were there to carry a warning
