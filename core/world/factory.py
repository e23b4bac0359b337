"""One factory of sample worlds: jurisdictions, accounts' places, parks with their agencies and
figures, applications taken to a state of their procedure, recognitions, assessments with their
consequences, subsidies and ledger lines — built from the description each plugin gives of its
own samples (`JurisdictionPlugin.sample_world()`, its `samples.yaml`), through the same services
officials use, so the records obey every rule they would.

The demo (core.world.demo) is this world; the generator (core.world.generate) scales up the same descriptions.
Core names no place, park, state or fact here: each comes from a plugin's description.
"""
import datetime
import random
import re
from decimal import ROUND_UP, Decimal
from pathlib import Path

from marshmallow import INCLUDE, Schema, ValidationError, fields, validate, validates_schema

from core.records.audit import Actor
from core.rules.programme_data import ProgrammeDataError, _Located, read_located
from core.records.vocab import OFFERED_SERVICES, PUBLIC_SERVICES, ROLES, SERVICE_LINES

COMPANY_STEMS = ["智联", "才聚", "英才", "众合", "汇才", "博睿", "鼎盛", "启航", "金桥", "新程", "华信", "锦程",
                 "卓越", "同创", "恒通", "远航", "德才", "优聘", "润泽", "天成"]
COMPANY_KINDS = ["人力资源有限公司", "人力资源服务有限公司", "劳务派遣有限公司", "管理咨询有限公司", "人才服务有限公司"]
#: How many of its required materials a sample draft already carries: the rest are left for the
#: filer to upload, so the checklist shows what is missing and submitting is refused until it is done.
DRAFT_MATERIALS_PRESENT = 3
#: The score every indicator gets for an assessment planned to end in this grade.
SCORE_FOR = {"excellent": 93, "qualified": 75, "unqualified": 45}
#: The walk's step where the panel records its verdicts on the judgement criteria.
JUDGE = "judge"
SAMPLES_FILE = "samples.yaml"

# --- the description, as a plugin declares it --------------------------------------------------

_DAY = re.compile(r"^(today(-\d+)?|\d{4}-\d{2}-\d{2})$")


def _day(required=True):
    return fields.String(required=required, validate=validate.Regexp(_DAY, error="应为 YYYY-MM-DD 或 today-N (a date or today-N)"))


def _known_role(role):
    # Read when checked, not at import: a programme's own roles join the vocabulary as its plugin loads.
    if role not in ROLES.codes():
        raise ValidationError(f"未知角色 {role} (unknown role); 可用 / known: {', '.join(ROLES.codes())}")


def _text(required=True):
    return fields.String(required=required, validate=validate.Length(min=1))


class PlaceSchema(Schema):
    address = _text()
    phone_area = _text()
    voucher_prefix = _text()
    agency_prefix = _text()
    licence_prefix = _text()


class DistrictSchema(Schema):
    code = _text()
    name_zh = _text()
    name_en = _text()


class JurisdictionYearSchema(Schema):
    """A jurisdiction's facts of one year, as its programme declares them (owner jurisdiction_year)."""

    year = fields.Integer(required=True)
    facts = fields.Dict(keys=fields.String(), required=True)


class StepSchema(Schema):
    transition = _text()
    role = _text()
    remark = fields.String(load_default="")


class ExitSchema(Schema):
    after = fields.String(load_default=None)
    transition = _text()
    remark = fields.String(load_default="")


class ObjectionSampleSchema(Schema):
    """An objection filed online to the application's notice on its first day (实名: name and phone)."""
    name = _text()
    phone = _text()
    content = _text()


class ApplicationSchema(Schema):
    year = fields.Integer(required=True)
    upto = _text()
    day = _day()
    programme = fields.String(load_default=None)
    objection = fields.Nested(ObjectionSampleSchema, load_default=None)


class SubsidyActionSchema(Schema):
    """What is done to the subsidies an assessment left (those of `year`/`kind` if given)."""
    year = fields.Integer(load_default=None)
    kind = fields.String(load_default=None)
    actions = fields.List(_text(), required=True)
    reason = fields.String(load_default="")


class PlannedSubsidySchema(Schema):
    kind = _text()
    year = fields.Integer(required=True)
    amount = fields.Decimal(required=True, as_string=False)
    rule_id = _text()
    article = _text()
    explanation = _text()
    explanation_en = _text()
    actions = fields.List(_text(), load_default=list)
    reason = fields.String(load_default="")


