"""Controlled vocabularies: the codes stored in the database, with their Chinese and English labels.

Codes are stable ASCII identifiers; labels are what people read. Articles that name a list
(the four public-service functions, the services on a city's approval form) are cited here.
"""
from collections import namedtuple

Term = namedtuple("Term", "code zh en")


class Vocabulary:
    """An ordered set of terms, looked up by code."""

    def __init__(self, *terms):
        self.terms = [Term(*t) for t in terms]
        self._by_code = {t.code: t for t in self.terms}

    def __iter__(self):
        return iter(self.terms)

    def __contains__(self, code):
        return code in self._by_code

    def codes(self):
        return [t.code for t in self.terms]

    def add(self, code, zh, en):
        """Add a term unless its code is already known."""
        if code not in self._by_code:
            self.terms.append(Term(code, zh, en))
            self._by_code[code] = self.terms[-1]

    def label(self, code, lang="zh"):
        term = self._by_code.get(code)
        if term is None:
            return code
        return term.zh if lang == "zh" else term.en

    def choices(self, lang="zh"):
        return [(t.code, t.zh if lang == "zh" else t.en) for t in self.terms]


# Both cities' criteria on public services name these four functions.
PUBLIC_SERVICES = Vocabulary(
    ("employment_entrepreneurship", "就业创业", "employment & entrepreneurship"),
    ("vocational_training", "职业培训", "vocational training"),
    ("social_security", "社会保障", "social security"),
    ("talent_personnel", "人才人事", "talent & personnel"),
)

# A city's 评估认定审批表 (附件): 园区可提供的服务.
OFFERED_SERVICES = Vocabulary(
    ("policy_consultation", "政策咨询", "policy consultation"),
    ("information", "信息服务", "information services"),
    ("registration", "注册登记", "registration"),
    ("licence_approval", "证照审批", "licence approval"),
    ("startup_guidance", "开业指导", "start-up guidance"),
    ("fitout_movein", "装修入驻", "fit-out & move-in"),
    ("property", "物业服务", "property services"),
    ("platform", "平台搭建", "platform building"),
    ("financing", "融资服务", "financing"),
    ("other", "其他服务", "other services"),
)

# A city's 评估认定审批表 (附件): 载体建设方式.
BUILD_MODES = Vocabulary(
    ("new", "新建", "new build"),
    ("conversion", "改建", "conversion"),
)

# The measures' criterion on operation: 管委会 or 专业化的机构; 管理团队 or 运营公司.
OPERATOR_KINDS = Vocabulary(
    ("committee", "管理委员会/管理团队", "management committee / team"),
    ("company", "专业化运营公司", "professional operating company"),
    ("none", "无", "none"),
)

AGENCY_KINDS = Vocabulary(
    ("operating", "经营性", "operating"),
    ("public", "公益性", "public"),
)

# The materials' 人力资源服务许可证, 许可证/备案凭证.
LICENCE_KINDS = Vocabulary(
    ("licence", "人力资源服务许可证", "HR service licence"),
    ("filing", "备案凭证", "filing certificate"),
    ("other_permit", "其他行政许可", "other administrative permit"),
    ("none", "无", "none"),
)

SERVICE_LINES = Vocabulary(
    ("recruitment", "招聘服务", "recruitment"),
    ("headhunting", "高级人才寻访", "executive search"),
    ("dispatch", "劳务派遣", "labour dispatch"),
    ("outsourcing", "人力资源外包", "HR outsourcing"),
    ("training", "培训服务", "training"),
    ("consulting", "人力资源管理咨询", "HR consulting"),
    ("assessment", "人才测评", "talent assessment"),
    ("flexible", "灵活用工", "flexible employment"),
    ("information", "人力资源信息软件", "HR information & software"),
    ("other", "其他", "other"),
)

GRADES = Vocabulary(
    ("excellent", "优秀", "excellent"),
    ("qualified", "合格", "qualified"),
    ("unqualified", "不合格", "unqualified"),
)

class DeclaredVocabulary(Vocabulary):
    """Terms the installed programmes declare rather than core (e.g. their subsidy kinds), read
    from the process's plugin registry when asked; a code no programme declares shows as itself."""

    def __init__(self, collect):
        self._collect = collect  # registry -> [(code, zh, en)]
        self._cache = (None, [], {})

    def _current(self):
        from core.plugin.registry import registry

        reg = registry()
        if self._cache[0] is not reg:
            terms = [Term(*t) for t in self._collect(reg)]
            self._cache = (reg, terms, {t.code: t for t in terms})
        return self._cache

    @property
    def terms(self):
        return self._current()[1]

    @property
    def _by_code(self):
        return self._current()[2]


def _subsidy_kinds(reg):
    seen = {}
    for jurisdiction in reg:
        for kind in jurisdiction.subsidy_kinds():
            seen.setdefault(kind["id"], (kind["id"], kind["label"], kind["label_en"]))
    return list(seen.values())


#: The kinds of money the installed programmes' formulas compute (SubsidyProposal.kind), each
#: declared with its article in its plugin's subsidies.yaml.
SUBSIDY_KINDS = DeclaredVocabulary(_subsidy_kinds)

