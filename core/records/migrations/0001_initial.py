"""The first schema: parks, agencies, applications, recognitions, assessments, subsidies, ledger, audit log.

Frozen copies of the tables as they were first released (generated from a schema diff, then
frozen): later schema changes are new numbered migrations, never edits to this file.
JSON columns are plain TEXT here, as core.records.models.JSONField stores them.
"""
from peewee import *


def up(migrator, db):
    class Jurisdiction(Model):
        code = CharField(unique=True)
        name_zh = CharField()
        name_en = CharField(default='')
        level = CharField(default='city')
        parent = ForeignKeyField('self', null=True, on_delete='RESTRICT')
        class Meta:
            database = db
            table_name = 'jurisdiction'
    db.create_tables([Jurisdiction])

    class Park(Model):
        jurisdiction = ForeignKeyField(Jurisdiction, on_delete='RESTRICT')
        name = CharField()
        address = CharField(default='')
        contact_person = CharField(default='')
        phone = CharField(default='')
        property_ownership = CharField(default='')
        registration_date = DateField(null=True)
        investment_wan = DecimalField(null=True, max_digits=14, decimal_places=2)
        build_mode = CharField(default='new')
        public_services = TextField(default='[]')
        offered_services = TextField(default='[]')
        operator_kind = CharField(default='none')
        operator_name = CharField(default='')
        staff_fulltime = IntegerField(default=0)
        staff_parttime = IntegerField(default=0)
        facts = TextField(default='{}')
        created_at = DateTimeField()
        version = IntegerField(default=1)
        class Meta:
            database = db
            table_name = 'park'
    db.create_tables([Park])

    class Agency(Model):
        park = ForeignKeyField(Park, on_delete='CASCADE')
        name = CharField()
        kind = CharField(default='operating')
        licence_kind = CharField(default='licence')
        licence_no = CharField(default='')
        service_lines = TextField(default='[]')
        admitted_on = DateField(null=True)
        exited_on = DateField(null=True)
        exit_reason = TextField(default='')
        version = IntegerField(default=1)
        class Meta:
            database = db
            table_name = 'agency'
            indexes = ((('park', 'licence_no'), False),)
    db.create_tables([Agency])

    class AgencyYear(Model):
        agency = ForeignKeyField(Agency, on_delete='CASCADE')
        year = IntegerField()
        revenue = DecimalField(max_digits=16, decimal_places=2, default=0)
        pass_through = DecimalField(max_digits=16, decimal_places=2, default=0)
        tax = DecimalField(max_digits=16, decimal_places=2, default=0)
        employment_helped = IntegerField(default=0)
        version = IntegerField(default=1)
        class Meta:
            database = db
            table_name = 'agency_year'
            indexes = ((('agency', 'year'), True),)
    db.create_tables([AgencyYear])

    class Application(Model):
        park = ForeignKeyField(Park, on_delete='RESTRICT')
        jurisdiction = ForeignKeyField(Jurisdiction, on_delete='RESTRICT')
        year = IntegerField()
        state = CharField(default='draft')
        created_by = CharField(default='')
        created_at = DateTimeField()
        submitted_at = DateTimeField(null=True)
        withdrawn_reason = TextField(default='')
        version = IntegerField(default=1)
        class Meta:
            database = db
            table_name = 'application'
            indexes = ((('jurisdiction', 'state'), False),)
    db.create_tables([Application])

    class Recognition(Model):
        park = ForeignKeyField(Park, on_delete='RESTRICT')
        jurisdiction = ForeignKeyField(Jurisdiction, on_delete='RESTRICT')
        application = ForeignKeyField(Application, null=True, on_delete='RESTRICT')
        official_name = CharField()
        recognised_on = DateField()
        status = CharField(default='active')
        revoked_on = DateField(null=True)
        revocation_reason = TextField(default='')
        revocation_article = CharField(default='')
        version = IntegerField(default=1)
        class Meta:
            database = db
            table_name = 'recognition'
    db.create_tables([Recognition])

    class Assessment(Model):
        recognition = ForeignKeyField(Recognition, on_delete='RESTRICT')
        year = IntegerField()
        scores = TextField(default='{}')
        total_score = DecimalField(null=True, max_digits=6, decimal_places=2)
        grade = CharField(null=True)
        consequences = TextField(default='[]')
        assessed_on = DateField(null=True)
        assessed_by = CharField(default='')
        status = CharField(default='draft')
        cancel_reason = TextField(default='')
        version = IntegerField(default=1)
        class Meta:
            database = db
            table_name = 'assessment'
            indexes = ((('recognition', 'year'), False),)
    db.create_tables([Assessment])

    class AuditLog(Model):
        at = DateTimeField()
        actor = CharField()
        role = CharField(default='')
        action = CharField()
        table = CharField()
        record_id = IntegerField(null=True)
        jurisdiction_id = IntegerField(index=True, null=True)
        park_id = IntegerField(null=True)
        before = TextField(null=True)
        after = TextField(null=True)
        remark = TextField(default='')
        class Meta:
            database = db
            table_name = 'audit_log'
    db.create_tables([AuditLog])

    class CriterionVerdict(Model):
        application = ForeignKeyField(Application, on_delete='RESTRICT')
        criterion_id = CharField()
        met = BooleanField()
        remark = TextField()
        reviewer = CharField()
        at = DateTimeField()
        version = IntegerField(default=1)
        class Meta:
            database = db
            table_name = 'criterion_verdict'
            indexes = ((('application', 'criterion_id'), True),)
    db.create_tables([CriterionVerdict])

    class EmploymentTarget(Model):
        jurisdiction = ForeignKeyField(Jurisdiction, on_delete='RESTRICT')
        year = IntegerField()
        urban_new_jobs = IntegerField()
        rural_transfer = IntegerField()
        version = IntegerField(default=1)
        class Meta:
            database = db
            table_name = 'employment_target'
            indexes = ((('jurisdiction', 'year'), True),)
    db.create_tables([EmploymentTarget])

    class HolidayDay(Model):
        day = DateField(unique=True)
        is_workday = BooleanField()
        name = CharField(default='')
        entered_by = CharField(default='')
        class Meta:
            database = db
            table_name = 'holiday_day'
    db.create_tables([HolidayDay])

    class Subsidy(Model):
        park = ForeignKeyField(Park, on_delete='RESTRICT')
        jurisdiction = ForeignKeyField(Jurisdiction, on_delete='RESTRICT')
        recognition = ForeignKeyField(Recognition, null=True, on_delete='RESTRICT')
        kind = CharField()
        year = IntegerField()
        amount = DecimalField(max_digits=16, decimal_places=2)
        rule_id = CharField()
        article = CharField()
        explanation = TextField(default='')
        status = CharField(default='proposed')
        status_reason = TextField(default='')
        status_changed_by = CharField(default='')
        status_changed_at = DateTimeField(null=True)
        version = IntegerField(default=1)
        class Meta:
            database = db
            table_name = 'subsidy'
            indexes = ((('jurisdiction', 'year'), False), (('park', 'kind', 'year'), False))
    db.create_tables([Subsidy])

    class LedgerEntry(Model):
        park = ForeignKeyField(Park, on_delete='RESTRICT')
        subsidy = ForeignKeyField(Subsidy, null=True, on_delete='RESTRICT')
        project = CharField()
        category = CharField()
        amount = DecimalField(max_digits=16, decimal_places=2)
        date = DateField()
        voucher = CharField(default='')
        description = TextField(default='')
        status = CharField(default='active')
        cancel_reason = TextField(default='')
        version = IntegerField(default=1)
        class Meta:
            database = db
            table_name = 'ledger_entry'
            indexes = ((('park', 'date'), False),)
    db.create_tables([LedgerEntry])

    class Material(Model):
        application = ForeignKeyField(Application, on_delete='RESTRICT')
        material_id = CharField()
        filename = CharField()
        stored_path = CharField()
        content_type = CharField(default='')
        size = IntegerField(default=0)
        sha256 = CharField(default='')
        uploaded_by = CharField(default='')
        uploaded_at = DateTimeField()
        withdrawn = BooleanField(default=False)
        class Meta:
            database = db
            table_name = 'material'
    db.create_tables([Material])

    class OtherSubsidyClaim(Model):
        agency = ForeignKeyField(Agency, on_delete='CASCADE')
        programme = CharField()
        year = IntegerField()
        amount = DecimalField(max_digits=16, decimal_places=2, default=0)
        article = CharField(default='')
        remark = TextField(default='')
        class Meta:
            database = db
            table_name = 'other_subsidy_claim'
    db.create_tables([OtherSubsidyClaim])

    class ParkYear(Model):
        park = ForeignKeyField(Park, on_delete='CASCADE')
        year = IntegerField()
        events_held = IntegerField(default=0)
        service_products = IntegerField(default=0)
        complaints_handled = IntegerField(default=0)
        employment_promoted = IntegerField(default=0)
        people_served = IntegerField(default=0)
        incubation_subsidy_claimed = BooleanField(default=False)
        version = IntegerField(default=1)
        class Meta:
            database = db
            table_name = 'park_year'
            indexes = ((('park', 'year'), True),)
    db.create_tables([ParkYear])

    class PublicNotice(Model):
        application = ForeignKeyField(Application, on_delete='RESTRICT')
        start = DateField()
        end = DateField()
        working_days = IntegerField()
        calendar_warning = TextField(default='')
        objections = TextField(default='')
        objection_count = IntegerField(default=0)
        version = IntegerField(default=1)
        class Meta:
            database = db
            table_name = 'public_notice'
    db.create_tables([PublicNotice])

    class Rectification(Model):
        assessment = ForeignKeyField(Assessment, on_delete='RESTRICT')
        deadline = DateField()
        outcome = CharField(default='pending')
        closed_on = DateField(null=True)
        remark = TextField(default='')
        version = IntegerField(default=1)
        class Meta:
            database = db
            table_name = 'rectification'
    db.create_tables([Rectification])

    class ReviewStep(Model):
        application = ForeignKeyField(Application, on_delete='RESTRICT')
        transition = CharField()
        from_state = CharField()
        to_state = CharField()
        actor = CharField()
        role = CharField()
        at = DateTimeField()
        remark = TextField(default='')
        class Meta:
            database = db
            table_name = 'review_step'
    db.create_tables([ReviewStep])

    class Setting(Model):
        jurisdiction_code = CharField(default='')
        key = CharField()
        value = TextField()
        class Meta:
            database = db
            table_name = 'setting'
            indexes = ((('jurisdiction_code', 'key'), True),)
    db.create_tables([Setting])

    class Site(Model):
        park = ForeignKeyField(Park, on_delete='CASCADE')
        name = CharField()
        address = CharField(default='')
        is_core = BooleanField(default=False)
        floor_area = DecimalField(max_digits=12, decimal_places=2)
        approved_on = DateField(null=True)
        version = IntegerField(default=1)
        class Meta:
            database = db
            table_name = 'site'
    db.create_tables([Site])

    class Waiver(Model):
        application = ForeignKeyField(Application, on_delete='RESTRICT')
        criterion_id = CharField()
        reason = TextField()
        granted_by = CharField()
        at = DateTimeField()
        class Meta:
            database = db
            table_name = 'waiver'
            indexes = ((('application', 'criterion_id'), True),)
    db.create_tables([Waiver])

    _make_audit_log_append_only(db)


