"""Programmes: each plugin's measures (认定管理办法) as a programme of recognition at one level,
issued by one jurisdiction (a place), and the records that belong to one.

A park may apply under every installed programme whose issuing jurisdiction contains its place:
a county's own (区县级, under the city's article on county measures) where the county has one, and its city's (市级, the city's article on county parks:
counties build parks and apply for city-level recognition). Applications, recognitions,
assessments, subsidies and ledger lines keep the programme and version that judged them; the rules
of a record are its programme's, never a neighbour's: a programme whose plugin cannot load makes
its records' rules unavailable, with the plugin's own error, instead of falling back to the city.
"""
import datetime
import functools
import operator
from dataclasses import dataclass

from core.plugin.registry import RulesUnavailable, UnknownJurisdiction, rules_for
from core.rules.criteria import JUDGED_NOT_MET, NOT_MET, NOT_MET_WAIVABLE
from core.records.vocab import RECOGNITION_STATUSES
from core.plugin.registry import registry as default_registry

#: Levels from the nearest to the widest; a park's ladder is read in this order.
LEVEL_ORDER = ("county", "city", "province", "national")


@dataclass(frozen=True)
class Programme:
    """What a plugin's measures are, read from its declaration."""

    code: str
    issuer: str  # the jurisdiction code of the place that issues the measures
    issuer_name: str
    level: str  # vocab.JURISDICTION_LEVELS
    title: str
    document_number: str
    version: str
    effective_from: datetime.date | None
    effective_until: datetime.date | None
    issuer_name_en: str = ""

    @classmethod
    def of(cls, rules, on=None):
        """The programme as declared; with `on`, as the version in force that day reads: its label
        (the one records made that day are stamped with), and its title and document number where
        the revision gives them."""
        info = rules.info
        title, number, version = info.measures_title, info.document_number, info.measures_version or info.version
        if on is not None:
            version = rules.version_on(on)
            in_force = [revision for revision in rules.revisions() if revision.effective_from <= on]
            if in_force:
                title, number = in_force[-1].title or title, in_force[-1].document_number or number
        return cls(
            code=info.code, issuer=info.code, issuer_name=info.name, level=info.level, title=title,
            document_number=number, version=version, effective_from=info.effective_from,
            effective_until=info.effective_until, issuer_name_en=info.name_en,
        )

    @classmethod
    def unreadable(cls, jurisdiction_row):
        """A programme whose plugin failed to load, known only by its place: no title, no version."""
        row = jurisdiction_row
        return cls(code=row.code, issuer=row.code, issuer_name=row.name_zh, level=row.level, title="",
                   document_number="", version="", effective_from=None, effective_until=None,
                   issuer_name_en=row.name_en)


def ancestors(jurisdiction_row):
    """The row itself, then its parent, up to the city (parents must be linked or loadable)."""
    row = jurisdiction_row
    while row is not None:
        yield row
        row = row.parent


def programmes_open_to(jurisdiction_row, reg=None):
    """The rules of every installed programme a park in this place may apply under, nearest first."""
    reg = reg or default_registry()
    return [reg.get(row.code) for row in ancestors(jurisdiction_row) if row.code in reg]


def rules_of_programme(code, reg=None):
    """The rules of programme `code`; RulesUnavailable when its plugin failed or is not installed."""
    reg = reg or default_registry()
    if code in reg:
        return reg.get(code)
    failure = reg.failure(code)
    raise RulesUnavailable(code, failure.error if failure else "插件未安装 (plugin not installed)")


def governing_rules(record, reg=None):
    """The rules of the programme a record belongs to (see `assign_unassigned` for old records)."""
    if not record.programme:
        raise RulesUnavailable(
            "—", f"{type(record).__name__} #{record.id} 尚未归属任何办法 (belongs to no programme yet)"
        )
    return rules_of_programme(record.programme, reg)


def stamp(rules, day):
    """The programme fields of a record made under `rules` on `day`."""
    return {"programme": rules.code, "programme_version": rules.version_on(day)}


def nearest_programme(jurisdiction_row, reg=None):
    """The programme that governs a place by default: its own plugin's, else its nearest ancestor's.
    None where a plugin on the way failed to load: that place's records get no rules rather than
    the city's."""
    try:
        return rules_for(jurisdiction_row, reg)
    except UnknownJurisdiction:  # RulesUnavailable included
        return None


def made_on(record):
    """A record's own day, the one its version is read on (as `version_periods` sorts records made
    before programmes): an application's filing, a recognition's day, a ledger line's date, an
    assessment's day, else the last day of its year."""
    day = next((getattr(record, name, None) for name in ("created_at", "recognised_on", "date", "assessed_on")
                if getattr(record, name, None)), None) or datetime.date(int(record.year), 12, 31)
    day = day.date() if isinstance(day, datetime.datetime) else day
    return day if isinstance(day, datetime.date) else datetime.date.fromisoformat(str(day)[:10])


