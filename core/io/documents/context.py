"""What an official document says, read from the database: the record of the template's kind, its
park (sites, agencies, services ticked), the review steps and their opinions, the public notice,
the recognition, the grades and consequences, the subsidy amounts — as plain text ready to print
(dates 2025年10月11日, amounts in figures and capitals), the same for the .docx and the HTML.

A city's template adds what only its measures say through `DocumentTemplate.extra_context`.
"""
import datetime
from decimal import Decimal

from core.records import vocab
from core.io.documents.writing import (
    BLANK_DATE,
    date_zh,
    lines,
    number_zh,
    period_zh,
    tick,
    yuan_capitals,
    yuan_figures,
)
from core.rules.jurisdiction import bureau_of
from core.records.models import (
    Agency,
    Application,
    Assessment,
    AuditLog,
    Material,
    PublicNotice,
    Recognition,
    Rectification,
    ReviewStep,
    Subsidy,
)
from core.rules.assessment import assessment_day
from core.rules.criteria import JUDGED_MET, JUDGED_NOT_MET, WAIVED

#: The model each record kind is loaded from.
KIND_MODELS = {
    "application": Application,
    "notice": PublicNotice,
    "recognition": Recognition,
    "assessment": Assessment,
    "rectification": Rectification,
    "subsidy": Subsidy,
}

FINAL_STATUS_LABELS = {
    **{t.code: t.zh for t in vocab.CRITERION_STATUSES},
    "needs_judgement": "待评审判断",
    WAIVED: "经评审豁免",
    JUDGED_MET: "经评审符合",
    JUDGED_NOT_MET: "经评审不符合",
}


# --- the record and what it belongs to ----------------------------------------------------------


#: The record that names the park and the jurisdiction, by kind; any other kind names them itself.
HOLDERS = {
    "notice": lambda r: r.application,
    "assessment": lambda r: r.recognition,
    "rectification": lambda r: r.assessment.recognition,
}
#: The record whose programme governs a record of the kind (any other kind: the record itself).
GOVERNORS = {
    "notice": lambda r: r.application,
    "rectification": lambda r: r.assessment,
}


def _holder(kind, record):
    return HOLDERS.get(kind, lambda r: r)(record)


def record_park(kind, record):
    return _holder(kind, record).park


def record_jurisdiction(kind, record):
    """The jurisdiction row whose rules (and templates) govern the record."""
    return _holder(kind, record).jurisdiction


def record_rules(kind, record):
    """The rules (and templates) of the programme the record belongs to."""
    from core.rules.programmes import governing_rules

    return governing_rules(GOVERNORS.get(kind, lambda r: r)(record))


def created_on(record) -> datetime.date | None:
    """The day a record was created, from its audit row (records without a date column of their own)."""
    row = (
        AuditLog.select(AuditLog.at)
        .where((AuditLog.table == record._meta.table_name) & (AuditLog.record_id == record.id)
               & (AuditLog.action == "create"))
        .order_by(AuditLog.id)
        .first()
    )
    return row.at.date() if row is not None else None


# --- the park -----------------------------------------------------------------------------------


def _resident(agency, on):
    admitted = agency.admitted_on is None or agency.admitted_on <= on
    still_in = agency.exited_on is None or agency.exited_on > on
    return admitted and still_in


def _ticks(vocabulary, chosen) -> list:
    """Each term of `vocabulary` as a box on the form, ticked when `chosen` holds its code."""
    return [{"code": t.code, "label": t.zh, "ticked": t.code in chosen, "mark": tick(t.code in chosen)} for t in vocabulary]


