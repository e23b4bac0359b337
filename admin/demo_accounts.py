"""The demo's accounts (`hrpark demo`): the administrator, then those each plugin's sample world
lists (its `samples.yaml`, core.world.factory), each bound to a place of that world.

The command creates and prints them from ACCOUNTS, the README's "Demo accounts" table is generated
from it (`python -m admin.demo_accounts`), and the tests sign in with each. Every account's password
is DEMO_PASSWORD — a demo database only.
"""
from dataclasses import dataclass

from core.records import vocab

#: The password of every demo account. It breaks the password rules of real accounts (shorter than
#: core.records.accounts.MIN_PASSWORD_LENGTH): it is set here, on the demo database only, hashed directly,
#: never through `hrpark user create` or the accounts page, which refuse it. A demo needs a
#: password a visitor can type from the README; a deployment never has these accounts.
DEMO_PASSWORD = "demo1234"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    display_name: str
    #: The code of the jurisdiction an officer is bound to (None for the administrator and operators).
    jurisdiction: str | None = None
    #: The name of the park an operator is bound to (a park of its plugin's sample world).
    park: str | None = None
    try_zh: str = ""
    try_en: str = ""


ADMINISTRATOR = DemoAccount(
    "admin", "admin", "系统管理员",
    try_zh="浏览两市全部记录；管理账户、节假日和部署设置；查看审计日志",
    try_en="read both cities' records; accounts, holiday days, deployment settings; the audit log",
)


def demo_accounts(reg=None) -> tuple:
    """The administrator, then the accounts of every installed plugin's sample world, in code order."""
    from core.plugin.registry import registry
    from core.world.factory import sample_worlds

    return (ADMINISTRATOR,) + tuple(
        DemoAccount(**item) for _jurisdiction, world in sample_worlds(reg or registry()) for item in world["accounts"]
    )


def __getattr__(name):
    # ACCOUNTS is read from the installed plugins when first asked for, not when this module is imported.
    if name == "ACCOUNTS":
        return demo_accounts()
    raise AttributeError(name)


def account(username) -> DemoAccount:
    for item in demo_accounts():
        if item.username == username:
            return item
    raise KeyError(username)


def create_demo_accounts():
    """Create every demo account in the current (demo) database; return the User rows.

    The binding of each is checked as `hrpark user create` checks it (core.records.accounts.validate_binding);
    only the password rules (core.records.accounts.check_password_strength) are not applied, DEMO_PASSWORD
    being a demo's password."""
    from core.records.accounts import PASSWORD_HASHER, User, normalise_username, validate_binding
    from core.records.models import Jurisdiction, Park

    password_hash = PASSWORD_HASHER.hash(DEMO_PASSWORD)  # argon2id is slow on purpose: hash once
    users = []
    for item in demo_accounts():
        jurisdiction = Jurisdiction.get(Jurisdiction.code == item.jurisdiction) if item.jurisdiction else None
        park = Park.get(Park.name == item.park) if item.park else None
        validate_binding(item.role, jurisdiction, park)
        users.append(User.create(
            username=normalise_username(item.username), role=item.role, display_name=item.display_name,
            jurisdiction=jurisdiction, park=park, password_hash=password_hash,
        ))
    return users


def bound_to(item: DemoAccount) -> str:
    """What the account is bound to, as people read it: a jurisdiction's name and code, a park's name,
    or — (everything)."""
    if item.park:
        return item.park
    if item.jurisdiction:
        return f"{_jurisdiction_name(item.jurisdiction)} ({item.jurisdiction})"
    return "— (全部 all)"


def _jurisdiction_name(code):
    """An installed jurisdiction's name, else a district's of a sample world."""
    from core.plugin.registry import registry
    from core.world.factory import sample_worlds

    reg = registry()
    if code in reg:
        return reg.get(code).info.name
    for _jurisdiction, world in sample_worlds(reg):
        for district in world["districts"]:
            if district["code"] == code:
                return district["name_zh"]
    return code


def console_rows():
    """Rows of the table `hrpark demo` prints: Chinese, with the English below it."""
    return [
        [item.username, f"{vocab.ROLES.label(item.role)}\n{vocab.ROLES.label(item.role, 'en')}", bound_to(item),
         f"{item.try_zh}\n{item.try_en}"]
        for item in demo_accounts()
    ]


CONSOLE_HEADERS = ["用户名 username", "角色 role", "绑定 bound to", "可以试试 what to try"]


def readme_table() -> str:
    """The README's "Demo accounts" table (Markdown)."""
    lines = [
        "| username | role | bound to | what they can try |",
        "|---|---|---|---|",
    ]
    for item in demo_accounts():
        role = f"{vocab.ROLES.label(item.role)} ({item.role})"
        lines.append(f"| `{item.username}` | {role} | {bound_to(item)} | {item.try_zh}<br>{item.try_en} |")
    return "\n".join(lines)


if __name__ == "__main__":  # python -m admin.demo_accounts: print the README's table
    print(readme_table())
