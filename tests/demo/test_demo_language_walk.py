"""Issue 11 item 4: the demo walked page by page as every demo account. In Chinese no page shows
an English word or a raw code — only names, numbers, unit symbols and codes people typed, from the
small allow-list below; in English no page is a server error.

The walk starts at the home page and follows every link of the back office (menus, lists, the
details, edit and create pages of every row listed, the workflow pages those lead to). Lists are
read at their first page: further pages, sorts, searches and filters show the same columns. The
text read is what a person sees: the text of the page, titles, placeholders and button labels,
the rows a form adds when "Add" is clicked (Flask-Admin keeps them as escaped HTML), and the
labels of the list filters (kept as JSON for the filter widget)."""
import html as html_lib
import json
import re
from collections import defaultdict
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from admin_test_helpers import csrf_token, login

from admin.demo_accounts import ACCOUNTS, DEMO_PASSWORD

#: ASCII words a Chinese page may show: none is English prose or a code the software made up.
ALLOWED_WORDS = {
    "English",  # the language switch names the other language in that language
    "API",  # the information-sharing API (第十四条 / 第十六条): the term officials use
    "CSV", "XLSX", "Word", "HTML",  # file formats offered for download
    "PDF", "JPG", "PNG",  # file formats an objection's attachment may be
    "pdf", "docx", "doc", "xlsx", "xls", "csv", "jpg", "jpeg", "png", "zip", "ofd",  # extensions an upload accepts
    "KB", "MB",  # file sizes
    "n",  # the variable of a formula in a parameter's reading (补贴第n年 = 补贴年度 − 认定年度 + 1)
}
#: Link targets the walk does not open: files (documents, downloads, spreadsheets, exports) and leaving.
NOT_PAGES = ("/export/", "/documents/", "/files/", "/spreadsheets/template/", "/static/", "/logout")
#: Query parameters that only re-order, filter or page a list: the walk reads each list once.
LIST_PARAMETERS = {"sort", "desc", "page", "page_size", "search", "url", "after", "before", "last"}
#: The pager's "next" (admin.paging): following it alone reaches every page of a list once.
NEXT_PAGE = "after"
#: A word, or a dotted code read as one (changzhi.effective_from), so its parts are not allowed one by one.
WORD = re.compile(r"[A-Za-z][A-Za-z0-9_'\-]*(?:\.[A-Za-z0-9_\-]+)*")
LINK = re.compile(r'href="(/admin/[^"#]*)"')
ESCAPED_TEMPLATE = re.compile(r'(?s)(<div class="inline-field-template[^"]*">)(.*?)(</div>\s*<a id=)')
#: Flask-Admin keeps texts its scripts show (filter labels, confirmations) as JSON in hidden divs.
SCRIPT_DATA = re.compile(r'(?s)<div id="([\w-]+-data)"[^>]*>(.*?)</div>')