def stamp_default(record, reg=None):
    """Give a record being made without a programme the one it belongs to: the record it follows
    (an application's, a recognition's, a subsidy's), else the nearest programme of its place, in the
    version in force on the record's own day (`made_on`)."""
    followed = {
        "Recognition": "application", "Subsidy": "recognition", "Assessment": "recognition", "LedgerEntry": "subsidy",
    }.get(type(record).__name__)
    source = getattr(record, followed) if followed and getattr(record, f"{followed}_id") else None
    if source is not None and source.programme:
        record.programme, record.programme_version = source.programme, source.programme_version
        return
    place = record.park.jurisdiction if type(record).__name__ == "LedgerEntry" else getattr(record, "jurisdiction", None)
    rules = nearest_programme(place, reg) if place is not None else None
    if rules is not None:
        for key, value in stamp(rules, made_on(record)).items():
            setattr(record, key, value)


def assign_unassigned(reg=None):
    """Give every record without a programme the one that governed it until now: its place's own
    plugin or its nearest ancestor's. Run once after migration 0010 (and harmless after): a record
    under a place whose plugin failed to load is left unassigned — and so without rules — rather than
    given to the city. Returns {table: rows assigned}."""
    from core.records.models import Jurisdiction

    reg = reg or default_registry()
    rows = {j.id: j for j in Jurisdiction.select()}
    for row in rows.values():
        row.parent = rows.get(row.parent_id) if row.parent_id else None

    counts = dict.fromkeys(("application", "recognition", "subsidy", "assessment", "ledger_entry"), 0)
    governed = {place: rules for place in rows if (rules := nearest_programme(rows[place], reg)) is not None}
    with Jurisdiction._meta.database.atomic():
        _assign_all(counts, governed)
    return counts


def version_periods(rules):
    """[(first day or None, first day of the next version or None, stamp)] of every version of
    `rules`, oldest first: a record is stamped with the version in force on its own date."""
    starts = sorted({r.effective_from for r in rules.revisions()})
    periods = []
    for first, until in zip([None, *starts], [*starts, None]):
        # No revision at all: one version, the same on every day.
        day = first or (until - datetime.timedelta(days=1) if until else datetime.date.min)
        periods.append((first, until, stamp(rules, day)))
    return periods


def _made_within(model, first, until):
    """The rows of `model` made between `first` (inclusive) and `until` (exclusive), either open:
    an application by its filing, a recognition by its day, a subsidy by its year (its numbers are
    its year's)."""
    from core.records.models import Application, Recognition

    if model is Application:
        column = model.created_at
    elif model is Recognition:
        column = model.recognised_on
    else:
        column, first, until = model.year, first and first.year, until and until.year
    conditions = [model.programme == ""]
    if first is not None:
        conditions.append(column >= first)
    if until is not None:
        conditions.append(column < until)
    return functools.reduce(operator.and_, conditions)


def _assign_all(counts, governed):
    # Bulk UPDATEs, not save(): a record's content and version are unchanged; this classifies rows
    # that existed before programmes did, once, like the migration that made the columns.
    from core.records.models import Application, Assessment, LedgerEntry, Park, Recognition, Subsidy

    stamps = {}
    for place, rules in governed.items():
        periods = version_periods(rules)
        stamps[place] = periods[-1][2]  # ledger lines without a subsidy: the version in force now
        for model in (Application, Recognition, Subsidy):
            for first, until, fields in periods:
                counts[model._meta.table_name] += model.update(**fields).where(
                    _made_within(model, first, until) & (model.jurisdiction == place)
                ).execute()
    # Assessments follow their recognition; ledger lines their subsidy, else their park's place.
    counts["assessment"] += _copy_from(Assessment, Recognition, Assessment.recognition)
    counts["ledger_entry"] += _copy_from(LedgerEntry, Subsidy, LedgerEntry.subsidy)
    for place, fields in stamps.items():
        counts["ledger_entry"] += LedgerEntry.update(**fields).where(
            (LedgerEntry.programme == "") & LedgerEntry.park.in_(Park.select(Park.id).where(Park.jurisdiction == place))
        ).execute()


def _copy_from(model, source, link):
    """Copy the programme of the record each row links to, in one UPDATE with correlated subqueries."""
    def column(name):
        return source.select(getattr(source, name)).where(source.id == link)

    return model.update(programme=column("programme"), programme_version=column("programme_version")).where(
        (model.programme == "") & link.in_(source.select(source.id).where(source.programme != ""))
    ).execute()


# --- a park's ladder ---------------------------------------------------------------------------------

