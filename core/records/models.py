"""The data model of a park's life: jurisdictions, parks and their agencies, applications,
recognitions, assessments, subsidies, the fund ledger and the audit log.

Every save and delete goes through `AuditedModel`, which writes an audit-log row in the same
transaction, and refuses a stale edit on models that carry a `version` column. Records with a
history (applications, recognitions, assessments, subsidies, ledger entries) cannot be
hard-deleted: they are withdrawn or cancelled with a reason.
"""
import datetime
import decimal
import json

from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    DecimalField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

from core.records import audit
from core.records.bounds import AREA, COUNT, MONEY, WAN, YEAR, bounded
from core.records.db import database


class StaleEditError(Exception):
    """Someone else saved this record after it was read: the edit is refused, theirs is kept."""

    def __init__(self, instance):
        self.instance = instance
        super().__init__(
            f"{type(instance).__name__} #{instance.id} 已被他人修改，请刷新后重试"
            f" (stale edit: the record was changed by someone else; reload and try again)"
        )


class HistoryDeletionError(Exception):
    """A record with history was about to be hard-deleted."""


def now():
    return datetime.datetime.now().replace(microsecond=0)


class FixedDecimalField(DecimalField):
    """A DecimalField read back with its fixed places: SQLite hands back a REAL (2000.5, or a SUM
    with float noise), PostgreSQL a NUMERIC (2000.50); both become Decimal('2000.50')."""

    def python_value(self, value):
        value = super().python_value(value)
        return None if value is None else value.quantize(self._exp, rounding=self.rounding)


def MoneyField(**kwargs):
    """Yuan as Decimal with two places (fen); never float."""
    return bounded(FixedDecimalField(max_digits=16, decimal_places=2, auto_round=True, **kwargs), MONEY)


def AreaField(**kwargs):
    """Square metres as Decimal."""
    return bounded(FixedDecimalField(max_digits=12, decimal_places=2, auto_round=True, **kwargs), AREA)


def CountField(**kwargs):
    """A number of people, agencies, events … (core.records.bounds.COUNT: not negative)."""
    return bounded(IntegerField(**kwargs), COUNT)


def YearField(**kwargs):
    """A year a record is about (core.records.bounds.YEAR)."""
    return bounded(IntegerField(**kwargs), YEAR)


class JSONField(TextField):
    """JSON kept as text, the same on SQLite and PostgreSQL."""

    field_type = "TEXT"

    def db_value(self, value):
        return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True, default=audit.jsonable)

    def python_value(self, value):
        return None if value is None else json.loads(value)


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False


