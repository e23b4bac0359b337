"""Demo data: both cities with their districts, parks in every state of their life, built through
the same services officials use (so the demo's records obey every rule they would).

Fictional parks and companies; figures chosen so each park lands where the demo needs it.
"""
import datetime
import random
from decimal import ROUND_UP, Decimal

from core.assessment import assessment_day
from core.audit import Actor
from core.models import (
    Agency,
    AgencyYear,
    EmploymentTarget,
    Jurisdiction,
    Park,
    ParkYear,
    Rectification,
    Recognition,
    Setting,
    Site,
    Subsidy,
)
from core.plugins import sync_jurisdictions
from core.programmes import governing_rules
from core.services import applications, assessments, ledger, subsidies
from core.services.materials import add_material
from core.vocab import OFFERED_SERVICES, PUBLIC_SERVICES, ROLES, SERVICE_LINES

DISTRICTS = {
    "changzhi": [("changzhi-luzhou", "潞州区", "Luzhou District"), ("changzhi-shangdang", "上党区", "Shangdang District"),
                 ("changzhi-tunliu", "屯留区", "Tunliu District"), ("changzhi-lucheng", "潞城区", "Lucheng District")],
    "karamay": [("karamay-kelamayi", "克拉玛依区", "Karamay District"), ("karamay-dushanzi", "独山子区", "Dushanzi District"),
                ("karamay-baijiantan", "白碱滩区", "Baijiantan District")],
}
COMPANY_STEMS = ["智联", "才聚", "英才", "众合", "汇才", "博睿", "鼎盛", "启航", "金桥", "新程", "华信", "锦程",
                 "卓越", "同创", "恒通", "远航", "德才", "优聘", "润泽", "天成"]
COMPANY_KINDS = ["人力资源有限公司", "人力资源服务有限公司", "劳务派遣有限公司", "管理咨询有限公司", "人才服务有限公司"]
#: The start dates of the measures (deployment settings: 长治 第二十一条 "自印发之日起", 克拉玛依
#: 第二十五条 "2025年×月×日", 潞州区办法第二十一条), fictional like the rest, before the demo's first
#: application of each, so no page of the demo says a start date is missing.
EFFECTIVE_FROM = {"changzhi": "2023-09-01", "changzhi-luzhou": "2024-01-01", "karamay": "2025-03-01"}
#: How many of its required materials a demo draft already carries: the rest are left for the
#: filer to upload, so the checklist shows what is missing and submitting is refused until it is done.
DRAFT_MATERIALS_PRESENT = 3


def demo_pdf(text="hrpark demo material"):
    """A small, valid one-page PDF showing `text` (ASCII): what the demo and the browser tests upload."""
    text = text.encode("ascii").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    stream = b"BT /F1 18 Tf 72 720 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def system(role):
    """A demo actor of `role` with no jurisdiction limit (the builder stands in for every office),
    named as pages show it: 演示数据（市人社局工作人员）."""
    return Actor(f"演示数据（{ROLES.label(role)}）", role)


