"""A sample park taken through a jurisdiction's whole procedure in a scratch database, so that every
document template can be rendered on real records: the application, its public notice, the
recognition, an assessment graded qualified (with the subsidies it sets off) and one graded
unqualified (with its rectification). Used by the conformance check "templates render".

The records are dated inside the programme's effective period (core.world.samples.sample_day): in
SAMPLE_YEAR, or from the first day of a programme that begins later.

The scratch database is a temporary SQLite file; the models and the process-wide registry are
bound to it (and to the plugin's registry) only while the samples render, then restored.
"""
import contextlib
import datetime
import tempfile
from collections import deque
from decimal import Decimal
from pathlib import Path

from core.plugin import registry as plugins
from core.records.audit import Actor
from core.rules.assessment import assessment_day
from core.world.factory import add_park_with_figures
from core.world.samples import early_sample_day, sample_day, sample_park

PDF = b"%PDF-1.4\n% hrpark conformance sample\n"
REMARK = "示例意见（插件一致性检查生成） / sample remark written by the conformance check"


class SampleError(RuntimeError):
    """The sample park could not be taken as far as a template needs; `records` holds what was built."""

    def __init__(self, message, records):
        super().__init__(message)
        self.records = records


def _actor(role):
    return Actor(f"一致性检查({role})", role)


@contextlib.contextmanager
def scratch_database(registry):
    """Models bound to a fresh, migrated SQLite file and `registry` as the process-wide one."""
    from core.records import schema
    from core.records.db import database, open_database

    # The services read the process-wide registry: the subject's must answer while samples are built.
    previous_database, previous_registry = database.obj, plugins._registry
    with tempfile.TemporaryDirectory(prefix="hrpark-samples-") as directory:
        db = open_database(f"sqlite:///{Path(directory) / 'samples.db'}")
        database.initialize(db)
        plugins.set_registry(registry)
        try:
            db.connect(reuse_if_open=True)
            schema.upgrade(db)
            yield Path(directory)
        finally:
            db.close()
            database.initialize(previous_database)
            plugins.set_registry(previous_registry)


def first_day(jurisdiction):
    """The day the sample application is filed: early in its sample year, never before the programme's first day."""
    return early_sample_day(sample_day(jurisdiction.info, jurisdiction.parameters, jurisdiction.code), 3, 3)


def _park_row(jurisdiction_row, year, own_facts):
    """The sample park (core.world.samples.sample_park) of `year` as database rows, with the sample
    values of the park facts the programme declares (`own_facts`)."""
    from core.records.models import JurisdictionYear

    facts = sample_park(jurisdiction_row.code, year)
    park = add_park_with_figures(
        dict(jurisdiction=jurisdiction_row, name=facts.name, address=facts.address, contact_person="示例联系人",
             phone="0000-0000000", property_ownership="示例", registration_date=datetime.date(year - 4, 5, 1),
             investment_wan=Decimal("1200"), build_mode="new", public_services=facts.public_services,
             offered_services=[], operator_kind=facts.operator_kind, operator_name=facts.operator_name,
             staff_fulltime=facts.staff_fulltime, staff_parttime=facts.staff_parttime, facts={**facts.facts, **own_facts}),
        [dict(name=site.name, is_core=site.is_core, floor_area=site.floor_area) for site in facts.sites],
        [dict(name=agency.name, kind=agency.kind, licence_no=f"SAMPLE-{n:03d}", service_lines=agency.service_lines,
              admitted_on=agency.admitted_on,
              years=[dict(year=figures.year, revenue=figures.revenue, pass_through=figures.pass_through,
                          employment_helped=figures.employment_helped) for figures in agency.years.values()])
         for n, agency in enumerate(facts.agencies)],
        [dict(year=figures.year, events_held=figures.events_held, service_products=figures.service_products,
              employment_promoted=figures.employment_promoted, people_served=figures.people_served, facts=figures.facts)
         for figures in facts.years.values()],
    )
    for entered in facts.jurisdiction_years.values():
        JurisdictionYear.create(jurisdiction=jurisdiction_row, year=entered.year, facts=entered.facts)
    return park


def path_to_recognition(procedure):
    """The shortest list of transitions from the initial state through one that recognises."""
    queue = deque([(procedure.initial, [])])
    seen = {procedure.initial}
    while queue:
        state, path = queue.popleft()
        for t in procedure.transitions:
            if t.source != state:
                continue
            if "recognise" in t.guards:
                return path + [t]
            if t.target not in seen:
                seen.add(t.target)
                queue.append((t.target, path + [t]))
    raise SampleError("认定程序中没有认定园区的步骤（guard recognise） — the procedure has no step that recognises", {})