class AuditedModel(BaseModel):
    """A model whose every change is written to the audit log in the change's own transaction."""

    #: False on records with history: `delete_instance` refuses, they are withdrawn or cancelled.
    hard_delete_allowed = True

    def audit_scope(self):
        """(jurisdiction_id, park_id) this record belongs to, for the scoped audit log."""
        park = getattr(self, "park", None) if "park" in self._meta.fields else None
        if park is not None:
            return park.jurisdiction_id, park.id
        return None, None

    def snapshot(self):
        """Every column as written to the audit log (the same form as `_stored_snapshot`)."""
        return {f.name: _audit_value(f, self.__data__.get(f.name)) for f in self._meta.sorted_fields}

    def _stored_snapshot(self):
        row = type(self).select().where(self._pk_expr()).dicts().first()
        if row is None:
            return None
        return {f.name: _audit_value(f, row.get(f.name)) for f in self._meta.sorted_fields}

    def _pk_expr(self):
        expr = super()._pk_expr()
        expected = getattr(self, "_expected_version", None)
        if expected is not None:
            expr &= type(self).version == expected
        return expr

    def save(self, force_insert=False, only=None):
        db = self._meta.database
        with db.atomic():
            creating = force_insert or self._pk is None
            before = None if creating else self._stored_snapshot()
            versioned = "version" in self._meta.fields
            if versioned and not creating:
                self._expected_version = self.version or 1
                self.version = self._expected_version + 1
                if only is not None:
                    only = list(only) + [type(self).version]
            elif versioned and self.version is None:
                self.version = 1
            try:
                rows = super().save(force_insert=force_insert, only=only)
            except BaseException:
                # The transaction is rolled back: the record keeps the version it was read with,
                # or a corrected retry would be refused as stale.
                if versioned and not creating:
                    self.version = self._expected_version
                raise
            finally:
                expected = getattr(self, "_expected_version", None)
                self._expected_version = None
            if versioned and not creating and rows == 0:
                self.version = expected
                raise StaleEditError(self)
            write_audit("create" if creating else "update", self, before, self.snapshot())
            return rows

    def delete_instance(self, recursive=False, delete_nullable=False):
        if not self.hard_delete_allowed:
            raise HistoryDeletionError(
                f"{type(self).__name__} #{self.id} 有历史记录，不能删除，只能撤回或取消并说明理由"
                f" (records with history are withdrawn or cancelled with a reason, never deleted)"
            )
        with self._meta.database.atomic():
            self._delete_dependents(recursive, delete_nullable)
            before = self._stored_snapshot()
            write_audit("delete", self, before, None)
            return type(self).delete().where(self._pk_expr()).execute()

    def _delete_dependents(self, recursive, delete_nullable):
        """Delete or detach the records that point here one by one, so each gets its audit row and
        a record with history stops the whole delete. peewee's own `recursive=True`, and the
        database's ON DELETE CASCADE, would remove them by query, unaudited and unguarded."""
        plan = []
        for fk, child_model in self._meta.backrefs.items():
            on_delete = (fk.on_delete or "").upper()
            if on_delete == "CASCADE" or (recursive and (not fk.null or delete_nullable)):
                plan.append((fk, child_model, "delete"))
            elif on_delete == "SET NULL" or (recursive and fk.null):
                plan.append((fk, child_model, "detach"))
            elif not getattr(child_model, "hard_delete_allowed", True):
                # RESTRICT: the database would refuse anyway; say why, in words.
                child = child_model.select().where(fk == self._pk).first()
                if child is not None:
                    raise HistoryDeletionError(
                        f"{type(self).__name__} #{self._pk} 有历史记录（{child_model.__name__} #{child.id}），不能删除"
                        f" (it has records with history, which are never deleted)"
                    )
        for fk, child_model, action in plan:
            for child in child_model.select().where(fk == self._pk):
                if action == "delete":
                    child.delete_instance(recursive=recursive, delete_nullable=delete_nullable)
                else:
                    setattr(child, fk.name, None)
                    child.save()


# --- Jurisdictions and parks -------------------------------------------------------------------


class Jurisdiction(AuditedModel):
    """A city (with its plugin), or a county / district / development zone under a city."""

    code = CharField(unique=True)
    name_zh = CharField()
    name_en = CharField(default="")
    level = CharField(default="city")  # vocab.JURISDICTION_LEVELS
    parent = ForeignKeyField("self", null=True, backref="children", on_delete="RESTRICT")

    def audit_scope(self):
        return self.id, None

    def __str__(self):
        return self.name_zh


class Park(AuditedModel):
    """A human-resource service industrial park (人力资源服务产业园)."""

    jurisdiction = ForeignKeyField(Jurisdiction, backref="parks", on_delete="RESTRICT")
    name = CharField()
    address = CharField(default="")
    contact_person = CharField(default="")
    phone = CharField(default="")
    property_ownership = CharField(default="")
    registration_date = DateField(null=True)
    investment_wan = bounded(DecimalField(max_digits=14, decimal_places=2, null=True), WAN)  # 建设投入资金（万元）
    build_mode = CharField(default="new")  # vocab.BUILD_MODES
    public_services = JSONField(default=list)  # vocab.PUBLIC_SERVICES codes
    offered_services = JSONField(default=list)  # vocab.OFFERED_SERVICES codes
    operator_kind = CharField(default="none")  # vocab.OPERATOR_KINDS
    operator_name = CharField(default="")
    staff_fulltime = CountField(default=0)
    staff_parttime = CountField(default=0)
    # Recorded facts a rule reads that are not figures (e.g. a district's support measures, which a programme declares).
    facts = JSONField(default=dict)
    created_at = DateTimeField(default=now)
    version = IntegerField(default=1)

    class Meta:
        # the list's sort and filters, each with id for its pages' keys (migration 0017)
        indexes = ((("name", "id"), False), (("build_mode", "id"), False), (("operator_kind", "id"), False))

    def audit_scope(self):
        return self.jurisdiction_id, self.id

    def __str__(self):
        return self.name


