"""One jurisdiction never reaches another's records — on every path of the back office.

For each kind of account (Karamay county officer, Changzhi city officer, Changzhi county officer,
park operator, city finance, review panel) and each table, the records of jurisdictions outside
its reach are absent from the list, its count and the export, answer 403/404 on details, edit
(GET and POST), delete and bulk actions, are not offered in dropdowns or ajax lookups, cannot be
named in a create, and their files do not download — and the database is unchanged afterwards.
"""
import csv
import io
import json
import re

import pytest

from admin import permissions
from admin_test_helpers import csrf_token, db_snapshot, list_count, login_as, select_options
from admin_test_world import REACH, foreign_codes
from core.records.models import AuditLog

ROLES = [
    "karamay_county_officer",
    "changzhi_city_officer",
    "changzhi_county_officer",
    "park_operator",
    "changzhi_finance",
    "changzhi_panel",
]

# endpoint -> (world attribute, CSV column holding a name that tells the records apart, that name)
TABLES = {
    "park": ("park", "名称", lambda w, c: w.park[c].name),
    "agency": ("agency", "名称", lambda w, c: w.agency[c].name),
    "agency_year": ("agency_year", "入驻机构", lambda w, c: w.agency[c].name),
    "park_year": ("park_year", "产业园", lambda w, c: w.park[c].name),
    "recognition": ("recognition", "认定名称", lambda w, c: w.recognition[c].official_name),
    "subsidy": ("subsidy", "产业园", lambda w, c: w.park[c].name),
    "ledger": ("ledger", "项目", lambda w, c: w.ledger[c].project),
    "jurisdiction_year": ("target", "辖区", lambda w, c: w.j[c].name_zh),
}


def records(world, endpoint, codes):
    attribute = TABLES[endpoint][0]
    table = getattr(world, attribute)
    return {code: table[code] for code in codes if code in table}


def detail_ids(html):
    return {int(i) for i in re.findall(r"details/\?id=(\d+)", html)}


def may(account, world, resource, action):
    return permissions.allowed(world.user[account].role, resource, action)


def refused(response):
    return response.status_code in (403, 404)


