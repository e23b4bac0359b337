"""The permission matrix is data (admin/permissions.py): it covers every role, never lets anyone
delete a record with history, and each view answers exactly as the matrix says."""
import pytest

from admin import permissions
from admin_test_helpers import login_as
from core.records import vocab

ROLES = vocab.ROLES.codes()
HISTORY = ("recognition", "subsidy", "ledger", "audit_log")

# endpoint of each view -> the resource it checks
VIEWS = {
    "park": "park",
    "agency": "agency",
    "agency_year": "agency_year",
    "park_year": "park_year",
    "jurisdiction_year": "jurisdiction_year",
    "recognition": "recognition",
    "subsidy": "subsidy",
    "ledger": "ledger",
    "holiday": "holiday",
    "setting": "setting",
    "user": "user",
    "audit_log": "audit_log",
}
ACCOUNTS = {  # role -> the account of the scoping world holding it
    "admin": "admin",
    "city_officer": "changzhi_city_officer",
    "city_finance": "changzhi_finance",
    "county_officer": "changzhi_county_officer",
    "panel_member": "changzhi_panel",
    "park_operator": "park_operator",
}


def test_every_resource_names_every_role_and_only_known_actions():
    for resource, row in permissions.MATRIX.items():
        assert set(row) == set(ROLES), resource
        for role, actions in row.items():
            assert set(actions) <= set(permissions.ACTIONS), (resource, role)


@pytest.mark.parametrize("resource", HISTORY)
def test_nobody_deletes_edits_or_creates_records_with_history(resource):
    for role in ROLES:
        assert not permissions.actions_for(role, resource) & {"delete", "edit", "create"}, (resource, role)


def test_only_administrators_manage_accounts_and_settings():
    for role in ROLES:
        assert permissions.allowed(role, "user", "create") == (role == "admin")
        assert permissions.allowed(role, "setting", "edit") == (role == "admin")
    assert not permissions.allowed("admin", "user", "delete")  # accounts are disabled, never deleted


def test_the_matrix_as_the_issue_states_it():
    # a park operator edits its agencies and yearly figures, not its park or recognitions
    assert permissions.allowed("park_operator", "agency", "edit")
    assert permissions.allowed("park_operator", "agency_year", "create")
    assert permissions.allowed("park_operator", "park_year", "edit")
    assert not permissions.allowed("park_operator", "park", "edit")
    assert not permissions.allowed("park_operator", "recognition", "edit")
    # a county officer edits parks; a city officer too; finance reads them
    assert permissions.allowed("county_officer", "park", "edit")
    assert permissions.allowed("city_officer", "park", "edit")
    assert permissions.allowed("city_finance", "park", "view") and not permissions.allowed("city_finance", "park", "edit")
    # holidays: administrators and city officers
    assert {r for r in ROLES if permissions.allowed(r, "holiday", "create")} == {"admin", "city_officer"}


def test_an_unknown_resource_or_action_is_refused():
    assert not permissions.allowed("admin", "no_such_table", "view")
    assert not permissions.allowed("admin", "park", "launch")
    assert not permissions.allowed("nobody", "park", "view")


@pytest.mark.parametrize("role", ROLES)
def test_each_view_answers_as_the_matrix_says(client, scoping_world, role):
    login_as(client, scoping_world.user[ACCOUNTS[role]])
    wrong = []
    for endpoint, resource in VIEWS.items():
        checks = (
            (f"/admin/{endpoint}/", "view"),
            (f"/admin/{endpoint}/new/", "create"),
            (f"/admin/{endpoint}/export/csv/", "export"),
        )
        for path, action in checks:
            status = client.get(path).status_code
            expected = 200 if permissions.allowed(role, resource, action) else 403
            if status != expected:
                wrong.append(f"{path}: {status}, expected {expected}")
    menu = client.get("/admin/").get_data(as_text=True)
    for endpoint, resource in VIEWS.items():
        shown = f'href="/admin/{endpoint}/"' in menu
        if shown != permissions.allowed(role, resource, "view"):
            wrong.append(f"menu entry {endpoint}: shown={shown}")
    assert not wrong, "\n".join(wrong)
