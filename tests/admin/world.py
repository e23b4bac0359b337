"""A small country for the scoping tests: two cities, each with two counties, a park in every
jurisdiction with its site, agency, yearly figures, recognition, subsidy, ledger line, application
and an uploaded material — and one account of each kind."""
import datetime
from decimal import Decimal
from types import SimpleNamespace

from core.records.models import (
    Agency,
    AgencyYear,
    Application,
    JurisdictionYear,
    Jurisdiction,
    LedgerEntry,
    Material,
    ParkYear,
    Recognition,
    Site,
    Subsidy,
)
from core.world.factory import add_district, add_park_with_figures
from admin_test_helpers import make_user

JURISDICTIONS = [
    # code, name, English, level, parent
    ("karamay", "克拉玛依市", "Karamay", "city", None),
    ("dushanzi", "独山子区", "Dushanzi", "county", "karamay"),
    ("baijiantan", "白碱滩区", "Baijiantan", "county", "karamay"),
    ("changzhi", "长治市", "Changzhi", "city", None),
    ("luzhou", "潞州区", "Luzhou", "county", "changzhi"),
    ("shangdang", "上党区", "Shangdang", "county", "changzhi"),
]


def build_world(upload_dir=None):
    w = SimpleNamespace(j={}, park={}, site={}, agency={}, agency_year={}, park_year={}, recognition={},
                        subsidy={}, ledger={}, application={}, material={}, target={}, user={})
    for code, name, name_en, level, parent in JURISDICTIONS:
        if parent:
            add_district(w.j, parent, code, name, name_en)
        else:  # not synced from the registry: that would add Luzhou's plugin as a seventh jurisdiction
            w.j[code] = Jurisdiction.create(code=code, name_zh=name, name_en=name_en, level=level)
    for code, jurisdiction in w.j.items():
        park = w.park[code] = add_park_with_figures(
            dict(jurisdiction=jurisdiction, name=f"{jurisdiction.name_zh}产业园", address=f"{code} 路 1 号",
                 public_services=["employment_entrepreneurship"], build_mode="new"),
            [dict(name=f"{code}核心园区", is_core=True, floor_area=Decimal("3000"))],
            [dict(name=f"{code}人力资源公司", licence_no=f"L-{code}", years=[dict(year=2024, revenue=Decimal("1234567"))])],
            [dict(year=2024, events_held=3)],
        )
        w.site[code] = Site.get(Site.park == park)
        w.agency[code] = Agency.get(Agency.park == park)
        w.agency_year[code] = AgencyYear.get(AgencyYear.agency == w.agency[code])
        w.park_year[code] = ParkYear.get(ParkYear.park == park)
        application = Application.create(park=park, jurisdiction=jurisdiction, year=2025)
        w.application[code] = application
        stored = f"{code}/licence.pdf"
        if upload_dir is not None:
            (upload_dir / code).mkdir(parents=True, exist_ok=True)
            (upload_dir / stored).write_bytes(b"%PDF-1.4 " + code.encode())
        w.material[code] = Material.create(application=application, material_id="licence", filename="licence.pdf",
                                           stored_path=stored, content_type="application/pdf")
        w.recognition[code] = Recognition.create(park=park, jurisdiction=jurisdiction, application=application,
                                                 official_name=f"认定{jurisdiction.name_zh}产业园",
                                                 recognised_on=datetime.date(2025, 10, 11))
        w.subsidy[code] = Subsidy.create(park=park, jurisdiction=jurisdiction, recognition=w.recognition[code],
                                         kind="operating", year=2025, amount=Decimal("500000"), rule_id="operating",
                                         article="第二十条")
        w.ledger[code] = LedgerEntry.create(park=park, subsidy=w.subsidy[code], project=f"{code}项目",
                                            category="operations", amount=Decimal("1000"),
                                            date=datetime.date(2025, 11, 1))
    for code in ("karamay", "changzhi"):
        w.target[code] = JurisdictionYear.create(jurisdiction=w.j[code], year=2025, facts={"urban_new_jobs": 1000, "rural_transfer": 500})
    w.user["admin"] = make_user("root", "admin")
    w.user["karamay_county_officer"] = make_user("dsz_officer", "county_officer", jurisdiction=w.j["dushanzi"])
    w.user["changzhi_city_officer"] = make_user("cz_officer", "city_officer", jurisdiction=w.j["changzhi"])
    w.user["changzhi_county_officer"] = make_user("lz_officer", "county_officer", jurisdiction=w.j["luzhou"])
    w.user["park_operator"] = make_user("lz_operator", "park_operator", park=w.park["luzhou"])
    w.user["changzhi_finance"] = make_user("cz_finance", "city_finance", jurisdiction=w.j["changzhi"])
    w.user["changzhi_panel"] = make_user("cz_panel", "panel_member", jurisdiction=w.j["changzhi"])
    return w


#: For each account of the world: the jurisdictions whose records it reaches.
REACH = {
    "admin": {"karamay", "dushanzi", "baijiantan", "changzhi", "luzhou", "shangdang"},
    "karamay_county_officer": {"dushanzi"},
    "changzhi_city_officer": {"changzhi", "luzhou", "shangdang"},
    "changzhi_county_officer": {"luzhou"},
    "park_operator": {"luzhou"},  # its park, which lies in Luzhou
    "changzhi_finance": {"changzhi", "luzhou", "shangdang"},
    "changzhi_panel": {"changzhi", "luzhou", "shangdang"},
}
ALL_CODES = [code for code, *_ in JURISDICTIONS]


def foreign_codes(account):
    return [code for code in ALL_CODES if code not in REACH[account]]
