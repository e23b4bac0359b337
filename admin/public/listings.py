"""What the public site shows of a programme's records: only what is already public.

- a notice from its first day on (never before), with its state on the day asked;
- recognitions as they stand (in force, under rectification, revoked with its date and article);
- confirmed assessments whose consequences the measures announce (通报表扬 / 通报批评), and only those.

Each listing reads a fixed number of queries whatever the number of records (a page of rows
joined to its park and jurisdiction in one statement, and one count). Only the columns shown are
read: never a remark, an objection, a person or a phone number.
"""
import math

from core.records.models import Application, Assessment, Jurisdiction, Park, PublicNotice, Recognition
from core.records.services.base import today  # noqa: F401  the day the site shows, the back office's day

#: Rows on one page of a listing. Notices are read newest first and few run at once: ten a page keep
#: the page's cost close to that of a page of one (benchmarks/: the notices page at 100× the demo).
PAGE_SIZE = 20
NOTICES_PAGE_SIZE = 10

#: Consequences of a grade that the measures make public (通报): their kinds, as the plugins declare them.
ANNOUNCED_CONSEQUENCES = ("commendation", "criticism")

#: Recognition states shown on the public list (all of them: a revocation is announced too).
PUBLIC_RECOGNITION_STATES = ("active", "rectifying", "revoked")


class PageOutOfRange(Exception):
    """A page number past the last page (or below the first)."""


def page_bounds(page, total, size=PAGE_SIZE):
    """(offset, number of pages) of page `page` (1-based) among `total` rows, `size` a page; one page when empty."""
    pages = max(1, math.ceil(total / size))
    if page < 1 or page > pages:
        raise PageOutOfRange(page)
    return (page - 1) * size, pages


def public_notices(programme, on):
    """The programme's notices public on day `on` (started on or before it), newest first."""
    return (PublicNotice
            .select(PublicNotice.id, PublicNotice.start, PublicNotice.end, PublicNotice.working_days,
                    Application.id, Application.year, Park.id, Park.name, Jurisdiction.id, Jurisdiction.name_zh,
                    Jurisdiction.name_en)
            .join(Application).join(Park).join(Jurisdiction)
            .where((Application.programme == programme) & (PublicNotice.start <= on))
            .order_by(PublicNotice.start.desc(), PublicNotice.id.desc()))


#: What a notice row of `public_notices` reads, in its order.
NOTICE_COLUMNS = ("id", "start", "end", "working_days", "application_id", "year", "park_id", "park", "jurisdiction_id",
                  "place_zh", "place_en")


def notice_rows(programme, on, page=1):
    """(notices on the page as {column: value} of NOTICE_COLUMNS, number of pages). Plain rows: a
    page of them costs the database's read, not a model object per joined table."""
    query = public_notices(programme, on)
    offset, pages = page_bounds(page, query.count(), NOTICES_PAGE_SIZE)
    return [dict(zip(NOTICE_COLUMNS, row)) for row in query.offset(offset).limit(NOTICES_PAGE_SIZE).tuples()], pages


def notice_in_progress(start, end, on) -> bool:
    """公示中 from the first day to the last, both included; 已结束 after."""
    return start <= on <= end


def public_recognitions(programme):
    return (Recognition
            .select(Recognition.id, Recognition.official_name, Recognition.recognised_on, Recognition.status,
                    Recognition.revoked_on, Recognition.revocation_article, Recognition.document_number, Recognition.version,
                    Jurisdiction.id, Jurisdiction.name_zh, Jurisdiction.name_en)
            .join(Jurisdiction)
            .where((Recognition.programme == programme) & Recognition.status.in_(PUBLIC_RECOGNITION_STATES))
            .order_by(Recognition.recognised_on, Recognition.id))


def recognition_rows(programme, page=1):
    query = public_recognitions(programme)
    offset, pages = page_bounds(page, query.count())
    return list(query.offset(offset).limit(PAGE_SIZE)), pages


def announced(assessment):
    """The consequences of a confirmed assessment that the measures announce, each with its article."""
    return [c for c in assessment.consequences or [] if c.get("kind") in ANNOUNCED_CONSEQUENCES]


def assessment_rows(programme):
    """The programme's confirmed assessments with an announced consequence, newest year first.
    Read in one statement; which consequences are announced is read from each row's own record
    (what was applied, with its article, when the grade was confirmed)."""
    query = (Assessment
             .select(Assessment.id, Assessment.year, Assessment.grade, Assessment.assessed_on, Assessment.consequences,
                     Assessment.version, Recognition.id, Recognition.official_name)
             .join(Recognition)
             .where((Assessment.programme == programme) & (Assessment.status == "confirmed"))
             .order_by(Assessment.year.desc(), Recognition.official_name, Assessment.id))
    return [(a, announced(a)) for a in query if announced(a)]
