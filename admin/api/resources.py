"""The API's resources: jurisdictions, parks, agencies, yearly figures, applications (with their
eligibility), recognitions, assessments, subsidies and the ledger — read by any token within its
scope; and the writes the measures give a park operator: its park's agency roster and yearly
figures. Everything else stays with officials in the back office.

Reads go through admin.scoping exactly as the back office's lists do; a record outside the
token's scope answers 404, as if it did not exist.
"""
import datetime
import json
import math

from flask import current_app, g, jsonify, request, url_for
from marshmallow import ValidationError
from peewee import IntegrityError

from admin import paging, permissions, scoping
from admin.api import schemas as s
from admin.api.base import ApiError, endpoint, validation_error
from core.records import vocab
from core.records.db import database
from core.rules.facts import load_park_facts
from core.records.models import (
    Agency,
    AgencyYear,
    Application,
    Assessment,
    Jurisdiction,
    LedgerEntry,
    Park,
    ParkYear,
    Recognition,
    StaleEditError,
    Subsidy,
)
from core.plugin.registry import UnknownJurisdiction, declared_facts_of, rules_for
from core.rules.programmes import ladder, ladder_as_dict

#: The back office's resource (admin.permissions) whose VIEW right each table follows.
#: Applications follow parks and assessments follow recognitions: the matrix has no rows of their own.
VIEW_RESOURCE = {
    Park: "park",
    Agency: "agency",
    AgencyYear: "agency_year",
    ParkYear: "park_year",
    Application: "park",
    Recognition: "recognition",
    Assessment: "recognition",
    Subsidy: "subsidy",
    LedgerEntry: "ledger",
}
#: Who writes through the API: the measures give the yearly figures and roster to the park operator.
WRITER_ROLES = ("park_operator",)

TAGS = {
    "jurisdictions": "辖区 Jurisdictions",
    "parks": "产业园 Parks",
    "agencies": "入驻机构 Agencies",
    "figures": "年度数据 Yearly figures",
    "applications": "认定申请 Applications",
    "recognitions": "认定 Recognitions",
    "assessments": "考核 Assessments",
    "money": "补贴与台账 Subsidies & ledger",
}


# --- reading ------------------------------------------------------------------------------------------


def require_view(model):
    resource = VIEW_RESOURCE.get(model)
    if resource is not None and not permissions.allowed(g.user.role, resource, permissions.VIEW):
        raise ApiError(403)


def scoped(model):
    require_view(model)
    return scoping.scoped_select(model, g.scope)


def get_scoped(model, record_id):
    """The record `record_id` within the token's scope, else 404 (the id alone reveals nothing)."""
    if not 0 < record_id <= s.MAX_ID:
        raise ApiError(404)
    record = scoped(model).where(model.id == record_id).first()
    if record is None:
        raise ApiError(404)
    return record


def query_args(schema_class):
    try:
        return schema_class().load(request.args.to_dict(flat=True))
    except ValidationError as exc:
        raise validation_error(exc) from None