class Site(AuditedModel):
    """One site of a park: the core site or a branch (分园区), with its floor area in m²."""

    park = ForeignKeyField(Park, backref="sites", on_delete="CASCADE")
    name = CharField()
    address = CharField(default="")
    is_core = BooleanField(default=False)
    floor_area = AreaField()
    approved_on = DateField(null=True)  # a branch added after recognition (a city's article on new branches)
    version = IntegerField(default=1)

    def __str__(self):
        return self.name


class Agency(AuditedModel):
    """A human-resource service agency resident in a park (入驻机构)."""

    park = ForeignKeyField(Park, backref="agencies", on_delete="CASCADE")
    name = CharField()
    kind = CharField(default="operating")  # vocab.AGENCY_KINDS
    licence_kind = CharField(default="licence")  # vocab.LICENCE_KINDS
    licence_no = CharField(default="")
    service_lines = JSONField(default=list)  # vocab.SERVICE_LINES codes
    admitted_on = DateField(null=True)
    exited_on = DateField(null=True)
    exit_reason = TextField(default="")
    version = IntegerField(default=1)

    class Meta:
        indexes = (
            (("park", "licence_no"), False),
            # the list's filters and sort, each with id for its pages' keys (migration 0017)
            (("name", "id"), False), (("kind", "id"), False), (("licence_kind", "id"), False),
        )

    def __str__(self):
        return self.name


class AgencyYear(AuditedModel):
    """An agency's figures for one year."""

    agency = ForeignKeyField(Agency, backref="years", on_delete="CASCADE")
    year = YearField()
    revenue = MoneyField(default=0)  # 营业收入, excluding amounts collected and paid on behalf
    pass_through = MoneyField(default=0)  # 代收代付
    tax = MoneyField(default=0)
    employment_helped = CountField(default=0)
    version = IntegerField(default=1)

    class Meta:
        indexes = ((("agency", "year"), True), (("year", "id"), False))  # (year, id): the list (migration 0017)

    def audit_scope(self):
        park = self.agency.park
        return park.jurisdiction_id, park.id


class ParkYear(AuditedModel):
    """A park's own figures for one year."""

    park = ForeignKeyField(Park, backref="years", on_delete="CASCADE")
    year = YearField()
    events_held = CountField(default=0)
    service_products = CountField(default=0)
    complaints_handled = CountField(default=0)
    employment_promoted = CountField(default=0)  # 促进就业人数
    people_served = CountField(default=0)
    # The year's facts a programme declares beyond these (its facts.yaml, owner park_year), by id.
    facts = JSONField(default=dict)
    version = IntegerField(default=1)

    class Meta:
        indexes = ((("park", "year"), True), (("year", "id"), False))  # (year, id): the list (migration 0017)


class JurisdictionYear(AuditedModel):
    """A jurisdiction's own facts for one year, as its programme declares them (facts.yaml, owner
    jurisdiction_year: yearly targets a grant is reckoned against, say), by id."""

    jurisdiction = ForeignKeyField(Jurisdiction, backref="years", on_delete="RESTRICT")
    year = YearField()
    facts = JSONField(default=dict)
    version = IntegerField(default=1)

    class Meta:
        indexes = ((("jurisdiction", "year"), True), (("year", "id"), False))  # (year, id): the list (migration 0017)

    def audit_scope(self):
        return self.jurisdiction_id, None


# --- Recognition ---------------------------------------------------------------------------------


