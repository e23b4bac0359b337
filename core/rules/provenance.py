"""Where each rule of a jurisdiction comes from: for every parameter, criterion, material, step of the
procedure, indicator, grade tier, consequence, subsidy rule, ledger category and document template,
the plugin (and its version) that supplies it and the article it cites.

A county inherits most of its city's rules. A rule that carries its source (parameters, criteria,
subsidy proposals, templates) says which plugin set it; for the others, a rule equal to its city's
rule of the same id — read in the county's level words (市级 → 区级, core.rules.level_words) — is the
city's, and one that differs (or that the city lacks) is the county's.

The back office's rules page and `hrpark plugin provenance CODE` both show `rule_provenance(code)`:
the rules as they stand on a day inside the programme's effective period (core.world.samples.sample_day,
2025 or its first day), the city's read on the same day.
"""
from dataclasses import dataclass

from core.world.samples import early_sample_day, sample_day, sample_history_set, sample_subsidy_context

#: kind -> (Chinese, English), in the order rows are listed.
KINDS = {
    "parameter": ("参数", "parameter"),
    "criterion": ("认定条件", "criterion"),
    "material": ("申报材料", "material"),
    "transition": ("认定程序步骤", "procedure step"),
    "indicator": ("考核指标", "assessment indicator"),
    "grade_tier": ("考核等次", "grade tier"),
    "consequence": ("考核结果运用", "grade consequence"),
    "subsidy": ("奖补资金", "subsidy rule"),
    "ledger_category": ("资金使用范围", "ledger category"),
    "template": ("文书模板", "document template"),
}

@dataclass(frozen=True)
class RuleSource:
    kind: str  # one of KINDS
    id: str
    title: str
    article: str
    plugin: str  # code of the jurisdiction whose plugin supplies the rule
    version: str  # that plugin's version
    inherited: bool  # True when supplied by an ancestor (a county's rule taken from its city)

    @property
    def kind_label(self):
        return KINDS[self.kind][0]

    def as_dict(self):
        return {
            "kind": self.kind,
            "kind_label": KINDS[self.kind][0],
            "kind_label_en": KINDS[self.kind][1],
            "id": self.id,
            "title": self.title,
            "article": self.article,
            "plugin": self.plugin,
            "version": self.version,
            "inherited": self.inherited,
        }


def _consequences(j, on):
    """A consequence is answered for a history, not listed: one row per kind the sample histories
    reach, holding every answer of that kind (compared as a whole with the city's)."""
    by_kind = {}
    for history in sample_history_set(on.year):
        for c in j.consequences(history, on):
            by_kind.setdefault(c.kind, []).append(c)
    return [
        (consequence_kind, answers[0].explanation, answers[0].article, "", tuple(answers))
        for consequence_kind, answers in by_kind.items()
    ]


#: kind -> [(id, title, article, source or '', item)] of that kind as jurisdiction `j` answers on day `on`.
ITEMS = {
    "parameter": lambda j, on: [(p.id, p.description, p.reference, p.source, p) for p in j.parameters],
    "criterion": lambda j, on: [(c.id, c.title, c.article, c.source, c) for c in j.criteria(on)],
    "material": lambda j, on: [(m.id, m.title, m.article, "", m) for m in j.materials()],
    "transition": lambda j, on: [(t.id, t.label, t.article, "", t) for t in getattr(j.procedure(), "transitions", ())],
    "indicator": lambda j, on: [(i.id, i.label, i.article, "", i) for i in j.indicators(on)],
    "grade_tier": lambda j, on: [(t.grade, t.label, t.article, "", t) for t in j.grade_tiers(on)],
    "consequence": _consequences,
    "subsidy": lambda j, on: [(p.rule_id, p.kind, p.article, p.source, p)
                              for p in j.subsidies(sample_subsidy_context(j.code, early_sample_day(on, 3, 1)))],
    "ledger_category": lambda j, on: [(c.id, c.label, c.article, "", c) for c in j.ledger_categories()],
    "template": lambda j, on: [(t.id, t.title, t.article, t.source, t) for t in j.document_templates()],
}


def _comparable(kind, item):
    """What must be equal for a county's rule to count as its city's (the source aside)."""
    if kind == "subsidy":
        # The explanation quotes the park's own figures; the rule, amount and article do not.
        return (item.rule_id, item.kind, item.amount, item.article, item.due, item.withheld, item.held)
    return item


def rule_provenance(code, reg=None, on=None) -> list:
    """[RuleSource] of every rule of jurisdiction `code` on day `on` (by default one inside its
    effective period: a county's own condition that begins later is listed), by kind in the order of KINDS."""
    from core.plugin.registry import registry

    reg = reg or registry()
    j = reg.get(code)
    on = on or sample_day(j.info, j.parameters, j.code)
    parent = reg.get(j.info.parent) if j.info.parent and j.info.parent in reg else None
    parent_rows = {(r.kind, r.id): r for r in rule_provenance(parent.code, reg, on)} if parent else {}
    parent_items = {}
    if parent is not None:
        in_own_words = getattr(j.plugin, "inherited", lambda item: item)
        for kind in KINDS:
            parent_items[kind] = {item_id: in_own_words(item) for item_id, _, _, _, item in ITEMS[kind](parent, on)}

    def version_of(plugin_code):
        return reg.get(plugin_code).info.version if plugin_code in reg else ""

    rows = []
    for kind in KINDS:
        for item_id, title, article, source, item in ITEMS[kind](j, on):
            inherited_row = parent_rows.get((kind, item_id))
            if source:  # the rule says which plugin set it
                supplier = source
            elif (
                inherited_row is not None
                and _comparable(kind, parent_items[kind][item_id]) == _comparable(kind, item)
            ):
                supplier = inherited_row.plugin
            else:
                supplier = j.code
            rows.append(
                RuleSource(kind, item_id, title, article, supplier, version_of(supplier), inherited=supplier != j.code)
            )
    return rows
