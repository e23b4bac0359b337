"""Counting the SQL statements a block of code sends to the database (as benchmarks/run.py does)."""
import contextlib


@contextlib.contextmanager
def counting(db):
    """The statements run inside the block, in order (wraps `db.execute_sql`, which peewee runs every query through)."""
    statements = []
    original = db.execute_sql

    def execute_sql(sql, params=None, *args, **kwargs):
        statements.append(sql)
        return original(sql, params, *args, **kwargs)

    db.execute_sql = execute_sql
    try:
        yield statements
    finally:
        del db.execute_sql
