"""A programme that cannot load is never replaced by another (issue 12): with the example county
plugin broken, its records' pages say 规则不可用 with the plugin's own error instead of showing them
under the city's rules, actions on them are refused naming that error, the administrator's home
lists it, and the command line exits 2."""
import datetime

import pytest

from admin_test_helpers import login_as, make_user
from core.io.cli.main import main
from core.records.models import Jurisdiction, Park, Recognition
from core.plugin.registry import load_registry, set_registry
from plugins.luzhou import LuzhouPlugin
from tests.builders import registry_with

ERROR_TEXT = "parameters.yaml 第12行：单位 m3 未知"


class BrokenLuzhou(LuzhouPlugin):
    def build_info(self):
        raise ValueError(ERROR_TEXT)


@pytest.fixture
def broken_registry():
    reg = registry_with(load_registry(), "changzhi-luzhou", BrokenLuzhou())
    assert [f.name for f in reg.failures] == ["changzhi-luzhou"]
    set_registry(reg)
    yield reg
    set_registry(load_registry())


@pytest.fixture
def luzhou_recognition(make_app, broken_registry):
    app = make_app(REGISTRY=broken_registry)
    city = Jurisdiction.get(Jurisdiction.code == "changzhi")
    luzhou = Jurisdiction.create(code="changzhi-luzhou", name_zh="潞州区", level="county", parent=city)
    park = Park.create(jurisdiction=luzhou, name="潞州人力资源服务产业园")
    recognition = Recognition.create(park=park, jurisdiction=luzhou, official_name="潞州人力资源服务产业园",
                                     recognised_on=datetime.date(2025, 3, 1), programme="changzhi-luzhou")
    return app, city, recognition


def test_its_records_say_rules_unavailable_with_the_plugins_error(luzhou_recognition):
    app, city, recognition = luzhou_recognition
    client = app.test_client()
    login_as(client, make_user("cz_city", "city_officer", jurisdiction=city))
    page = client.get(f"/admin/assessment/enter/?recognition_id={recognition.id}")
    text = page.get_data(as_text=True)
    assert page.status_code == 503, text[:300]
    assert "规则不可用" in text and ERROR_TEXT in text and "长治市级人力资源服务产业园管理办法" not in text


def test_the_administrators_home_lists_the_broken_plugin(luzhou_recognition):
    app, _, _ = luzhou_recognition
    client = app.test_client()
    login_as(client, make_user("root", "admin"))
    home = client.get("/admin/").get_data(as_text=True)
    assert "changzhi-luzhou" in home and ERROR_TEXT in home


def test_the_command_line_exits_2_naming_the_error(broken_registry, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["rules", "changzhi-luzhou"])
    assert exit_.value.code == 2
    assert ERROR_TEXT in capsys.readouterr().err
