"""The demo's accounts: one per role and city as the brief names them, each signs in with the demo
password through the real login form, and each sees only its own jurisdiction or park."""
import re
from pathlib import Path

import pytest
from admin_test_helpers import list_count, login

from admin.demo_accounts import ACCOUNTS, DEMO_PASSWORD, readme_table

README = Path(__file__).resolve().parents[2] / "README.md"

CHANGZHI_PARKS = {
    "潞州区人力资源服务产业园", "上党区人力资源服务产业园", "屯留区人才服务产业园", "潞城区人力资源服务产业园",
    "长治高新区人力资源服务产业园", "上党区北部人力资源服务分园", "屯留区东部人才服务园",
}
KARAMAY_PARKS = {
    "克拉玛依区人力资源服务产业园", "独山子人力资源服务产业园", "白碱滩区人力资源服务产业园",
    "克拉玛依南区人才服务产业园", "独山子西区人力资源服务园", "克拉玛依区北区人力资源服务产业园",
}
#: What each account must see in the park list, written out here rather than derived from scoping.
VISIBLE_PARKS = {
    "admin": CHANGZHI_PARKS | KARAMAY_PARKS,
    "cz_city": CHANGZHI_PARKS,
    "cz_finance": CHANGZHI_PARKS,
    "cz_panel": CHANGZHI_PARKS,
    "cz_lucheng": {"潞城区人力资源服务产业园"},
    "cz_luzhou": {"潞州区人力资源服务产业园", "长治高新区人力资源服务产业园"},
    "cz_park_lucheng": {"潞城区人力资源服务产业园"},
    "cz_park_luzhou": {"潞州区人力资源服务产业园"},
    "klmy_city": KARAMAY_PARKS,
    "klmy_finance": KARAMAY_PARKS,
    "klmy_panel": KARAMAY_PARKS,
    "klmy_baijiantan": {"白碱滩区人力资源服务产业园"},
    "klmy_dushanzi": {"独山子人力资源服务产业园", "独山子西区人力资源服务园"},
    "klmy_park": {"克拉玛依区人力资源服务产业园"},
}
#: Subsidies each account with access to the subsidy list must see: (park, kind, year).
VISIBLE_SUBSIDY_COUNTS = {
    "admin": 9, "cz_city": 6, "cz_finance": 6, "cz_luzhou": 3, "cz_park_luzhou": 3, "cz_park_lucheng": 0,
    "klmy_city": 3, "klmy_finance": 3, "klmy_dushanzi": 2, "klmy_park": 1, "klmy_baijiantan": 0, "cz_lucheng": 0,
}


def park_names(html):
    return {re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r'<td class="col-name">(.*?)</td>', html, re.S)}


def sign_in(client, username):
    response = login(client, username, DEMO_PASSWORD)
    assert response.status_code == 302, response.get_data(as_text=True)[:400]
    return response


def test_one_account_per_role_and_city_as_the_brief_lists_them(demo_db):
    from core.records.accounts import User

    bindings = {}
    for user in User.select():
        place = user.park.name if user.park_id else (user.jurisdiction.code if user.jurisdiction_id else None)
        bindings[(user.role, place)] = user.username
    required = [
        ("admin", None),
        ("city_officer", "changzhi"), ("city_finance", "changzhi"), ("panel_member", "changzhi"),
        ("county_officer", "changzhi-lucheng"), ("county_officer", "changzhi-luzhou"),
        ("park_operator", "潞城区人力资源服务产业园"),  # the Changzhi draft park
        ("city_officer", "karamay"), ("city_finance", "karamay"), ("panel_member", "karamay"),
        ("county_officer", "karamay-baijiantan"), ("county_officer", "karamay-dushanzi"),
        ("park_operator", "克拉玛依区人力资源服务产业园"),
    ]
    for binding in required:
        assert binding in bindings, binding
    # ...and a Changzhi operator of a recognised park.
    from core.records.models import Recognition

    recognised = {r.park.name for r in Recognition.select() if r.status == "active"}
    assert any(role == "park_operator" and place in recognised and place in CHANGZHI_PARKS for role, place in bindings)
    assert set(VISIBLE_PARKS) == {a.username for a in ACCOUNTS}


@pytest.mark.parametrize("username", [a.username for a in ACCOUNTS])
def test_each_account_signs_in_and_sees_only_its_parks(demo_client, username):
    sign_in(demo_client, username)
    home = demo_client.get("/admin/")
    assert home.status_code == 200
    html = demo_client.get("/admin/park/?page_size=100").get_data(as_text=True)
    expected = VISIBLE_PARKS[username]
    assert park_names(html) == expected
    assert list_count(html) == len(expected)
    for foreign in (CHANGZHI_PARKS | KARAMAY_PARKS) - expected:
        assert foreign not in html


@pytest.mark.parametrize("username, count", sorted(VISIBLE_SUBSIDY_COUNTS.items()))
def test_each_account_sees_only_its_subsidies(demo_client, username, count):
    sign_in(demo_client, username)
    response = demo_client.get("/admin/subsidy/?page_size=100")
    assert response.status_code == 200
    assert list_count(response.get_data(as_text=True)) == count


@pytest.mark.parametrize("password", ["demo123", "demo12345", "Demo1234"])
def test_only_the_demo_password_signs_in(demo_client, password):
    response = login(demo_client, "cz_city", password)
    assert response.status_code == 401
    assert "用户名或密码错误" in response.get_data(as_text=True)


@pytest.mark.parametrize("username, foreign_park", [
    ("klmy_city", "潞城区人力资源服务产业园"),
    ("cz_city", "克拉玛依区人力资源服务产业园"),
    ("cz_lucheng", "潞州区人力资源服务产业园"),
    ("cz_park_luzhou", "长治高新区人力资源服务产业园"),
])
def test_a_park_outside_the_accounts_scope_answers_404(demo_client, username, foreign_park):
    from core.records.models import Park

    park = Park.get(Park.name == foreign_park)
    sign_in(demo_client, username)
    for path in (f"/admin/park/details/?id={park.id}", f"/admin/park/edit/?id={park.id}"):
        response = demo_client.get(path)
        assert response.status_code in (403, 404), path
        assert foreign_park not in response.get_data(as_text=True)


def test_the_readme_lists_exactly_these_accounts():
    text = README.read_text(encoding="utf-8")
    assert "<!-- demo-accounts" not in text
    assert readme_table() in text
    for account in ACCOUNTS:
        assert f"| `{account.username}` |" in text