class GovernedRecord(AuditedModel):
    """A record judged under one programme (认定管理办法: a plugin's measures) and version, fixed
    when the record is made: installing, upgrading or removing a plugin never re-judges it."""

    programme = CharField(default="")  # the programme's code (its plugin's code)
    programme_version = CharField(default="")  # the version of its measures in force that day

    def save(self, force_insert=False, only=None):
        if not self.programme and (force_insert or self._pk is None):
            from core.rules.programmes import stamp_default

            stamp_default(self)
        return super().save(force_insert=force_insert, only=only)




class Application(GovernedRecord):
    """An application for recognition, moving through its jurisdiction's review procedure."""

    hard_delete_allowed = False

    park = ForeignKeyField(Park, backref="applications", on_delete="RESTRICT")
    jurisdiction = ForeignKeyField(Jurisdiction, backref="applications", on_delete="RESTRICT")
    year = YearField()
    state = CharField(default="draft")
    created_by = CharField(default="")
    created_at = DateTimeField(default=now)
    submitted_at = DateTimeField(null=True)
    withdrawn_reason = TextField(default="")
    version = IntegerField(default=1)

    class Meta:
        # (park, id, state): each park's latest application and its state, read from the index
        # alone by the dashboard's parks-by-state count (migration 0006).
        indexes = (
            (("jurisdiction", "state"), False), (("park", "id", "state"), False),
            (("year", "id"), False), (("state", "id"), False),  # the list's filters (migration 0017)
        )


class Material(AuditedModel):
    """An uploaded material (申报材料) of an application, stored outside the web root."""

    hard_delete_allowed = False

    application = ForeignKeyField(Application, backref="materials", on_delete="RESTRICT")
    material_id = CharField()  # the plugin's material id
    filename = CharField()
    stored_path = CharField()
    content_type = CharField(default="")
    size = IntegerField(default=0)
    sha256 = CharField(default="")
    uploaded_by = CharField(default="")
    uploaded_at = DateTimeField(default=now)
    withdrawn = BooleanField(default=False)

    def audit_scope(self):
        return self.application.jurisdiction_id, self.application.park_id


class ReviewStep(AuditedModel):
    """One step taken in the procedure: who moved the application from one state to the next."""

    hard_delete_allowed = False

    application = ForeignKeyField(Application, backref="steps", on_delete="RESTRICT")
    transition = CharField()
    from_state = CharField()
    to_state = CharField()
    actor = CharField()
    role = CharField()
    at = DateTimeField(default=now)
    remark = TextField(default="")

    def audit_scope(self):
        return self.application.jurisdiction_id, self.application.park_id


class CriterionVerdict(AuditedModel):
    """A reviewer's verdict on a criterion that needs judgement, with the remark."""

    hard_delete_allowed = False

    application = ForeignKeyField(Application, backref="verdicts", on_delete="RESTRICT")
    criterion_id = CharField()
    met = BooleanField()
    remark = TextField()
    reviewer = CharField()
    at = DateTimeField(default=now)
    version = IntegerField(default=1)

    class Meta:
        indexes = ((("application", "criterion_id"), True),)

    def audit_scope(self):
        return self.application.jurisdiction_id, self.application.park_id


class Waiver(AuditedModel):
    """A waiver of a 原则上 (in-principle) criterion: who, when, why."""

    hard_delete_allowed = False

    application = ForeignKeyField(Application, backref="waivers", on_delete="RESTRICT")
    criterion_id = CharField()
    reason = TextField()
    granted_by = CharField()
    at = DateTimeField(default=now)

    class Meta:
        indexes = ((("application", "criterion_id"), True),)

    def audit_scope(self):
        return self.application.jurisdiction_id, self.application.park_id


class PublicNotice(AuditedModel):
    """The public notice (公示) of an application: period, working days, objections."""

    hard_delete_allowed = False

    application = ForeignKeyField(Application, backref="notices", on_delete="RESTRICT")
    start = DateField()
    end = DateField()
    working_days = IntegerField()
    calendar_warning = TextField(default="")
    objections = TextField(default="")
    objection_count = IntegerField(default=0)
    version = IntegerField(default=1)

    def audit_scope(self):
        return self.application.jurisdiction_id, self.application.park_id


