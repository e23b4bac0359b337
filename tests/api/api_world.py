"""A small country for the API and import tests, on the real city plugins: Karamay and Changzhi
with Luzhou (its own plugin) and Shangdang (none), a park in three of them with an agency, yearly
figures, an application, a recognition, an assessment, a subsidy and a ledger line; one account of
each kind with a live API token.

Loaded by tests/api/api_fixtures.py (for tests/api and tests/imports) as the module `api_test_world`.
"""
import datetime
from decimal import Decimal
from types import SimpleNamespace

from admin.api.tokens import issue_token
from core.records.models import (
    Agency,
    AgencyYear,
    Application,
    Assessment,
    Jurisdiction,
    LedgerEntry,
    ParkYear,
    Recognition,
    Subsidy,
)
from core.plugin.registry import sync_jurisdictions
from core.world.factory import add_district, add_park_with_figures

PARK_CODES = ("karamay", "changzhi", "changzhi-luzhou")


def build(registry, make_user):
    sync_jurisdictions(registry)
    w = SimpleNamespace(j={}, park={}, agency={}, agency_year={}, park_year={}, application={}, recognition={},
                        assessment={}, subsidy={}, ledger={}, user={}, token={})
    for row in Jurisdiction.select():
        w.j[row.code] = row
    w.j["shangdang"] = add_district(w.j, "changzhi", "shangdang", "上党区", "Shangdang")
    for code in PARK_CODES:
        j = w.j[code]
        park = w.park[code] = add_park_with_figures(
            dict(jurisdiction=j, name=f"{j.name_zh}人力资源服务产业园", address=f"{code} 路 1 号"),
            agencies=[dict(name=f"{j.name_zh}人才公司", licence_no=f"L-{code}",
                           years=[dict(year=2024, revenue=Decimal("1234567.89"))])],
            park_years=[dict(year=2024, events_held=3)],
        )
        w.agency[code] = Agency.get(Agency.park == park)
        w.agency_year[code] = AgencyYear.get(AgencyYear.agency == w.agency[code])
        w.park_year[code] = ParkYear.get(ParkYear.park == park)
        w.application[code] = Application.create(park=park, jurisdiction=j, year=2025)
        w.recognition[code] = Recognition.create(park=park, jurisdiction=j, application=w.application[code],
                                                 official_name=f"{j.name_zh}市级产业园",
                                                 recognised_on=datetime.date(2025, 10, 11))
        w.assessment[code] = Assessment.create(recognition=w.recognition[code], year=2025,
                                               scores={"economic_development": "80"}, total_score=Decimal("85.50"),
                                               grade="qualified", status="confirmed")
        w.subsidy[code] = Subsidy.create(park=park, jurisdiction=j, recognition=w.recognition[code], kind="operating",
                                         year=2025, amount=Decimal("500000.00"), rule_id="operating", article="第二十条")
        w.ledger[code] = LedgerEntry.create(park=park, subsidy=w.subsidy[code], project="租金", category="rent",
                                            amount=Decimal("1000.00"), date=datetime.date(2025, 11, 1))
    users = {
        "admin": ("root", "admin", {}),
        "karamay_officer": ("kmy_officer", "city_officer", {"jurisdiction": w.j["karamay"]}),
        "changzhi_officer": ("cz_officer", "city_officer", {"jurisdiction": w.j["changzhi"]}),
        "luzhou_officer": ("lz_officer", "county_officer", {"jurisdiction": w.j["changzhi-luzhou"]}),
        "changzhi_panel": ("cz_panel", "panel_member", {"jurisdiction": w.j["changzhi"]}),
        "luzhou_operator": ("lz_operator", "park_operator", {"park": w.park["changzhi-luzhou"]}),
        "karamay_operator": ("kmy_operator", "park_operator", {"park": w.park["karamay"]}),
    }
    for key, (username, role, binding) in users.items():
        w.user[key] = make_user(username, role, **binding)
        w.token[key] = issue_token(w.user[key], f"{key} token")[1]
    return w


#: For each account: the park codes whose records it reaches.
REACH = {
    "admin": set(PARK_CODES),
    "karamay_officer": {"karamay"},
    "changzhi_officer": {"changzhi", "changzhi-luzhou"},
    "luzhou_officer": {"changzhi-luzhou"},
    "changzhi_panel": {"changzhi", "changzhi-luzhou"},
    "luzhou_operator": {"changzhi-luzhou"},
    "karamay_operator": {"karamay"},
}


def headers(token):
    return {"Authorization": f"Bearer {token}"}