class RectificationSchema(Schema):
    passed = fields.Boolean(required=True)
    day = _day()
    remark = _text()


class AssessmentSchema(Schema):
    year = fields.Integer(required=True)
    grade = fields.String(required=True, validate=validate.OneOf(sorted(SCORE_FOR)))
    day = _day()
    rectification = fields.Nested(RectificationSchema, load_default=None)
    subsidies = fields.List(fields.Nested(SubsidyActionSchema), load_default=list)
    planned_subsidies = fields.List(fields.Nested(PlannedSubsidySchema), load_default=list)


class LedgerLineSchema(Schema):
    category = _text()
    amount = fields.String(required=True, validate=validate.Regexp(r"^\d+(\.\d{1,2})?$", error="应为金额，如 \"86000.50\" (an amount)"))
    day = _day()
    project = _text()


class ParkSchema(Schema):
    """A park and its story; a park named again (name and application only) files another application."""
    name = _text()
    district = fields.String(load_default=None)
    area = fields.Integer(load_default=None)
    agencies = fields.Integer(load_default=None, validate=validate.Range(min=2))
    revenue_wan = fields.Integer(load_default=None)
    pass_through_wan = fields.Integer(load_default=0)
    branches = fields.List(fields.Integer(), load_default=list)
    seed = fields.Integer(load_default=0)
    employment = fields.Integer(load_default=900)
    operator = fields.String(load_default="company", validate=validate.OneOf(["company", "committee"]))
    application = fields.Nested(ApplicationSchema, load_default=None)
    assessments = fields.List(fields.Nested(AssessmentSchema), load_default=list)
    ledger = fields.List(fields.Nested(LedgerLineSchema), load_default=list)


class AccountSchema(Schema):
    username = _text()
    role = fields.String(required=True, validate=_known_role)
    display_name = _text()
    jurisdiction = fields.String(load_default=None)
    park = fields.String(load_default=None)
    try_zh = fields.String(load_default="")
    try_en = fields.String(load_default="")


class FiguresSchema(Schema):
    area = fields.List(fields.Integer(), required=True, validate=validate.Length(equal=2))
    agencies = fields.List(fields.Integer(), required=True, validate=validate.Length(equal=2))
    revenue_wan = fields.List(fields.Integer(), required=True, validate=validate.Length(equal=2))


class GeneratedYearsSchema(Schema):
    """A jurisdiction's yearly facts in the first generated year, by id, and how much each rises a year."""
    first_year = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    yearly_rise = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)


class GeneratedParkSchema(Schema):
    district = _text()
    state = _text()
    fate = fields.String(load_default=None, validate=validate.OneOf(["thriving", "rectifying", "revoked"]))


class GeneratorSchema(Schema):
    recognised_from = fields.Integer(load_default=None)
    figures = fields.Dict(keys=fields.String(validate=validate.OneOf(["met", "short"])),
                          values=fields.Nested(FiguresSchema), load_default=dict)
    park_facts = fields.Dict(load_default=dict)
    jurisdiction_years = fields.Nested(GeneratedYearsSchema, load_default=None)
    parks = fields.List(fields.Nested(GeneratedParkSchema), load_default=list)


class SampleWorldSchema(Schema):
    place = fields.Nested(PlaceSchema, load_default=None)
    effective_from = _day(required=False)
    districts = fields.List(fields.Nested(DistrictSchema), load_default=list)
    jurisdiction_years = fields.List(fields.Nested(JurisdictionYearSchema), load_default=list)
    park_facts = fields.Dict(load_default=dict)
    #: The yearly park figure that counts the people a park helped into work (a park's `employment`).
    employment_figure = fields.String(load_default=None)
    filer = fields.String(load_default=None, validate=_known_role)
    walk = fields.List(fields.Raw(), load_default=list)
    exits = fields.Dict(keys=fields.String(), values=fields.Nested(ExitSchema), load_default=dict)
    parks = fields.List(fields.Nested(ParkSchema), load_default=list)
    accounts = fields.List(fields.Nested(AccountSchema), load_default=list)
    generator = fields.Nested(GeneratorSchema, load_default=None)


def _line(data, keys):
    """The line of the deepest key of `keys` (a marshmallow error path) found in the located data."""
    line = getattr(data, "line", 0)
    for key in keys:
        if isinstance(data, _Located) and key in data:
            line = data.key_lines.get(key, data.line)
            data = data[key]
        elif isinstance(data, list) and isinstance(key, int) and key < len(data):
            data = data[key]
            line = getattr(data, "line", line)
        else:
            break
    return line


