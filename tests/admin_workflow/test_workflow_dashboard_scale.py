"""The dashboard at scale: what it counts in SQL equals a brute-force count in Python over every row
of generated data (core.world.generate), for each kind of account and its scope; it reads the same number
of queries at two data sizes; the lists that grow with the data are capped with their totals shown;
subsidy sums are exact to the fen although SQLite keeps DECIMAL as REAL."""
from core.world.samples import SAMPLE_AS_OF as RULES_DAY  # the day the rules are read on
import datetime
import re
from decimal import Decimal

import pytest

from admin.views.dashboard import DEADLINE_CAP, HORIZON_DAYS, WAITING_CAP, quarter_end
from core.world.generate import generate
from core.records.models import (
    Application,
    Assessment,
    CriterionVerdict,
    Jurisdiction,
    Park,
    PublicNotice,
    Recognition,
    Rectification,
    Subsidy,
)
from core.plugin.registry import rules_for
from tests.admin_workflow.pages import DAY, helpers
from tests.admin_workflow.test_workflow_dashboard import deadlines, parks_by_state, rectifying, section, waiting
from tests.builders import make_park
from tests.statements import counting

KIND_ORDER = {"notice": 0, "rectification": 1, "assessment": 2}  # the page's order of deadlines on the same day


# --- the brute force: every row read into Python, the rules applied one by one ----------------------


def reach(user):
    """(jurisdiction ids of the page's sections, park ids the account reaches)."""
    parents = dict(Jurisdiction.select(Jurisdiction.id, Jurisdiction.parent).tuples())
    if user.role == "admin":
        return set(parents), {p.id for p in Park.select()}
    if user.role == "park_operator":
        return {user.park.jurisdiction_id}, {user.park_id}
    below = set()
    for jid in parents:
        walk = jid
        while walk is not None and walk != user.jurisdiction_id:
            walk = parents[walk]
        if walk is not None:
            below.add(jid)
    return below, {p.id for p in Park.select().where(Park.jurisdiction.in_(below))}


def procedure_of(jurisdiction_id, registry):
    return rules_for(Jurisdiction.get_by_id(jurisdiction_id), registry).procedure()


def is_final(procedure, state):
    return any(s.id == state and s.final for s in procedure.states)


def expected_page(user, on, registry):
    """{jurisdiction code: what its section should show}, from every row."""
    sections, parks = reach(user)
    codes = dict(Jurisdiction.select(Jurisdiction.id, Jurisdiction.code).tuples())
    pages = {jid: {"parks": {}, "waiting": [], "deadlines": [], "subsidies": {}} for jid in sections}
    rules = {jid: rules_for(Jurisdiction.get_by_id(jid), registry) for jid in sections}
    horizon = on + datetime.timedelta(days=HORIZON_DAYS)

    latest_application, latest_recognition = {}, {}
    applications = [a for a in Application.select().order_by(Application.id) if a.park_id in parks]
    for a in applications:
        latest_application[a.park_id] = a
    for r in Recognition.select().order_by(Recognition.id):
        if r.park_id in parks:
            latest_recognition[r.park_id] = r
    for park in Park.select():
        if park.id not in parks or park.jurisdiction_id not in sections:
            continue
        procedure = rules[park.jurisdiction_id].procedure()
        r, a = latest_recognition.get(park.id), latest_application.get(park.id)
        if r is not None and (r.status != "revoked" or a is None or is_final(procedure, a.state)):
            key = f"recognition:{r.status}"
        elif a is not None:
            key = f"application:{a.state}"
        else:
            key = "not_applied"
        counts = pages[park.jurisdiction_id]["parks"]
        counts[key] = counts.get(key, 0) + 1

    verdicts = {}
    for application_id, criterion_id in CriterionVerdict.select(CriterionVerdict.application, CriterionVerdict.criterion_id).tuples():
        verdicts.setdefault(application_id, set()).add(criterion_id)
    for a in applications:
        if a.jurisdiction_id not in sections:
            continue
        procedure = rules[a.jurisdiction_id].procedure()
        if is_final(procedure, a.state):
            continue
        steps = procedure.available(a.state, user.role)
        judging = procedure.verdict_stage is not None and procedure.verdict_stage.admits(a.state, user.role)
        unjudged = [c for c in rules[a.jurisdiction_id].criteria(RULES_DAY) if c.judgement and c.id not in verdicts.get(a.id, set())]
        if steps or (judging and unjudged):
            pages[a.jurisdiction_id]["waiting"].append(a.id)
        notice_state = next((t.target for t in procedure.transitions if "notice_open" in t.guards), None)
        notices = list(PublicNotice.select().where(PublicNotice.application == a.id).order_by(PublicNotice.id))
        if a.state == notice_state and notices and notices[-1].end <= horizon:
            pages[a.jurisdiction_id]["deadlines"].append((notices[-1].end, "notice", a.id))

    for rectification in Rectification.select().order_by(Rectification.id):
        recognition = rectification.assessment.recognition
        if (recognition.park_id in parks and recognition.jurisdiction_id in sections and rectification.outcome == "pending"
                and rectification.deadline <= horizon):
            pages[recognition.jurisdiction_id]["deadlines"].append((rectification.deadline, "rectification", rectification.id))

    for jid in sections:
        parameters = rules[jid].parameters
        if "assessment_quarter" not in parameters or parameters.value("assessment_quarter", on) not in (1, 2, 3, 4):
            continue
        deadline = quarter_end(on.year, parameters.value("assessment_quarter", on))
        mine = [r for r in Recognition.select().where(Recognition.jurisdiction == jid)
                if r.park_id in parks and r.status != "revoked" and r.recognised_on <= datetime.date(on.year - 1, 12, 31)]
        if on <= deadline <= horizon and mine:
            done = [r for r in mine if Assessment.select().where((Assessment.recognition == r.id) & (Assessment.year == on.year - 1)
                                                                 & (Assessment.status == "confirmed")).exists()]
            pages[jid]["deadlines"].append((deadline, "assessment", 0))
            pages[jid]["assessed"] = (len(done), len(mine))

    for s in Subsidy.select():
        if s.park_id in parks and s.jurisdiction_id in sections:
            by_status = pages[s.jurisdiction_id]["subsidies"]
            by_status[s.year, s.status] = by_status.get((s.year, s.status), Decimal(0)) + s.amount
    for page in pages.values():
        page["deadlines"].sort(key=lambda d: (d[0], KIND_ORDER[d[1]], d[2]))
    return {codes[jid]: page for jid, page in pages.items()}


