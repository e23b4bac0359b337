"""A programme's own facts are stored as its declaration says, without a column of their own: a
park-year's in `park_year.facts`, a jurisdiction's yearly ones in the new `jurisdiction_year` table
(its `facts`, by id). The two that had columns move there: the incubation-base flag of a park-year,
and the employment targets a city entered (which become that jurisdiction's yearly facts)."""
import json

from peewee import ForeignKeyField, IntegerField, Model, TextField


def _jurisdiction_year(db):
    class Jurisdiction(Model):
        class Meta:
            database = db
            table_name = "jurisdiction"

    class JurisdictionYear(Model):
        jurisdiction = ForeignKeyField(Jurisdiction, on_delete="RESTRICT")
        year = IntegerField()
        facts = TextField(default="{}")
        version = IntegerField(default=1)

        class Meta:
            database = db
            table_name = "jurisdiction_year"
            indexes = ((("jurisdiction", "year"), True),)

    return JurisdictionYear


def up(migrator, db):
    db.create_tables([_jurisdiction_year(db)])
    targets = db.execute_sql("SELECT jurisdiction_id, year, urban_new_jobs, rural_transfer, version FROM employment_target")
    for jurisdiction_id, year, urban, rural, version in targets.fetchall():
        facts = json.dumps({"rural_transfer": rural, "urban_new_jobs": urban}, sort_keys=True)
        db.execute_sql("INSERT INTO jurisdiction_year (jurisdiction_id, year, facts, version) VALUES (%s, %s, %s, %s)"
                       .replace("%s", db.param), (jurisdiction_id, year, facts, version))
    migrator.migrate(migrator.add_column("park_year", "facts", TextField(default="{}")))
    db.execute_sql("""UPDATE park_year SET facts = '{"incubation_subsidy_claimed": true}' WHERE incubation_subsidy_claimed""")
    migrator.migrate(migrator.drop_column("park_year", "incubation_subsidy_claimed"), migrator.drop_table("employment_target"))


def down(migrator, db):
    raise NotImplementedError("facts moved out of their columns are not put back")