def _problems(messages, data, name, keys=()):
    if isinstance(messages, dict):
        for key, value in messages.items():
            yield from _problems(value, data, name, keys + (key,))
    else:
        where = ".".join(str(k) if not isinstance(k, int) else f"[{k}]" for k in keys).replace(".[", "[")
        yield f"{name}:{_line(data, keys)}: {where}: {' '.join(map(str, messages))}"


def load_sample_world(path: Path) -> dict:
    """The sample description in `path`, checked; every problem named as `folder/file:line: key: message`."""
    data = read_located(path)
    name = f"{path.parent.name}/{path.name}"
    errors = SampleWorldSchema().validate(data) if isinstance(data, dict) else {"-": ["应为键值对 (a mapping)"]}
    problems = list(_problems(errors, data, name))
    if isinstance(data, dict) and isinstance(data.get("walk"), list):
        for i, step in enumerate(data["walk"]):
            if step == JUDGE:
                continue
            if not isinstance(step, dict):
                problems.append(f"{name}:{_line(data, ('walk',))}: walk[{i}]: 应为转换或 {JUDGE} (a transition or {JUDGE})")
                continue
            try:
                StepSchema().load(step)
            except ValidationError as exc:
                problems += list(_problems(exc.messages, data, name, ("walk", i)))
    if problems:
        raise ProgrammeDataError(problems)
    world = SampleWorldSchema().load(data)
    world["walk"] = [step if step == JUDGE else StepSchema().load(step) for step in world["walk"]]
    return world


def sample_worlds(reg):
    """[(jurisdiction, its description)] of every installed jurisdiction that describes one, by code."""
    found = []
    for jurisdiction in sorted(reg, key=lambda j: j.code):
        description = getattr(jurisdiction.plugin, "sample_world", dict)()
        if description:
            found.append((jurisdiction, description))
    return found


def on_day(text, today):
    """A description's date: YYYY-MM-DD, or today / today-N."""
    if text.startswith("today"):
        return today - datetime.timedelta(days=int(text.partition("-")[2] or 0))
    return datetime.date.fromisoformat(text)


def path_to(world, state, procedure):
    """The transitions that take a draft to `state`: along the walk, or off it by one of its exits."""
    walk = [step["transition"] for step in world["walk"] if step != JUDGE]
    targets = {t.id: t.target for t in procedure.transitions}
    if state == procedure.initial:
        return []
    for n, transition in enumerate(walk):
        if targets[transition] == state:
            return walk[:n + 1]
    leave = world["exits"].get(state)
    if leave is None:
        raise KeyError(f"{state}: 样例未说明如何到达此状态 (the samples do not say how to reach this state)")
    before = walk[:walk.index(leave["after"]) + 1] if leave["after"] else []
    return before + [leave["transition"]]


def judged_before(world):
    """The transitions of the walk before which the panel has recorded its verdicts."""
    walk = world["walk"]
    return {walk[n + 1]["transition"] for n, step in enumerate(walk[:-1]) if step == JUDGE}


def remarks(world):
    """The remark officials leave on each transition of the walk and its exits."""
    found = {step["transition"]: step["remark"] for step in world["walk"] if step != JUDGE}
    found.update({leave["transition"]: leave["remark"] for leave in world["exits"].values()})
    return found


def park_facts(facts, rnd):
    """The facts of a sample park; a `{chance: p}` is drawn, true with probability p."""
    return {key: (rnd.random() < value["chance"]) if isinstance(value, dict) and "chance" in value else value
            for key, value in facts.items()}


# --- the builder -------------------------------------------------------------------------------


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