SUBSIDY_STATUSES = Vocabulary(
    ("proposed", "拟发放", "proposed"),
    ("approved", "已核准", "approved"),
    ("paid", "已拨付", "paid"),
    ("held", "暂缓兑现（整改中）", "held while rectifying"),
    ("withheld", "不予兑现", "withheld"),
    ("cancelled", "已取消", "cancelled"),
    ("recovered", "已追回", "recovered"),
)

RECOGNITION_STATUSES = Vocabulary(
    ("active", "有效", "active"),
    ("rectifying", "限期整改中", "under rectification"),
    ("revoked", "已取消资格", "revoked"),
)

RECTIFICATION_OUTCOMES = Vocabulary(
    ("pending", "整改中", "pending"),
    ("passed", "整改合格", "passed"),
    ("failed", "整改后仍不合格", "still unqualified"),
)

#: A ledger line whose words point to a forbidden use (core.rules.ledger), until the finance officer decides.
LEDGER_REVIEWS = Vocabulary(
    ("pending", "待财政部门审核", "awaiting the finance officer's review"),
    ("accepted", "经审核准予列支", "accepted on review"),
    ("refused", "经审核不予列支", "refused on review"),
)

#: Where an objection to a public notice stands (core.records.services.objections).
OBJECTION_STATUSES = Vocabulary(
    ("received", "已受理", "received"),
    ("investigating", "调查核实中", "under investigation"),
    ("upheld", "异议成立", "upheld"),
    ("dismissed", "异议不成立", "dismissed"),
)

#: How an objection reached the city.
OBJECTION_CHANNELS = Vocabulary(
    ("online", "网上提交", "online"),
    ("letter", "来信", "letter"),
    ("phone", "来电", "phone"),
    ("visit", "来访", "visit"),
)

#: What a notification in the inbox tells (core.records.reminders).
NOTIFICATION_KINDS = Vocabulary(
    ("application_filed", "申请已提交", "application filed"),
    ("application_waiting", "申请待办理", "application waiting for you"),
    ("application_returned", "申请被退回", "application returned"),
    ("application_decided", "申请已办结", "application decided"),
    ("notice_opened", "公示开始", "public notice opened"),
    ("notice_ending", "公示即将期满", "public notice about to end"),
    ("objection_received", "收到公示异议", "objection received"),
    ("assessment_due", "年度考核将到期", "annual assessment due"),
    ("rectification_due", "整改期限临近", "rectification deadline approaching"),
    ("grant_paid", "补贴已拨付", "grant paid"),
)

#: How an account's notifications are mailed (core.records.accounts.User.mail_mode).
MAIL_MODES = Vocabulary(
    ("off", "不接收邮件", "no mail"),
    ("each", "每条消息发一封邮件", "a mail for each message"),
    ("daily", "每日汇总一封邮件", "one digest a day"),
)

ROLES = Vocabulary(
    ("admin", "系统管理员", "system administrator"),
    ("city_officer", "市人社局工作人员", "city HRSS bureau officer"),
    ("city_finance", "市财政局工作人员", "city finance officer"),
    ("county_officer", "县（区）人社部门工作人员", "county / district officer"),
    ("panel_member", "评审小组成员", "review-panel member"),
    ("park_operator", "产业园运营方", "park operator"),
)
CORE_ROLES = tuple(ROLES.codes())


class VocabularyUnion(Vocabulary):
    """Terms of a vocabulary that may still grow (ROLES, as programmes declare theirs) and a few more."""

    def __init__(self, base, *terms):
        super().__init__(*terms)
        self.base = base

    def __iter__(self):
        return iter(list(self.base) + self.terms)

    def __contains__(self, code):
        return code in self.base or super().__contains__(code)

    def codes(self):
        return self.base.codes() + super().codes()

    def label(self, code, lang="zh"):
        return self.base.label(code, lang) if code in self.base else super().label(code, lang)

    def choices(self, lang="zh"):
        return self.base.choices(lang) + super().choices(lang)


#: Who acts in the audit log: a person's role, or no person — the system, or the public on the public site.
ACTOR_ROLES = VocabularyUnion(ROLES, ("public", "公众", "the public"), ("system", "系统", "the system"))
#: A role a programme declares (its roles.yaml) -> the core role whose binding and rights it has.
PROGRAMME_ROLES = {}


def core_role(role):
    """The core role whose binding and rights `role` has: itself, or the one a programme's role is like."""
    return PROGRAMME_ROLES.get(role, role)


def declare_role(code, zh, en, like):
    """A programme's own role (an expert who takes one step of its procedure), known from then on."""
    if PROGRAMME_ROLES.setdefault(code, like) != like:
        raise ValueError(f"角色 {code} 已由另一项目声明为 {PROGRAMME_ROLES[code]} (role {code} is declared otherwise elsewhere)")
    ROLES.add(code, zh, en)

JURISDICTION_LEVELS = Vocabulary(
    ("city", "市", "city"),
    ("county", "县（区）", "county / district"),
)

CRITERION_STATUSES = Vocabulary(
    ("met", "符合", "met"),
    ("not_met", "不符合", "not met"),
    ("not_met_waivable", "不符合（原则上，可豁免）", "not met, waivable"),
    ("needs_judgement", "需评审判断", "needs reviewer judgement"),
    ("missing_data", "尚无法判断（缺少数据）", "not yet known (data missing)"),
)
