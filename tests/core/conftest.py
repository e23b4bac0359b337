"""Fixtures of the core's own tests: rows to build on, a SQL query counter, the sample modules
(broken plugins, a county) importable by name, and the two cities' texts split into articles."""
import contextlib
import datetime
import logging
import re
from decimal import Decimal
from pathlib import Path

import pytest

from core.records.audit import Actor, acting_as

HERE = Path(__file__).parent
REGULATIONS = HERE.parent.parent.parent / "shared" / "regulations"
CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def chinese_number(text):
    """一 → 1, 十 → 10, 十六 → 16, 二十 → 20, 二十五 → 25 (enough for article numbers)."""
    if "十" not in text:
        return CHINESE_DIGITS[text]
    tens, _, units = text.partition("十")
    return (CHINESE_DIGITS[tens] if tens else 1) * 10 + (CHINESE_DIGITS[units] if units else 0)


def split_articles(text):
    """{article number: its text} for a measures text whose articles start a line with 第X条."""
    articles = {}
    current = None
    for line in text.splitlines():
        match = re.match(r"\s*第([一二三四五六七八九十]+)条", line)
        if match:
            current = chinese_number(match.group(1))
            articles[current] = ""
        if current is not None:
            articles[current] += line + "\n"
    return articles


CITATION_TOKEN = re.compile(r"第([一二三四五六七八九十]+)条|（([一二三四五六七八九十]+)）")


def citation_problems(citation, articles):
    """What in `citation` (e.g. '第六条第（二）项、第（三）项') the measures' text does not have."""
    problems = []
    article = None
    for match in CITATION_TOKEN.finditer(citation):
        if match.group(1):
            article = chinese_number(match.group(1))
            if article not in articles:
                problems.append(f"{citation}: 第{match.group(1)}条 not in the text")
        elif article is not None and article in articles and f"（{match.group(2)}）" not in articles[article]:
            problems.append(f"{citation}: item （{match.group(2)}） not in article {article}")
    if article is None:
        problems.append(f"{citation!r} cites no article")
    return problems


@pytest.fixture(scope="session")
def measures_articles():
    """{city code: {article number: text}} from shared/regulations."""
    if not REGULATIONS.is_dir():
        pytest.skip(f"the measures' texts are not at {REGULATIONS}")
    return {
        "karamay": split_articles((REGULATIONS / "karamay-measures.zh.txt").read_text(encoding="utf-8")),
        "changzhi": split_articles((REGULATIONS / "changzhi-measures.zh.txt").read_text(encoding="utf-8")),
    }


@pytest.fixture(scope="session")
def uncited(measures_articles):
    """uncited(citation, code) → what in `citation` that city's measures' text does not have."""
    return lambda citation, code: citation_problems(citation, measures_articles[code])


@pytest.fixture
def sample_modules(monkeypatch):
    """Make tests/core/coretest_*.py importable by module name (as an entry point imports them)."""
    monkeypatch.syspath_prepend(str(HERE))
    return HERE


class QueryCounter:
    """Counts the SQL statements peewee sends (peewee logs each one to 'peewee' at DEBUG)."""

    def __init__(self):
        self.statements = []

    def emit(self, record):
        if isinstance(record.msg, tuple) and record.msg and isinstance(record.msg[0], str):
            self.statements.append(record.msg[0])

    def __len__(self):
        return len(self.statements)


@contextlib.contextmanager
def counting_queries():
    counter = QueryCounter()
    handler = logging.Handler(level=logging.DEBUG)
    handler.emit = counter.emit
    logger = logging.getLogger("peewee")
    old_level = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    try:
        yield counter
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)


@pytest.fixture
def count_queries():
    return counting_queries


@pytest.fixture
def clerk():
    """Changes inside `with clerk:` are recorded as made by a named county officer."""
    return acting_as(Actor("wang.li", "county_officer", 7))


@pytest.fixture
def city_row(db):
    from core.records.models import Jurisdiction

    return Jurisdiction.create(code="changzhi", name_zh="长治市", name_en="Changzhi", level="city")


@pytest.fixture
def make_park(db, city_row):
    """make_park(name, agencies=n, ...) → a Park row with one core site, n agencies and their figures,
    written by the world factory."""
    from core.world.factory import add_park_with_figures

    def build(name="潞州人力资源服务产业园", agencies=3, jurisdiction=None, floor_area="3000.00", year=2025):
        return add_park_with_figures(
            dict(jurisdiction=jurisdiction or city_row, name=name,
                 public_services=["employment_entrepreneurship", "vocational_training"], operator_kind="company",
                 staff_fulltime=4, facts={"district_support_measures": ["房租补贴"]}),
            [dict(name=f"{name}核心区", is_core=True, floor_area=Decimal(floor_area))],
            lambda park: [
                dict(name=f"{name}机构{n + 1}", kind="operating" if n % 2 == 0 else "public", licence_no=f"L{park.id:03d}{n:03d}",
                     service_lines=["recruitment", "training"], admitted_on=datetime.date(2023, 1, 1 + n % 28),
                     exited_on=datetime.date(2025, 6, 30) if n == 2 else None,
                     years=[dict(year=year - 1, revenue=Decimal("3000000.01") + n, pass_through=Decimal("120000.50"),
                                 tax=Decimal("81000"), employment_helped=30 + n)])
                for n in range(agencies)
            ],
            [dict(year=year, events_held=12, employment_promoted=1600)],
        )

    return build
