"""Subsidies and the fund ledger through the pages: the formula's proposals with their explanation,
approve → pay, withhold / cancel / recover with a reason, each button only for its role and
refused when forged; ledger lines only in the categories the measures allow (Karamay 第二十条,
Changzhi 第十一条), cancelled with a reason, never deleted."""
from core.world.samples import SAMPLE_AS_OF as RULES_DAY  # the day the rules are read on
import datetime
import re
from decimal import Decimal

import pytest

from admin_test_helpers import db_snapshot
from core.records.models import JurisdictionYear, LedgerEntry, ParkYear, Recognition, Subsidy
from core.plugin.registry import rules_for
from tests.admin_workflow.pages import DAY, buttons, element_text, form_ids


def recognise(park, on=DAY(2025, 3, 1)):
    return Recognition.create(park=park, jurisdiction=park.jurisdiction, recognised_on=on,
                              official_name=rules_for(park.jurisdiction).recognised_name(park.name))


@pytest.fixture
def kr_subsidy(town):
    recognition = recognise(town.kr_park)
    return Subsidy.create(park=town.kr_park, jurisdiction=town.kr_park.jurisdiction, recognition=recognition,
                          kind="operating", year=2025, amount=Decimal("500000"), rule_id="karamay.operating_subsidy",
                          article="第十八条、第二十条", explanation="2025年度为认定后第1年（共3年），考核合格，兑现运营补贴50万元")


#: The payment details the pay form asks for (拨付日期、凭证号、资金来源、收款账户).
PAYMENT = {"paid_on": "2025-10-11", "payment_voucher": "记-2025-1011", "fund_source": "市财政局运营补贴资金",
           "payee_account": "运营公司 基本户"}


def details(subsidy):
    return f"/admin/subsidy/details/?id={subsidy.id}"


def act(subsidy):
    return f"/admin/subsidy/{subsidy.id}/act/"


def version(subsidy):
    return str(Subsidy.get_by_id(subsidy.id).version)


def test_approve_then_pay_each_by_its_own_role(browse, kr_subsidy):
    """第四条: the city bureau approves; the finance bureau pays."""
    city, finance, county, operator = (browse(a) for a in ("kr_city", "kr_finance", "kr_county", "kr_operator"))
    assert buttons(city.html(details(kr_subsidy)), "action") == {"approve", "withhold", "cancel"}
    assert buttons(finance.html(details(kr_subsidy)), "action") == set()
    assert buttons(county.html(details(kr_subsidy)), "action") == set()
    assert buttons(operator.html(details(kr_subsidy)), "action") == set()
    before = db_snapshot()
    for browser, action in ((finance, "approve"), (county, "approve"), (operator, "approve"), (city, "pay")):
        assert browser.post(act(kr_subsidy), {"action": action, "version": version(kr_subsidy)}).status_code == 403, action
    page = finance.flashed(act(kr_subsidy), {"action": "pay", "version": version(kr_subsidy)})  # its role, too early
    assert "补贴当前为“拟发放”，不能拨付" in page
    assert db_snapshot() == before

    page = city.flashed(act(kr_subsidy), {"action": "approve", "version": version(kr_subsidy)})
    assert element_text(page, "subsidy-status") == "已核准"
    assert buttons(finance.html(details(kr_subsidy)), "action") == {"pay"}
    page = finance.flashed(act(kr_subsidy), {"action": "pay", "version": version(kr_subsidy), **PAYMENT})
    assert element_text(page, "subsidy-status") == "已拨付"
    stored = Subsidy.get_by_id(kr_subsidy.id)
    assert stored.status == "paid" and stored.status_changed_by == "kr_finance" and stored.amount == Decimal("500000.00")
    assert element_text(page, "paid-on") == "2025年10月11日" and element_text(page, "payment-voucher") == "记-2025-1011"
    assert element_text(page, "fund-source") == "市财政局运营补贴资金" and element_text(page, "payee-account") == "运营公司 基本户"


