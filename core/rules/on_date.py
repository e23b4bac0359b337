"""What a programme's measures say on a chosen day, as plain data for the command line (`hrpark rules
CODE --on DATE`, `hrpark rules diff CITY COUNTY`) and the back office's rules pages alike.

Each number comes with its value that day, the days it holds between, and the article and document
that govern it: a county's number inherited from its city before the county's own date is the
city's, cited to the city's measures; from that date the county's, cited to the county's (issue 12,
a city's article on county measures). A county's measures also read as a diff of its city's: the numbers that differ, the
conditions it adds, rewrites or drops, and how many it takes over unchanged.
"""
import datetime
from dataclasses import dataclass

from core.rules.parameters import Parameter, ParameterError
from core.plugin.registry import UnknownJurisdiction


@dataclass(frozen=True)
class Document:
    """The measures that set a number: the programme's, in the version in force when it was set."""

    programme: str  # the code of the programme that issued them
    issuer: str  # Y市
    issuer_en: str
    title: str
    document_number: str  # 文号, "" where the text gives none
    version: str  # 试行, 正式 … ("" when unnamed)


def document_of(rules, day: datetime.date) -> Document:
    """Programme `rules`' measures as they stood on `day`: a revision in force then, under its own
    title and number where it gives them."""
    info = rules.info
    title, number, version = info.measures_title, info.document_number, info.measures_version
    for revision in rules.revisions():
        if revision.effective_from <= day:
            title, number, version = revision.title or title, revision.document_number or number, revision.label
    return Document(programme=rules.code, issuer=info.name, issuer_en=info.name_en, title=title,
                    document_number=number, version=version)


@dataclass(frozen=True)
class NumberInForce:
    """One parameter on one day."""

    parameter: Parameter
    value: object  # None: no value is in force that day
    effective_from: datetime.date | None  # the day this value took effect
    effective_until: datetime.date | None  # its last day, where a later date changes or ends it
    reference: str  # the article governing that day's value
    source: str  # the programme whose value it is
    document: Document | None  # that programme's measures (None where it is not installed)

    @property
    def id(self):
        return self.parameter.id

    @property
    def unit(self):
        return self.parameter.unit


def number_in_force(parameter: Parameter, on: datetime.date, reg=None, rules=None) -> NumberInForce:
    """`parameter` on day `on`, with the document of the programme whose value applies (looked up in
    `reg`; `rules` answers for its own code without one)."""
    try:
        value = parameter.at(on)
    except ParameterError:
        value = None
    starts = [start for start, _ in parameter.values]
    start = max((d for d in starts if d <= on), default=None) if value is not None else None
    later = [d for d in starts if d > on]
    until = min(later) - datetime.timedelta(days=1) if value is not None and later else None
    reference, source = parameter.citation_at(on)
    return NumberInForce(parameter=parameter, value=value, effective_from=start, effective_until=until,
                         reference=reference, source=source,
                         document=_document(source, start or on, reg, rules))


def _document(code, day, reg, rules):
    if rules is not None and rules.code == code:
        return document_of(rules, day)
    if reg is None:
        return None
    try:
        return document_of(reg.get(code), day)
    except UnknownJurisdiction:  # the city of a county installed alone: its title is not known here
        return None


def numbers_in_force(rules, on: datetime.date, reg=None) -> list[NumberInForce]:
    """Every number of programme `rules` on day `on`, in the order its parameter files give them."""
    return [number_in_force(p, on, reg, rules) for p in rules.parameters]


# --- a county's measures as a diff of its city's ------------------------------------------------


@dataclass(frozen=True)
class NumberDifference:
    id: str
    parent: NumberInForce | None  # None: a number only the county's measures have
    county: NumberInForce


ADDED, OVERRIDDEN, DROPPED = "added", "overridden", "dropped"


@dataclass(frozen=True)
class CriterionDifference:
    id: str
    change: str  # ADDED, OVERRIDDEN or DROPPED
    parent: object  # core.rules.criteria.Criterion, None when added
    county: object  # None when dropped


@dataclass(frozen=True)
class RulesDiff:
    parent: object  # the city's rules (core.plugin.registry.Jurisdiction)
    county: object
    on: datetime.date
    numbers: list  # [NumberDifference]
    criteria: list  # [CriterionDifference]
    inherited_numbers: int  # numbers the county takes over unchanged, cited to the city
    inherited_criteria: int  # conditions it takes over unchanged


def diff_rules(parent, county, on: datetime.date, reg=None) -> RulesDiff:
    """What `county`'s measures change of `parent`'s on day `on`: each number whose value or
    governing programme differs, each condition added, rewritten or dropped."""
    numbers, inherited_numbers = [], 0
    for mine in numbers_in_force(county, on, reg):
        if mine.id not in parent.parameters:
            numbers.append(NumberDifference(mine.id, None, mine))
            continue
        theirs = number_in_force(parent.parameters.get(mine.id), on, reg, parent)
        if mine.value != theirs.value or mine.source != theirs.source:
            numbers.append(NumberDifference(mine.id, theirs, mine))
        else:
            inherited_numbers += 1
    theirs_criteria = {c.id: c for c in parent.criteria(on)}
    mine_criteria = county.criteria(on)
    criteria, inherited_criteria = [], 0
    for c in mine_criteria:
        other = theirs_criteria.get(c.id)
        if other is None:
            criteria.append(CriterionDifference(c.id, ADDED, None, c))
        elif c.source != other.source:
            criteria.append(CriterionDifference(c.id, OVERRIDDEN, other, c))
        else:
            inherited_criteria += 1
    kept = {c.id for c in mine_criteria}
    criteria += [CriterionDifference(c.id, DROPPED, c, None) for c in theirs_criteria.values() if c.id not in kept]
    return RulesDiff(parent=parent, county=county, on=on, numbers=numbers, criteria=criteria,
                     inherited_numbers=inherited_numbers, inherited_criteria=inherited_criteria)
