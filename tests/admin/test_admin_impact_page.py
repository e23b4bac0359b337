"""The rule-change impact page (issue 12): a city officer sees, for a revision of the measures, the
parks within reach whose results it would move, in words; another city's officer cannot open it."""
import datetime

import pytest

from admin_test_helpers import login_as, make_user
from core.rules.jurisdiction import Revision
from core.records.models import Jurisdiction
from core.plugin.registry import load_registry, set_registry
from plugins.changzhi import ChangzhiPlugin
from tests.builders import make_park, registry_with

REVISION = """
label: 正式
effective_from: 2027-01-01
overrides:
  min_agencies:
    reference: 第六条第（三）项（2027年正式版）
    values: {2027-01-01: 13}
"""


@pytest.fixture
def revised_app(make_app, tmp_path):
    path = tmp_path / "revision.yaml"
    path.write_text(REVISION, encoding="utf-8")

    class Revised(ChangzhiPlugin):
        revisions = (Revision("正式", datetime.date(2027, 1, 1), path),)

    reg = set_registry(registry_with(load_registry(), "changzhi", Revised()))
    yield make_app(REGISTRY=reg)
    set_registry(load_registry())


def test_the_impact_page_lists_the_parks_a_revision_moves(revised_app):
    city = Jurisdiction.get(Jurisdiction.code == "changzhi")
    district = Jurisdiction.create(code="changzhi-shangdang", name_zh="上党区", level="county", parent=city)
    make_park(district, name="十二家机构园", agencies=12, year=2026)
    make_park(district, name="十五家机构园", agencies=15, year=2026)
    client = revised_app.test_client()
    login_as(client, make_user("cz_city", "city_officer", jurisdiction=city))
    rules_page = client.get("/admin/rules/").get_data(as_text=True)
    assert "/admin/rules/impact/?code=changzhi" in rules_page
    page = client.get("/admin/rules/impact/?code=changzhi&version=正式")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    moved = text[text.index('id="moved-parks"'):]
    assert "十二家机构园" in moved and "十五家机构园" not in moved
    assert "第六条第（三）项（2027年正式版）" in text and "入驻人力资源服务机构数量不少于" in text and "min_agencies" not in text
    assert "不符合" in moved and "not_met" not in moved  # statuses in words, not codes

    karamay = Jurisdiction.get(Jurisdiction.code == "karamay")
    other = revised_app.test_client()
    login_as(other, make_user("klmy_city", "city_officer", jurisdiction=karamay))
    assert other.get("/admin/rules/impact/?code=changzhi&version=正式").status_code == 404
    operator = revised_app.test_client()
    park = make_park(district, name="运营方园", agencies=11, year=2026)
    login_as(operator, make_user("op", "park_operator", park=park))
    assert operator.get("/admin/rules/impact/?code=changzhi&version=正式").status_code == 403