def add_park(jurisdiction, city, name, *, area, agencies, revenue_wan, pass_through_wan=0, branches=(), seed=0,
             employment=900, operator="company"):
    rnd = random.Random(seed)
    park = Park.create(
        jurisdiction=jurisdiction,
        name=name,
        address=f"{'山西省长治市' if city == 'changzhi' else '新疆克拉玛依市'}{jurisdiction.name_zh}人才路{rnd.randint(1, 99)}号",
        contact_person=rnd.choice(["王建国", "李晓燕", "张伟", "刘芳", "陈磊", "阿依古丽"]),
        phone=f"0{'355' if city == 'changzhi' else '990'}-{rnd.randint(2000000, 8999999)}",
        property_ownership=rnd.choice(["区属国有资产", "园区运营公司自有", "租赁"]),
        registration_date=datetime.date(2021, rnd.randint(1, 12), rnd.randint(1, 28)),
        investment_wan=Decimal(rnd.randint(800, 5000)),
        build_mode=rnd.choice(["new", "conversion"]),
        public_services=PUBLIC_SERVICES.codes(),
        offered_services=rnd.sample(OFFERED_SERVICES.codes(), 6),
        operator_kind=operator,
        operator_name=f"{jurisdiction.name_zh}人力资源产业园运营管理有限公司" if operator == "company" else f"{jurisdiction.name_zh}产业园管理委员会",
        staff_fulltime=rnd.randint(4, 12),
        staff_parttime=rnd.randint(0, 5),
        facts={"district_support_measures": ["房租补贴", "引才奖励", "购买服务"], "special_fund": rnd.random() < 0.5},
    )
    Site.create(park=park, name="核心园区", is_core=True, floor_area=Decimal(area))
    for i, branch_area in enumerate(branches):
        Site.create(park=park, name=f"分园区{i + 1}", is_core=False, floor_area=Decimal(branch_area))
    operating = agencies - 1  # the last agency is a public one, with no revenue
    weights = [Decimal(1) + Decimal("0.1") * ((i % 5) - 2) for i in range(operating)]
    shares = [w / sum(weights) for w in weights]  # revenue split unevenly but adding up exactly
    for i in range(agencies):
        stem = COMPANY_STEMS[(i + seed) % len(COMPANY_STEMS)]
        public = i == agencies - 1
        agency = Agency.create(
            park=park,
            name=f"{'长治' if city == 'changzhi' else '克拉玛依'}{stem}{COMPANY_KINDS[i % len(COMPANY_KINDS)]}",
            kind="public" if public else "operating",
            licence_kind="licence" if i % 4 else "filing",
            licence_no=f"{'1404' if city == 'changzhi' else '6502'}{seed:02d}{i:04d}",
            service_lines=rnd.sample(SERVICE_LINES.codes()[:-1], 2),
            admitted_on=datetime.date(2022, rnd.randint(1, 12), 1),
        )
        share = Decimal(0) if public else shares[i]
        # Every year at least the target: the demo's outcome does not depend on which year is read.
        for year, factor in ((2023, Decimal("1")), (2024, Decimal("1.04")), (2025, Decimal("1.08"))):
            AgencyYear.create(
                agency=agency, year=year,
                revenue=(Decimal(revenue_wan) * 10000 * share * factor).quantize(Decimal("0.01"), ROUND_UP),
                pass_through=(Decimal(pass_through_wan) * 10000 * share * factor).quantize(Decimal("0.01"), ROUND_UP),
                tax=(Decimal(revenue_wan) * 300 * share * factor).quantize(Decimal("0.01")),
                employment_helped=0 if public else rnd.randint(20, 90),
            )
    exited = Agency.create(park=park, name=f"{jurisdiction.name_zh}已退出人力资源有限公司", kind="operating",
                           licence_no=f"X{seed:02d}", admitted_on=datetime.date(2021, 5, 1),
                           exited_on=datetime.date(2023, 6, 30), exit_reason="经营不善，服务质量下降（退出机制）")
    AgencyYear.create(agency=exited, year=2023, revenue=Decimal("400000"))
    for year, factor in ((2023, 0.8), (2024, 1.0), (2025, 1.15)):
        ParkYear.create(park=park, year=year, events_held=int(24 * factor), service_products=12,
                        complaints_handled=rnd.randint(1, 8), employment_promoted=int(employment * factor),
                        people_served=int(employment * factor * 3))
    return park


