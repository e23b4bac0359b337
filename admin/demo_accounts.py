"""The demo's accounts (`hrpark demo`): one per role and city, each bound to a place of core/demo.py.

This list is the one place they are named: the command creates and prints them from it, the
README's "Demo accounts" table is generated from it (`python -m admin.demo_accounts`), and the
tests sign in with each. Every account's password is DEMO_PASSWORD — a demo database only.
"""
from dataclasses import dataclass

from core import vocab

#: The password of every demo account. It breaks the password rules of real accounts (shorter than
#: core.accounts.MIN_PASSWORD_LENGTH): it is set here, on the demo database only, hashed directly,
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
    #: The name of the park an operator is bound to (a park of core/demo.py).
    park: str | None = None
    try_zh: str = ""
    try_en: str = ""


ACCOUNTS = (
    DemoAccount(
        "admin", "admin", "系统管理员",
        try_zh="浏览两市全部记录；管理账户、节假日和部署设置；查看审计日志",
        try_en="read both cities' records; accounts, holiday days, deployment settings; the audit log",
    ),
    # --- 长治 Changzhi -------------------------------------------------------------------------
    DemoAccount(
        "cz_city", "city_officer", "长治市人社局", jurisdiction="changzhi",
        try_zh="受理上党区北部人力资源服务分园的申请并组织联合评审；潞城区人力资源服务产业园经运营方提交、潞城区初审通过后，"
               "受理并豁免其“分园区原则上不超过3个”条件（该园区有4个分园区）；查看高新区园区公示截止日；录入年度考核；"
               "取消已被撤销认定的屯留区园区的拟发放奖励",
        try_en="accept 上党区北部人力资源服务分园's application for the joint evaluation; once 潞城区人力资源服务产业园 "
               "is submitted by its operator and passed by 潞城区, accept it and waive its in-principle condition "
               "“at most 3 branch sites” (it has 4); the notice end date of the 高新区 park; enter annual assessments; "
               "cancel the proposed award of the 屯留区 park whose recognition was revoked",
    ),
    DemoAccount(
        "cz_finance", "city_finance", "长治市财政局", jurisdiction="changzhi",
        try_zh="拨付潞州区人力资源服务产业园已核准的2025年运营补助；追回已拨付的补贴；查看资金台账",
        try_en="pay the approved 2025 operating grant of 潞州区人力资源服务产业园; recover a paid subsidy; the fund ledger",
    ),
    DemoAccount(
        "cz_panel", "panel_member", "长治市评审小组", jurisdiction="changzhi",
        try_zh="对联合评审中的申请逐条记录需评审判断的条件（先由 cz_city 受理上党区北部分园）",
        try_en="record verdicts on the judgement criteria of an application in joint evaluation "
               "(after cz_city accepts 上党区北部人力资源服务分园)",
    ),
    DemoAccount(
        "cz_lucheng", "county_officer", "潞城区人社局", jurisdiction="changzhi-lucheng",
        try_zh="潞城区人力资源服务产业园提交后进行县级初审：通过报市，或退回补正",
        try_en="the preliminary review of 潞城区人力资源服务产业园 once its operator submits: pass or return it",
    ),
    DemoAccount(
        "cz_luzhou", "county_officer", "潞州区人社局", jurisdiction="changzhi-luzhou",
        try_zh="潞州区（县级插件，有自己的办法）的两个园区：已认定园区的考核和补贴、公示中的高新区园区；规则页上的潞州区办法",
        try_en="the two parks of 潞州区 (a county plugin with its own measures): the recognised one's "
               "assessments and subsidies, the 高新区 park under public notice; 潞州区's measures on the rules page",
    ),
    DemoAccount(
        "cz_park_lucheng", "park_operator", "潞城区产业园运营方", park="潞城区人力资源服务产业园",
        try_zh="上传缺少的申报材料后提交申报（材料不全时提交被拒绝，并列出缺少的材料）",
        try_en="upload the missing materials, then submit (refused, naming what is missing, until they are all there)",
    ),
    DemoAccount(
        "cz_park_luzhou", "park_operator", "潞州区产业园运营方", park="潞州区人力资源服务产业园",
        try_zh="已认定园区：认定、两年考核（优秀、合格）、补贴和资金台账",
        try_en="a recognised park: its recognition, two assessments (excellent, qualified), subsidies and fund ledger",
    ),
    # --- 克拉玛依 Karamay ------------------------------------------------------------------------
    DemoAccount(
        "klmy_city", "city_officer", "克拉玛依市人社局", jurisdiction="karamay",
        try_zh="白碱滩区园区的评审（klmy_panel 逐条判断后，评审通过报党组）；克拉玛依南区园区党组审议通过并公示；年度考核；补贴",
        try_en="the panel review of the 白碱滩区 park (once klmy_panel has judged its criteria, pass it to the party "
               "group); the party group's approval of the 克拉玛依南区 park, opening its notice; annual assessments; "
               "subsidies",
    ),
    DemoAccount(
        "klmy_finance", "city_finance", "克拉玛依市财政局", jurisdiction="karamay",
        try_zh="补贴（已拨付、不予兑现、已取消）与资金台账",
        try_en="subsidies (paid, withheld, cancelled) and the fund ledger",
    ),
    DemoAccount(
        "klmy_panel", "panel_member", "克拉玛依市评审小组", jurisdiction="karamay",
        try_zh="白碱滩区人力资源服务产业园申请中需评审判断的条件",
        try_en="the judgement criteria of 白碱滩区人力资源服务产业园's application",
    ),
    DemoAccount(
        "klmy_baijiantan", "county_officer", "白碱滩区人社局", jurisdiction="karamay-baijiantan",
        try_zh="本区园区的申请进度（评审中）和园区资料",
        try_en="the progress of the district's application (under panel review) and its park's records",
    ),
    DemoAccount(
        "klmy_dushanzi", "county_officer", "独山子区人社局", jurisdiction="karamay-dushanzi",
        try_zh="为独山子西区人力资源服务园补齐材料并申报（其面积1999平方米，不足2000平方米，评审时显示未达标）；被取消认定的独山子园区",
        try_en="complete the materials of 独山子西区人力资源服务园 and file it (1,999 m², under the 2,000 m² line: "
               "shown as not met in review); the 独山子 park whose recognition was revoked",
    ),
    DemoAccount(
        "klmy_park", "park_operator", "克拉玛依区产业园运营方", park="克拉玛依区人力资源服务产业园",
        try_zh="已认定园区：认定、2025年度考核优秀、已拨付的运营补贴、资金台账",
        try_en="a recognised park: its recognition, the 2025 assessment (excellent), the paid operating subsidy, the fund ledger",
    ),
)


