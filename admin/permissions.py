"""Which role may do what, as data: resource -> role -> actions. Anything not listed is refused.

Scoping (admin/scoping.py) then limits each allowed action to the user's own jurisdiction or park.
Records with history (recognitions, subsidies, ledger entries, applications, assessments) are
never deleted here: their views offer no delete to anyone.
"""
from core.records import vocab

VIEW = "view"
CREATE = "create"
EDIT = "edit"
DELETE = "delete"
EXPORT = "export"
ACTIONS = (VIEW, CREATE, EDIT, DELETE, EXPORT)

ROLES = tuple(vocab.ROLES.codes())

_READ = frozenset({VIEW})
_READ_EXPORT = frozenset({VIEW, EXPORT})
_WRITE = frozenset({VIEW, CREATE, EDIT, EXPORT})
_FULL = frozenset({VIEW, CREATE, EDIT, DELETE, EXPORT})
_NONE = frozenset()


def _row(admin=_NONE, city_officer=_NONE, city_finance=_NONE, county_officer=_NONE, panel_member=_NONE, park_operator=_NONE):
    return {
        "admin": admin,
        "city_officer": city_officer,
        "city_finance": city_finance,
        "county_officer": county_officer,
        "panel_member": panel_member,
        "park_operator": park_operator,
    }


MATRIX = {
    # A county officer keeps the parks of its county; city officers those of the city and counties.
    "park": _row(
        admin=_READ_EXPORT, city_officer=_FULL, county_officer=_FULL,
        city_finance=_READ_EXPORT, panel_member=_READ, park_operator=_READ,
    ),
    # A park operator keeps its own agencies and yearly figures; an agency leaving is recorded
    # with its exit date, so deleting one is left to officers.
    "agency": _row(
        admin=_READ_EXPORT, city_officer=_FULL, county_officer=_FULL,
        city_finance=_READ_EXPORT, panel_member=_READ, park_operator=_WRITE,
    ),
    "agency_year": _row(
        admin=_READ_EXPORT, city_officer=_FULL, county_officer=_FULL,
        city_finance=_READ_EXPORT, panel_member=_READ, park_operator=_WRITE,
    ),
    "park_year": _row(
        admin=_READ_EXPORT, city_officer=_FULL, county_officer=_FULL,
        city_finance=_READ_EXPORT, panel_member=_READ, park_operator=_WRITE,
    ),
    # A jurisdiction's yearly facts (targets a grant is reckoned against, say) are the city's to enter.
    "jurisdiction_year": _row(
        admin=_READ_EXPORT, city_officer=_FULL, county_officer=_READ, city_finance=_READ,
    ),
    "recognition": _row(
        admin=_READ_EXPORT, city_officer=_READ_EXPORT, county_officer=_READ_EXPORT,
        city_finance=_READ_EXPORT, panel_member=_READ, park_operator=_READ,
    ),
    "subsidy": _row(
        admin=_READ_EXPORT, city_officer=_READ_EXPORT, county_officer=_READ,
        city_finance=_READ_EXPORT, park_operator=_READ,
    ),
    "ledger": _row(
        admin=_READ_EXPORT, city_officer=_READ_EXPORT, county_officer=_READ,
        city_finance=_READ_EXPORT, park_operator=_READ,
    ),
    # The statutory calendar for years chinese_calendar does not know.
    "holiday": _row(admin=_FULL, city_officer=_FULL),
    "setting": _row(admin=_FULL),
    "audit_log": _row(
        admin=_READ_EXPORT, city_officer=_READ_EXPORT, county_officer=_READ,
        city_finance=_READ, park_operator=_READ,
    ),
    "rules": _row(
        admin=_READ, city_officer=_READ, city_finance=_READ, county_officer=_READ,
        panel_member=_READ, park_operator=_READ,
    ),
    # Uploaded materials of applications, downloaded through the scoped file view.
    "material": _row(
        admin=_READ, city_officer=_READ, county_officer=_READ, panel_member=_READ, park_operator=_READ,
    ),
    # Accounts are never deleted (the audit log names them): they are disabled.
    "user": _row(admin=frozenset({VIEW, CREATE, EDIT})),
    # Applications and assessments change only through their workflow steps, whose roles the
    # jurisdiction's procedure and core.records.services decide; nobody creates, edits or deletes the rows.
    "application": _row(
        admin=_READ_EXPORT, city_officer=_READ_EXPORT, county_officer=_READ_EXPORT,
        panel_member=_READ, park_operator=_READ,
    ),
    "assessment": _row(
        admin=_READ_EXPORT, city_officer=_READ_EXPORT, county_officer=_READ,
        city_finance=_READ, park_operator=_READ,
    ),
}


def allowed(role, resource, action) -> bool:
    """True if `role` may take `action` on `resource` (before scoping)."""
    return action in MATRIX.get(resource, {}).get(vocab.core_role(role), _NONE)


def actions_for(role, resource) -> frozenset:
    return MATRIX.get(resource, {}).get(vocab.core_role(role), _NONE)