# --- reading the page ------------------------------------------------------------------------------


def counted(part, name):
    found = re.search(rf'<span class="{name}">([\d,]+)</span>', part)  # 1,234: counts are written for people
    return int(found.group(1).replace(",", "")) if found else 0


def subsidy_cells(part):
    return {(int(y), s): Decimal(a) for y, s, a in re.findall(r'id="subsidy-[a-z-]+-(\d+)-([a-z]+)" data-amount="([^"]+)"', part)}


def assert_page_matches(html, expected):
    shown = re.findall(r'class="card mb-4 dashboard-section" id="dashboard-([^"]+)"', html)
    assert sorted(shown) == sorted(expected)
    for code, page in expected.items():
        part = section(html, code)
        assert parks_by_state(part) == page["parks"], code
        assert counted(part, "park-count") == sum(page["parks"].values()), code
        assert counted(part, "waiting-count") == len(page["waiting"]), code
        assert re.findall(r'data-application="(\d+)"', part) == [str(i) for i in sorted(page["waiting"])[:WAITING_CAP]], code
        assert counted(part, "deadline-count") == len(page["deadlines"]), code
        assert deadlines(part) == [(kind, day.isoformat()) for day, kind, _id in page["deadlines"][:DEADLINE_CAP]], code
        if "assessed" in page:
            assert "{}个产业园中已确认{}个".format(page["assessed"][1], page["assessed"][0]) in part, code
        cells = {key: amount for key, amount in subsidy_cells(part).items() if amount}
        assert cells == {key: amount for key, amount in page["subsidies"].items() if amount}, code


# --- the tests -------------------------------------------------------------------------------------


@pytest.fixture
def generated(app, registry):
    """Scale-1 generated data (17 parks in every state of both procedures) and an account of each kind."""
    day = DAY(2026, 3, 1)
    generate(1, today=day, reg=registry)
    j = {row.code: row for row in Jurisdiction.select()}
    noticed = Application.get((Application.state == "public_notice") & (Application.jurisdiction == j["changzhi-luzhou"]))
    users = {
        "admin": helpers.make_user("root", "admin"),
        "cz_city": helpers.make_user("cz_city", "city_officer", jurisdiction=j["changzhi"]),
        "kr_city": helpers.make_user("kr_city", "city_officer", jurisdiction=j["karamay"]),
        "cz_panel": helpers.make_user("cz_panel", "panel_member", jurisdiction=j["changzhi"]),
        "luzhou": helpers.make_user("luzhou", "county_officer", jurisdiction=j["changzhi-luzhou"]),
        "kr_county": helpers.make_user("kr_county", "county_officer", jurisdiction=j["karamay-baijiantan"]),
        "operator": helpers.make_user("operator", "park_operator", park=noticed.park),
    }
    return day, users