def account(username) -> DemoAccount:
    for item in ACCOUNTS:
        if item.username == username:
            return item
    raise KeyError(username)


def create_demo_accounts():
    """Create every demo account in the current (demo) database; return the User rows.

    The binding of each is checked as `hrpark user create` checks it (core.accounts.validate_binding);
    only the password rules (core.accounts.check_password_strength) are not applied, DEMO_PASSWORD
    being a demo's password."""
    from core.accounts import PASSWORD_HASHER, User, normalise_username, validate_binding
    from core.models import Jurisdiction, Park

    password_hash = PASSWORD_HASHER.hash(DEMO_PASSWORD)  # argon2id is slow on purpose: hash once
    users = []
    for item in ACCOUNTS:
        jurisdiction = Jurisdiction.get(Jurisdiction.code == item.jurisdiction) if item.jurisdiction else None
        park = Park.get(Park.name == item.park) if item.park else None
        validate_binding(item.role, jurisdiction, park)
        users.append(User.create(
            username=normalise_username(item.username), role=item.role, display_name=item.display_name,
            jurisdiction=jurisdiction, park=park, password_hash=password_hash,
        ))
    return users


def bound_to(item: DemoAccount) -> str:
    """What the account is bound to, as people read it: 长治市 (changzhi), a park's name, or — (everything)."""
    if item.park:
        return item.park
    if item.jurisdiction:
        return f"{_jurisdiction_name(item.jurisdiction)} ({item.jurisdiction})"
    return "— (全部 all)"


def _jurisdiction_name(code):
    from core.demo import DISTRICTS

    cities = {"changzhi": "长治市", "karamay": "克拉玛依市"}
    if code in cities:
        return cities[code]
    for items in DISTRICTS.values():
        for district_code, name_zh, _name_en in items:
            if district_code == code:
                return name_zh
    return code


def console_rows():
    """Rows of the table `hrpark demo` prints: Chinese, with the English below it."""
    return [
        [item.username, f"{vocab.ROLES.label(item.role)}\n{vocab.ROLES.label(item.role, 'en')}", bound_to(item),
         f"{item.try_zh}\n{item.try_en}"]
        for item in ACCOUNTS
    ]


CONSOLE_HEADERS = ["用户名 username", "角色 role", "绑定 bound to", "可以试试 what to try"]


def readme_table() -> str:
    """The README's "Demo accounts" table (Markdown)."""
    lines = [
        "| username | role | bound to | what they can try |",
        "|---|---|---|---|",
    ]
    for item in ACCOUNTS:
        role = f"{vocab.ROLES.label(item.role)} ({item.role})"
        lines.append(f"| `{item.username}` | {role} | {bound_to(item)} | {item.try_zh}<br>{item.try_en} |")
    return "\n".join(lines)


if __name__ == "__main__":  # python -m admin.demo_accounts: print the README's table
    print(readme_table())