def page(query, args, item_schema, model):
    """One page of `query` (ordered by id) as {items, page, per_page, total, pages, next, prev, first, last}.

    `total` counts at most COUNT_LIMIT + 1 rows, so a page costs the same at any size of the table.
    Every link is keyset: `next` continues after the last id shown, `prev` ends before the first,
    `last` reads backwards from the greatest id — no OFFSET to walk, and no row skipped or
    repeated when others are added meanwhile. A numbered page N starts at the id found by walking
    the ids of the pages before it (never more than COUNT_LIMIT of them: schemas.PageQuery).
    """
    per_page, number = args["per_page"], args["page"]
    after, before = args.get("after_id"), args.get("before_id")
    total = capped_count(query, s.COUNT_LIMIT)
    key = model.id
    if before is not None or number == s.LAST_PAGE:
        backwards = query.order_by(key.desc())
        if before is not None:
            backwards = backwards.where(key < before)
        rows = list(backwards.limit(per_page + 1))
        earlier, rows = len(rows) > per_page, rows[:per_page][::-1]
        later = before is not None and bool(rows) and query.where(key > rows[-1].id).exists()
    else:
        forwards = query.order_by(key)
        if after is not None:
            forwards = forwards.where(key > after)
        elif number > 1:
            start = (query.select(key).order_by(key).offset((number - 1) * per_page).limit(1)).scalar()
            forwards = forwards.where(key >= start) if start is not None else None
        rows = [] if forwards is None else list(forwards.limit(per_page + 1))
        later, rows = len(rows) > per_page, rows[:per_page]
        earlier = (after is not None or number > 1) and bool(rows) and query.where(key < rows[0].id).exists()
    return jsonify({
        "items": item_schema(many=True).dump(rows),
        "page": number if isinstance(number, int) and after is None and before is None else None,
        "per_page": per_page,
        "total": total,
        "pages": None if total is None else (total + per_page - 1) // per_page,
        "next": page_url(per_page, after_id=rows[-1].id) if later else None,
        "prev": page_url(per_page, before_id=rows[0].id) if earlier else None,
        "first": page_url(per_page),
        "last": page_url(per_page, page=s.LAST_PAGE),
    })


def capped_count(query, limit):
    """The number of rows of `query`, or None when there are more than `limit`."""
    n = paging.capped_count(query, limit)
    return None if isinstance(n, paging.CappedCount) else n


def page_url(per_page, **paging_args):
    """This request's URL with its filters and `paging_args` (after_id, before_id or page) in place of its own."""
    params = {k: v for k, v in request.args.items() if k not in ("page", "after_id", "before_id")}
    params.update(paging_args, per_page=per_page)
    return url_for(request.endpoint, _external=False, **request.view_args, **params)


def one(record, schema_class, status=200):
    response = jsonify(schema_class().dump(record))
    response.status_code = status
    return response


def _filtered(query, args, columns):
    for name, column in columns.items():
        if args.get(name) is not None:
            query = query.where(column == args[name])
    return query


def _id(description):
    return s.QueryInt(metadata={"description": description})


def list_endpoint(rule, operation_id, summary, tag, model, item_schema, filters):
    """A paginated, filtered list of `model` within the token's scope."""
    query_class = s.query_schema(f"{operation_id}_query", **{name: f for name, (f, _col) in filters.items()})
    columns = {name: col for name, (_f, col) in filters.items()}

    def view():
        args = query_args(query_class)
        return page(_filtered(scoped(model), args, columns), args, item_schema, model)

    endpoint(rule, "GET", operation_id, summary, tag, s.page_of(item_schema), query=query_class,
             errors=(401, 403, 422))(view)


def detail_endpoint(rule, operation_id, summary, tag, model, item_schema, dump=None):
    def view(record_id):
        record = get_scoped(model, record_id)
        return jsonify(dump(record) if dump else item_schema().dump(record))

    endpoint(rule, "GET", operation_id, summary, tag, item_schema, errors=(401, 403, 404))(view)


list_endpoint("/jurisdictions", "list_jurisdictions", "辖区列表 / Jurisdictions within reach", "jurisdictions",
              Jurisdiction, s.JurisdictionOut, {"parent_id": (_id("上级辖区 / parent"), Jurisdiction.parent)})
detail_endpoint("/jurisdictions/<int:record_id>", "get_jurisdiction", "一个辖区 / One jurisdiction", "jurisdictions",
                Jurisdiction, s.JurisdictionOut)

list_endpoint("/parks", "list_parks", "产业园列表 / Parks", "parks", Park, s.ParkOut,
              {"jurisdiction_id": (_id("辖区 / jurisdiction"), Park.jurisdiction)})


def _park_detail(park):
    """The park with its ladder today, under the app's programmes (issue 12)."""
    today = datetime.date.today()
    data = s.ParkOut().dump(park)
    rungs = ladder(park, on=today, reg=current_app.extensions["hrpark_registry"])
    data["ladder"] = s.ParkLadder().dump(ladder_as_dict(rungs, today))
    return data


