"""Languages of the back office: Chinese by default, English by a switch kept in the session.

Our own strings (English msgids) live in admin/translations/<zh_CN|en>/LC_MESSAGES/messages.po;
the .mo files are compiled from them at start-up whenever missing or older than the .po.
Flask-Admin's built-in strings come from its own catalog: Babel reads our zh_CN as zh_Hans_CN,
which is the name of Flask-Admin's Chinese catalog, so no copy is needed.
"""
import os
import re
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from flask import g, has_request_context, session
from flask_babel import Babel, Domain, get_locale
from flask_babel import gettext as _gettext
from werkzeug.utils import cached_property

from core.rules import formatting

CATALOG_DIR = Path(__file__).parent / "translations"
DOMAIN = "messages"
#: Flask-Admin's own domain: admin/translations/zh_Hans_CN/LC_MESSAGES/admin.po holds the strings
#: its shipped Chinese catalog leaves untranslated (Admin(translations_path=...) reads it first).
FLASK_ADMIN_DOMAIN = "admin"
DEFAULT_LANGUAGE = "zh_CN"
#: Locale code kept in the session -> the name shown on the switch.
LANGUAGES = {"zh_CN": "中文", "en": "English"}


# --- catalogs ------------------------------------------------------------------------------------


def _stale(po: Path, mo: Path) -> bool:
    return not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime


def _write_catalog(po: Path, mo: Path):
    """Compile one .po into .mo, atomically (several workers may start at once)."""
    with open(po, encoding="utf-8") as fh:
        catalog = read_po(fh, locale=po.parent.parent.name, domain=po.stem)
    mo.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=mo.parent, suffix=".mo.tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            write_mo(out, catalog)
        os.replace(tmp, mo)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def compile_catalogs(source=CATALOG_DIR, fallback=None) -> Path:
    """Compile every .po under `source` whose .mo is missing or older; return the directory to read.

    Where the package directory is read-only (an installed wheel), the catalogs are compiled into
    `fallback` (the instance folder) instead, and that directory is returned.
    """
    source = Path(source)
    pos = sorted(source.glob(f"*/LC_MESSAGES/{DOMAIN}.po")) + sorted(source.glob(f"*/LC_MESSAGES/{FLASK_ADMIN_DOMAIN}.po"))
    try:
        for po in pos:
            mo = po.with_suffix(".mo")
            if _stale(po, mo):
                _write_catalog(po, mo)
        return source
    except OSError:
        if fallback is None:
            raise
    fallback = Path(fallback)
    for po in pos:
        mo = fallback / po.relative_to(source).with_suffix(".mo")
        if _stale(po, mo):
            _write_catalog(po, mo)
    return fallback


def catalog_folder(locale) -> str:
    """The folder of our catalog for a Babel locale: any Chinese reads zh_CN, anything else en."""
    return "zh_CN" if locale is not None and locale.language == "zh" else "en"


class CatalogDomain(Domain):
    """Our message domain, reading <dir>/<zh_CN|en>/LC_MESSAGES/messages.mo whatever Babel calls the locale."""

    def __init__(self, directory):
        super().__init__([str(directory)], DOMAIN)
        self.directory = Path(directory)

    def get_translations(self):
        if not has_request_context():
            return NullTranslations()
        folder = catalog_folder(get_locale())
        cached = self.cache.get(folder)
        if cached is None:
            path = self.directory / folder / "LC_MESSAGES" / f"{DOMAIN}.mo"
            if path.exists():
                with open(path, "rb") as fh:
                    cached = Translations(fh, domain=DOMAIN)
            else:
                cached = NullTranslations()
            self.cache[folder] = cached
        return cached


class HrparkBabel(Babel):
    """Flask-Babel with our catalog domain as the default domain."""

    def __init__(self, app, directory):
        self._directory = directory
        super().__init__(app, locale_selector=select_locale)

    @cached_property
    def domain_instance(self):
        return CatalogDomain(self._directory)