def test_paying_asks_for_the_day_voucher_source_and_account_naming_what_is_missing(browse, kr_subsidy, on_day):
    on_day(DAY(2025, 10, 11))
    Subsidy.update(status="approved").where(Subsidy.id == kr_subsidy.id).execute()
    finance = browse("kr_finance")
    form_html = finance.html(details(kr_subsidy))
    assert all(f'name="{name}"' in form_html for name in PAYMENT)
    # the source starts as the measures name it (第四条: 市财政局负责落实扶持资金安排及拨付)
    assert re.search(r'name="fund_source"[^>]*value="市级财政扶持资金（第四条、第二十条）"', form_html)
    before = db_snapshot()
    for name, message in (("paid_on", "请填写有效的拨付日期"), ("payment_voucher", "请填写凭证号"),
                          ("fund_source", "请填写资金来源"), ("payee_account", "请填写收款账户")):
        page = finance.flashed(act(kr_subsidy), {"action": "pay", "version": version(kr_subsidy), **PAYMENT, name: ""})
        assert message in page, name
    for day in ("2025-02-30", "2025-10-12", "明天"):  # impossible, after today, no date at all
        page = finance.flashed(act(kr_subsidy), {"action": "pay", "version": version(kr_subsidy), **PAYMENT, "paid_on": day})
        assert "拨付日期" in page, day
    assert db_snapshot() == before


def test_the_pay_form_starts_from_the_account_the_park_was_last_paid_to(browse, kr_subsidy, town):
    Subsidy.update(status="approved").where(Subsidy.id == kr_subsidy.id).execute()
    finance = browse("kr_finance")
    assert re.search(r'name="payee_account"[^>]*value=""', finance.html(details(kr_subsidy)))  # a first payment
    for year, account in ((2023, "旧账户"), (2024, "运营公司 基本户")):
        Subsidy.create(park=town.kr_park, jurisdiction=town.kr_park.jurisdiction, kind="operating", year=year,
                       amount=Decimal("1"), rule_id="r", article="第十八条", status="paid", paid_on=DAY(year, 6, 1),
                       payee_account=account)
    Subsidy.create(park=town.cz_park, jurisdiction=town.cz_park.jurisdiction, kind="operating_grant", year=2025,
                   amount=Decimal("1"), rule_id="r", article="第十条", status="paid", paid_on=DAY(2025, 7, 1),
                   payee_account="另一园区的账户")  # another park's, later: not this park's
    assert re.search(r'name="payee_account"[^>]*value="运营公司 基本户"', finance.html(details(kr_subsidy)))


def test_recovering_needs_a_reason(browse, kr_subsidy):
    """第二十四条: misused funds are recovered — with the reason on record."""
    Subsidy.update(status="paid").where(Subsidy.id == kr_subsidy.id).execute()
    finance = browse("kr_finance")
    assert buttons(finance.html(details(kr_subsidy)), "action") == {"recover"}
    page = finance.flashed(act(kr_subsidy), {"action": "recover", "version": version(kr_subsidy), "reason": ""})
    assert "请填写追回理由" in page and Subsidy.get_by_id(kr_subsidy.id).status == "paid"
    page = finance.flashed(act(kr_subsidy), {"action": "recover", "version": version(kr_subsidy),
                                             "reason": "经审计发现虚报入驻机构数量（第二十四条）"})
    assert element_text(page, "subsidy-status") == "已追回"
    assert "第二十四条" in element_text(page, "status-reason")


def test_cancelling_needs_a_reason_and_keeps_the_record(browse, kr_subsidy):
    city = browse("kr_city")
    assert "请填写取消理由" in city.flashed(act(kr_subsidy), {"action": "cancel", "version": version(kr_subsidy)})
    page = city.flashed(act(kr_subsidy), {"action": "cancel", "version": version(kr_subsidy), "reason": "重复测算"})
    assert element_text(page, "subsidy-status") == "已取消"
    assert buttons(page, "action") == set()
    assert Subsidy.get_or_none(Subsidy.id == kr_subsidy.id) is not None


def test_two_officers_the_second_action_is_refused_the_first_kept(browse, kr_subsidy):
    first, second = browse("kr_city"), browse("kr_city")
    read = re.search(r'name="version" value="(\d+)"', second.html(details(kr_subsidy))).group(1)
    first.post(act(kr_subsidy), {"action": "approve", "version": read})
    page = second.flashed(act(kr_subsidy), {"action": "cancel", "version": read, "reason": "误操作"})
    assert "未保存：您打开此记录后，已有他人修改并保存" in page
    assert Subsidy.get_by_id(kr_subsidy.id).status == "approved"


