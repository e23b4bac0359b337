"""Issue 11 item 15: ten officers post the same edit form, read at the same version, at the same
moment. One save wins; the nine others are refused as stale edits with the message that says so;
no request ends in a server error ("database is locked" on SQLite, where a deferred transaction
that read before writing could not take the write lock)."""
import threading

from admin_test_helpers import as_post, form_fields, login_as
from core.records.models import AuditLog, Park

PARALLEL = 10
STALE = "未保存：您打开此记录后，已有他人修改并保存"


def test_issue_11_item_15_ten_parallel_posts_of_one_version_save_once_and_refuse_nine(app, scoping_world):
    park = scoping_world.park["luzhou"]
    path = f"/admin/park/edit/?id={park.id}"
    first = app.test_client()
    login_as(first, scoping_world.user["changzhi_city_officer"])
    fields = form_fields(first.get(path).get_data(as_text=True))
    assert dict(fields)["version"] == "1"
    cookie = first.get_cookie("hrpark_session").value

    clients = []
    for _ in range(PARALLEL):
        client = app.test_client()
        client.set_cookie("hrpark_session", cookie)
        clients.append(client)
    start = threading.Barrier(PARALLEL)
    results = [None] * PARALLEL

    def post(i):
        start.wait()
        try:
            response = clients[i].post(path, data=as_post(fields, name=f"并发修改{i}"))
            results[i] = (response.status_code, response.get_data(as_text=True))
        except Exception as exc:  # the test client re-raises what a server would answer 500 to
            results[i] = (500, repr(exc))

    threads = [threading.Thread(target=post, args=(i,)) for i in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    statuses = [status for status, _ in results]
    saved = [i for i, (status, _) in enumerate(results) if status == 302]
    refused = [i for i, (status, text) in enumerate(results) if status == 200 and STALE in text]
    errors = [(status, text[:300]) for status, text in results if status >= 500]
    assert errors == [] and len(saved) == 1 and len(refused) == PARALLEL - 1, statuses
    stored = Park.get_by_id(park.id)
    assert stored.version == 2 and stored.name == f"并发修改{saved[0]}"
    updates = AuditLog.select().where(
        (AuditLog.table == "park") & (AuditLog.record_id == park.id) & (AuditLog.action == "update")
    )
    assert updates.count() == 1