def park_fields(jurisdiction, place, rnd, *, street_numbers=99, registered_in=2021, operator="company"):
    """A sample park's own fields, drawn from `rnd` in a fixed order (the same seed, the same park)."""
    return dict(
        jurisdiction=jurisdiction,
        address=f"{place['address']}{jurisdiction.name_zh}人才路{rnd.randint(1, street_numbers)}号",
        contact_person=rnd.choice(["王建国", "李晓燕", "张伟", "刘芳", "陈磊", "阿依古丽"]),
        phone=f"{place['phone_area']}-{rnd.randint(2000000, 8999999)}",
        property_ownership=rnd.choice(["区属国有资产", "园区运营公司自有", "租赁"]),
        registration_date=datetime.date(registered_in, rnd.randint(1, 12), rnd.randint(1, 28)),
        investment_wan=Decimal(rnd.randint(800, 5000)),
        build_mode=rnd.choice(["new", "conversion"]),
        public_services=PUBLIC_SERVICES.codes(),
        offered_services=rnd.sample(OFFERED_SERVICES.codes(), 6),
        operator_kind=operator,
        operator_name=f"{jurisdiction.name_zh}人力资源产业园运营管理有限公司" if operator == "company" else f"{jurisdiction.name_zh}产业园管理委员会",
        staff_fulltime=rnd.randint(4, 12),
        staff_parttime=rnd.randint(0, 5),
    )


def employed(world, number):
    """The yearly park figure counting the people a park helped into work, as its samples name it."""
    return {world["employment_figure"]: number} if world["employment_figure"] else {}


def add_district(rows, city, code, name_zh, name_en=""):
    """The county `code` under the city `city` (rows: {code: Jurisdiction}, as sync_jurisdictions
    answers), made unless it exists, and added to `rows`."""
    from core.records.models import Jurisdiction

    rows[code] = Jurisdiction.get_or_none(Jurisdiction.code == code) or Jurisdiction.create(
        code=code, name_zh=name_zh, name_en=name_en, level="county", parent=rows[city])
    return rows[code]


def add_park_with_figures(park, sites=(), agencies=(), park_years=()):
    """A park with exactly the given figures, written one way for the samples and the tests alike."""
    from core.records.models import Agency, AgencyYear, Park, ParkYear, Site

    row = Park.create(**park)
    for site in sites:
        Site.create(park=row, **site)
    # Each agency is its fields and `years`, its figures; given as a function of the park, its
    # licence numbers may carry the park's id.
    for agency in agencies(row) if callable(agencies) else agencies:
        resident = Agency.create(park=row, **{key: value for key, value in agency.items() if key != "years"})
        for figures in agency.get("years", ()):
            AgencyYear.create(agency=resident, **figures)
    for figures in park_years:
        ParkYear.create(park=row, **figures)
    return row


def sample_payment(subsidy, today):
    """A sample payment of `subsidy` on `today`: a voucher numbered from the subsidy, the source of the
    funds its programme declares (or the city's budget), the operator's account."""
    from core.records.services.subsidies import Payment
    from core.plugin.registry import rules_for

    kind = next((k for k in rules_for(subsidy.jurisdiction).subsidy_kinds() if k["id"] == subsidy.kind), {})
    return Payment(today, f"记-{today.year}-{subsidy.id:04d}", kind.get("fund_source") or "市级财政资金",
                   f"{subsidy.park.operator_name or subsidy.park.name} 基本户 6222{subsidy.park_id:012d}")


def system(role):
    """A sample actor of `role` with no jurisdiction limit (the builder stands in for every office),
    named as pages show it: 演示数据（市人社局工作人员）."""
    return Actor(f"演示数据（{ROLES.label(role)}）", role)