class Objection(AuditedModel):
    """An objection (异议) to a public notice, filed under the objector's real name, and how it was
    handled: received → investigating → upheld / dismissed (vocab.OBJECTION_STATUSES).

    The objector's name, phone, address and attachment are personal information: the audit log
    never holds them (see `snapshot`), and they are erased after the deployment's retention period
    (core.records.services.objections.erase_expired)."""

    hard_delete_allowed = False
    PERSONAL = ("objector_name", "objector_phone", "filed_from", "attachment_name", "attachment_path")

    notice = ForeignKeyField(PublicNotice, backref="objection_records", on_delete="RESTRICT")
    application = ForeignKeyField(Application, backref="objection_records", on_delete="RESTRICT")
    reference = CharField(unique=True)  # the objector's lookup key: random, unguessable
    objector_name = CharField(default="")
    objector_phone = CharField(default="")
    filed_from = CharField(default="")  # the address an online objection came from (rate limit)
    content = TextField()
    attachment_name = CharField(default="")
    attachment_path = CharField(default="")
    channel = CharField()  # vocab.OBJECTION_CHANNELS
    received_on = DateField()
    filed_at = DateTimeField(default=now)
    recorded_by = CharField(default="")
    status = CharField(default="received")  # vocab.OBJECTION_STATUSES
    officer = CharField(default="")
    investigated_on = DateField(null=True)
    findings = TextField(default="")
    reply = TextField(default="")
    decided_on = DateField(null=True)
    erased_on = DateField(null=True)
    version = IntegerField(default=1)

    class Meta:
        indexes = ((("objector_phone", "filed_at"), False), (("filed_from", "filed_at"), False))

    def audit_scope(self):
        return self.application.jurisdiction_id, self.application.park_id

    def snapshot(self):
        return _without_personal(super().snapshot(), self.PERSONAL)

    def _stored_snapshot(self):
        return _without_personal(super()._stored_snapshot(), self.PERSONAL)


def _without_personal(data, fields):
    """A snapshot for the audit log: personal values replaced by a mark that one was there."""
    if not data:
        return data
    return dict(data, **{name: "***" for name in fields if data.get(name)})


class Recognition(GovernedRecord):
    """A recognised city-level park: its official (prefixed) name, date and status."""

    hard_delete_allowed = False

    park = ForeignKeyField(Park, backref="recognitions", on_delete="RESTRICT")
    jurisdiction = ForeignKeyField(Jurisdiction, backref="recognitions", on_delete="RESTRICT")
    application = ForeignKeyField(Application, null=True, backref="recognition", on_delete="RESTRICT")
    official_name = CharField()
    recognised_on = DateField()
    status = CharField(default="active")  # vocab.RECOGNITION_STATUSES
    revoked_on = DateField(null=True)
    revocation_reason = TextField(default="")
    revocation_article = CharField(default="")
    document_number = CharField(default="")  # 批复文号 of the written approval, as the bureau typed it
    version = IntegerField(default=1)

    class Meta:
        # each park's latest recognition (migration 0006); the list's status filter (migration 0017)
        indexes = ((("park", "id", "status"), False), (("status", "id"), False))


# --- Assessment ----------------------------------------------------------------------------------


class Assessment(GovernedRecord):
    """An annual assessment of a recognised park for one year of operation."""

    hard_delete_allowed = False

    recognition = ForeignKeyField(Recognition, backref="assessments", on_delete="RESTRICT")
    year = YearField()  # the year of operation assessed
    scores = JSONField(default=dict)  # indicator id -> score (0-100), as strings
    total_score = DecimalField(max_digits=6, decimal_places=2, null=True)
    grade = CharField(null=True)  # vocab.GRADES
    consequences = JSONField(default=list)  # consequences applied, each with its article
    assessed_on = DateField(null=True)
    assessed_by = CharField(default="")
    status = CharField(default="draft")  # draft / confirmed / cancelled
    cancel_reason = TextField(default="")
    version = IntegerField(default=1)

    class Meta:
        indexes = ((("recognition", "year"), False), (("year", "id"), False), (("grade", "id"), False))

    def audit_scope(self):
        return self.recognition.jurisdiction_id, self.recognition.park_id


