"""The review procedure of a jurisdiction: states, transitions, who may take each, and what each needs.

Guards are named conditions that core.records.services checks before a transition:
- `materials_complete`: every required material is uploaded;
- `eligibility_clear`: no criterion blocks (not met, unwaived, or unjudged);
- `notice_open`: a public notice is opened on this transition (its length from `notice_param`);
- `notice_period_over`: the notice has run its full working days;
- `no_objections`: no objection to the notice is still open (received or under investigation) or
  upheld (core.records.services.objections); dismissed ones do not stop it;
- `remark_required`: the officer must give a remark (e.g. a reason for returning the file).

Reviewers' verdicts on the judgement criteria and waivers of 原则上 criteria are recorded only at
the stage the measures name for them (`ReviewStage`: the states and the roles, with the article):
before it nothing is on the table, after it the panel has spoken.
"""
from dataclasses import dataclass

GUARDS = (
    "materials_complete",
    "eligibility_clear",
    "notice_open",
    "notice_period_over",
    "no_objections",
    "remark_required",
    "recognise",
)


@dataclass(frozen=True)
class MaterialSpec:
    id: str
    title: str
    title_en: str
    article: str
    required: bool = True
    extensions: tuple = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".jpg", ".jpeg", ".png", ".zip", ".ofd")
    max_bytes: int = 20 * 1024 * 1024


@dataclass(frozen=True)
class State:
    id: str
    label: str
    label_en: str
    final: bool = False


@dataclass(frozen=True)
class Transition:
    id: str
    source: str
    target: str
    roles: tuple
    label: str
    label_en: str
    article: str
    guards: tuple = ()


@dataclass(frozen=True)
class ReviewStage:
    """Where in the procedure a kind of review decision is recorded: in `states`, by `roles`."""

    states: tuple
    roles: tuple
    article: str

    def admits(self, state_id, role) -> bool:
        return state_id in self.states and role in self.roles


@dataclass(frozen=True)
class Procedure:
    states: tuple
    transitions: tuple
    initial: str = "draft"
    filer_role: str = ""  # who files the application (a county officer, or the park's operator)
    notice_param: str = "notice_working_days"
    article: str = ""
    #: Where reviewers record verdicts on judgement criteria (None: nowhere).
    verdict_stage: ReviewStage | None = None
    #: Where 原则上 criteria are waived (None: nowhere, e.g. measures with no 原则上 condition).
    waiver_stage: ReviewStage | None = None

    def __post_init__(self):
        ids = {s.id for s in self.states}
        for t in self.transitions:
            if t.source not in ids or t.target not in ids:
                raise ValueError(f"程序步骤 {t.id} 连接了未定义的状态 {t.source}->{t.target} — transition {t.id} joins unknown states")
            unknown = set(t.guards) - set(GUARDS)
            if unknown:
                raise ValueError(f"程序步骤 {t.id} 有未知的前提条件 {sorted(unknown)} — transition {t.id} has unknown guards")
        if self.initial not in ids:
            raise ValueError(f"初始状态 {self.initial} 未定义 — initial state {self.initial} unknown")
        for name, stage in (("verdict_stage", self.verdict_stage), ("waiver_stage", self.waiver_stage)):
            if stage is None:
                continue
            unknown = [s for s in stage.states if s not in ids]
            closed = [s.id for s in self.states if s.final and s.id in stage.states]
            if unknown or closed or not stage.states or not stage.roles:
                raise ValueError(
                    f"{name} 须列出未办结的状态和角色（未定义：{unknown}，已办结：{closed}） — "
                    f"{name} must name open states and roles (unknown: {unknown}, final: {closed})"
                )

    def state(self, state_id) -> State:
        for s in self.states:
            if s.id == state_id:
                return s
        raise KeyError(state_id)

    def transition(self, transition_id) -> Transition:
        for t in self.transitions:
            if t.id == transition_id:
                return t
        raise KeyError(transition_id)

    def available(self, state_id, role):
        """The transitions `role` may take from `state_id` (admin takes none: it administers)."""
        return [t for t in self.transitions if t.source == state_id and role in t.roles]
