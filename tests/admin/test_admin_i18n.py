"""Languages: the catalogs compile from the .po files (never hand-installed .mo), every string of
the back office has its Chinese, and dates and money read as officials write them."""
import datetime
import os
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po
from flask import Flask, session

from admin import i18n

ADMIN_DIR = Path(i18n.__file__).parent
KEYWORDS = dict(DEFAULT_KEYWORDS, _l=None, bilingual=None)
METHODS = [("**/templates/**.html", "jinja2"), ("**.py", "python")]


def extracted_msgids():
    ids = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ADMIN_DIR), method_map=METHODS, keywords=KEYWORDS
    ):
        ids.add(message if isinstance(message, str) else message[0])
    return ids


def test_every_string_of_the_back_office_has_its_chinese():
    with open(ADMIN_DIR / "translations" / "zh_CN" / "LC_MESSAGES" / "messages.po", encoding="utf-8") as fh:
        catalog = read_po(fh)
    translated = {}
    for message in catalog:
        key = message.id if isinstance(message.id, str) else message.id[0]
        text = message.string if isinstance(message.string, str) else message.string[0]
        if key and text and not message.fuzzy:
            translated[key] = text
    ids = extracted_msgids()
    assert len(ids) > 150  # the extraction found the strings (a broken method map finds none)
    missing = sorted(ids - set(translated))
    assert not missing, missing
    assert translated["Wrong username or password."] == "用户名或密码错误。"


def test_the_english_catalog_lists_the_same_strings():
    with open(ADMIN_DIR / "translations" / "en" / "LC_MESSAGES" / "messages.po", encoding="utf-8") as fh:
        english = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}
    assert extracted_msgids() <= english


def test_catalogs_are_compiled_when_missing_or_older_than_the_po(tmp_path):
    source = tmp_path / "translations"
    shutil.copytree(ADMIN_DIR / "translations", source, ignore=shutil.ignore_patterns("*.mo"))
    mo = source / "zh_CN" / "LC_MESSAGES" / "messages.mo"
    assert not mo.exists()
    assert i18n.compile_catalogs(source) == source
    assert mo.exists() and (source / "en" / "LC_MESSAGES" / "messages.mo").exists()
    po_time = mo.with_suffix(".po").stat().st_mtime
    os.utime(mo, (po_time + 100, po_time + 100))  # newer than its .po: left alone
    i18n.compile_catalogs(source)
    assert mo.stat().st_mtime == po_time + 100
    os.utime(mo, (po_time - 100, po_time - 100))  # older than its .po: compiled again
    i18n.compile_catalogs(source)
    assert mo.stat().st_mtime > po_time - 100


def test_a_read_only_package_compiles_into_the_instance_folder(tmp_path, monkeypatch):
    source = tmp_path / "translations"
    shutil.copytree(ADMIN_DIR / "translations", source, ignore=shutil.ignore_patterns("*.mo"))
    fallback = tmp_path / "instance" / "translations"
    real_write = i18n._write_catalog

    def write(po, mo):  # the package directory refuses writes, as an installed wheel's may
        if source in mo.parents:
            raise PermissionError(f"read-only: {mo}")
        real_write(po, mo)

    monkeypatch.setattr(i18n, "_write_catalog", write)
    assert i18n.compile_catalogs(source, fallback=fallback) == fallback
    assert (fallback / "zh_CN" / "LC_MESSAGES" / "messages.mo").exists()


@pytest.fixture
def request_in():
    app = Flask(__name__)
    app.secret_key = "x"

    def in_language(lang):
        ctx = app.test_request_context("/")
        ctx.push()
        session["lang"] = lang
        return ctx

    return in_language


@pytest.mark.parametrize("lang, day, money, wan", [
    ("zh_CN", "2025年10月11日", "1,234,567.00元", "1,200.50万元"),
    ("en", "11 Oct 2025", "CNY 1,234,567.00", "1,200.50 × 10,000 CNY"),
])
def test_dates_and_money_in_each_language(request_in, lang, day, money, wan):
    ctx = request_in(lang)
    try:
        assert i18n.format_date(datetime.date(2025, 10, 11)) == day
        assert i18n.format_money(Decimal("1234567")) == money
        assert i18n.format_wan(Decimal("1200.5")) == wan
        assert i18n.format_date(None) == "" and i18n.format_money(None) == ""
    finally:
        ctx.pop()


def test_money_keeps_every_fen_and_never_goes_through_float(request_in):
    ctx = request_in("zh_CN")
    try:
        assert i18n.format_money(Decimal("0.1") + Decimal("0.2")) == "0.30元"
        assert i18n.format_money(Decimal("9999999999999.99")) == "9,999,999,999,999.99元"
        assert i18n.format_money(Decimal("-1000.005")) == "-1,000.00元"
    finally:
        ctx.pop()


def test_messages_are_in_the_page_s_language_only(app):
    """Issue 11 item 4: a message in the Chinese back office is Chinese only; the English only in English."""
    with app.test_request_context("/"):
        session["lang"] = "zh_CN"
        assert i18n.bilingual("Wrong username or password.") == "用户名或密码错误。"
    with app.test_request_context("/"):
        session["lang"] = "en"
        assert i18n.bilingual("Wrong username or password.") == "Wrong username or password."


def test_a_value_given_in_both_languages_is_written_in_each_half_s_own(app):
    msgid = "Done: the application is now “%(state)s”."
    with app.test_request_context("/"):
        session["lang"] = "zh_CN"
        message = i18n.bilingual(msgid, state=i18n.both("公示中", "public notice"))
        assert message == "已完成：申请现为“公示中”。"
    with app.test_request_context("/"):
        session["lang"] = "en"
        assert i18n.bilingual(msgid, state=i18n.both("公示中", "public notice")) == "Done: the application is now “public notice”."
        assert i18n.bilingual(msgid, state=i18n.both("公示中", "")) == "Done: the application is now “公示中”."


def test_an_unknown_session_language_falls_back_to_chinese(app):
    with app.test_request_context("/"):
        session["lang"] = "fr"
        assert i18n.select_locale() == "zh_CN" and i18n.current_language() == "zh"