class Rectification(AuditedModel):
    """A rectification ordered after a 不合格 grade: deadline and outcome."""

    hard_delete_allowed = False

    assessment = ForeignKeyField(Assessment, backref="rectifications", on_delete="RESTRICT")
    deadline = DateField()
    outcome = CharField(default="pending")  # vocab.RECTIFICATION_OUTCOMES
    closed_on = DateField(null=True)
    remark = TextField(default="")
    version = IntegerField(default=1)

    def audit_scope(self):
        recognition = self.assessment.recognition
        return recognition.jurisdiction_id, recognition.park_id


# --- Money ---------------------------------------------------------------------------------------


class Subsidy(GovernedRecord):
    """A subsidy: kind, year, amount, the rule and article it rests on, and its status."""

    hard_delete_allowed = False

    park = ForeignKeyField(Park, backref="subsidies", on_delete="RESTRICT")
    jurisdiction = ForeignKeyField(Jurisdiction, backref="subsidies", on_delete="RESTRICT")
    recognition = ForeignKeyField(Recognition, null=True, backref="subsidies", on_delete="RESTRICT")
    kind = CharField()  # the plugin's subsidy rule id
    year = YearField()
    amount = MoneyField()
    rule_id = CharField()
    article = CharField()
    explanation = TextField(default="")
    explanation_en = TextField(default="")
    status = CharField(default="proposed")  # vocab.SUBSIDY_STATUSES
    status_reason = TextField(default="")
    status_changed_by = CharField(default="")
    status_changed_at = DateTimeField(null=True)
    # The payment as the finance bureau records it (拨付): day, voucher, source of the funds, payee account.
    paid_on = DateField(null=True, index=True)
    payment_voucher = CharField(default="")
    fund_source = CharField(default="")
    payee_account = CharField(default="")
    #: What a withholding, cancellation or recovery concerned (a line withheld by its formula is 0.00: this says how much).
    amount_concerned = MoneyField(null=True)
    version = IntegerField(default=1)

    class Meta:
        indexes = (
            (("jurisdiction", "year"), False), (("park", "kind", "year"), False),
            (("year", "id"), False), (("status", "id"), False), (("kind", "id"), False),  # the list (migration 0017)
        )


class LedgerEntry(GovernedRecord):
    """A line of a park's separate fund ledger (单独核算台账)."""

    hard_delete_allowed = False

    park = ForeignKeyField(Park, backref="ledger", on_delete="RESTRICT")
    subsidy = ForeignKeyField(Subsidy, null=True, backref="ledger", on_delete="RESTRICT")
    project = CharField()
    category = CharField()  # the plugin's ledger category id
    amount = MoneyField()
    date = DateField()
    voucher = CharField(default="")
    description = TextField(default="")
    status = CharField(default="active")  # active / cancelled
    cancel_reason = TextField(default="")
    # Words of a forbidden use found in the line (core.rules.ledger.forbidden_use_flags), in both languages:
    # the line waits for the finance officer, who accepts or refuses it with a reason (migration 0009).
    review = CharField(default="")  # "" (nothing found) or vocab.LEDGER_REVIEWS
    review_found = TextField(default="")
    review_found_en = TextField(default="")
    review_reason = TextField(default="")
    reviewed_by = CharField(default="")
    reviewed_at = DateTimeField(null=True)
    version = IntegerField(default=1)

    class Meta:
        # (date, id): the ledger list, latest first, reads its page from the index (migration 0005).
        # (category|review, date, id): a filtered list, latest first; (amount, id): sorted by amount (migration 0017).
        indexes = (
            (("park", "date"), False), (("date", "id"), False),
            (("category", "date", "id"), False), (("review", "date", "id"), False), (("amount", "id"), False),
        )