def file_application(park, city, year, *, upto, on, upload_dir=None, programme=None):
    """Take a park's application as far as `upto` (a state of its city's procedure), under
    `programme` (default: the nearest programme of the park's place).

    A draft keeps only its first DRAFT_MATERIALS_PRESENT required materials; any later state has them all."""
    filer = system("park_operator" if city == "changzhi" else "county_officer")
    application = applications.create_application(park, filer, year=year, programme=programme)
    required = [spec for spec in applications.rules_of(application).materials() if spec.required]
    if upto == "draft":
        required = required[:DRAFT_MATERIALS_PRESENT]
    for spec in required:
        add_material(application, spec.id, f"{spec.title}.pdf", demo_pdf(f"hrpark demo: {spec.id}"), filer,
                     directory=upload_dir)
    if upto == "draft":
        return application
    city_officer, panel = system("city_officer"), system("panel_member")
    steps = {
        "changzhi": [("submit", "park_operator", ""), ("county_pass", "county_officer", "材料齐全，同意上报"),
                     ("city_accept", "city_officer", ""), ("judge", None, None),
                     ("evaluation_pass", "city_officer", "联合评审通过；实地考察：场地、设施与申报一致"),
                     ("approve", "city_officer", "")],
        "karamay": [("file", "county_officer", "区人社局申报"), ("judge", None, None),
                    ("panel_pass", "city_officer", "评审小组会议通过"), ("party_approve", "city_officer", "局党组审议通过"),
                    ("recognise", "city_officer", "")],
    }[city]
    day = on
    for transition, role, remark in steps:
        if transition == "judge":
            for result in applications.judgement_pending(application):
                applications.record_verdict(application, result.criterion_id, True, "经评审小组评议，符合要求", panel)
            continue
        if transition in ("approve", "recognise"):
            day = applications.latest_notice(application).end + datetime.timedelta(days=1)
        application = applications.take_transition(application, transition, system(role), remark=remark, on=day)
        if application.state == upto:
            return application
        day += datetime.timedelta(days=3)
    return application


def assess(recognition, year, grade, on):
    officer = system("city_officer")
    indicators = governing_rules(recognition).indicators(assessment_day(year))
    score = {"excellent": 93, "qualified": 75, "unqualified": 45}[grade]
    assessment = assessments.create_assessment(recognition, year, {i.id: score for i in indicators}, officer, assessed_on=on)
    return assessments.confirm_assessment(assessment, officer, on=on)