AUDIT_LOG_GUARD_SQLITE = [
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
]

AUDIT_LOG_GUARD_POSTGRES = [
    "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'audit_log is append-only'; END; $$ LANGUAGE plpgsql",
    "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log "
    "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
]


def _make_audit_log_append_only(db):
    """The audit log refuses UPDATE and DELETE in the database itself, whatever the client."""
    statements = AUDIT_LOG_GUARD_SQLITE if isinstance(db, SqliteDatabase) else AUDIT_LOG_GUARD_POSTGRES
    for sql in statements:
        db.execute_sql(sql)


def down(migrator, db):
    migrator.migrate(migrator.drop_table('waiver'))
    migrator.migrate(migrator.drop_table('site'))
    migrator.migrate(migrator.drop_table('setting'))
    migrator.migrate(migrator.drop_table('review_step'))
    migrator.migrate(migrator.drop_table('rectification'))
    migrator.migrate(migrator.drop_table('public_notice'))
    migrator.migrate(migrator.drop_table('park_year'))
    migrator.migrate(migrator.drop_table('other_subsidy_claim'))
    migrator.migrate(migrator.drop_table('material'))
    migrator.migrate(migrator.drop_table('ledger_entry'))
    migrator.migrate(migrator.drop_table('subsidy'))
    migrator.migrate(migrator.drop_table('holiday_day'))
    migrator.migrate(migrator.drop_table('employment_target'))
    migrator.migrate(migrator.drop_table('criterion_verdict'))
    migrator.migrate(migrator.drop_table('audit_log'))
    migrator.migrate(migrator.drop_table('assessment'))
    migrator.migrate(migrator.drop_table('recognition'))
    migrator.migrate(migrator.drop_table('application'))
    migrator.migrate(migrator.drop_table('agency_year'))
    migrator.migrate(migrator.drop_table('agency'))
    migrator.migrate(migrator.drop_table('park'))
    migrator.migrate(migrator.drop_table('jurisdiction'))