def park_context(park, on: datetime.date) -> dict:
    """The park as the approval form and the notices describe it, agencies counted on `on`."""
    sites = sorted(park.sites, key=lambda s: (not s.is_core, s.id))
    total_area = sum((s.floor_area for s in sites), Decimal(0))
    total_text = area_text = f"{number_zh(total_area)}平方米" if sites else ""
    if len(sites) > 1:
        parts = "、".join(f"核心园区{number_zh(s.floor_area)}平方米" if s.is_core
                         else f"{s.name}（分园区）{number_zh(s.floor_area)}平方米" for s in sites)
        area_text = f"{total_text}（{parts}）"
    agencies = [a for a in park.agencies.order_by(Agency.id) if _resident(a, on)]
    team = park.staff_fulltime + park.staff_parttime
    team_text = f"{team}人（专职{park.staff_fulltime}人、兼职{park.staff_parttime}人）" if team else ""
    county = park.jurisdiction if park.jurisdiction.level != "city" else None
    return {
        "id": park.id,
        "name": park.name,
        "address": park.address,
        "contact_person": park.contact_person,
        "phone": park.phone,
        "property_ownership": park.property_ownership,
        "registration_date": date_zh(park.registration_date),
        "investment_wan": number_zh(park.investment_wan),
        "floor_area": number_zh(total_area) if sites else "",
        "floor_area_text": area_text,
        "floor_area_total_text": total_text,
        "sites": [
            {"name": s.name, "address": s.address, "role": "核心园区" if s.is_core else "分园区",
             "floor_area": number_zh(s.floor_area), "approved_on": date_zh(s.approved_on)}
            for s in sites
        ],
        "team_size": team,
        "team_text": team_text,
        "agency_count": len(agencies),
        "agency_count_text": f"{len(agencies)}家",
        "agencies": [
            {"no": i + 1, "name": a.name, "kind": vocab.AGENCY_KINDS.label(a.kind),
             "licence": vocab.LICENCE_KINDS.label(a.licence_kind), "licence_no": a.licence_no,
             "service_lines": "、".join(vocab.SERVICE_LINES.label(c) for c in a.service_lines or []),
             "admitted_on": date_zh(a.admitted_on)}
            for i, a in enumerate(agencies)
        ],
        "operator_name": park.operator_name,
        "operator_kind": vocab.OPERATOR_KINDS.label(park.operator_kind),
        "applicant": park.operator_name or park.name,
        "build_mode": vocab.BUILD_MODES.label(park.build_mode),
        "build_modes": _ticks(vocab.BUILD_MODES, {park.build_mode}),
        "offered_services": _ticks(vocab.OFFERED_SERVICES, set(park.offered_services or [])),
        "public_services": _ticks(vocab.PUBLIC_SERVICES, set(park.public_services or [])),
        "county": county.name_zh if county else "",
        "county_bureau": bureau_of(county.name_zh) if county else "",
    }


# --- the pieces of each record kind --------------------------------------------------------------


def steps_context(application, procedure) -> list:
    labels = {t.id: t.label for t in procedure.transitions}
    steps = ReviewStep.select().where(ReviewStep.application == application).order_by(ReviewStep.at, ReviewStep.id)
    return [
        {"transition": s.transition, "label": labels.get(s.transition, s.transition), "remark": s.remark,
         "lines": lines(s.remark), "date": date_zh(s.at), "day": s.at.date(), "actor": s.actor,
         "role": vocab.ROLES.label(s.role)}
        for s in steps
    ]


def latest_opinion(steps, transitions) -> dict | None:
    """The latest of `transitions` among the steps, as an opinion box: its remark (or, when none was
    written, the action taken — that is the opinion), and its date."""
    chosen = [s for s in steps if s["transition"] in transitions]
    if not chosen:
        return None
    step = chosen[-1]
    text = step["remark"] or f"{step['label']}。"
    return {"text": text, "lines": lines(text), "date": step["date"], "transition": step["transition"],
            "label": step["label"], "actor": step["actor"]}


def notice_context(notice) -> dict | None:
    if notice is None:
        return None
    return {
        "id": notice.id,
        "start": date_zh(notice.start),
        "end": date_zh(notice.end),
        "period": period_zh(notice.start, notice.end),
        "working_days": notice.working_days,
        "objection_count": notice.objection_count,
        "objections": lines(notice.objections),
        "calendar_warning": notice.calendar_warning,
    }