def _clear_eligibility(application, procedure):
    """Verdicts for every judgement, waivers for every waivable shortfall, each by a role of the stage
    the procedure names for it; what still blocks."""
    from core.rules.criteria import NOT_MET_WAIVABLE
    from core.records.services import applications

    for result in applications.judgement_pending(application):
        applications.record_verdict(application, result.criterion_id, True, REMARK, _actor(procedure.verdict_stage.roles[0]))
    for result in applications.evaluate_application(application).results:
        if result.final_status == NOT_MET_WAIVABLE:
            applications.grant_waiver(application, result.criterion_id, REMARK, _actor(procedure.waiver_stage.roles[0]))
    return [r for r in applications.evaluate_application(application).results if r.blocking]


def build_sample_records(jurisdiction, registry, directory):
    """{record kind: record} of a sample park of `jurisdiction`, as far as its rules let it go."""
    from core.records.models import Application, Assessment, Jurisdiction, Rectification, Subsidy
    from core.records.services import applications, assessments
    from core.records.services.materials import add_material

    plugins.sync_jurisdictions(registry)
    row = Jurisdiction.get(Jurisdiction.code == jurisdiction.code)
    day = first_day(jurisdiction)
    year = day.year
    declared = getattr(jurisdiction.plugin, "declared_facts", dict)().values()
    park = _park_row(row, year, {f.id: f.sample for f in declared if f.owner == "park" and f.sample is not None})
    procedure = jurisdiction.procedure()
    application = applications.create_application(park, _actor(procedure.filer_role), year=year)
    for spec in jurisdiction.materials():
        if spec.required:
            add_material(application, spec.id, f"{spec.id}.pdf", PDF, _actor(procedure.filer_role), directory=directory)
    records = {"application": application}
    try:
        path = path_to_recognition(procedure)
    except SampleError as exc:
        raise SampleError(str(exc), records) from None  # the application itself can still be rendered
    for transition in path:
        if "eligibility_clear" in transition.guards:
            blocking = _clear_eligibility(application, procedure)
            if blocking:
                raise SampleError(
                    "示例园区不满足且不可豁免：" + "；".join(f"{r.title}（{r.article}）" for r in blocking)
                    + " — the sample park fails conditions that cannot be waived", records)
        if "notice_period_over" in transition.guards:
            day = applications.latest_notice(application).end + datetime.timedelta(days=1)
        application = applications.take_transition(application, transition.id, _actor(transition.roles[0]),
                                                   remark=REMARK, on=day)
        day += datetime.timedelta(days=3)
    records["application"] = Application.get_by_id(application.id)
    notice = applications.latest_notice(application)
    if notice is not None:
        records["notice"] = notice
    recognition = application.recognition.first()
    records["recognition"] = recognition
    tiers = {t.grade: t.min_score for t in jurisdiction.grade_tiers(assessment_day(year))}
    indicators = jurisdiction.indicators(assessment_day(year))
    officer = _actor("city_officer")
    for assessed, grade in ((year, "qualified"), (year + 1, "unqualified")):
        score = tiers.get(grade, Decimal(0)) if grade != "unqualified" else Decimal(0)
        assessment = assessments.create_assessment(recognition, assessed, {i.id: score for i in indicators}, officer,
                                                   assessed_on=datetime.date(assessed + 1, 3, 10))
        assessment = assessments.confirm_assessment(assessment, officer, on=datetime.date(assessed + 1, 3, 10))
        records.setdefault("assessment", assessment)
    rectification = (Rectification.select().join(Assessment).where(Assessment.recognition == recognition)
                     .order_by(Rectification.id).first())
    if rectification is not None:
        records["rectification"] = rectification
    subsidy = Subsidy.select().where(Subsidy.park == park).order_by(Subsidy.id).first()
    if subsidy is not None:
        records["subsidy"] = subsidy
    return records


def render_samples(jurisdiction, templates, registry):
    """[(template id, format, error or '')] for each template of `jurisdiction` in each of its formats."""
    from core.io.documents.registry import render

    results = []
    with scratch_database(registry) as directory:
        try:
            records, problem = build_sample_records(jurisdiction, registry, directory), ""
        except SampleError as exc:
            records, problem = exc.records, str(exc)
        except Exception as exc:  # the plugin's procedure or rules broke on the sample
            records, problem = {}, f"示例记录无法生成 — the sample records cannot be built: {type(exc).__name__}: {exc}"
        for template in templates:
            record = records.get(template.record_kind)
            # The print view first: the Word file is made from it, so a broken source is named once.
            for fmt in sorted(template.formats, key=lambda f: f != "html"):
                if record is None:
                    results.append((template.id, fmt, problem or f"没有{template.record_kind}类示例记录 — no sample record"))
                    break
                try:
                    data, _, _ = render(template.id, record.id, fmt)
                    error = "" if data else "生成的文件为空 — the rendered file is empty"
                except Exception as exc:
                    error = f"{type(exc).__name__}: {exc}"
                results.append((template.id, fmt, error))
                if error:
                    break
    return results
