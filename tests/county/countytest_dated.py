"""County plugins of Changzhi whose measures begin, or are revised, after the city's (issue 12), for
test_county_check_dates.py: a county with a number of its own from 2026-09-01 read by a condition of
its own — declared or not — and counties whose revisions change the past or name a number they lack."""
import datetime
from dataclasses import replace

from core.rules.jurisdiction import Revision
from countytest_plugins import DATA, County
from countytest_plugins import PUBLIC_EVENTS as LUZHOU_PUBLIC_EVENTS

START = datetime.date(2026, 9, 1)

#: 新办区办法第六条第（六）项, reading the county's own number `min_public_events`.
UNDECLARED_PUBLIC_EVENTS = replace(LUZHOU_PUBLIC_EVENTS, article="新办区办法第六条第（六）项")
PUBLIC_EVENTS = replace(UNDECLARED_PUBLIC_EVENTS, parameters=("min_public_events",))


class OwnNumberCounty(County):
    """Its measure begins on 2026-09-01: its numbers, and its own condition, from that day."""

    code = "changzhi-ownnumber"
    parameter_overrides_file = DATA / "own_number.yaml"
    extra_criteria = [PUBLIC_EVENTS]


class UndeclaredNumberCounty(OwnNumberCounty):
    """The same condition without naming the number it reads: judged before that number exists."""

    code = "changzhi-undeclared"
    extra_criteria = [UNDECLARED_PUBLIC_EVENTS]


class PastChangingRevisionCounty(County):
    """Its own revision of 2027-01-01 dates a value 2026-12-01."""

    code = "changzhi-pastrevision"
    revisions = (Revision("2027年修订", datetime.date(2027, 1, 1), DATA / "revision_changes_the_past.yaml"),)


class RevisedOnItsStartCounty(County):
    """Its own revision of 2027-01-01 changes a number from that very day."""

    code = "changzhi-revised"
    revisions = (Revision("2027年修订", datetime.date(2027, 1, 1), DATA / "revision_on_its_start.yaml"),)


class MisnamedNumberCounty(OwnNumberCounty):
    """Its condition names a number the programme does not have (a misspelt id)."""

    code = "changzhi-misnamed"
    extra_criteria = [replace(PUBLIC_EVENTS, parameters=("min_public_event",))]