detail_endpoint("/parks/<int:record_id>", "get_park",
                "一个产业园及其认定层级 / One park, with its ladder of programmes", "parks", Park, s.ParkDetailOut,
                dump=_park_detail)

list_endpoint("/agencies", "list_agencies", "入驻机构 / Agencies", "agencies", Agency, s.AgencyOut,
              {"park_id": (_id("园区 / park"), Agency.park)})
detail_endpoint("/agencies/<int:record_id>", "get_agency", "一家入驻机构 / One agency", "agencies", Agency, s.AgencyOut)

list_endpoint("/agency-years", "list_agency_years", "入驻机构年度数据 / Agencies' yearly figures", "figures",
              AgencyYear, s.AgencyYearOut,
              {"agency_id": (_id("机构 / agency"), AgencyYear.agency), "year": (s.year_filter(), AgencyYear.year)})
detail_endpoint("/agency-years/<int:record_id>", "get_agency_year", "一条机构年度数据 / One agency's figures of a year",
                "figures", AgencyYear, s.AgencyYearOut)

list_endpoint("/park-years", "list_park_years", "园区年度数据 / Parks' yearly figures", "figures", ParkYear, s.ParkYearOut,
              {"park_id": (_id("园区 / park"), ParkYear.park), "year": (s.year_filter(), ParkYear.year)})
detail_endpoint("/park-years/<int:record_id>", "get_park_year", "一条园区年度数据 / One park's figures of a year",
                "figures", ParkYear, s.ParkYearOut)

list_endpoint("/applications", "list_applications", "认定申请及其状态 / Applications and their state", "applications",
              Application, s.ApplicationOut,
              {"park_id": (_id("园区 / park"), Application.park), "year": (s.year_filter(), Application.year),
               "state": (s.QueryText(metadata={"description": "程序中的状态 / state in the procedure"}), Application.state)})


def _eligibility(application):
    """The live eligibility of an application under its jurisdiction's rules (None: no rules installed)."""
    try:
        rules = rules_for(application.jurisdiction, current_app.extensions["hrpark_registry"])
    except UnknownJurisdiction:
        return None
    facts = load_park_facts([application.park_id])[application.park_id]
    verdicts = {v.criterion_id: (v.met, v.remark) for v in application.verdicts}
    waivers = {w.criterion_id: w.reason for w in application.waivers}
    evaluation = rules.evaluate(facts, application.year, verdicts=verdicts, waivers=waivers)
    data = evaluation.as_dict()
    for result in data["results"]:
        for key in ("measured", "required"):
            result[key] = None if result[key] is None else str(result[key])
    return {"outcome": data["outcome"], "as_of": evaluation.as_of, "warnings": data["warnings"], "results": data["results"]}


def _application_detail(application):
    data = s.ApplicationOut().dump(application)
    eligibility = _eligibility(application)
    data["eligibility"] = None if eligibility is None else s.EligibilityOut().dump(eligibility)
    return data


detail_endpoint("/applications/<int:record_id>", "get_application",
                "一项认定申请：状态与逐条条件评估 / One application: its state and eligibility, criterion by criterion",
                "applications", Application, s.ApplicationDetailOut, dump=_application_detail)

list_endpoint("/recognitions", "list_recognitions", "认定 / Recognitions", "recognitions", Recognition, s.RecognitionOut,
              {"park_id": (_id("园区 / park"), Recognition.park),
               "jurisdiction_id": (_id("辖区 / jurisdiction"), Recognition.jurisdiction)})
detail_endpoint("/recognitions/<int:record_id>", "get_recognition", "一项认定 / One recognition", "recognitions",
                Recognition, s.RecognitionOut)

list_endpoint("/assessments", "list_assessments", "年度考核 / Annual assessments", "assessments", Assessment,
              s.AssessmentOut,
              {"recognition_id": (_id("认定 / recognition"), Assessment.recognition),
               "year": (s.year_filter(), Assessment.year)})
