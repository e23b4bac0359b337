"""Which records a user may reach: one jurisdiction never reaches another's.

An administrator reaches everything. A user bound to a jurisdiction reaches it and every
jurisdiction below it (a city officer: the city and its counties; a county officer: the county).
A park operator reaches its own park and what hangs from it, nothing else.

`condition(model, scope)` is the one place that says how each table reaches a park or a
jurisdiction; every view, dropdown, lookup, export and download filters through it. A table it
does not know is refused outright, so a new table cannot leak by being forgotten.
"""
from dataclasses import dataclass

from peewee import SQL

from core.records.accounts import User
from core.records.models import (
    Agency,
    AgencyYear,
    Application,
    Assessment,
    AuditLog,
    CriterionVerdict,
    JurisdictionYear,
    HolidayDay,
    Jurisdiction,
    LedgerEntry,
    Material,
    OtherSubsidyClaim,
    Park,
    ParkYear,
    PublicNotice,
    Recognition,
    Rectification,
    ReviewStep,
    Setting,
    Site,
    Subsidy,
    Waiver,
)


@dataclass(frozen=True)
class Scope:
    """What one user may reach: everything, a set of jurisdictions, or one park."""

    unrestricted: bool = False
    jurisdiction_ids: frozenset = frozenset()
    park_id: int | None = None

    @property
    def is_park_bound(self):
        return self.park_id is not None


NOTHING = Scope()
EVERYTHING = Scope(unrestricted=True)

#: Tables that reach a park through a column.
PARK_COLUMN = {
    Site: Site.park,
    Agency: Agency.park,
    ParkYear: ParkYear.park,
    Application: Application.park,
    Recognition: Recognition.park,
    Subsidy: Subsidy.park,
    LedgerEntry: LedgerEntry.park,
}

#: Tables that name their jurisdiction (checked as well as the park, where both exist).
JURISDICTION_COLUMN = {
    Jurisdiction: Jurisdiction.id,
    Park: Park.jurisdiction,
    JurisdictionYear: JurisdictionYear.jurisdiction,
    Application: Application.jurisdiction,
    Recognition: Recognition.jurisdiction,
    Subsidy: Subsidy.jurisdiction,
}

#: Tables that reach their scope through a parent row.
THROUGH_PARENT = {
    AgencyYear: AgencyYear.agency,
    OtherSubsidyClaim: OtherSubsidyClaim.agency,
    Material: Material.application,
    ReviewStep: ReviewStep.application,
    CriterionVerdict: CriterionVerdict.application,
    Waiver: Waiver.application,
    PublicNotice: PublicNotice.application,
    Assessment: Assessment.recognition,
    Rectification: Rectification.assessment,
}

#: Shared reference data, the same for every jurisdiction (who may edit it is a permission).
GLOBAL = {HolidayDay, Setting}


class UnscopedModelError(LookupError):
    """A table whose way to a jurisdiction is not declared here."""


def descendants(jurisdiction_ids) -> set:
    """The given jurisdictions and every jurisdiction below them (one query)."""
    children = {}
    for jid, parent_id in Jurisdiction.select(Jurisdiction.id, Jurisdiction.parent).tuples():
        children.setdefault(parent_id, []).append(jid)
    found = set()
    stack = [j for j in jurisdiction_ids if j is not None]
    while stack:
        jid = stack.pop()
        if jid in found:
            continue
        found.add(jid)
        stack.extend(children.get(jid, []))
    return found


def scope_for(user) -> Scope:
    """The scope of `user` (None or an inactive account reaches nothing)."""
    if user is None or not user.active:
        return NOTHING
    if user.role == "admin":
        return EVERYTHING
    if user.role == "park_operator":
        return Scope(park_id=user.park_id) if user.park_id is not None else NOTHING
    if user.jurisdiction_id is None:
        return NOTHING
    return Scope(jurisdiction_ids=frozenset(descendants([user.jurisdiction_id])))


def visible_jurisdiction_ids(user) -> set:
    """Ids of the jurisdictions `user` may see: its own and those below it (all, for an administrator).

    A park operator is bound to a park, not a jurisdiction: the set is empty.
    """
    scope = scope_for(user)
    if scope.unrestricted:
        return {jid for (jid,) in Jurisdiction.select(Jurisdiction.id).tuples()}
    return set(scope.jurisdiction_ids)


def visible_park_ids(user) -> set:
    """Ids of the parks `user` may see."""
    scope = scope_for(user)
    query = Park.select(Park.id)
    cond = condition(Park, scope)
    if cond is not None:
        query = query.where(cond)
    return {pid for (pid,) in query.tuples()}


def _nothing():
    return SQL("1 = 0")


def _park_ids_query(scope):
    """The parks of a jurisdiction-bound scope, as a subquery."""
    return Park.select(Park.id).where(Park.jurisdiction.in_(sorted(scope.jurisdiction_ids)))


def condition(model, scope: Scope):
    """A WHERE expression limiting `model` to `scope`, or None when nothing needs limiting."""
    if scope.unrestricted or model in GLOBAL:
        return None
    if model in THROUGH_PARENT:
        fk = THROUGH_PARENT[model]
        parent = fk.rel_model
        return fk.in_(parent.select(parent.id).where(condition(parent, scope)))
    if model is AuditLog:
        if scope.is_park_bound:
            return AuditLog.park_id == scope.park_id
        return AuditLog.jurisdiction_id.in_(sorted(scope.jurisdiction_ids))
    if model is User:
        if scope.is_park_bound:
            return User.park == scope.park_id
        return User.jurisdiction.in_(sorted(scope.jurisdiction_ids)) | User.park.in_(_park_ids_query(scope))
    if model is Park:
        if scope.is_park_bound:
            return Park.id == scope.park_id
        return Park.jurisdiction.in_(sorted(scope.jurisdiction_ids))
    if model not in PARK_COLUMN and model not in JURISDICTION_COLUMN:
        raise UnscopedModelError(
            f"{model.__name__} 未声明如何归属辖区，已拒绝访问 (no scope rule for {model.__name__}: refused)"
        )
    parts = []
    if model in PARK_COLUMN:
        park_column = PARK_COLUMN[model]
        if scope.is_park_bound:
            parts.append(park_column == scope.park_id)
        else:
            parts.append(park_column.in_(_park_ids_query(scope)))
    if model in JURISDICTION_COLUMN and not scope.is_park_bound:
        parts.append(JURISDICTION_COLUMN[model].in_(sorted(scope.jurisdiction_ids)))
    if not parts:  # e.g. a park operator and a city's employment targets
        return _nothing()
    expr = parts[0]
    for part in parts[1:]:
        expr &= part
    return expr


def scoped_select(model, scope: Scope, *fields):
    """`model.select(*fields)` limited to `scope`."""
    query = model.select(*fields)
    cond = condition(model, scope)
    return query if cond is None else query.where(cond)


def reaches(scope: Scope, model, record_id) -> bool:
    """True if the row `record_id` of `model` exists and lies within `scope`."""
    return scoped_select(model, scope, model.id).where(model.id == record_id).exists()