#: What a rung not recognised says, by the outcome of its what-if (a short condition says more).
OUTCOME_TEXT = {
    "eligible": ("条件均已满足", "every condition met"),
    "pending": ("待评审", "awaiting the panel's judgement or a waiver"),
    "incomplete": ("资料不全", "facts still to be recorded"),
    "not_eligible": ("不符合条件", "not eligible"),
}


@dataclass
class Rung:
    """One programme open to a park: its recognition there, or how far it is from one; or, where
    the programme's plugin cannot load, that its rules are unavailable, with the plugin's error."""

    programme: Programme
    recognition: object = None  # core.records.models.Recognition standing under this programme
    evaluation: object = None  # core.rules.criteria.Evaluation where not recognised
    unavailable: str = ""  # the plugin's own load error: no rules, no what-if

    @property
    def short(self):
        """The conditions not met (waivable ones included) where the park is not recognised."""
        if self.evaluation is None:
            return []
        return [r for r in self.evaluation.results if r.final_status in (NOT_MET, NOT_MET_WAIVABLE, JUDGED_NOT_MET)]

    def _state(self, english):
        if self.recognition is not None:
            state = f" ✓ {self.recognition.recognised_on.year}"
            if self.recognition.status != "active":
                label = RECOGNITION_STATUSES.label(self.recognition.status, "en" if english else "zh")
                state += f" ({label})" if english else f"（{label}）"
            if self.unavailable:
                state += f"; rules unavailable ({self.unavailable})" if english else f"；规则不可用（{self.unavailable}）"
            return state
        if self.unavailable:
            return f": rules unavailable ({self.unavailable})" if english else f"：规则不可用（{self.unavailable}）"
        if self.short:
            return f": {len(self.short)} condition(s) short" if english else f"：差{len(self.short)}项条件"
        zh, en = OUTCOME_TEXT[self.evaluation.outcome]
        return f": {en}" if english else f"：{zh}"

    def text(self):
        return f"{self.programme.issuer_name}级{self._state(False)}"  # X区级 ✓ 2024, Y市级：差2项条件

    def text_en(self):
        name = self.programme.issuer_name_en or self.programme.issuer_name
        return f"{name} ({self.programme.level}-level){self._state(True)}"

    def as_dict(self):
        """The one shape of a rung for the export, the API and the command line (core.io.ladder_schema
        declares it)."""
        recognition, programme = self.recognition, self.programme
        return {
            "programme": programme.code, "level": programme.level, "issuer": programme.issuer_name,
            "issuer_en": programme.issuer_name_en, "title": programme.title,
            "document_number": programme.document_number, "version": programme.version,
            "text": self.text(), "text_en": self.text_en(),
            "recognised_on": recognition.recognised_on.isoformat() if recognition else None,
            "status": recognition.status if recognition else None,
            "outcome": self.evaluation.outcome if self.evaluation else None,
            "short": [
                {"criterion": r.criterion_id, "article": r.article, "title": r.title, "title_en": r.title_en,
                 "status": r.final_status}
                for r in self.short
            ],
            "unavailable": self.unavailable or None,
        }


def ladder(park, on, reg=None, facts=None):
    """Every programme open to `park`, from the nearest level up: where it is recognised, and what
    each other programme would say of it on `on` (a what-if against every programme it could apply to
    next). A programme whose plugin cannot load is never replaced by another: its rung names the
    plugin's error instead of a what-if."""
    from core.rules.facts import load_park_facts
    from core.records.models import Recognition

    reg = reg or default_registry()
    standing = {r.programme: r for r in Recognition.select().where(
        (Recognition.park == park.id) & (Recognition.status != "revoked")).order_by(Recognition.id)}
    rungs = []
    for row in ancestors(park.jurisdiction):
        recognition = standing.get(row.code)
        if row.code in reg:
            rules = reg.get(row.code)
            evaluation = None
            if recognition is None:
                facts = facts or load_park_facts([park.id])[park.id]
                evaluation = rules.evaluate(facts, on.year, as_of=on)
            rungs.append(Rung(Programme.of(rules, on), recognition, evaluation))
        elif (failure := reg.failure(row.code)) is not None:
            rungs.append(Rung(Programme.unreadable(row), recognition, unavailable=failure.error))
    rank = {level: n for n, level in enumerate(LEVEL_ORDER)}
    return sorted(rungs, key=lambda rung: rank.get(rung.programme.level, len(LEVEL_ORDER)))


def ladder_text(rungs, english=False):
    return " → ".join(rung.text_en() if english else rung.text() for rung in rungs)


def ladder_as_dict(rungs, on):
    """A park's ladder on `on` as the export, the API and `hrpark ladder --json` write it."""
    return {
        "on": on.isoformat(), "text": ladder_text(rungs), "text_en": ladder_text(rungs, english=True),
        "rungs": [rung.as_dict() for rung in rungs],
    }