class WorldBuilder:
    """Builds the described worlds into the bound, migrated database, through the services."""

    def __init__(self, reg, today, upload_dir=None):
        self.reg = reg
        self.worlds = sample_worlds(reg)
        self.today = today
        self.upload_dir = upload_dir
        self.parks = {}

    def build(self):
        from core.records.models import Agency, Jurisdiction, JurisdictionYear, Park, Recognition, Setting, Subsidy
        from core.plugin.registry import sync_jurisdictions

        for jurisdiction, world in self.worlds:
            if world.get("effective_from"):
                Setting.create(jurisdiction_code=jurisdiction.code, key="effective_from", value=world["effective_from"])
        self.rows = rows = sync_jurisdictions(self.reg)
        for jurisdiction, world in self.worlds:
            for d in world["districts"]:
                add_district(rows, jurisdiction.code, d["code"], d["name_zh"], d["name_en"])
        for jurisdiction, world in self.worlds:
            for entered in world["jurisdiction_years"]:
                JurisdictionYear.create(jurisdiction=rows[jurisdiction.code], **entered)
        for _jurisdiction, world in self.worlds:
            for park in world["parks"]:
                self.park_story(world, park)
        return {
            "parks": Park.select().count(),
            "agencies": Agency.select().count(),
            "recognitions": Recognition.select().count(),
            "subsidies": Subsidy.select().count(),
        }

    def park_story(self, world, description):
        from core.records.models import Recognition
        from core.records.services import ledger

        park = self.parks.get(description["name"]) or self.add_park(world, description)
        self.parks[description["name"]] = park
        if description["application"]:
            application = self.file_application(world, park, description["application"])
            if application.state == "recognised":
                recognition = Recognition.get(Recognition.application == application)
                for planned in description["assessments"]:
                    self.assess(recognition, planned)
        for line in description["ledger"]:
            amount, day = line["amount"], on_day(line["day"], self.today)
            voucher = f"{world['place']['voucher_prefix']}-{day.year}-{random.Random(amount).randint(100, 999)}"
            ledger.add_entry(park, line["category"], amount, day, line["project"], system("park_operator"), voucher=voucher)

    def add_park(self, world, d):
        jurisdiction, place, rnd, seed = self.rows[d["district"]], world["place"], random.Random(d["seed"]), d["seed"]
        # Described in the order the rows are written, so the same seed draws the same park.
        fields = dict(name=d["name"], **park_fields(jurisdiction, place, rnd, operator=d["operator"]),
                      facts=park_facts(world["park_facts"], rnd))
        sites = [dict(name="核心园区", is_core=True, floor_area=Decimal(d["area"]))]
        sites += [dict(name=f"分园区{i + 1}", is_core=False, floor_area=Decimal(area)) for i, area in enumerate(d["branches"])]
        operating = d["agencies"] - 1  # the last agency is a public one, with no revenue
        weights = [Decimal(1) + Decimal("0.1") * ((i % 5) - 2) for i in range(operating)]
        shares = [w / sum(weights) for w in weights] + [Decimal(0)]  # revenue split unevenly but adding up exactly
        revenue, pass_through = Decimal(d["revenue_wan"]), Decimal(d["pass_through_wan"])
        residents = [
            dict(
                name=f"{place['agency_prefix']}{COMPANY_STEMS[(i + seed) % len(COMPANY_STEMS)]}{COMPANY_KINDS[i % len(COMPANY_KINDS)]}",
                kind="public" if i == operating else "operating",
                licence_kind="licence" if i % 4 else "filing",
                licence_no=f"{place['licence_prefix']}{seed:02d}{i:04d}",
                service_lines=rnd.sample(SERVICE_LINES.codes()[:-1], 2),
                admitted_on=datetime.date(2022, rnd.randint(1, 12), 1),
                # Every year at least the target: the outcome does not depend on which year is read.
                years=[dict(year=year,
                            revenue=(revenue * 10000 * share * factor).quantize(Decimal("0.01"), ROUND_UP),
                            pass_through=(pass_through * 10000 * share * factor).quantize(Decimal("0.01"), ROUND_UP),
                            tax=(revenue * 300 * share * factor).quantize(Decimal("0.01")),
                            employment_helped=0 if i == operating else rnd.randint(20, 90))
                       for year, factor in ((2023, Decimal("1")), (2024, Decimal("1.04")), (2025, Decimal("1.08")))],
            )
            for i, share in enumerate(shares)
        ]
        exited = dict(name=f"{jurisdiction.name_zh}已退出人力资源有限公司", kind="operating",
                      licence_no=f"X{seed:02d}", admitted_on=datetime.date(2021, 5, 1),
                      exited_on=datetime.date(2023, 6, 30), exit_reason="经营不善，服务质量下降（退出机制）",
                      years=[dict(year=2023, revenue=Decimal("400000"))])
        park_years = [dict(year=year, events_held=int(24 * factor), service_products=12,
                           complaints_handled=rnd.randint(1, 8), people_served=int(d["employment"] * factor * 3),
                           **employed(world, int(d["employment"] * factor)))
                      for year, factor in ((2023, 0.8), (2024, 1.0), (2025, 1.15))]
        return add_park_with_figures(fields, sites, residents + [exited], park_years)

    def file_application(self, world, park, plan):
        """Take a park's application as far as `plan["upto"]` along the walk of its procedure. A draft
        keeps only its first DRAFT_MATERIALS_PRESENT required materials; any later state has them all."""
        from core.records.services import applications
        from core.records.services.materials import add_material

        filer = system(world["filer"])
        application = applications.create_application(park, filer, year=plan["year"], programme=plan["programme"])
        rules = applications.rules_of(application)
        required = [spec for spec in rules.materials() if spec.required]
        if plan["upto"] == "draft":
            required = required[:DRAFT_MATERIALS_PRESENT]
        for spec in required:
            add_material(application, spec.id, f"{spec.title}.pdf", demo_pdf(f"hrpark demo: {spec.id}"), filer,
                         directory=self.upload_dir)
        if plan["upto"] == "draft":
            return application
        guards = {t.id: t.guards for t in rules.procedure().transitions}
        panel = system("panel_member")
        day = on_day(plan["day"], self.today)
        for step in world["walk"]:
            if step == JUDGE:
                for result in applications.judgement_pending(application):
                    applications.record_verdict(application, result.criterion_id, True, "经评审小组评议，符合要求", panel)
                continue
            if "notice_period_over" in guards[step["transition"]]:
                day = applications.latest_notice(application).end + datetime.timedelta(days=1)
            application = applications.take_transition(application, step["transition"], system(step["role"]),
                                                       remark=step["remark"], on=day)
            if application.state == plan["upto"]:
                break
            day += datetime.timedelta(days=3)
        if plan["objection"]:
            self.file_objection(application, plan["objection"])
        return application

    def file_objection(self, application, objection):
        """The sample's objection, filed online on the notice's first day as anyone would file it."""
        from core.records.services import applications
        from core.records.services.objections import file_objection

        notice = applications.latest_notice(application)
        file_objection(notice.id, objection["name"], objection["phone"], objection["content"], on=notice.start,
                       now=datetime.datetime.combine(notice.start, datetime.time(9, 30)), address="demo",
                       directory=self.upload_dir)

    def assess(self, recognition, plan):
        from core.rules.assessment import assessment_day
        from core.records.models import Rectification, Subsidy
        from core.rules.programmes import governing_rules
        from core.records.services import assessments, subsidies

        officer, finance = system("city_officer"), system("city_finance")
        on = on_day(plan["day"], self.today)
        indicators = governing_rules(recognition).indicators(assessment_day(plan["year"]))
        score = SCORE_FOR[plan["grade"]]
        assessment = assessments.create_assessment(recognition, plan["year"], {i.id: score for i in indicators},
                                                   officer, assessed_on=on)
        assessment = assessments.confirm_assessment(assessment, officer, on=on)
        if plan["rectification"]:
            closing = plan["rectification"]
            assessments.close_rectification(Rectification.get(Rectification.assessment == assessment), closing["passed"],
                                            closing["remark"], officer, on=on_day(closing["day"], self.today))
        park = recognition.park
        if plan["subsidies"]:
            for s in Subsidy.select().where(Subsidy.park == park).order_by(Subsidy.year, Subsidy.id):
                rule = next((r for r in plan["subsidies"] if r["year"] in (None, s.year) and r["kind"] in (None, s.kind)), None)
                if rule is not None:  # the first rule that fits the subsidy says what is done to it
                    self.act(subsidies, s, rule, officer, finance, on)
        for planned in plan["planned_subsidies"]:
            s = Subsidy.create(park=park, jurisdiction=park.jurisdiction, recognition=recognition,
                               kind=planned["kind"], year=planned["year"], amount=planned["amount"],
                               rule_id=planned["rule_id"], article=planned["article"],
                               explanation=planned["explanation"], explanation_en=planned["explanation_en"])
            self.act(subsidies, s, planned, officer, finance, on)
        return assessment

    def act(self, subsidies, subsidy, rule, officer, finance, on):
        """Each action of `rule` on `subsidy`: approving and cancelling are the officer's, the rest finance's;
        a payment is recorded as the finance bureau would, a fortnight after the assessment day `on`."""
        for action in rule["actions"]:
            actor = officer if action in ("approve", "cancel") else finance
            kwargs = {"reason": rule["reason"]} if action in ("recover", "cancel") else {}
            if action == "pay":
                day = min(on + datetime.timedelta(days=14), self.today)
                kwargs = {"payment": sample_payment(subsidy, day), "today": self.today}
            subsidies.act(subsidy, action, actor, **kwargs)


def build_world(today=None, upload_dir=None, reg=None):
    """Fill an empty, migrated database with every installed plugin's sample world. Returns a
    summary {what: count}. `upload_dir`: where the materials are stored (default as
    core.records.services.materials.upload_dir())."""
    from core.plugin.registry import registry

    return WorldBuilder(reg or registry(), today or datetime.date.today(), upload_dir).build()
