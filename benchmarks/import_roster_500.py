"""Benchmark: import a roster of 500 agencies from an .xlsx file into one park, and print the time.

    python benchmarks/import_roster_500.py [DATABASE_URL]

Uses a fresh SQLite file in a temporary directory unless a database URL is given (PostgreSQL: a
throw-away schema is created and dropped). Not a test: the time depends on the machine.
"""
import io
import sys
import tempfile
import time
import uuid
from pathlib import Path

from openpyxl import Workbook

from core.records import schema
from core.io import tabular
from core.records.audit import Actor
from core.records.db import database, open_database
from core.records.models import Agency, Jurisdiction, Park

HEADERS = ["机构名称", "许可证/备案编号", "机构性质", "许可类型", "服务业态", "入驻日期"]
COUNT = 500


def roster_file(count):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    for i in range(count):
        sheet.append([f"人力资源服务公司{i:04d}", f"BENCH-{i:05d}", "经营性", "人力资源服务许可证", "招聘服务、培训服务", "2024-03-01"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def main(url=None):
    cleanup = None
    if url and url.startswith("postgres"):
        from peewee import PostgresqlDatabase

        name = f"bench_{uuid.uuid4().hex[:8]}"
        admin = open_database(url)
        admin.execute_sql(f'CREATE SCHEMA "{name}"')
        db = PostgresqlDatabase(admin.database, options=f"-c search_path={name}",
                                **{k: v for k, v in admin.connect_params.items() if k != "options"})

        def cleanup():
            db.close()
            admin.execute_sql(f'DROP SCHEMA "{name}" CASCADE')
            admin.close()
    else:
        db = open_database(url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}")
    database.initialize(db)
    db.connect(reuse_if_open=True)
    schema.upgrade(db)
    try:
        city = Jurisdiction.create(code=f"bench-{uuid.uuid4().hex[:6]}", name_zh="示范市", level="city")
        park = Park.create(jurisdiction=city, name="示范产业园")
        data = roster_file(COUNT)
        actor = Actor("benchmark", "admin")
        started = time.perf_counter()
        result = tabular.import_table("roster.xlsx", data, park, actor)
        elapsed = time.perf_counter() - started
        assert result.created == COUNT and Agency.select().where(Agency.park == park).count() == COUNT
        started = time.perf_counter()
        again = tabular.import_table("roster.xlsx", data, park, actor)
        unchanged = time.perf_counter() - started
        print(f"{type(db).__name__}: imported {COUNT} agencies from .xlsx in {elapsed:.2f} s "
              f"(re-import, all unchanged: {unchanged:.2f} s, {again.unchanged} rows)")
    finally:
        if cleanup:
            cleanup()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
