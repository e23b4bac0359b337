"""The public objection form under hostile input: over two thousand submissions, each with at least
one thing wrong (a field, the file, the CAPTCHA, the form's token or the notice), every one answered
with a 4xx and a page, none writing an objection, an audit row or a file."""
import io
import itertools
import random
from pathlib import Path

from core.records.models import AuditLog, Objection
from tests.admin_workflow.test_workflow_objections import captcha_answer, notice, public_form  # noqa: F401 (fixture)
from tests.admin.helpers import csrf_token
from tests.builders import PDF

SUBMISSIONS = 2100
ANSWER = "24680"
GOOD = {"name": "王小明", "phone": "13812345678", "content": "入驻机构数量不实"}
HOSTILE = {
    "name": ["", " ", "\t\n", "王" * 41, "A" * 100_000, "王\x00明", "王\x1b[31m明", "\u2028", "\ufeff王", None],
    "phone": ["", "123", "1381234567", "138123456789", "1381234567a", "+8613812345678", "１３８１２３４５６７８",
              "1" * 5000, "-13812345678", "13812345678\x00", "0351", "<script>", None],
    "content": ["", "   ", "异" * 2001, "x" * 200_000, "bell\x07", "\x00", "\x7f", None],
}
BAD_FILES = [("virus.exe", b"MZ\x90\x00"), ("a.pdf", b"GIF89a not a pdf"), ("a.png", b""), ("a.jpg", PDF),
             ("noextension", PDF), ("a.pdf.exe", PDF), ("a.svg", b"<svg onload=alert(1)>"), ("a.PDF", b"%PDX"),
             ("big.pdf", PDF + b"0" * (5 * 1024 * 1024))]
BAD_NOTICES = ["0", "-1", "99999999999999999999", "abc", "1e3", "2147483648", "%00", "1;DROP TABLE objection"]


def hostile_submissions(notice_id, rng):
    """(path, form fields, a file or None, how to answer the CAPTCHA, send the token) — each wrong somehow."""
    fields = list(HOSTILE)
    for n in itertools.count():
        form, attachment, captcha, token, path = dict(GOOD), None, "right", True, public_form_path(notice_id)
        kind = n % 7
        if kind <= 2:  # one field wrong, or two
            for field in rng.sample(fields, 1 + (kind == 2)):
                form[field] = rng.choice(HOSTILE[field])
        elif kind == 3:
            attachment = rng.choice(BAD_FILES)
        elif kind == 4:
            captcha = rng.choice(["wrong", "missing", "empty"])
        elif kind == 5:
            token = False
        else:
            path = f"/public/objections/new/{rng.choice(BAD_NOTICES)}"
        if rng.random() < 0.3 and kind != 3:  # now and then a good file rides along
            attachment = ("证明.pdf", PDF + b"ok")
        yield path, {k: v for k, v in form.items() if v is not None}, attachment, captcha, token


def public_form_path(notice_id):
    return f"/public/objections/new/{notice_id}"


def same_answer_each_time():
    """The CAPTCHA of every form this test opens reads 24680: still asked and checked, one try each."""
    from flask import session

    session["objection_captcha"] = ANSWER


def test_two_thousand_hostile_submissions_get_4xx_and_write_nothing(app, notice, monkeypatch):  # noqa: F811
    monkeypatch.setattr("admin.objections_public.new_captcha", same_answer_each_time)
    client = app.test_client()
    token = csrf_token(client, public_form(notice))
    audit_rows = AuditLog.select().count()
    statuses = {}
    rng = random.Random(20251104)
    for path, form, attachment, captcha, send_token in itertools.islice(hostile_submissions(notice.id, rng), SUBMISSIONS):
        data = dict(form)
        data["captcha"] = {"right": ANSWER, "wrong": "13579", "empty": "", "missing": None}[captcha]
        if data["captcha"] is None:
            del data["captcha"]
        if send_token:
            data["csrf_token"] = token
        if attachment:
            data["attachment"] = (io.BytesIO(attachment[1]), attachment[0])
        response = client.post(path, data=data, content_type="multipart/form-data")
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        assert 400 <= response.status_code < 500, (path, {k: v[:30] for k, v in form.items()}, attachment and attachment[0], captcha, response.status_code)
        assert response.get_data(as_text=True).strip(), "every refusal says why"
    assert sum(statuses.values()) == SUBMISSIONS
    assert Objection.select().count() == 0
    assert AuditLog.select().count() == audit_rows
    uploads = app.config["UPLOAD_DIR"]
    assert not list(Path(uploads, "objections").glob("**/*.*"))
    assert set(statuses) <= {400, 404}, statuses
    # and the form still takes a good objection afterwards
    good = client.post(public_form(notice), data={**GOOD, "captcha": ANSWER, "csrf_token": token})
    assert good.status_code == 200 and Objection.select().count() == 1
    assert captcha_answer(client) is None  # the answer was used up


def test_hostile_lookups_find_nothing_and_say_so(app, notice):  # noqa: F811
    client = app.test_client()
    token = csrf_token(client, "/public/objections/lookup")
    references = ["", "A", "A" * 12, "a" * 12, "0" * 12, "I" * 12, "A" * 13, "' OR 1=1 --", "%", "*", "\x00" * 12,
                  "ＡＢＣＤＥＦＧＨＪＫＬＭ", "A" * 100_000, None]
    last4s = ["", "5678", "56789", "abcd", "-123", "５６７８", "\x00\x00\x00\x00", "%", None]
    count = 0
    for reference, last4, with_token in itertools.product(references, last4s, (True, False)):
        data = {k: v for k, v in {"reference": reference, "phone_last4": last4}.items() if v is not None}
        if with_token:
            data["csrf_token"] = token
        response = client.post("/public/objections/lookup", data=data)
        assert response.status_code == (404 if with_token else 400), (reference and reference[:20], last4, with_token)
        assert response.get_data(as_text=True).strip()
        count += 1
    assert count == len(references) * len(last4s) * 2
