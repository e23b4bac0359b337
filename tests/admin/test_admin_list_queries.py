"""A list page of 1,000 parks / 50,000 agencies runs the same few queries whatever its page size:
related names come in the list query's join, never one query per row."""
import re

import pytest

from admin_test_helpers import login_as, make_user
from core.records.models import Agency, AgencyYear, Jurisdiction, Park
from tests.statements import counting

PARKS = 1000
AGENCIES_PER_PARK = 50


@pytest.fixture
def big_city(app, db):
    city = Jurisdiction.create(code="bigcity", name_zh="大城市", level="city")
    county = Jurisdiction.create(code="bigcounty", name_zh="大县", level="county", parent=city)
    with db.atomic():
        Park.insert_many(
            [{"jurisdiction": county.id if i % 2 else city.id, "name": f"园区{i:04d}", "public_services": "[]",
              "offered_services": "[]", "facts": "{}", "created_at": "2025-01-01 00:00:00"} for i in range(PARKS)]
        ).execute()
        park_ids = [p for (p,) in Park.select(Park.id).tuples()]
        rows = [{"park": pid, "name": f"机构{pid}-{n}", "service_lines": "[]"} for pid in park_ids
                for n in range(AGENCIES_PER_PARK)]
        for start in range(0, len(rows), 5000):
            Agency.insert_many(rows[start:start + 5000]).execute()
        agency_ids = [a for (a,) in Agency.select(Agency.id).order_by(Agency.id).limit(500).tuples()]
        AgencyYear.insert_many([{"agency": a, "year": 2024, "revenue": "1000.00"} for a in agency_ids]).execute()
    assert Agency.select().count() == PARKS * AGENCIES_PER_PARK
    return city


def queries_for(client, db, path):
    client.get(path)  # the first page after signing in also stores the session's new CSRF secret
    with counting(db) as statements:
        response = client.get(path)
    assert response.status_code == 200
    return response, statements


def test_the_number_of_queries_does_not_grow_with_the_page(client, db, big_city):
    login_as(client, make_user("city", "city_officer", jurisdiction=big_city))
    for endpoint in ("park", "agency", "agency_year"):
        small, small_sql = queries_for(client, db, f"/admin/{endpoint}/?page_size=20")
        large, large_sql = queries_for(client, db, f"/admin/{endpoint}/?page_size=100")
        assert large.get_data(as_text=True).count("details/?id=") == 100, endpoint  # the page holds 100 rows
        assert len(small_sql) == len(large_sql), (endpoint, small_sql, large_sql)
        assert len(large_sql) <= 10, (endpoint, large_sql)


def test_the_audit_log_names_its_rows_in_two_queries(client, db, app):
    city = Jurisdiction.create(code="city", name_zh="城市", level="city")
    for i in range(150):  # 150 audit rows, each naming a different park
        Park.create(jurisdiction=city, name=f"园区{i:03d}")
    login_as(client, make_user("root", "admin"))
    small, small_sql = queries_for(client, db, "/admin/audit_log/?page_size=20&flt0_0=park")
    large, large_sql = queries_for(client, db, "/admin/audit_log/?page_size=100&flt0_0=park")
    assert "园区149" in small.get_data(as_text=True) and "园区050" in large.get_data(as_text=True)
    assert len(small_sql) == len(large_sql), (small_sql, large_sql)


def test_the_ledger_reads_each_county_s_rules_without_a_query_per_county(client, db, app):
    """A ledger page names each line's category under its own county's rules: the counties are read
    once for the page, however many of them it shows; latest first, ties by the later line."""
    import datetime
    from decimal import Decimal

    from core.records.models import LedgerEntry

    city = Jurisdiction.create(code="changzhi", name_zh="长治市", level="city")
    for i in range(30):
        county = Jurisdiction.create(code=f"county{i:02d}", name_zh=f"第{i}县", level="county", parent=city)
        park = Park.create(jurisdiction=county, name=f"县园区{i:02d}")
        for day in (1, 1, 2):
            LedgerEntry.create(park=park, project=f"项目{i}", category="rent", amount=Decimal("100.00"),
                               date=datetime.date(2025, 3, day + i % 3))
    login_as(client, make_user("root", "admin"))
    small, small_sql = queries_for(client, db, "/admin/ledger/?page_size=20")
    large, large_sql = queries_for(client, db, "/admin/ledger/?page_size=100")
    assert large.get_data(as_text=True).count("县园区") >= 90
    assert len(small_sql) == len(large_sql), (small_sql, large_sql)
    shown = [int(i) for i in re.findall(r"details/\?id=(\d+)", large.get_data(as_text=True))]
    expected = [e.id for e in LedgerEntry.select().order_by(LedgerEntry.date.desc(), LedgerEntry.id.desc())]
    assert list(dict.fromkeys(shown)) == expected