class _VisibleText(HTMLParser):
    """The text a person reads on a page: text nodes outside scripts and styles, and the
    attributes a browser shows (title, placeholder, alt, aria-label, a button's value)."""

    SHOWN_ATTRIBUTES = ("title", "placeholder", "alt", "aria-label")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        attributes = dict(attrs)
        self.parts.extend(attributes[a] for a in self.SHOWN_ATTRIBUTES if attributes.get(a))
        if tag == "input" and attributes.get("type") in ("submit", "button") and attributes.get("value"):
            self.parts.append(attributes["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._hidden = max(0, self._hidden - 1)

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(page):
    # The row an "Add" button inserts is escaped HTML inside the page: read it as the page it becomes.
    page = ESCAPED_TEMPLATE.sub(lambda m: m.group(1) + html_lib.unescape(m.group(2)) + m.group(3), page)
    shown = []
    for found in SCRIPT_DATA.finditer(page):
        data = json.loads(html_lib.unescape(found.group(2)))
        if found.group(1) == "filter-groups-data":  # {label: [{operation, options: [[code, label]]}]}
            for group, items in data.items():
                shown.append(group)
                for item in items:
                    shown.append(item.get("operation") or "")
                    shown.extend(label for _code, label in item.get("options") or [])
        else:  # messages keyed by an action's code: the messages are shown, the codes are not
            shown.extend(strings_in(data))
    page = SCRIPT_DATA.sub("", page)
    parser = _VisibleText()
    parser.feed(page)
    return " ".join(parser.parts + shown)


def strings_in(data):
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        data = list(data.values())
    return [text for item in data or [] for text in strings_in(item)] if isinstance(data, list) else []


def page_key(url, every_page=False):
    """A link as the walk opens it: without the parameters that only sort, filter or page a list
    (with `every_page`, a list's further pages are kept)."""
    parts = urlsplit(html_lib.unescape(url))
    dropped = LIST_PARAMETERS - {NEXT_PAGE} if every_page else LIST_PARAMETERS
    query = [(k, v) for k, v in parse_qsl(parts.query) if k not in dropped and not k.startswith("flt")]
    return parts.path + ("?" + urlencode(query) if query else "")


def walk(client, every_page=False):
    """Every page of the back office reachable by links from the home page: {url: response}.
    Lists are read at their first page, or with `every_page` at every page (so every record's
    details and edit pages are opened)."""
    pages, queued, queue = {}, {"/admin/"}, ["/admin/"]
    while queue:
        url = queue.pop(0)
        response = client.get(url)
        pages[url] = response
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        for link in LINK.findall(response.get_data(as_text=True)):
            key = page_key(link, every_page)
            if key not in queued and not any(part in key for part in NOT_PAGES):
                queued.add(key)
                queue.append(key)
    return pages


#: Pages that show records as they were entered (accounts, settings, the audit log's before and
#: after): there usernames, jurisdiction codes and English names are values an administrator typed.
RECORD_PAGES = ("/admin/user/", "/admin/audit_log/details/", "/admin/api_tokens/", "/admin/setting/")
#: The account whose walk opens every page of every list (it reaches every record); the others
#: read each list's first page.
EVERY_PAGE_ACCOUNT = "admin"


def typed_codes(username):
    """ASCII that people typed into the demo's records: licence numbers, vouchers, file names (and
    the reference numbers objectors are given, which they read back to the officer); the
    names of deployment settings (and their environment variables) the administrator enters; the
    signed-in account's own username (shown on the pages of its account)."""
    from core.records.models import Agency, LedgerEntry, Material, Objection
    from core.rules.settings import known_settings

    codes = {username}
    codes.update(a.licence_no for a in Agency.select(Agency.licence_no) if a.licence_no)
    codes.update(e.voucher for e in LedgerEntry.select(LedgerEntry.voucher) if e.voucher)
    codes.update(m.filename for m in Material.select(Material.filename))
    codes.update(o.reference for o in Objection.select(Objection.reference))
    codes.update(name for s in known_settings() for name in (s.name, s.key, s.env_variable))
    return {word for code in codes for word in WORD.findall(code)}


def recorded_codes():
    """Usernames, jurisdiction codes and English names: allowed on RECORD_PAGES only."""
    from core.records.accounts import User
    from core.records.models import Jurisdiction

    codes = {u.username for u in User.select(User.username)}
    for j in Jurisdiction.select(Jurisdiction.code, Jurisdiction.name_en):
        codes.add(j.code)
        codes.update(WORD.findall(j.name_en or ""))
    return codes


def english_words(text, allowed):
    return [word for word in WORD.findall(text) if word not in ALLOWED_WORDS and word not in allowed]


def sign_in(client, username, language="zh_CN"):
    response = login(client, username, DEMO_PASSWORD)
    assert response.status_code == 302, response.get_data(as_text=True)[:400]
    if language != "zh_CN":
        client.post("/auth/language", data={"lang": language, "next": "/admin/", "csrf_token": csrf_token(client, "/admin/")})


def test_the_walk_reads_what_a_person_sees():
    """The extraction itself: escaped inline rows and filter labels are read, scripts are not."""
    page = (
        '<p title="提示">甲<script>var english = 1;</script></p><input type="submit" value="Save">'
        '<div class="inline-field-template d-none">&lt;label&gt;Site name&lt;/label&gt;</div> <a id="x">添加</a>'
        '<div id="filter-groups-data" class="d-none">{"状态": [{"operation": "equals", "options": [["active", "有效"]], '
        '"arg": "0", "index": 0, "type": null}]}</div>'
        '<div id="actions-confirmation-data" class="d-none">{"delete": "Delete \\u786e\\u5b9a?"}</div>'
    )
    text = visible_text(page)
    assert "提示" in text and "Save" in text and "Site name" in text and "equals" in text and "有效" in text
    assert "Delete 确定?" in text
    assert "english" not in text and "active" not in text and "label" not in text and "delete" not in text


@pytest.mark.parametrize("username", [a.username for a in ACCOUNTS])
def test_every_page_in_chinese_shows_no_english_word_or_raw_code(demo_client, username):
    """Issue 11 item 4: every page the account reaches, in zh_CN, read word by word."""
    sign_in(demo_client, username)
    pages = walk(demo_client, every_page=username == EVERY_PAGE_ACCOUNT)
    allowed, recorded = typed_codes(username), recorded_codes()
    found = defaultdict(set)
    for url, response in pages.items():
        assert response.status_code < 500, url
        if response.status_code == 200 and response.mimetype == "text/html":
            here = allowed | recorded if url.startswith(RECORD_PAGES) else allowed
            for word in english_words(visible_text(response.get_data(as_text=True)), here):
                found[word].add(url)
    assert len(pages) > 5  # the walk went past the home page
    assert not found, {word: sorted(urls)[:3] for word, urls in sorted(found.items())}


@pytest.mark.parametrize("username", [a.username for a in ACCOUNTS])
def test_every_page_in_english_answers_without_a_server_error(demo_client, username):
    """Issue 11 item 4: the same walk in English; and the pages are English (the switch took)."""
    sign_in(demo_client, username, "en")
    pages = walk(demo_client, every_page=username == EVERY_PAGE_ACCOUNT)
    errors = sorted(url for url, response in pages.items() if response.status_code >= 500)
    assert not errors
    home = pages["/admin/"].get_data(as_text=True)
    assert "Sign out" in home and "退出登录" not in home