detail_endpoint("/assessments/<int:record_id>", "get_assessment", "一次年度考核 / One assessment", "assessments",
                Assessment, s.AssessmentOut)

list_endpoint("/subsidies", "list_subsidies", "补贴 / Subsidies", "money", Subsidy, s.SubsidyOut,
              {"park_id": (_id("园区 / park"), Subsidy.park), "year": (s.year_filter(), Subsidy.year),
               "status": (s.QueryCode(vocab.SUBSIDY_STATUSES.codes()), Subsidy.status)})
detail_endpoint("/subsidies/<int:record_id>", "get_subsidy", "一项补贴 / One subsidy", "money", Subsidy, s.SubsidyOut)

list_endpoint("/ledger", "list_ledger", "资金台账 / Fund ledger", "money", LedgerEntry, s.LedgerEntryOut,
              {"park_id": (_id("园区 / park"), LedgerEntry.park), "subsidy_id": (_id("补贴 / subsidy"), LedgerEntry.subsidy)})
detail_endpoint("/ledger/<int:record_id>", "get_ledger_entry", "一条台账 / One ledger line", "money", LedgerEntry,
                s.LedgerEntryOut)


# --- writing: a park operator's roster and yearly figures -------------------------------------------

WRITE_ERRORS = (401, 403, 404, 409, 415, 422)


def require_writer(resource, action):
    if g.user.role not in WRITER_ROLES or not permissions.allowed(g.user.role, resource, action):
        raise ApiError(403, "只有产业园运营方可通过 API 报送本园区的名册与年度数据；其余事项请在后台办理 — "
                            "Only a park operator submits its park's roster and yearly figures through the API; "
                            "everything else is done in the back office.")


class UnrepresentableNumber(ValueError):
    pass


def _finite(text):
    number = float(text)
    if not math.isfinite(number):
        raise UnrepresentableNumber(text)
    return number


def _refuse_constant(name):
    raise UnrepresentableNumber(name)


def json_body():
    """The request's JSON body. NaN and Infinity are not JSON (RFC 8259), though Python's parser
    takes them, and 1e309 would become infinity: each is refused here, with the reason, before
    any schema sees it."""
    try:
        return json.loads(request.get_data(as_text=True), parse_float=_finite, parse_constant=_refuse_constant)
    except UnrepresentableNumber as exc:
        raise ApiError(422, errors={"_body": [
            f"请求体含有无法表示的数值 {exc} — The body holds a number that cannot be represented: {exc}"
        ]}) from None
    except ValueError:
        raise ApiError(422, errors={"_body": ["请求体不是有效的 JSON — The body is not valid JSON."]}) from None


def body_of(schema):
    if not request.is_json:
        raise ApiError(415)
    data = json_body()
    try:
        return schema.load(data)
    except ValidationError as exc:
        raise validation_error(exc) from None


def save(record, changes, status=200, schema=None):
    """Apply `changes` and save in one transaction, refusing a stale version and duplicates."""
    expected = changes.pop("version", None)
    try:
        with database.atomic():
            if expected is not None and expected != record.version:
                raise StaleEditError(record)
            for key, value in changes.items():
                setattr(record, key, value)
            record.save()
            if not scoping.reaches(g.scope, type(record), record.id):  # e.g. moved out of the park
                raise ApiError(403)
    except StaleEditError:
        raise ApiError(409) from None
    except IntegrityError:
        raise ApiError(409, "与已有记录重复（同一年度只能有一条） — It duplicates an existing record (one per year).") from None
    return one(record, schema, status)


def _park_for_write(park_id, resource, action):
    require_writer(resource, action)
    return get_scoped(Park, park_id)


@endpoint("/parks/<int:park_id>/agencies", "POST", "create_agency", "登记一家入驻机构 / Add an agency to the park's roster",
          "agencies", s.AgencyOut, status=201, body=s.AgencyIn(), errors=WRITE_ERRORS)
