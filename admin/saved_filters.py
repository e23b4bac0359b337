"""Saved filters of the back office's lists: an account names the query string of a list it is looking
at (filters, sort, search, page size) and opens it again from that list's menu, or copies the list's
link to share. Only the question is saved: a link opened by another account shows that account's own
scope, as any list does. The page number is dropped (a saved list opens at its first page), and so is
anything the list does not read."""
import re
from urllib.parse import parse_qsl, urlencode, urlsplit

from core.records.accounts import SavedFilter

MAX_NAME = 60
MAX_QUERY = 2000
#: The arguments a Flask-Admin list reads, but the page number: flt<position>_<filter index>, sort, …
LIST_ARGUMENTS = ("sort", "desc", "search", "page_size")
_FILTER_ARGUMENT = re.compile(r"flt(\d{1,3})_(\d{1,4})")
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


class FilterRefused(ValueError):
    """A filter that cannot be saved; the message is "中文 — English"."""


def list_query(posted, list_path, filter_count):
    """The query string to save of `posted` (a query string, or a link to the list `list_path`): only
    the arguments of a list with `filter_count` filters, without the page number; FilterRefused when it
    is a link to another page or too long."""
    text = (posted or "").strip()
    if "?" in text or text.startswith("/") or "://" in text:
        link = urlsplit(text)
        if link.path and link.path != list_path:
            raise FilterRefused("这不是本列表的筛选条件 — these are not this list's filters")
        text = link.query
    kept = []
    for key, value in parse_qsl(text.lstrip("?"), keep_blank_values=True):
        position = _FILTER_ARGUMENT.fullmatch(key)
        if key in LIST_ARGUMENTS or (position and int(position.group(2)) < filter_count):
            kept.append((key, value))
    query = urlencode(kept)
    if len(query) > MAX_QUERY:
        raise FilterRefused(f"筛选条件过长（最多{MAX_QUERY}个字符） — the filters are too long (at most {MAX_QUERY} characters)")
    return query


def checked_name(name):
    name = (name or "").strip()
    if not name:
        raise FilterRefused("请为筛选命名 — give the filter a name")
    if len(name) > MAX_NAME:
        raise FilterRefused(f"名称最多{MAX_NAME}个字符 — the name has at most {MAX_NAME} characters")
    if _CONTROL_CHARACTERS.search(name):
        raise FilterRefused("名称含有控制字符 — the name contains control characters")
    return name


def saved_for(user, endpoint):
    """The filters `user` saved for the list `endpoint`, by name."""
    return list(SavedFilter.select().where((SavedFilter.user == user) & (SavedFilter.endpoint == endpoint))
                .order_by(SavedFilter.name))


def save(user, endpoint, name, query):
    """Save (or, under a name already used for this list, replace) the account's filter."""
    with SavedFilter._meta.database.atomic():
        existing = SavedFilter.get_or_none((SavedFilter.user == user) & (SavedFilter.endpoint == endpoint)
                                           & (SavedFilter.name == name))
        if existing is not None:
            existing.query = query
            existing.save()
            return existing
        return SavedFilter.create(user=user, endpoint=endpoint, name=name, query=query)


def delete(user, endpoint, filter_id):
    """Delete the account's own filter `filter_id` of this list; False when it has none of that id."""
    return SavedFilter.delete().where((SavedFilter.id == filter_id) & (SavedFilter.user == user)
                                      & (SavedFilter.endpoint == endpoint)).execute() == 1
