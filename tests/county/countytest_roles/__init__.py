"""A county whose own procedure.yaml gives a step to `expert`, a role it does not declare (another
programme's roles.yaml does): `hrpark plugin check` names the file and the key."""
from countytest_plugins import County


class UndeclaredRoleCounty(County):
    code = "changzhi-norole"