def create_agency(park_id):
    park = _park_for_write(park_id, "agency", permissions.CREATE)
    data = body_of(s.AgencyIn())
    return save(Agency(park=park), data, 201, s.AgencyOut)


@endpoint("/agencies/<int:record_id>", "PATCH", "update_agency",
          "修改一家入驻机构（须带读取时的 version） / Change an agency (send the version read)", "agencies", s.AgencyOut,
          body=s.AgencyChanges, errors=WRITE_ERRORS)
def update_agency(record_id):
    require_writer("agency", permissions.EDIT)
    agency = get_scoped(Agency, record_id)
    data = body_of(s.AgencyChanges)
    admitted = data.get("admitted_on", agency.admitted_on)
    exited = data.get("exited_on", agency.exited_on)
    if admitted and exited and exited < admitted:
        raise ApiError(422, errors={"exited_on": [f"退出日期 {exited} 早于入驻日期 {admitted} — Exit date is before admission."]})
    return save(agency, data, schema=s.AgencyOut)


@endpoint("/agencies/<int:agency_id>/years", "POST", "create_agency_year",
          "报送一家机构某年度的数据 / Submit an agency's figures of a year", "figures", s.AgencyYearOut, status=201,
          body=s.AgencyYearIn(), errors=WRITE_ERRORS)
def create_agency_year(agency_id):
    require_writer("agency_year", permissions.CREATE)
    agency = get_scoped(Agency, agency_id)
    data = body_of(s.AgencyYearIn())
    return save(AgencyYear(agency=agency), data, 201, s.AgencyYearOut)


@endpoint("/agency-years/<int:record_id>", "PATCH", "update_agency_year",
          "修改机构年度数据（须带 version） / Change an agency's figures (send the version read)", "figures",
          s.AgencyYearOut, body=s.AgencyYearChanges, errors=WRITE_ERRORS)
def update_agency_year(record_id):
    require_writer("agency_year", permissions.EDIT)
    figure = get_scoped(AgencyYear, record_id)
    return save(figure, body_of(s.AgencyYearChanges), schema=s.AgencyYearOut)


@endpoint("/parks/<int:park_id>/years", "POST", "create_park_year", "报送园区某年度的数据 / Submit the park's figures of a year",
          "figures", s.ParkYearOut, status=201, body=s.ParkYearIn(), errors=WRITE_ERRORS)
def create_park_year(park_id):
    park = _park_for_write(park_id, "park_year", permissions.CREATE)
    data = body_of(s.ParkYearIn())
    data["facts"] = _declared_facts(park, {}, data["facts"])
    return save(ParkYear(park=park), data, 201, s.ParkYearOut)


@endpoint("/park-years/<int:record_id>", "PATCH", "update_park_year",
          "修改园区年度数据（须带 version） / Change the park's figures (send the version read)", "figures", s.ParkYearOut,
          body=s.ParkYearChanges, errors=WRITE_ERRORS)
def update_park_year(record_id):
    require_writer("park_year", permissions.EDIT)
    figure = get_scoped(ParkYear, record_id)
    changes = body_of(s.ParkYearChanges)
    if "facts" in changes:
        changes["facts"] = _declared_facts(figure.park, figure.facts, changes["facts"])
    return save(figure, changes, schema=s.ParkYearOut)


def _declared_facts(park, stored, given):
    """`stored` facts with those `given`, each cleaned by the declaration of the park's programme;
    422 naming a fact the programme does not declare or a value that does not fit."""
    declared = declared_facts_of(park.jurisdiction, "park_year", current_app.extensions["hrpark_registry"])
    facts, errors = dict(stored or {}), {}
    for fact_id, value in given.items():
        if fact_id not in declared:
            errors[f"facts.{fact_id}"] = [f"本园区适用的办法没有这一项 — the park's measures declare no fact {fact_id!r}"]
            continue
        try:
            facts[fact_id] = declared[fact_id].clean(value)
        except ValueError as exc:
            errors[f"facts.{fact_id}"] = [str(exc)]
    if errors:
        raise ApiError(422, errors=errors)
    return facts
