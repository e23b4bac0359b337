"""Counting the SQL statements a block of code sends to the database (as benchmarks/run.py does)."""
import contextlib


@contextlib.contextmanager
def _watching(db, keep):
    """`keep(sql, params)` told of every statement run inside the block (wraps `db.execute_sql`,
    which peewee runs every query through)."""
    original = db.execute_sql

    def execute_sql(sql, params=None, *args, **kwargs):
        keep(sql, params)
        return original(sql, params, *args, **kwargs)

    db.execute_sql = execute_sql
    try:
        yield
    finally:
        del db.execute_sql


@contextlib.contextmanager
def counting(db):
    """The statements run inside the block, in order."""
    statements = []
    with _watching(db, lambda sql, params: statements.append(sql)):
        yield statements


@contextlib.contextmanager
def recording(db):
    """The statements run inside the block with their parameters: [(sql, params)], in order."""
    sent = []
    with _watching(db, lambda sql, params: sent.append((sql, params))):
        yield sent