@pytest.mark.parametrize("account", ROLES)
def test_no_path_reaches_another_jurisdiction(client, scoping_world, account):
    world = scoping_world
    login_as(client, world.user[account])
    token = csrf_token(client, "/admin/")
    own = REACH[account]
    foreign = foreign_codes(account)
    before = db_snapshot()
    problems = []

    def check(ok, what):
        if not ok:
            problems.append(what)

    for endpoint, (_attr, column, name_of) in TABLES.items():
        own_records = records(world, endpoint, own)
        foreign_records = records(world, endpoint, foreign)
        can_view = may(account, world, endpoint, "view")
        base = f"/admin/{endpoint}"

        # list and the count it shows
        response = client.get(f"{base}/?page_size=100")
        if can_view:
            html = response.get_data(as_text=True)
            check(response.status_code == 200, f"{endpoint} list status {response.status_code}")
            check(detail_ids(html) == {r.id for r in own_records.values()},
                  f"{endpoint} list shows {sorted(detail_ids(html))}, expected {sorted(r.id for r in own_records.values())}")
            check(list_count(html) == len(own_records), f"{endpoint} count {list_count(html)} != {len(own_records)}")
        else:
            check(response.status_code == 403, f"{endpoint} list not refused: {response.status_code}")

        # export
        response = client.get(f"{base}/export/csv/")
        if may(account, world, endpoint, "export"):
            rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))  # UTF-8 with a BOM
            names = {row[column] for row in rows}
            check(names == {name_of(world, c) for c in own_records},
                  f"{endpoint} export names {sorted(names)}")
        else:
            check(refused(response), f"{endpoint} export not refused: {response.status_code}")

        for code, record in foreign_records.items():
            what = f"{endpoint} of {code} (#{record.id})"
            check(refused(client.get(f"{base}/details/?id={record.id}")), f"details of {what}")
            check(refused(client.get(f"{base}/edit/?id={record.id}")), f"edit GET of {what}")
            response = client.post(f"{base}/edit/?id={record.id}", data={
                "csrf_token": token, "name": "改名", "project": "改名", "year": "2030", "version": "1",
                "official_name": "改名", "urban_new_jobs": "1", "rural_transfer": "1",
            })
            check(refused(response), f"edit POST of {what}: {response.status_code}")
            response = client.post(f"{base}/delete/", data={"csrf_token": token, "id": record.id, "url": f"{base}/"})
            check(refused(response), f"delete POST of {what}: {response.status_code}")
            response = client.post(f"{base}/action/", data={"csrf_token": token, "action": "delete",
                                                             "rowid": [record.id], "url": f"{base}/"})
            check(refused(response), f"bulk delete of {what}: {response.status_code}")

        # a bulk action naming one own and one foreign record does nothing at all
        if own_records and foreign_records:
            mixed = [next(iter(own_records.values())).id, next(iter(foreign_records.values())).id]
            response = client.post(f"{base}/action/", data={"csrf_token": token, "action": "delete",
                                                             "rowid": mixed, "url": f"{base}/"})
            check(refused(response), f"mixed bulk delete on {endpoint}: {response.status_code}")

    # creating a record under another jurisdiction's park / jurisdiction / agency
    for code in foreign:
        forged = {
            "park": {"jurisdiction": world.j[code].id, "name": "伪造园区", "build_mode": "new", "operator_kind": "none",
                     "staff_fulltime": "0", "staff_parttime": "0"},
            "agency": {"park": world.park[code].id, "name": "伪造机构", "kind": "operating", "licence_kind": "licence"},
            "park_year": {"park": world.park[code].id, "year": "2031"},
            "agency_year": {"agency": world.agency[code].id, "year": "2031"},
        }
        if code in world.target:
            forged["jurisdiction_year"] = {"jurisdiction": world.j[code].id, "year": "2031", "urban_new_jobs": "1",
                                           "rural_transfer": "1"}
        for endpoint, data in forged.items():
            response = client.post(f"/admin/{endpoint}/new/", data=dict(data, csrf_token=token))
            check(response.status_code == 403, f"create {endpoint} under {code}: {response.status_code}")

    # dropdowns offer only what is within reach
    dropdowns = {"park": ("jurisdiction", lambda c: world.j[c].name_zh),
                 "agency": ("park", lambda c: world.park[c].name),
                 "park_year": ("park", lambda c: world.park[c].name)}
    for endpoint, (field, label_of) in dropdowns.items():
        response = client.get(f"/admin/{endpoint}/new/")
        if may(account, world, endpoint, "create"):
            labels = {label for value, label in select_options(response.get_data(as_text=True), field) if value != "__None"}
            reachable = own if endpoint == "park" else set(records(world, "park", own))
            check(labels == {label_of(c) for c in reachable}, f"{endpoint}.{field} offers {sorted(labels)}")
        else:
            check(response.status_code == 403, f"{endpoint} create form not refused: {response.status_code}")

    # the ajax lookup of agencies (too many for a dropdown)
    response = client.get("/admin/agency_year/ajax/lookup/?name=agency&query=人力资源公司&limit=50")
    if may(account, world, "agency_year", "create") or may(account, world, "agency_year", "edit"):
        found = {item[0] for item in json.loads(response.get_data(as_text=True))}
        check(found == {world.agency[c].id for c in own}, f"ajax lookup found {sorted(found)}")
        for code in foreign:  # by its exact name, too
            response = client.get(f"/admin/agency_year/ajax/lookup/?name=agency&query={world.agency[code].name}")
            check(json.loads(response.get_data(as_text=True)) == [], f"ajax lookup finds {code}'s agency")
    else:
        check(response.status_code == 403, f"ajax lookup not refused: {response.status_code}")

    # the audit log: only the rows of the reachable jurisdictions (or, for an operator, its park)
    user = world.user[account]
    if user.role == "park_operator":
        expected = AuditLog.select().where(AuditLog.park_id == user.park_id)
    else:
        expected = AuditLog.select().where(AuditLog.jurisdiction_id.in_([world.j[c].id for c in own]))
    expected_ids = {row.id for row in expected}
    response = client.get("/admin/audit_log/?page_size=100")
    if may(account, world, "audit_log", "view"):
        html = response.get_data(as_text=True)
        check(list_count(html) == len(expected_ids), f"audit count {list_count(html)} != {len(expected_ids)}")
        check(detail_ids(html) <= expected_ids, "audit list shows a row outside the reach")
        outside = AuditLog.select().where(AuditLog.id.not_in(sorted(expected_ids) or [0])).first()
        check(refused(client.get(f"/admin/audit_log/details/?id={outside.id}")), "audit details outside the reach")
    else:
        check(response.status_code == 403, f"audit log not refused: {response.status_code}")

    # uploaded files
    for code in foreign:
        response = client.get(f"/admin/files/material/{world.material[code].id}")
        check(refused(response), f"download of {code}'s material: {response.status_code}")
    own_download = client.get(f"/admin/files/material/{world.material[sorted(own)[0]].id}")
    if may(account, world, "material", "view"):
        check(own_download.status_code == 200, f"own material does not download: {own_download.status_code}")
    else:
        check(own_download.status_code == 403, f"material download not refused: {own_download.status_code}")

    check(db_snapshot() == before, "the database changed")
    assert not problems, "\n".join(problems)


def test_admin_reaches_every_jurisdiction(client, scoping_world):
    """The control: the same checks find everything for an administrator (so they can fail)."""
    world = scoping_world
    login_as(client, world.user["admin"])
    for endpoint in TABLES:
        html = client.get(f"/admin/{endpoint}/?page_size=100").get_data(as_text=True)
        assert detail_ids(html) == {r.id for r in records(world, endpoint, REACH["admin"]).values()}, endpoint
    for code in REACH["admin"]:
        assert client.get(f"/admin/park/details/?id={world.park[code].id}").status_code == 200
        assert client.get(f"/admin/files/material/{world.material[code].id}").status_code == 200
