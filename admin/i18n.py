"""Languages of the back office: Chinese by default, English by a switch kept in the session.

Our own strings (English msgids) live in admin/translations/<zh_CN|en>/LC_MESSAGES/messages.po;
the .mo files are compiled from them at start-up whenever missing or older than the .po.
Flask-Admin's built-in strings come from its own catalog: Babel reads our zh_CN as zh_Hans_CN,
which is the name of Flask-Admin's Chinese catalog, so no copy is needed.
"""
import datetime
import os
import tempfile
from decimal import Decimal
from pathlib import Path

from babel.dates import format_date as babel_format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from flask import has_request_context, session
from flask_babel import Babel, Domain, get_locale
from flask_babel import gettext as _gettext
from werkzeug.utils import cached_property

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
        catalog = read_po(fh, locale=po.parent.parent.name, domain=DOMAIN)
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
    lang = session.get("lang") if has_request_context() else None
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


def bilingual(msgid, **variables) -> str:
    """A message about bad input or a refusal: in Chinese mode Chinese first, then the English.

    A variable given as `both(zh, en)` is written in each half in that half's language.
    """
    zh_values = {k: (v[0] if is_chinese() else v[1]) if isinstance(v, Both) else v for k, v in variables.items()}
    en_values = {k: v[1] if isinstance(v, Both) else v for k, v in variables.items()}
    translated = _gettext(msgid, **zh_values)
    english = msgid % en_values if variables else msgid
    if not is_chinese() or translated == english:
        return translated
    return f"{translated} ({english})"


def localized(zh: str, en: str) -> str:
    """Pick a plugin's or a vocabulary's Chinese or English text (Chinese when no English)."""
    return en if (current_language() == "en" and en) else zh


# --- dates and money -----------------------------------------------------------------------------


def format_date(value) -> str:
    """2025年10月11日 in Chinese; 11 Oct 2025 in English."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if is_chinese():
        return f"{value.year}年{value.month}月{value.day}日"
    return babel_format_date(value, "d MMM y", locale="en")


def format_datetime(value) -> str:
    if value is None:
        return ""
    return f"{format_date(value)} {value:%H:%M}"


def format_money(value) -> str:
    """1,234,567.00元 in Chinese; CNY 1,234,567.00 in English. Decimal in, never float."""
    if value is None:
        return ""
    amount = Decimal(value).quantize(Decimal("0.01"))
    text = f"{amount:,.2f}"
    return f"{text}元" if is_chinese() else f"CNY {text}"


def format_wan(value) -> str:
    """An amount in 万元 (ten thousand yuan), as the measures state investments."""
    if value is None:
        return ""
    text = f"{Decimal(value):,.2f}"
    return f"{text}万元" if is_chinese() else f"{text} × 10,000 CNY"


if __name__ == "__main__":  # python -m admin.i18n: compile the catalogs now (the app also does at start-up)
    print(compile_catalogs())
