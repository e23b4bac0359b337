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

#: The letters of the matrix below: v view, c create, e edit, d delete, x export; "-" nothing.
LETTERS = {"v": VIEW, "c": CREATE, "e": EDIT, "d": DELETE, "x": EXPORT}
#: The matrix's columns, in order.
MATRIX_ROLES = ("admin", "city_officer", "city_finance", "county_officer", "panel_member", "park_operator")


def _row(*cells):
    """{role: frozenset of actions} from one letter cell per role of MATRIX_ROLES."""
    return {role: frozenset(LETTERS[letter] for letter in cell.strip("-"))
            for role, cell in zip(MATRIX_ROLES, cells, strict=True)}


MATRIX = {
    #                              admin    city_officer  city_finance  county_officer  panel_member  park_operator
    # A county officer keeps the parks of its county; city officers those of the city and counties.
    "park": _row(                  "vx",    "vcedx",      "vx",         "vcedx",        "v",          "v"),
    # A park operator keeps its own agencies and yearly figures; an agency leaving is recorded
    # with its exit date, so deleting one is left to officers.
    "agency": _row(                "vx",    "vcedx",      "vx",         "vcedx",        "v",          "vcex"),
    "agency_year": _row(           "vx",    "vcedx",      "vx",         "vcedx",        "v",          "vcex"),
    "park_year": _row(             "vx",    "vcedx",      "vx",         "vcedx",        "v",          "vcex"),
    # A jurisdiction's yearly facts (targets a grant is reckoned against, say) are the city's to enter.
    "jurisdiction_year": _row(     "vx",    "vcedx",      "v",          "v",            "-",          "-"),
    "recognition": _row(           "vx",    "vx",         "vx",         "vx",           "v",          "v"),
    "subsidy": _row(               "vx",    "vx",         "vx",         "v",            "-",          "v"),
    "ledger": _row(                "vx",    "vx",         "vx",         "v",            "-",          "v"),
    # The statutory calendar for years chinese_calendar does not know.
    "holiday": _row(               "vcedx", "vcedx",      "-",          "-",            "-",          "-"),
    "setting": _row(               "vcedx", "-",          "-",          "-",            "-",          "-"),
    "audit_log": _row(             "vx",    "vx",         "v",          "v",            "-",          "v"),
    "rules": _row(                 "v",     "v",          "v",          "v",            "v",          "v"),
    # The overview: parks by state and subsidies per year of what the account reaches.
    "overview": _row(              "v",     "v",          "v",          "v",            "v",          "v"),
    # Uploaded materials of applications, downloaded through the scoped file view.
    "material": _row(              "v",     "v",          "-",          "v",            "v",          "v"),
    # Accounts are never deleted (the audit log names them): they are disabled.
    "user": _row(                  "vce",   "-",          "-",          "-",            "-",          "-"),
    # Applications and assessments change only through their workflow steps, whose roles the
    # jurisdiction's procedure and core.records.services decide; nobody creates, edits or deletes the rows.
    "application": _row(           "vx",    "vx",         "-",          "vx",           "v",          "v"),
    "assessment": _row(            "vx",    "vx",         "v",          "v",            "-",          "v"),
}


def allowed(role, resource, action) -> bool:
    """True if `role` may take `action` on `resource` (before scoping)."""
    return action in MATRIX.get(resource, {}).get(vocab.core_role(role), frozenset())


def actions_for(role, resource) -> frozenset:
    return MATRIX.get(resource, {}).get(vocab.core_role(role), frozenset())