def evaluation_context(application) -> dict:
    from core.records.services.applications import evaluate_application

    evaluation = evaluate_application(application)
    results = []
    for r in evaluation.results:
        notes = [r.explanation] if r.explanation else []
        if r.verdict_remark:
            notes.append(f"评审意见：{r.verdict_remark}")
        if r.waiver_reason:
            notes.append(f"豁免理由：{r.waiver_reason}")
        results.append({"id": r.criterion_id, "article": r.article, "title": r.title,
                        "finding": "；".join(notes), "status": FINAL_STATUS_LABELS.get(r.final_status, r.final_status),
                        "blocking": r.blocking})
    outcome = {"eligible": "符合认定条件", "not_eligible": "不符合认定条件",
               "pending": "尚有条件待评审判断或豁免", "incomplete": "尚有条件缺少数据，无法判断"}[evaluation.outcome]
    return {"results": results, "outcome": outcome, "outcome_code": evaluation.outcome,
            "warnings": list(evaluation.warnings), "previous_year": application.year - 1}


def materials_context(application, rules) -> list:
    present = {m.material_id for m in Material.select(Material.material_id).where(
        (Material.application == application) & (Material.withdrawn == False))}  # noqa: E712
    return [{"id": spec.id, "title": spec.title, "article": spec.article, "required": spec.required,
             "present": spec.id in present, "mark": tick(spec.id in present)} for spec in rules.materials()]


def assessment_context(assessment, rules) -> dict:
    indicators = {i.id: i for i in rules.indicators(assessment_day(assessment.year))}
    scores = []
    for indicator_id, score in (assessment.scores or {}).items():
        indicator = indicators.get(indicator_id)
        scores.append({"id": indicator_id, "label": indicator.label if indicator else indicator_id,
                       "group": indicator.group if indicator else "", "article": indicator.article if indicator else "",
                       "score": number_zh(Decimal(str(score)))})
    order = list(indicators)
    scores.sort(key=lambda s: order.index(s["id"]) if s["id"] in order else len(order))
    consequences = [{"kind": c.get("kind"), "label": c.get("label", ""), "article": c.get("article", ""),
                     "explanation": c.get("explanation", ""), "deadline": date_zh(c["deadline"]) if c.get("deadline") else ""}
                    for c in assessment.consequences or []]
    kinds = {c["kind"] for c in consequences}
    rectification = assessment.rectifications.order_by(Rectification.id.desc()).first()
    return {
        "id": assessment.id,
        "year": assessment.year,
        "total_score": number_zh(assessment.total_score) if assessment.total_score is not None else "",
        "grade": vocab.GRADES.label(assessment.grade) if assessment.grade else "",
        "grade_code": assessment.grade,
        "scores": scores,
        "consequences": consequences,
        "commended": "commendation" in kinds,
        "criticised": "criticism" in kinds,
        "revoked": "revoke" in kinds,
        "rectification_deadline": date_zh(rectification.deadline) if rectification else "",
        "assessed_on": date_zh(assessment.assessed_on),
        "status": {"draft": "草稿（未确认）", "confirmed": "已确认", "cancelled": "已取消"}.get(assessment.status, assessment.status),
        "confirmed": assessment.status == "confirmed",
    }


def recognition_context(recognition) -> dict:
    return {
        "id": recognition.id,
        "official_name": recognition.official_name,
        "recognised_on": date_zh(recognition.recognised_on),
        "recognised_year": recognition.recognised_on.year,
        "status": vocab.RECOGNITION_STATUSES.label(recognition.status),
        "revoked_on": date_zh(recognition.revoked_on),
    }


def subsidy_context(subsidy) -> dict:
    return {
        "id": subsidy.id,
        "kind": subsidy.kind,
        "year": subsidy.year,
        "amount_figures": yuan_figures(subsidy.amount),
        "amount_capitals": yuan_capitals(subsidy.amount),
        "article": subsidy.article,
        "explanation": subsidy.explanation,
        "status": vocab.SUBSIDY_STATUSES.label(subsidy.status),
        "status_code": subsidy.status,
        "status_reason": subsidy.status_reason,
        "status_changed_on": date_zh(subsidy.status_changed_at),
        "paid": subsidy.status == "paid",
        # the payment as the finance bureau recorded it (拨付), blank until it is paid
        "paid_on": date_zh(subsidy.paid_on),
        "payment_voucher": subsidy.payment_voucher,
        "fund_source": subsidy.fund_source,
    }


# --- the whole context -----------------------------------------------------------------------------


