"""The database connection: SQLite by default, any peewee database URL through HRPARK_DATABASE_URL."""
import os
from pathlib import Path

from peewee import DatabaseProxy, SqliteDatabase
from playhouse.db_url import connect as connect_url

#: Every model binds to this proxy; `connect()` points it at a real database.
database = DatabaseProxy()

DEFAULT_SQLITE_PATH = Path("instance") / "hrpark.db"
POOL_SIZE = int(os.environ.get("HRPARK_DB_POOL_SIZE", "16"))

# WAL lets readers go on while a worker writes; foreign keys are off in SQLite unless asked for;
# the busy timeout makes a second worker wait for a lock instead of failing at once.
SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 10_000,
    "synchronous": "normal",
}
# Every transaction takes SQLite's write lock when it begins (BEGIN IMMEDIATE), so the busy timeout
# applies to it. A deferred transaction that has read first cannot wait for the lock: when another
# writer commits in between, SQLite answers "database is locked" at once. Every `atomic()` block of
# hrpark writes, so nothing is serialised that would not have been anyway.
SQLITE_LOCK_TYPE = "IMMEDIATE"


def database_url(url=None):
    """The URL in force: the argument, else HRPARK_DATABASE_URL, else the default SQLite file."""
    return url or os.environ.get("HRPARK_DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE_PATH}"


def open_database(url=None):
    """Open (but do not bind) the database named by `url`."""
    url = database_url(url)
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
    if url.startswith("sqlite"):
        db = connect_url(url, pragmas=SQLITE_PRAGMAS, lock_type=SQLITE_LOCK_TYPE)
    elif url.startswith(("postgres://", "postgresql://")):
        # A pool per worker: the back office opens and closes a connection on every request, and
        # a new PostgreSQL connection costs a fork on the server. Connections idle over five
        # minutes are dropped; `+pool` in the URL is added here so deployments need not know.
        scheme, rest = url.split("://", 1)
        # JIT compiling pays only for long analytic statements. It starts on the planner's cost,
        # and a bucketed search (core.records.search_buckets) is costed as a thousand buckets it
        # never reads: 13 ms of compiling for a 2 ms read. A URL's own `options` is kept; libpq's
        # PGOPTIONS, which an explicit `options` would replace, is carried over.
        extra = {} if "options=" in rest else {"options": f"{os.environ.get('PGOPTIONS', '')} -c jit=off".strip()}
        db = connect_url(f"{scheme}+pool://{rest}", max_connections=POOL_SIZE, stale_timeout=300, **extra)
    else:
        # (peewee 4 runs PostgreSQL in autocommit mode: a failed statement outside a transaction
        # no longer poisons the connection, so the old `autorollback` option is not needed.)
        db = connect_url(url)
    return db


def connect(url=None):
    """Bind the models to the database named by `url` and return it."""
    db = open_database(url)
    database.initialize(db)
    return db


def is_sqlite(db=None):
    """Whether `db` (default: the bound database; the proxy itself, as a model's _meta.database, is read
    through to what it is bound to) is SQLite."""
    db = getattr(db, "obj", db) or database.obj
    return isinstance(db, SqliteDatabase)