def test_another_city_cannot_reach_the_subsidy(browse, kr_subsidy):
    cz_city, cz_finance = browse("cz_city"), browse("cz_finance")
    before = db_snapshot()
    assert cz_city.get(details(kr_subsidy)).status_code == 404
    assert cz_city.post(act(kr_subsidy), {"action": "approve", "version": version(kr_subsidy)}).status_code == 404
    assert cz_finance.post(act(kr_subsidy), {"action": "pay", "version": version(kr_subsidy)}).status_code == 404
    assert db_snapshot() == before


def test_changzhi_formula_proposes_the_grant_with_its_explanation(browse, town):
    """第十条: ≥15% of the city's targets → 30万 + 30元/人 above the line, at most 50万 (a 合格 year)."""
    recognition = recognise(town.cz_park)
    JurisdictionYear.create(jurisdiction=town.j["changzhi"], year=2025, facts={"urban_new_jobs": 6000, "rural_transfer": 4000})
    ParkYear.create(park=town.cz_park, year=2025, employment_promoted=1600)
    from core.records.models import Assessment

    Assessment.create(recognition=recognition, year=2025, scores={}, total_score=Decimal("80"), grade="qualified",
                      status="confirmed", assessed_on=DAY(2026, 2, 1))
    city, county = browse("cz_city"), browse("cz_county")
    path = f"/admin/subsidy/propose/?recognition_id={recognition.id}&year=2025"
    html = city.html(path)
    grant = re.search(r'<tr id="proposal-operating_grant">(.*?)</tr>', html, re.S).group(1)
    assert "303,000.00元" in grant and "第十条" in grant
    assert "促进就业1600人，达到全市2025年度任务10000人" in grant and "超出100人×30元" in grant
    assert "form-propose-record" in form_ids(html)
    assert "form-propose-record" not in form_ids(county.html(path))
    before = db_snapshot()
    assert county.post(f"/admin/subsidy/propose/?recognition_id={recognition.id}", {"year": "2025"}).status_code == 403
    assert db_snapshot() == before
    page = city.flashed(f"/admin/subsidy/propose/?recognition_id={recognition.id}", {"year": "2025"})
    assert "已记录2025年度补贴2笔" in page
    amounts = {s.kind: s.amount for s in Subsidy.select().where(Subsidy.park == town.cz_park)}
    assert amounts == {"operating_grant": Decimal("303000.00"), "recognition_award": Decimal("800000.00")}
    page = city.flashed(f"/admin/subsidy/propose/?recognition_id={recognition.id}", {"year": "2025"})
    assert "已记录2025年度补贴0笔" in page  # nothing proposed twice
    assert browse("kr_city").get(path).status_code == 404


# --- the fund ledger -----------------------------------------------------------------------------------


def record(browser, park, **fields):
    data = {"park_id": park.id, "category": "rent_utilities", "amount": "35000.50", "date": "2025-06-01",
            "project": "2025年入驻机构房租减免", "voucher": "记-2025-061"}
    data.update(fields)
    return browser.post("/admin/ledger/record/", data, follow=True).get_data(as_text=True)


@pytest.mark.parametrize("category, article", [("staff_wages", "第二十条"), ("integrity_violation", "第二十条")])
def test_karamay_forbidden_uses_are_refused_citing_article_20(browse, town, category, article):
    """第二十条: 不得用于发放工作人员工资、津补贴, nor anything against the integrity rules."""
    operator = browse("kr_operator")
    before = db_snapshot()
    page = record(operator, town.kr_park, category=category)
    assert f"不得列支（{article}）" in page and "forbidden use" not in page  # Chinese only (issue 11 item 4)
    assert db_snapshot() == before
    operator.post("/auth/language", {"lang": "en", "next": "/admin/"})
    page = record(operator, town.kr_park, category=category)
    assert f"forbidden use ({article})" in page and "不得列支" not in page.split('id="form-ledger"')[0]