def sign_in(app, user):
    from tests.admin_workflow.pages import Browser

    return Browser(app.test_client(), user)


def test_counts_lists_and_sums_equal_a_brute_force_count_for_every_scope(app, registry, generated, on_day):
    day, users = generated
    # The panel has judged every condition of one application under evaluation (no longer waiting
    # on it) and some of another's (still waiting, with fewer to judge).
    evaluated = list(Application.select().where(Application.state == "joint_evaluation"))
    judgement = [c.id for c in rules_for(evaluated[0].jurisdiction, registry).criteria(RULES_DAY) if c.judgement]
    for criterion_id in judgement:
        CriterionVerdict.create(application=evaluated[0], criterion_id=criterion_id, met=True, remark="符合", reviewer="panel")
    extra = Application.create(park=evaluated[0].park, jurisdiction=evaluated[0].jurisdiction, year=2026, state="joint_evaluation")
    CriterionVerdict.create(application=extra, criterion_id=judgement[0], met=True, remark="符合", reviewer="panel")
    # A park whose recognition was revoked applies again: counted under its open application.
    revoked = Recognition.get(Recognition.status == "revoked")
    Application.create(park=revoked.park, jurisdiction=revoked.jurisdiction, year=2026, state="county_review")
    # 2026-03-01: Changzhi's first-quarter assessment is due; 2026-11-22: every rectification is overdue.
    for on in (day, DAY(2026, 11, 22)):
        on_day(on)
        for name, user in users.items():
            html = sign_in(app, user).html("/admin/overview/")
            expected = expected_page(user, on, registry)
            assert_page_matches(html, expected)
    # The brute force does see something for each kind of account (the comparison is not vacuous).
    assert expected_page(users["cz_panel"], day, registry)["changzhi-tunliu"]["waiting"] == [extra.id]
    assert expected_page(users["luzhou"], day, registry)["changzhi-luzhou"]["waiting"]
    assert expected_page(users["admin"], day, registry)[revoked.jurisdiction.code]["parks"]["application:county_review"] >= 1
    on_day(day)
    operator = expected_page(users["operator"], day, registry)
    assert list(operator) == ["changzhi-luzhou"] and operator["changzhi-luzhou"]["parks"] == {"application:public_notice": 1}


def test_an_officer_of_one_city_never_sees_another_citys_numbers(app, registry, generated, on_day):
    day, users = generated
    on_day(day)
    html = sign_in(app, users["kr_city"]).html("/admin/overview/")
    assert "changzhi" not in re.sub(r'<nav.*?</nav>', "", html, flags=re.S).split('id="dashboard-day"')[1]
    karamay_apps = {a.id for a in Application.select().join(Jurisdiction).where(Jurisdiction.code.startswith("karamay"))}
    assert waiting(html) <= karamay_apps
    operator = sign_in(app, users["operator"]).html("/admin/overview/")
    assert re.findall(r'id="dashboard-([^"]+)"', operator.split('id="dashboard-day"')[1]) == ["changzhi-luzhou"]
    assert counted(section(operator, "changzhi-luzhou"), "park-count") == 1


def test_the_same_number_of_queries_at_two_data_sizes(app, db, registry, on_day):
    day = on_day(DAY(2026, 3, 1))
    generate(1, today=day, reg=registry)
    changzhi = Jurisdiction.get(Jurisdiction.code == "changzhi")
    luzhou = Jurisdiction.get(Jurisdiction.code == "changzhi-luzhou")
    accounts = {
        "admin": helpers.make_user("root", "admin"),
        "cz_city": helpers.make_user("cz_city", "city_officer", jurisdiction=changzhi),
        "cz_panel": helpers.make_user("cz_panel", "panel_member", jurisdiction=changzhi),
        "luzhou": helpers.make_user("luzhou", "county_officer", jurisdiction=luzhou),
        "operator": helpers.make_user("operator", "park_operator", park=Park.select().where(Park.jurisdiction == luzhou).first()),
    }
    browsers = {name: sign_in(app, user) for name, user in accounts.items()}

    def queries():
        counts = {}
        for name, browser in browsers.items():
            with counting(db) as statements:
                html = browser.html("/admin/overview/")
            counts[name] = (len(statements), html.count('class="waiting-application"') > 0)
        return counts

    small = queries()
    parks = Park.select().count()
    generate(2, today=day, reg=registry)  # three units in all
    assert Park.select().count() == 3 * parks
    assert queries() == small
    assert small["cz_city"][1] and small["cz_panel"][1]  # the lists were read at both sizes