def build_demo_data(today=None, upload_dir=None):
    """Fill an empty, migrated database with the demo. Returns a summary {what: count}.

    `upload_dir`: where the demo's materials are stored (the back office's UPLOAD_DIR; default as
    core.services.materials.upload_dir())."""
    today = today or datetime.date.today()
    for code, day in EFFECTIVE_FROM.items():
        Setting.create(jurisdiction_code=code, key="effective_from", value=day)
    rows = sync_jurisdictions()
    districts = {}
    for city, items in DISTRICTS.items():
        for code, zh, en in items:
            districts[code] = Jurisdiction.get_or_none(Jurisdiction.code == code) or Jurisdiction.create(
                code=code, name_zh=zh, name_en=en, level="county", parent=rows[city])
    for year, urban, rural in ((2023, 30000, 22000), (2024, 31000, 23000), (2025, 32000, 24000), (2026, 33000, 24000)):
        EmploymentTarget.create(jurisdiction=rows["changzhi"], year=year, urban_new_jobs=urban, rural_transfer=rural)
    # 潞州区's own targets: its measures (第十条) count the district's, so its operating grant can be computed.
    for year, urban, rural in ((2024, 12000, 8000), (2025, 12500, 8200), (2026, 13000, 8500)):
        EmploymentTarget.create(jurisdiction=districts["changzhi-luzhou"], year=year, urban_new_jobs=urban, rural_transfer=rural)

    officer, finance = system("city_officer"), system("city_finance")

    # Changzhi: recognised and thriving; rectifying; revoked after two 不合格; and applications at each step.
    luzhou = add_park(districts["changzhi-luzhou"], "changzhi", "潞州区人力资源服务产业园", area=5200, agencies=16,
                      revenue_wan=4200, pass_through_wan=1800, seed=1, employment=9000)
    recognised = Recognition.get(Recognition.application == file_application(luzhou, "changzhi", 2024, upto="recognised", on=datetime.date(2024, 5, 6), upload_dir=upload_dir))
    assess(recognised, 2024, "excellent", datetime.date(2025, 3, 10))
    assess(recognised, 2025, "qualified", datetime.date(2026, 3, 12))
    for s in Subsidy.select().where(Subsidy.park == luzhou).order_by(Subsidy.year, Subsidy.id):
        if s.year == 2024:
            subsidies.act(s, "approve", officer)
            subsidies.act(s, "pay", finance)
        elif s.kind == "operating_grant":
            subsidies.act(s, "approve", officer)
    for category, amount, project in (("agency_rent", "120000", "2025年入驻企业房屋租金补贴"),
                                      ("renovation", "86000.50", "公共服务大厅装修"),
                                      ("park_operation", "45000", "园区运行管理"),
                                      # 第十一条 does not list recruitment events: this line waits for cz_finance.
                                      ("park_operation", "18000", "园区运行管理：直播带岗招聘活动场地租赁")):
        ledger.add_entry(luzhou, category, amount, datetime.date(2025, 6, 18), project, system("park_operator"),
                         voucher=f"记-2025-{random.Random(amount).randint(100, 999)}")

    # Rectifying: its 2025 employment (9,200) earns a 第十条 grant, held while it rectifies (第二十条).
    shangdang = add_park(districts["changzhi-shangdang"], "changzhi", "上党区人力资源服务产业园", area=3600, agencies=11,
                         revenue_wan=3300, seed=2, employment=8000, operator="committee")
    rectifying = Recognition.get(Recognition.application == file_application(shangdang, "changzhi", 2024, upto="recognised", on=datetime.date(2024, 6, 3), upload_dir=upload_dir))
    assess(rectifying, 2024, "qualified", datetime.date(2025, 3, 11))
    for s in Subsidy.select().where((Subsidy.park == shangdang) & (Subsidy.kind == "recognition_award")):
        subsidies.act(s, "approve", officer)
        subsidies.act(s, "pay", finance)
        subsidies.act(s, "recover", finance, reason="审计发现部分入驻机构营业收入虚报，依法追回（第十一条、财政监督）")
    assess(rectifying, 2025, "unqualified", today - datetime.timedelta(days=160))

    tunliu = add_park(districts["changzhi-tunliu"], "changzhi", "屯留区人才服务产业园", area=3100, agencies=10,
                      revenue_wan=3050, seed=3, employment=1200)
    revoked = Recognition.get(Recognition.application == file_application(tunliu, "changzhi", 2024, upto="recognised", on=datetime.date(2024, 4, 10), upload_dir=upload_dir))
    first_year = assess(revoked, 2024, "unqualified", datetime.date(2025, 3, 15))
    first = Rectification.get(Rectification.assessment == first_year)
    assessments.close_rectification(first, True, "整改到位，复核合格", officer, on=datetime.date(2025, 9, 1))
    assess(revoked, 2025, "unqualified", datetime.date(2026, 3, 20))

    # The same 潞州区 park, recognised at county level under 潞州区's own measures (第二十二条), now applies
    # for Changzhi's city-level recognition (第五条): two programmes, one ladder (issue 12).
    file_application(luzhou, "changzhi", 2026, upto="city_review", on=today - datetime.timedelta(days=6),
                     upload_dir=upload_dir, programme="changzhi")

    lucheng = add_park(districts["changzhi-lucheng"], "changzhi", "潞城区人力资源服务产业园", area=2400, agencies=12,
                       revenue_wan=3600, branches=(900, 700, 500, 400), seed=4)
    file_application(lucheng, "changzhi", 2026, upto="draft", on=today, upload_dir=upload_dir)
    gaoxin = add_park(districts["changzhi-luzhou"], "changzhi", "长治高新区人力资源服务产业园", area=4100, agencies=13,
                      revenue_wan=3900, seed=5)
    file_application(gaoxin, "changzhi", 2026, upto="public_notice", on=today - datetime.timedelta(days=9), upload_dir=upload_dir)
    shangdang_north = add_park(districts["changzhi-shangdang"], "changzhi", "上党区北部人力资源服务分园", area=3300, agencies=10,
                               revenue_wan=3100, seed=6)
    file_application(shangdang_north, "changzhi", 2026, upto="city_review", on=today - datetime.timedelta(days=12), upload_dir=upload_dir)
    tunliu_east = add_park(districts["changzhi-tunliu"], "changzhi", "屯留区东部人才服务园", area=3000, agencies=10,
                           revenue_wan=2999, seed=7)
    file_application(tunliu_east, "changzhi", 2026, upto="county_review", on=today - datetime.timedelta(days=4), upload_dir=upload_dir)

    # Karamay: recognised with subsidies paid; a revoked park; applications in review.
    kelamayi = add_park(districts["karamay-kelamayi"], "karamay", "克拉玛依区人力资源服务产业园", area=6800, agencies=18,
                        revenue_wan=7600, seed=8, operator="committee")
    karamay_recognised = Recognition.get(Recognition.application == file_application(kelamayi, "karamay", 2025, upto="recognised", on=datetime.date(2025, 4, 8), upload_dir=upload_dir))
    assess(karamay_recognised, 2025, "excellent", datetime.date(2026, 3, 6))
    for s in Subsidy.select().where(Subsidy.park == kelamayi).order_by(Subsidy.year):
        subsidies.act(s, "approve", officer)
        subsidies.act(s, "pay", finance)
    for category, amount, project in (("rent_utilities", "150000", "入驻机构场地租金及水电暖减免"),
                                      ("standardisation_it_team", "98000", "园区信息化平台建设"),
                                      ("promotion_events", "76500", "2025年春风行动专场招聘会及直播带岗")):
        ledger.add_entry(kelamayi, category, amount, datetime.date(2025, 5, 20), project, system("park_operator"),
                         voucher=f"克记-2025-{random.Random(amount).randint(100, 999)}")

    dushanzi = add_park(districts["karamay-dushanzi"], "karamay", "独山子人力资源服务产业园", area=2600, agencies=11,
                        revenue_wan=5200, seed=9)
    dushanzi_recognition = Recognition.get(Recognition.application == file_application(dushanzi, "karamay", 2025, upto="recognised", on=datetime.date(2025, 7, 1), upload_dir=upload_dir))
    withheld_year = assess(dushanzi_recognition, 2025, "unqualified", datetime.date(2026, 3, 18))
    pending = Rectification.get(Rectification.assessment == withheld_year)
    assessments.close_rectification(pending, False, "整改期满复核仍不合格", officer, on=datetime.date(2026, 9, 21))
    cancelled = Subsidy.create(park=dushanzi, jurisdiction=dushanzi.jurisdiction, recognition=dushanzi_recognition,
                               kind="operating", year=2026, amount=Decimal("500000"), rule_id="karamay.operating_subsidy",
                               article="第二十条", explanation="运营补贴第2年（共3年），年初预拨计划",
                               explanation_en="Operating subsidy, year 2 of 3, planned at the start of the year")
    subsidies.act(cancelled, "cancel", officer, reason="该园区资格已于2026年9月取消（第十八条），不再兑现")

    baijiantan = add_park(districts["karamay-baijiantan"], "karamay", "白碱滩区人力资源服务产业园", area=2100, agencies=11,
                          revenue_wan=5050, seed=10)
    file_application(baijiantan, "karamay", 2026, upto="panel_review", on=today - datetime.timedelta(days=20), upload_dir=upload_dir)
    kelamayi_south = add_park(districts["karamay-kelamayi"], "karamay", "克拉玛依南区人才服务产业园", area=2050, agencies=11,
                              revenue_wan=5100, seed=11)
    file_application(kelamayi_south, "karamay", 2026, upto="party_group", on=today - datetime.timedelta(days=30), upload_dir=upload_dir)
    dushanzi_west = add_park(districts["karamay-dushanzi"], "karamay", "独山子西区人力资源服务园", area=1999, agencies=9,
                             revenue_wan=4999, seed=12)
    file_application(dushanzi_west, "karamay", 2026, upto="draft", on=today, upload_dir=upload_dir)

    return {
        "parks": Park.select().count(),
        "agencies": Agency.select().count(),
        "recognitions": Recognition.select().count(),
        "subsidies": Subsidy.select().count(),
    }