def test_changzhi_spending_outside_article_11_is_refused(browse, town):
    """第十一条: only the listed uses, within the employment-subsidy fund's scope."""
    operator = browse("cz_operator")
    before = db_snapshot()
    page = record(operator, town.cz_park, category="outside_fund_scope")
    assert "不得列支（第十一条）" in page
    page = record(operator, town.cz_park, category="staff_wages")  # a Karamay category, forged
    assert "类别 staff_wages 不在允许的资金使用范围内（第十一条）" in page
    assert db_snapshot() == before
    page = record(operator, town.cz_park, category="agency_rent", amount="12000")
    assert element_text(page, "entry-category") == "入驻企业房屋租金（第十一条）"


@pytest.mark.parametrize("field, value, message", [
    ("amount", "-1", "金额须大于0"),
    ("amount", "0", "金额须大于0"),
    ("amount", "三万", "不是有效数字"),
    ("project", "", "请填写项目名称"),
    ("date", "2025/06/31", "不是有效的日期，可写作 2025-03-01、2025-3-1、2025/3/1 或 2025年3月1日"),  # issue 11 item 3
])
def test_a_bad_line_is_refused_naming_what_is_wrong(browse, town, field, value, message):
    operator = browse("kr_operator")
    before = db_snapshot()
    assert message in record(operator, town.kr_park, **{field: value})
    assert db_snapshot() == before


@pytest.mark.parametrize("typed", ["2025/6/1", "2025年6月1日", "2025-6-1"])
def test_issue_11_item_3_a_ledger_date_is_typed_as_people_write_it(browse, town, typed):
    operator = browse("kr_operator")
    record(operator, town.kr_park, date=typed)
    assert LedgerEntry.get(LedgerEntry.park == town.kr_park).date == datetime.date(2025, 6, 1)


def test_a_line_is_recorded_to_the_fen_and_cancelled_with_a_reason(browse, town):
    operator = browse("kr_operator")
    page = record(operator, town.kr_park, amount="0.01")  # the smallest amount above 0
    entry = LedgerEntry.get(LedgerEntry.park == town.kr_park)
    assert entry.amount == Decimal("0.01") and element_text(page, "entry-amount") == "0.01元"
    cancel = f"/admin/ledger/{entry.id}/cancel/"
    assert "请填写冲销理由" in operator.flashed(cancel, {"reason": ""})
    page = operator.flashed(cancel, {"reason": "凭证号录错，冲销重录"})
    assert element_text(page, "entry-status").startswith("已取消")
    assert "form-cancel-entry" not in form_ids(page)
    assert LedgerEntry.get_by_id(entry.id).status == "cancelled"


def test_ledger_lines_only_by_the_roles_that_keep_it_and_only_for_parks_within_reach(browse, town):
    panel, operator, admin, county, city = (browse(a) for a in ("kr_panel", "kr_operator", "admin", "kr_county", "kr_city"))
    before = db_snapshot()
    assert panel.get("/admin/ledger/record/").status_code == 403
    assert 'id="record-ledger-line"' not in admin.html("/admin/ledger/")
    assert 'id="record-ledger-line"' in operator.html("/admin/ledger/")
    assert "form-ledger" in form_ids(operator.html("/admin/ledger/record/"))  # its one park, straight away
    assert operator.post("/admin/ledger/record/", {"park_id": town.cz_park.id, "category": "agency_rent", "amount": "1",
                                                   "date": "2025-06-01", "project": "x"}).status_code == 404
    assert county.post("/admin/ledger/record/", {"park_id": town.cz_park.id}).status_code == 404
    assert city.get("/admin/ledger/new/").status_code == 403  # never created as a bare row
    assert db_snapshot() == before


