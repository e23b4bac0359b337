"""A payment as the finance bureau records it (拨付): the day paid, the voucher number, the source of
the funds (e.g. 就业补助资金) and the payee's account; and, for a subsidy withheld, cancelled or
recovered, the amount that step concerned — a 不予兑现 line no longer reads 0.00 with what was withheld
hidden. A line paid before keeps the day it was marked paid as its day paid."""
from peewee import CharField, DateField, DecimalField, PostgresqlDatabase

COLUMNS = ("paid_on", "payment_voucher", "fund_source", "payee_account", "amount_concerned")


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("subsidy", "paid_on", DateField(null=True)),
        migrator.add_column("subsidy", "payment_voucher", CharField(default="")),
        migrator.add_column("subsidy", "fund_source", CharField(default="")),
        migrator.add_column("subsidy", "payee_account", CharField(default="")),
        migrator.add_column("subsidy", "amount_concerned", DecimalField(max_digits=16, decimal_places=2, null=True)),
        migrator.add_index("subsidy", ("paid_on",), False),
    )
    day = "CAST(status_changed_at AS DATE)" if isinstance(db, PostgresqlDatabase) else "substr(status_changed_at, 1, 10)"
    db.execute_sql(f"UPDATE subsidy SET paid_on = {day} WHERE status = 'paid' AND status_changed_at IS NOT NULL")


def down(migrator, db):
    migrator.migrate(migrator.drop_index("subsidy", "subsidy_paid_on"),
                     *(migrator.drop_column("subsidy", column) for column in COLUMNS))