class OtherSubsidyClaim(AuditedModel):
    """A claim by an agency under other rules (the measures' articles on other subsidies), recorded."""

    agency = ForeignKeyField(Agency, backref="claims", on_delete="CASCADE")
    programme = CharField()
    year = YearField()
    amount = MoneyField(default=0)
    article = CharField(default="")
    remark = TextField(default="")

    def audit_scope(self):
        park = self.agency.park
        return park.jurisdiction_id, park.id


# --- Calendar and settings -----------------------------------------------------------------------


class HolidayDay(AuditedModel):
    """A day entered by an administrator for a year the statutory-calendar library does not know."""

    day = DateField(unique=True)
    is_workday = BooleanField()  # False: a holiday; True: a make-up working day (调休上班)
    name = CharField(default="")
    entered_by = CharField(default="")


class Setting(AuditedModel):
    """A deployment setting, e.g. the date a city's measures take effect."""

    jurisdiction_code = CharField(default="")
    key = CharField()
    value = TextField()

    def save(self, *args, **kwargs):
        from core.rules.settings import forget_cached_settings

        result = super().save(*args, **kwargs)
        forget_cached_settings()
        return result

    def delete_instance(self, *args, **kwargs):
        from core.rules.settings import forget_cached_settings

        result = super().delete_instance(*args, **kwargs)
        forget_cached_settings()
        return result

    class Meta:
        indexes = ((("jurisdiction_code", "key"), True),)


# --- Audit log -----------------------------------------------------------------------------------


class AuditLog(BaseModel):
    """Append-only: every change, who, when, before and after. Database triggers refuse edits."""

    at = DateTimeField(default=now)
    actor = CharField()
    role = CharField(default="")
    action = CharField()  # create / update / delete / transition / ...
    table = CharField()
    record_id = IntegerField(null=True)
    jurisdiction_id = IntegerField(null=True, index=True)
    park_id = IntegerField(null=True)
    before = TextField(null=True)
    after = TextField(null=True)
    remark = TextField(default="")

    class Meta:
        # a record's history (migration 0008); the list's filters, a park's rows, by time (migration 0017)
        indexes = (
            (("table", "record_id"), False), (("table", "id"), False), (("record_id",), False), (("action", "id"), False),
            (("actor", "id"), False), (("at", "id"), False), (("park_id", "id"), False),
        )

    def save(self, *args, **kwargs):
        if self._pk is not None:
            raise PermissionError("审计日志只能追加，不能修改或删除 — the audit log is append-only")
        return super().save(*args, **kwargs)

    def delete_instance(self, *args, **kwargs):
        raise PermissionError("审计日志只能追加，不能修改或删除 — the audit log is append-only")


def _audit_value(field, value):
    """A column's value for the audit log: a Decimal as its exact string with the column's places."""
    if value is not None and isinstance(field, DecimalField) and not isinstance(value, bool):
        number = value if isinstance(value, decimal.Decimal) else decimal.Decimal(str(value))
        return str(number.quantize(decimal.Decimal(10) ** -field.decimal_places))
    return audit.jsonable(value)


def write_audit(action, instance, before, after, remark=""):
    actor = audit.current_actor()
    try:
        jurisdiction_id, park_id = instance.audit_scope()
    except Exception:  # a half-built record (e.g. a missing parent) still gets its audit row
        jurisdiction_id, park_id = None, None
    AuditLog.create(
        actor=actor.username,
        role=actor.role,
        action=action,
        table=instance._meta.table_name,
        record_id=instance.id,
        jurisdiction_id=jurisdiction_id,
        park_id=park_id,
        before=None if before is None else audit.dumps(before),
        after=None if after is None else audit.dumps(after),
        remark=remark,
    )


#: Every table of the current schema, in dependency order (migrations compare against this).
MODELS = [
    Jurisdiction,
    Park,
    Site,
    Agency,
    AgencyYear,
    ParkYear,
    JurisdictionYear,
    Application,
    Material,
    ReviewStep,
    CriterionVerdict,
    Waiver,
    PublicNotice,
    Objection,
    Recognition,
    Assessment,
    Rectification,
    Subsidy,
    LedgerEntry,
    OtherSubsidyClaim,
    HolidayDay,
    Setting,
    AuditLog,
]