def test_the_formula_s_explanation_is_kept_in_both_languages(browse, town):
    """A proposed subsidy keeps the formula's English explanation: the English page shows it."""
    from core.records.services import subsidies as subsidy_service
    from core.records.services.assessments import confirm_assessment, create_assessment
    from tests.builders import actor

    recognition = recognise(town.kr_park)
    officer = actor("city_officer", town.kr_park.jurisdiction.parent or town.kr_park.jurisdiction)
    indicators = rules_for(town.kr_park.jurisdiction).indicators(RULES_DAY)
    confirm_assessment(create_assessment(recognition, 2025, {i.id: 80 for i in indicators}, officer), officer)
    subsidy = Subsidy.get((Subsidy.park == town.kr_park) & (Subsidy.year == 2025))
    assert "第1年" in subsidy.explanation and "year 1 of 3" in subsidy.explanation_en
    city = browse("kr_city")
    assert "第1年" in element_text(city.html(details(subsidy)), "subsidy-explanation")
    city.post("/auth/language", {"lang": "en", "next": details(subsidy)})
    assert "year 1 of 3" in element_text(city.html(details(subsidy)), "subsidy-explanation")
    assert subsidy_service.compute(recognition, 2025)[0].explanation_en == subsidy.explanation_en


def test_the_kind_of_money_is_named_not_coded_in_both_languages(browse, kr_subsidy):
    """克拉玛依 第二十条's 运营补贴 reads as such on the list, the record and the ledger's choice of subsidy."""
    city = browse("kr_city")
    listing = city.html("/admin/subsidy/")
    assert "运营补贴" in listing and ">operating<" not in listing
    assert "2025 · 运营补贴" in city.html(details(kr_subsidy))
    assert "2025 · 运营补贴 · 第十八条、第二十条" in city.html(f"/admin/ledger/record/?park_id={kr_subsidy.park_id}")
    city.post("/auth/language", {"lang": "en", "next": details(kr_subsidy)})
    assert "2025 · operating subsidy" in city.html(details(kr_subsidy))
    assert "operating subsidy" in city.html("/admin/subsidy/")


def test_every_kind_the_formulas_compute_has_a_label():
    from core.records import vocab
    from plugins.changzhi.subsidies import CHANGZHI
    from plugins.karamay.subsidies import KIND

    for kind in (KIND, CHANGZHI.award[1], CHANGZHI.grant[1]):
        assert kind in vocab.SUBSIDY_KINDS, kind
        assert vocab.SUBSIDY_KINDS.label(kind, "zh") != kind and vocab.SUBSIDY_KINDS.label(kind, "en") != kind


def test_the_flash_after_a_step_names_the_status_in_the_page_s_language(browse, kr_subsidy):
    city = browse("kr_city")
    page = city.flashed(act(kr_subsidy), {"action": "approve", "version": version(kr_subsidy)})
    message = re.search(r"已完成[^<]*", page).group(0)
    assert "“已核准”" in message and "the subsidy is now" not in message and message.count("已核准") == 1


def test_a_withheld_line_shows_the_amount_it_concerns_not_only_its_zero(browse, kr_subsidy):
    """A 不予兑现 line reads 0.00 (nothing is due) and says what was withheld, in the list and on its page."""
    Subsidy.update(status="withheld", amount=Decimal("0"), amount_concerned=Decimal("500000")).where(
        Subsidy.id == kr_subsidy.id).execute()
    city = browse("kr_city")
    listing = city.html("/admin/subsidy/")
    row = re.search(r"<tr[^>]*>(?:(?!</tr>).)*独山子(?:(?!</tr>).)*</tr>", listing, re.S).group(0)
    assert "0.00元" in row and "500,000.00元" in row
    assert element_text(city.html(details(kr_subsidy)), "amount-concerned") == "500,000.00元"


def test_the_subsidy_list_filters_by_the_day_paid_both_ends_included(browse, kr_subsidy):
    Subsidy.update(status="paid", paid_on=DAY(2025, 10, 11)).where(Subsidy.id == kr_subsidy.id).execute()
    city = browse("kr_city")
    page = city.html("/admin/subsidy/")
    index = re.search(r'"index": (\d+), "operation": "[^"]*", "options": null, "type": "daterangepicker"', page)
    flt = index.group(1) if index else None
    assert flt is not None, "the day-paid filter is offered"
    assert "独山子" in city.html(f"/admin/subsidy/?flt0_{flt}=2025-10-11+to+2025-10-11")
    assert "独山子" not in city.html(f"/admin/subsidy/?flt0_{flt}=2025-10-12+to+2025-12-31")