def test_the_waiting_list_shows_the_oldest_few_and_counts_them_all(browse, town, on_day):
    on_day(DAY(2026, 5, 6))
    shangdang = town.j["shangdang"]
    ids = []
    for i in range(WAITING_CAP + 5):
        park = make_park(shangdang, name=f"待审园区{i}", agencies=0)
        ids.append(Application.create(park=park, jurisdiction=shangdang, year=2026, state="county_review").id)
    part = section(browse("cz_county").html("/admin/overview/"), "changzhi-shangdang")
    assert counted(part, "waiting-count") == WAITING_CAP + 5
    assert re.findall(r'data-application="(\d+)"', part) == [str(i) for i in sorted(ids)[:WAITING_CAP]]
    assert f"仅列出前{WAITING_CAP}项，共{WAITING_CAP + 5}项。" in part
    assert 'href="/admin/application/"' in part and "查看全部认定申报" in part
    # Within the cap, no note.
    assert "waiting-more" not in section(browse("cz_city").html("/admin/overview/"), "changzhi-shangdang")


def test_the_deadlines_show_the_earliest_few_and_count_them_all(browse, town, on_day):
    on_day(DAY(2026, 5, 6))
    shangdang = town.j["shangdang"]
    for i in range(DEADLINE_CAP + 3):
        rectifying(make_park(shangdang, name=f"整改园区{i}", agencies=0), DAY(2026, 6, 1) - datetime.timedelta(days=i))
    part = section(browse("cz_city").html("/admin/overview/"), "changzhi-shangdang")
    assert counted(part, "deadline-count") == DEADLINE_CAP + 3
    listed = [day for _kind, day in deadlines(part)]
    assert len(listed) == DEADLINE_CAP and listed == sorted(listed)
    assert listed[0] == (DAY(2026, 6, 1) - datetime.timedelta(days=DEADLINE_CAP + 2)).isoformat()  # the most overdue first
    assert f"仅列出前{DEADLINE_CAP}项，共{DEADLINE_CAP + 3}项。" in part


def test_subsidy_sums_are_exact_to_the_fen(browse, town, on_day):
    """Summed as floats (SQLite keeps DECIMAL as REAL) these amounts come out a few fen wrong, in
    either order; summed as whole fen they are exact."""
    on_day(DAY(2026, 5, 6))
    big, small = [Decimal("45000000000000.07")] * 2, [Decimal("0.10"), Decimal("0.20")] * 50
    groups = {(2025, "paid"): big + small + [Decimal("123456789.99")], (2024, "approved"): small}
    for (year, status), amounts in groups.items():
        for amount in amounts:
            Subsidy.create(park=town.cz_park, jurisdiction=town.j["shangdang"], kind="operating_grant", year=year,
                           amount=amount, rule_id="x", article="第十条", status=status)
    paid = groups[2025, "paid"]
    assert Decimal(sum(float(a) for a in paid)).quantize(Decimal("0.01")) != sum(paid)
    assert Decimal(sum(float(a) for a in reversed(paid))).quantize(Decimal("0.01")) != sum(paid)
    part = section(browse("cz_city").html("/admin/overview/"), "changzhi-shangdang")
    found = dict(re.findall(r'id="subsidy-changzhi-shangdang-(\d+-[a-z]+)" data-amount="([^"]+)"', part))
    assert found["2025-paid"] == "90000123456805.13" == str(sum(paid))
    assert found["2024-approved"] == "15.00"
    assert "90,000,123,456,805.13元" in part


def test_no_empty_chart_when_no_money_is_due(app):
    from admin.views.dashboard import subsidy_chart

    with app.test_request_context("/"):
        assert subsidy_chart({}, "x") is None
        assert not subsidy_chart({2024: {"recovered": Decimal("800000.00"), "withheld": Decimal("1.00")}}, "x").drawable
        chart = subsidy_chart({2024: {"recovered": Decimal("800000.00")}, 2025: {"paid": Decimal("0.01")}}, "x")
        assert chart.drawable
        drawn = {s["name"]: s["data"] for s in chart.options()["series"]}
        assert drawn["已拨付"] == ["0.00", "0.01"] and "已追回" not in drawn  # recovered: in the table only
