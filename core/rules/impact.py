"""Rule-change impact: a revision of a programme's measures, run beside the version in force on the
live register (as an OpenFisca reform runs beside its base system). Every park the programme governs
is judged under both versions on the same facts; each park whose eligibility, grade or subsidy would
change is listed with both results and the articles that moved them."""
import datetime
from dataclasses import dataclass, field

from core.rules.assessment import assessment_day
from core.rules.facts import load_park_facts
from core.records.models import Assessment, Jurisdiction, Park, Recognition
from core.plugin.registry import RulesUnavailable
from core.rules.criteria import default_as_of
from core.rules.subsidy import SubsidyContext


@dataclass
class ParkImpact:
    park_id: int
    park: str
    changes: list = field(default_factory=list)  # dicts: what, before, after, articles


@dataclass
class ImpactReport:
    programme: str
    current: str  # the version in force the day before the revision
    revision: str
    effective_from: datetime.date
    year: int
    parks_judged: int
    moved_parameters: list  # (id, before, after, reference) of the numbers the revision changes
    parks: list  # ParkImpact, only parks that change

    def as_dict(self):
        return {
            "programme": self.programme, "current": self.current, "revision": self.revision,
            "effective_from": self.effective_from.isoformat(), "year": self.year, "parks_judged": self.parks_judged,
            "moved_parameters": [dict(zip(("id", "before", "after", "reference"), row)) for row in self.moved_parameters],
            "parks": [{"park_id": p.park_id, "park": p.park, "changes": p.changes} for p in self.parks],
        }


def find_revision(rules, label):
    for revision in rules.revisions():
        if revision.label == label:
            return revision
    known = "、".join(r.label for r in rules.revisions()) or "无 none"
    raise RulesUnavailable(rules.code, f"没有版本“{label}”；已有的修订：{known} (no version {label!r})")


def moved_parameters(before, after):
    rows = []
    for p in after.parameters:
        old = before.parameters.get(p.id).values[0][1] if p.id in before.parameters else None
        new = p.values[0][1]
        if old != new:
            rows.append((p.id, old, new, p.reference))
    return rows


def governed_parks(rules):
    """Every park the programme governs: its issuing jurisdiction's and everywhere below it."""
    rows = {j.id: j for j in Jurisdiction.select()}
    issuer = next((j for j in rows.values() if j.code == rules.code), None)
    if issuer is None:
        return []
    inside, frontier = {issuer.id}, [issuer.id]
    while frontier:
        frontier = [j.id for j in rows.values() if j.parent_id in frontier]
        inside.update(frontier)
    return [p.id for p in Park.select(Park.id).where(Park.jurisdiction.in_(list(inside)))]


def impact(rules, label, year=None, as_of=None, on=None):
    """The parks whose results revision `label` of `rules` would change, on the register as it stands,
    judged on `as_of` (default: `default_as_of` the year on `on`, the caller's day)."""
    revision = find_revision(rules, label)
    after = rules.pinned(revision.effective_from)
    day_before = revision.effective_from - datetime.timedelta(days=1)
    before = rules.pinned(day_before)
    year = year or revision.effective_from.year
    as_of = as_of or default_as_of(year, on)
    park_ids = governed_parks(rules)
    facts = load_park_facts(park_ids)
    parks = {pid: ParkImpact(pid, facts[pid].name) for pid in park_ids}

    # Eligibility: one batch per version, on the same facts.
    ordered = [facts[pid] for pid in park_ids]
    judged = zip(ordered, before.evaluate_parks(ordered, year, as_of), after.evaluate_parks(ordered, year, as_of))
    for park, old, new in judged:
        moved = [(o, n) for o, n in zip(old.results, new.results) if o.final_status != n.final_status]
        if old.outcome != new.outcome or moved:
            parks[park.id].changes.append({
                "what": "eligibility", "before": old.outcome, "after": new.outcome,
                "articles": sorted({n.article for _, n in moved}),
                "criteria": [{"id": n.criterion_id, "title": n.title, "title_en": n.title_en, "before": o.final_status,
                              "after": n.final_status} for o, n in moved],
            })

    recognitions = list(Recognition.select().where(
        (Recognition.programme == rules.code) & (Recognition.park.in_(park_ids or [0])) & (Recognition.status != "revoked")
    ))
    # Grades: the latest confirmed scores of each recognised park, graded by each version.
    latest, grades = {}, {}
    for a in (Assessment.select().where((Assessment.recognition.in_([r.id for r in recognitions] or [0]))
                                        & (Assessment.status == "confirmed")).order_by(Assessment.year)):
        latest[a.recognition_id] = a
        grades.setdefault(a.recognition_id, {})[a.year] = a.grade
    by_recognition = {r.id: r for r in recognitions}
    for recognition_id, assessment in latest.items():
        old_total, old_grade = before.grade(assessment.scores, assessment_day(assessment.year))
        new_total, new_grade = after.grade(assessment.scores, assessment_day(assessment.year))
        if (old_total, old_grade) != (new_total, new_grade):
            tiers = {t.grade: t.article for t in after.grade_tiers(assessment_day(assessment.year))}
            parks[by_recognition[recognition_id].park_id].changes.append({
                "what": "grade", "year": assessment.year, "before": old_grade, "after": new_grade,
                "total_before": str(old_total), "total_after": str(new_total), "articles": [tiers.get(new_grade, "")],
            })

    # Subsidies: what each version's formulas give each recognised park for `year`.
    for recognition in recognitions:
        def context():
            return SubsidyContext(park=facts[recognition.park_id], year=year, recognised_on=recognition.recognised_on,
                                  recognition_status=recognition.status, grades=grades.get(recognition.id, {}),
                                  revoked_on=recognition.revoked_on)
        old = {p.rule_id: p for p in before.subsidies(context())}
        new = {p.rule_id: p for p in after.subsidies(context())}
        for rule_id in sorted(set(old) | set(new)):
            o, n = old.get(rule_id), new.get(rule_id)
            if (o and o.amount) != (n and n.amount):
                parks[recognition.park_id].changes.append({
                    "what": "subsidy", "kind": (n or o).kind, "before": str(o.amount if o else 0),
                    "after": str(n.amount if n else 0), "articles": [(n or o).article],
                })

    return ImpactReport(
        programme=rules.code, current=rules.version_on(day_before), revision=revision.label,
        effective_from=revision.effective_from, year=year, parks_judged=len(park_ids),
        moved_parameters=moved_parameters(before, after), parks=[p for p in parks.values() if p.changes],
    )