#: The date an official writes on a document of each kind of record (None: left blank for a hand-written date).
ISSUE_DAYS = {
    "application": lambda r: r.submitted_at.date() if r.submitted_at else None,
    "notice": lambda r: r.start,
    "recognition": lambda r: r.recognised_on,
    "assessment": lambda r: r.assessed_on,
    "rectification": lambda r: created_on(r) or r.assessment.assessed_on,
    "subsidy": lambda r: r.status_changed_at.date() if r.status_changed_at else created_on(r),
}


def check_issuable(kind, record):
    """Refuse a document the record cannot support yet: a result notice of an unconfirmed grade."""
    from core.records.services.base import ServiceError

    assessment = record if kind == "assessment" else record.assessment if kind == "rectification" else None
    if assessment is not None and assessment.status != "confirmed":
        raise ServiceError(
            f"{assessment.year}年度考核结果尚未确认（{assessment.status}），不能出具文书",
            f"the {assessment.year} assessment is not confirmed ({assessment.status}): no document yet",
        )


def build_context(template, kind, record, rules, today=None) -> dict:
    """Everything the template prints, for `record` of `kind` under `rules` (a core.plugin.registry.Jurisdiction)."""
    check_issuable(kind, record)
    today = today or datetime.date.today()
    park = record_park(kind, record)
    day = ISSUE_DAYS[kind](record)
    bureaus = rules.info.bureaus
    issuer = template.issuer or bureaus["hrss"]
    context = {
        "template": {"id": template.id, "title": template.title, "article": template.article},
        "document_title": template.title,
        "jurisdiction": {"code": rules.code, "name": rules.info.name, "measures_title": rules.info.measures_title,
                         "name_prefix": rules.info.name_prefix},
        "measures": f"《{rules.info.measures_title}》",
        "issuer": issuer,
        # The signature boxes: the issuing jurisdiction's own bureaus (X区财政局 on a district's sheet).
        "bureaus": bureaus,
        "header": template.header or f"{issuer}文件",
        "doc_number": f"{template.number_prefix}〔{(day or today).year}〕　号" if template.number_prefix else "",
        "issue_date": date_zh(day) if day else BLANK_DATE,
        "issue_day": day,
        "blank_date": BLANK_DATE,
        "park": park_context(park, day or today),
        "record_id": record.id,
    }
    context.update(steps=[], notice=None, application=None, proposed_name=rules.recognised_name(park.name))
    application = record if kind == "application" else record.application if kind in ("notice", "recognition") else None
    if application is not None:
        procedure = rules.procedure()
        context["application"] = {
            "id": application.id,
            "year": application.year,
            "previous_year": application.year - 1,
            "state": procedure.state(application.state).label,
            "submitted_on": date_zh(application.submitted_at) if application.submitted_at else "",
        }
        context["steps"] = steps_context(application, procedure)
        context["notice"] = notice_context(
            record if kind == "notice" else application.notices.order_by(PublicNotice.id.desc()).first())
    if kind == "application":
        context["evaluation"] = evaluation_context(record)
        context["materials"] = materials_context(record, rules)
    if kind == "recognition":
        context["recognition"] = recognition_context(record)
    if kind in ("assessment", "rectification"):
        assessment = record if kind == "assessment" else record.assessment
        context["assessment"] = assessment_context(assessment, rules)
        context["recognition"] = recognition_context(assessment.recognition)
    if kind == "rectification":
        context["rectification"] = {
            "id": record.id,
            "deadline": date_zh(record.deadline),
            "outcome": vocab.RECTIFICATION_OUTCOMES.label(record.outcome),
            "closed_on": date_zh(record.closed_on),
            "remark": record.remark,
        }
    if kind == "subsidy":
        context["subsidy"] = subsidy_context(record)
        context["recognition"] = recognition_context(record.recognition) if record.recognition_id else None
    if template.extra_context is not None:
        context.update(template.extra_context(record, context, rules) or {})
    return context


def parameter_value(rules, parameter_id, on):
    """A parameter of the jurisdiction on `on`; a day before the parameter's first value (a record
    dated before the plugin's values begin) reads the first value rather than failing."""
    from core.rules.parameters import ParameterError

    try:
        return rules.parameters.value(parameter_id, on)
    except ParameterError:
        first = rules.parameters.get(parameter_id).effective_from
        if first is None or on >= first:
            raise
        return rules.parameters.value(parameter_id, first)