# --- the language in force -----------------------------------------------------------------------


def select_locale() -> str:
    """The page's own language where it fixes one (the public site's ?lang=), else the session's."""
    if not has_request_context():
        return DEFAULT_LANGUAGE
    lang = g.get("page_language") or session.get("lang")
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def current_language() -> str:
    """'zh' or 'en': which label of a vocabulary term or a plugin text to show."""
    if not has_request_context():
        return "zh"
    return "zh" if select_locale().startswith("zh") else "en"


def is_chinese() -> bool:
    return current_language() == "zh"


class Both(tuple):
    """A value of a message in both languages, e.g. a state's label: Both(("公示中", "public notice"))."""


def both(zh: str, en: str) -> "Both":
    return Both((zh, en or zh))


def both_labels(vocabulary, code) -> "Both":
    """A vocabulary's label of `code` (core.records.vocab), for a message in either language."""
    return both(vocabulary.label(code, "zh"), vocabulary.label(code, "en"))


def bilingual(msgid, **variables) -> str:
    """A message about bad input or a refusal (flashed, or on an error page), in the page's
    language only: Chinese in the Chinese back office, English in the English one.

    A variable given as `both(zh, en)` is written in the message's language (a message of the
    core's written in both languages is passed through `in_page_language` first).
    """
    values = {k: (v[0] if is_chinese() else v[1]) if isinstance(v, Both) else v for k, v in variables.items()}
    return _gettext(msgid, **values)


def localized(zh: str, en: str) -> str:
    """Pick a plugin's or a vocabulary's Chinese or English text (Chinese when no English)."""
    return en if (current_language() == "en" and en) else zh


#: "中文 (English)": the core's messages that end with their English in brackets.
_BRACKETED_ENGLISH = re.compile(r"^(?P<zh>.*[\u3000-\u9fff\uff00-\uffef].*?)\s?\((?P<en>[^\u3000-\u9fff()]+)\)$", re.S)


def in_page_language(text: str) -> str:
    """A message the core or a plugin writes in both languages — "Chinese — English", or "中文
    (English)" — cut to the half in the page's language; any other text as it is."""
    text = text or ""
    zh, sep, en = text.rpartition(" — ")
    if sep and zh:
        return localized(zh, en)
    bracketed = _BRACKETED_ENGLISH.match(text)
    if bracketed:
        return localized(bracketed.group("zh").rstrip(), bracketed.group("en").strip())
    return text


# --- numbers, money and dates: core.rules.formatting in the request's language -------------------------


def locale_code() -> str:
    """The locale the page is written in, as core.rules.formatting takes it."""
    return formatting.ZH if is_chinese() else formatting.EN


def format_date(value) -> str:
    """2025年10月11日 in Chinese; 11 Oct 2025 in English."""
    return formatting.format_date(value, locale_code())


def format_datetime(value) -> str:
    return formatting.format_datetime(value, locale_code())


def format_money(value) -> str:
    """1,234,567.00元 in Chinese; CNY 1,234,567.00 in English. Decimal in, never float."""
    return formatting.format_money(value, locale_code())


def format_wan(value) -> str:
    """An amount in 万元 (ten thousand yuan), as the measures state investments."""
    return formatting.format_wan(value, locale_code())


def format_number(value, unit=None) -> str:
    """A count or a measure with its unit in the page's language: 5,200平方米, 12家, 1,999."""
    if value is None:
        return ""
    text = formatting.format_number(value, locale_code())
    return formatting.with_unit(text, unit, locale_code(), one=formatting.as_decimal(value) == 1) if unit else text


def format_area(value) -> str:
    return formatting.format_area(value, locale_code())


def format_percent(value) -> str:
    return formatting.format_percent(value, locale_code())


if __name__ == "__main__":  # python -m admin.i18n: compile the catalogs now (the app also does at start-up)
    print(compile_catalogs())
