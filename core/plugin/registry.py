"""Finding and asking jurisdiction plugins.

Plugins register under the entry-point group `hrpark.jurisdictions` (the two cities do so in
setup.cfg; a county's separately installed package does the same); add-on packages that add
criteria, documents, facts or checks to every programme register under `hrpark.addons`. A plugin
that fails to load is reported by name; the others go on.

What one programme answers (its numbers, criteria, procedure …) is a plain method of its plugin,
asked through `Jurisdiction`. What several contribute is a pluggy hook (core.plugin.hookspecs): each
jurisdiction gets a manager of its own holding core.plugin.defaults, the plugins of the programmes it is
modelled on, its own plugin and the add-ons — never another city's, so no city's contribution can
reach another's rules.
"""
import copy
import datetime
import importlib.metadata
import traceback
from dataclasses import dataclass, fields, is_dataclass, replace

import pluggy

from core.plugin import defaults, hookspecs
from core.plugin.built_criteria import BuiltCriteria
from core.records import vocab
from core.rules.assessment import Consequence, grade_for, weighted_total
from core.rules.criteria import EvaluationContext, Evaluation, criteria_in_force, default_as_of, evaluate_criteria

ENTRY_POINT_GROUP = "hrpark.jurisdictions"
ADDON_GROUP = "hrpark.addons"
PROGRAMME_PREFIX = "hrpark.jurisdiction."
ADDON_PREFIX = "hrpark.addon."
DEFAULTS_NAME = "hrpark.defaults"


@dataclass(frozen=True)
class Contribution:
    """One item a hook collected, with who gave it: a programme's code, or the name an add-on or
    core.plugin.defaults is registered under."""

    source: str
    item: object


def build_manager(plugin, code, ancestors=(), addons=()):
    """A manager of one programme: core's defaults, its ancestors' plugins (the city first), its own, the add-ons."""
    manager = pluggy.PluginManager("hrpark")
    manager.add_hookspecs(hookspecs)
    manager.register(defaults, name=DEFAULTS_NAME)
    for ancestor_code, ancestor in ancestors:
        manager.register(ancestor, name=PROGRAMME_PREFIX + ancestor_code)
    manager.register(plugin, name=PROGRAMME_PREFIX + code)
    for name, addon in addons:
        manager.register(addon, name=ADDON_PREFIX + name)
    manager.check_pending()
    return manager


def collect(manager, hook_name, **kwargs) -> list[Contribution]:
    """Every implementation's list for `hook_name`, in registration order (core's first, the city's
    before the county's, add-ons last), each item with its source. A wrong answer names the plugin."""
    caller = getattr(manager.hook, hook_name)
    contributions = []
    for impl in caller.get_hookimpls():  # pluggy keeps them trylast first, then as registered
        source = impl.plugin_name.removeprefix(PROGRAMME_PREFIX)
        answer = impl.function(*(kwargs[name] for name in impl.argnames))
        if answer is None:
            continue
        if not isinstance(answer, (list, tuple)):
            raise TypeError(f"{source} 的 {hook_name} 应返回列表 (should return a list), 实为 {type(answer).__name__}")
        contributions.extend(Contribution(source, _sourced(item, source)) for item in answer)
    return contributions


def _sourced(item, source):
    """`item` naming its source, when it has a `source` field it left empty (an add-on's criterion)."""
    if is_dataclass(item) and "source" in {f.name for f in fields(item)} and not item.source:
        return replace(item, source=source)
    return item


class UnknownJurisdiction(LookupError):
    def __init__(self, code, known):
        super().__init__(f"未知辖区 {code!r}，已安装：{', '.join(known) or '无'} (unknown jurisdiction; installed: {', '.join(known)})")
        self.code = code


class RulesUnavailable(UnknownJurisdiction):
    """The rules a record or place needs cannot be asked: the plugin failed to load or is gone.
    Never answered by another plugin instead (a county's by its city's)."""

    def __init__(self, code, error):
        self.zh = f"规则不可用：{code} 的办法无法加载（{error}）"
        self.en = f"rules unavailable: the programme {code} cannot be loaded ({error})"
        LookupError.__init__(self, f"{self.zh} — {self.en}")
        self.code = code
        self.error = error


class PluginLoadError(Exception):
    """A plugin is broken; the message names it."""


@dataclass
class PluginFailure:
    name: str  # the entry point's name
    error: str
    detail: str = ""

    def __str__(self):
        return f"插件 {self.name} 加载失败 (plugin {self.name} failed to load): {self.error}"


class Jurisdiction:
    """One jurisdiction's rules: its plugin's methods, and what its manager's hooks collect."""

    def __init__(self, plugin, manager):
        self.plugin = plugin
        self.manager = manager
        self.hook = manager.hook
        info = plugin.info()
        if info is None:
            raise PluginLoadError("info() 没有返回辖区信息 (returned nothing)")
        self.code = info.code
        self.parameters = plugin.parameters
        self._built_criteria = BuiltCriteria()

    def __repr__(self):
        return f"<Jurisdiction {self.code}>"

    # --- versions of the measures ---------------------------------------------------------------

    def revisions(self):
        """Later versions of the measures (core.rules.jurisdiction.Revision), oldest first."""
        return list(getattr(self.plugin, "all_revisions", list)())

    def version_on(self, day):
        """The label of the version in force on `day`."""
        version_on = getattr(self.plugin, "version_on", None)
        return version_on(day) if version_on else (self.info.measures_version or "1")

    def pinned(self, day):
        """These rules with every number as it stood on `day`, whatever day they are asked for: one
        version of the measures, to judge a register under it beside another (core.rules.impact)."""
        pinned = copy.copy(self)
        pinned.parameters = self.parameters.pinned(day)
        pinned._pinned_day = day
        pinned._built_criteria = BuiltCriteria()  # its numbers are its own
        return pinned

    _pinned_day = None

    def _day(self, on):
        return self._pinned_day or on

    @property
    def info(self):
        """Asked afresh: effective dates are deployment settings an administrator may enter any time."""
        return self.plugin.info()

    # --- what the programme alone answers: its plugin's methods ---------------------------------

    # Every question that judges is asked for a day: the rules in force then, never "today's".

    def materials(self):
        return list(self.plugin.materials() or [])

    def procedure(self):
        return self.plugin.procedure()

    def indicators(self, on):
        return list(self.plugin.indicators(self._day(on)) or [])

    def grade_tiers(self, on):
        return list(self.plugin.grade_tiers(self._day(on)) or [])

    def consequences(self, history, on) -> list[Consequence]:
        return list(self.plugin.consequences(list(history), on) or [])

    def subsidies(self, context):
        context.parameters = self.parameters
        return list(self.plugin.subsidies(context) or [])

    def ledger_categories(self):
        return list(self.plugin.ledger_categories() or [])

    def subsidy_kinds(self):
        """[{id, label, label_en, article}] of the kinds this programme's formulas compute."""
        build = getattr(self.plugin, "build_subsidy_kinds", None)
        return list(build() if build else [])

    def recognised_name(self, park_name):
        return self.plugin.recognised_name(park_name)

    # --- what several contribute: the collecting hooks ------------------------------------------

    def _added(self, contributions):
        """The items contributed, those of the programmes it is modelled on read in its own words."""
        own = (self.code, DEFAULTS_NAME)
        inherited = getattr(self.plugin, "inherited", None)
        return [c.item if c.source in own or c.source.startswith(ADDON_PREFIX) or inherited is None
                else inherited(c.item) for c in contributions]

    def criteria(self, on):
        """The programme's criteria of `on`, then those added by it, its parents and add-ons; only
        those whose numbers have a value that day (a county's own, before its measure, is left out)."""
        day, info = self._day(on), self.info
        # What the build reads besides the day and the information: kept criteria serve only while these
        # are the same objects (core.plugin.built_criteria).
        sources = (self.parameters, self.plugin.parameters, *self.manager.hook.hrpark_extra_criteria.get_hookimpls())
        return self._built_criteria.get(day, info, sources, lambda: self._build_criteria(day, info))

    def _build_criteria(self, day, info):
        own = list(self.plugin.criteria(day) or [])
        added = self._added(collect(self.manager, "hrpark_extra_criteria", info=info, on=day))
        return criteria_in_force(_with_new_ids(own, added, "条件", "criterion"), self.parameters, day)

    def document_templates(self):
        own = list(self.plugin.document_templates() or [])
        added = self._added(collect(self.manager, "hrpark_extra_documents", info=self.info))
        return _with_new_ids(own, added, "文书模板", "template")

    def facts(self):
        """{id: FactDeclaration} the programme, its parents and the add-ons declare, the city's first."""
        declared, sources = {}, {}
        for contribution in collect(self.manager, "hrpark_extra_facts", info=self.info):
            fact = contribution.item
            if fact.id in declared:
                raise PluginLoadError(f"事实 {fact.id} 已由 {sources[fact.id]} 声明，{contribution.source} 又声明了一次 "
                                      f"(fact {fact.id} declared by {sources[fact.id]} and again by {contribution.source})")
            declared[fact.id], sources[fact.id] = fact, contribution.source
        return declared

    # --- what the rules say about a park --------------------------------------------------------

    def evaluate(self, park, year, as_of=None, verdicts=None, waivers=None) -> Evaluation:
        """One result per criterion for `park` (ParkFacts) applying in `year`, counted on `as_of`
        (default: `default_as_of` the year, with the clock's day — a caller with a day of its own passes it)."""
        as_of = as_of or default_as_of(year, datetime.date.today())
        return self._evaluate(park, year, as_of, self.info, self.criteria(as_of), verdicts, waivers)

    def figure_years(self, year):
        """The years of figures (an agency's, the park's) evaluating `year` reads: `year` and the
        `figure_years_back` years before it the plugin declares; None (every year) when it declares none."""
        back = getattr(self.plugin, "figure_years_back", None)
        return None if back is None else range(year - back, year + 1)

    def evaluate_parks(self, parks, year, as_of=None) -> list[Evaluation]:
        """`evaluate` for many parks, asking the plugin for its criteria and dates once."""
        as_of = as_of or default_as_of(year, datetime.date.today())
        info, criteria = self.info, self.criteria(as_of)
        return [self._evaluate(park, year, as_of, info, criteria) for park in parks]

    def _evaluate(self, park, year, as_of, info, criteria, verdicts=None, waivers=None) -> Evaluation:
        ctx = EvaluationContext(park=park, year=year, as_of=as_of, parameters=self.parameters, jurisdiction=info)
        results = evaluate_criteria(criteria, ctx, verdicts, waivers)
        inherited = getattr(self.plugin, "inherited", None)
        if inherited is not None:  # a county's inherited criteria explain themselves in its level's words
            results = [r if r.source in ("", self.code) else r.in_words_of(inherited) for r in results]
        warnings = list(ctx.warnings)
        # A warning reads "Chinese — English"; the note (itself "Chinese — English") goes in each half.
        note_zh, _sep, note_en = info.effective_note.partition(" — ")
        note_en = f" ({note_en})" if note_en else ""
        if info.in_force_on(as_of) is None:
            warnings.append(
                f"《{info.measures_title}》施行日期尚未设置（{note_zh}），请管理员在部署设置中录入 — "
                f"the start date of the measures is a deployment setting not yet entered{note_en}"
            )
        elif info.in_force_on(as_of) is False:
            warnings.append(
                f"{as_of.isoformat()} 不在《{info.measures_title}》有效期内（{note_zh}） — "
                f"the measures are not in force on {as_of.isoformat()}{note_en}"
            )
        return Evaluation(self.code, park.name, year, as_of, results, warnings)

    def grade(self, scores, on):
        """(total score, grade) for indicator scores {indicator id: 0–100}, by the weights and
        cut-offs in force on `on` (see core.rules.assessment.assessment_day)."""
        indicators = self.indicators(on)
        exact = weighted_total(indicators, scores, places=None)
        # The grade follows the exact total: 89.995 shows as 90.00 but does not reach 优秀's 90.
        return weighted_total(indicators, scores), grade_for(self.grade_tiers(on), exact)


def _with_new_ids(own, added, kind, kind_en):
    """`own` then `added`; an added id that is already there is refused (it should be an override)."""
    seen = {item.id for item in own}
    for item in added:
        if item.id in seen:
            raise PluginLoadError(f"新增的{kind} {item.id} 已存在，应作为覆盖 (new {kind_en} id {item.id} already exists: override it)")
        seen.add(item.id)
    return own + added


class Registry:
    """The installed jurisdictions, by code."""

    def __init__(self):
        self.jurisdictions = {}
        self.failures = []
        self.entry_point_names = {}  # jurisdiction code -> the entry point it was loaded from

    def __contains__(self, code):
        return code in self.jurisdictions

    def __iter__(self):
        return iter(self.jurisdictions.values())

    def codes(self):
        return list(self.jurisdictions)

    def failure(self, code):
        """The load failure of the plugin registered under `code` (entry points are named after
        their jurisdiction code), or None."""
        return next((f for f in self.failures if f.name == code), None)

    def get(self, code) -> Jurisdiction:
        try:
            return self.jurisdictions[code]
        except KeyError:
            failure = self.failure(code)
            if failure is not None:
                raise RulesUnavailable(code, failure.error) from None
            raise UnknownJurisdiction(code, self.codes()) from None

    def cities(self):
        return [j for j in self if j.info.parent is None]

    def children(self, code):
        return [j for j in self if j.info.parent == code]

    def add(self, name, plugin):
        """Register `plugin` in a manager of its own; a failure is recorded under `name`."""
        try:
            info = plugin.info()
            if info is None:
                raise PluginLoadError("info() 没有返回辖区信息 (returned nothing)")
            if info.code in self.jurisdictions:
                raise PluginLoadError(f"辖区代码 {info.code} 重复 (duplicate jurisdiction code)")
            manager = build_manager(plugin, info.code, self.ancestors(info.parent), self.addons)
            jurisdiction = Jurisdiction(plugin, manager)
            for role in getattr(plugin, "build_roles", list)():
                vocab.declare_role(role["id"], role["label"], role["label_en"], role["like"])
            validate = getattr(plugin, "validate", None)
            if validate is not None:
                validate()
            jurisdiction.document_templates(), jurisdiction.facts()  # what others add clashes here, not later
        except Exception as exc:  # a broken plugin must not take the others down
            self.failures.append(PluginFailure(name, f"{type(exc).__name__}: {exc}", traceback.format_exc()))
            return None
        self.jurisdictions[jurisdiction.code] = jurisdiction
        self.entry_point_names[jurisdiction.code] = name
        return jurisdiction

    def ancestors(self, parent_code):
        """[(code, plugin)] of the installed programmes above `parent_code`, the city first."""
        chain = []
        while parent_code in self.jurisdictions and parent_code not in dict(chain):
            parent = self.jurisdictions[parent_code]
            chain.insert(0, (parent_code, parent.plugin))
            parent_code = parent.info.parent
        return chain

    def check_parents(self):
        """A county whose city is not installed is a failure too; one whose city loaded after it
        gets its city's plugin in its manager now."""
        for code, j in list(self.jurisdictions.items()):
            if j.info.parent is not None and j.info.parent not in self.jurisdictions:
                del self.jurisdictions[code]
                name = self.entry_point_names.pop(code, code)
                self.failures.append(
                    PluginFailure(
                        name,
                        f"辖区 {code} 的上级辖区 {j.info.parent} 未安装 "
                        f"(the parent jurisdiction {j.info.parent} of {code} is not installed)",
                    )
                )
        for j in self:
            for code, plugin in self.ancestors(j.info.parent):
                if j.manager.get_plugin(PROGRAMME_PREFIX + code) is None:
                    j.manager.register(plugin, name=PROGRAMME_PREFIX + code)

    addons = ()  # [(name, object)] of the `hrpark.addons` entry points, registered in every manager

    def load_addons(self, entry_points=None):
        """Load the add-ons (else every `hrpark.addons` entry point); a broken one does not stop the others."""
        if entry_points is None:
            entry_points = importlib.metadata.entry_points(group=ADDON_GROUP)
        addons = []
        for ep in sorted(entry_points, key=lambda e: e.name):
            try:
                addon = ep.load()
                addons.append((ep.name, addon() if isinstance(addon, type) else addon))
            except Exception as exc:
                self.failures.append(PluginFailure(f"addon:{ep.name}", f"{type(exc).__name__}: {exc}", traceback.format_exc()))
        self.addons = addons


def load_registry(entry_points=None, addons=None) -> Registry:
    """Load the plugins of `hrpark.jurisdictions` and the add-ons of `hrpark.addons` (or those given)."""
    registry = Registry()
    registry.load_addons(addons)
    if entry_points is None:
        entry_points = importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)
    for ep in sorted(entry_points, key=lambda e: e.name):
        try:
            plugin = ep.load()
            plugin = plugin() if isinstance(plugin, type) else plugin
        except Exception as exc:
            registry.failures.append(PluginFailure(ep.name, f"{type(exc).__name__}: {exc}", traceback.format_exc()))
            continue
        registry.add(ep.name, plugin)
    registry.check_parents()
    return registry


_registry = None


def registry() -> Registry:
    """The process-wide registry, loaded on first use."""
    global _registry
    if _registry is None:
        _registry = load_registry()
    return _registry


def set_registry(new):
    """Replace the process-wide registry (tests, or an app built with chosen plugins)."""
    global _registry
    _registry = new
    return new


def sync_jurisdictions(reg=None):
    """Make a Jurisdiction row for each installed plugin (cities first), updating names."""
    from core.records.models import Jurisdiction as JurisdictionRow

    reg = reg or registry()
    ordered = sorted(reg, key=lambda j: (j.info.parent is not None, j.code))
    rows = {}
    for j in ordered:
        row = JurisdictionRow.get_or_none(JurisdictionRow.code == j.code)
        parent = rows.get(j.info.parent) if j.info.parent else None
        if parent is None and j.info.parent:
            parent = JurisdictionRow.get_or_none(JurisdictionRow.code == j.info.parent)
        values = dict(name_zh=j.info.name, name_en=j.info.name_en, level=j.info.level, parent=parent)
        if row is None:
            row = JurisdictionRow.create(code=j.code, **values)
        elif any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            row.save()
        rows[j.code] = row
    return rows


def declared_facts_of(jurisdiction_row, owner, reg=None) -> dict:
    """{id: FactDeclaration} of `owner` (a park, park-year, jurisdiction-year) the rules governing a
    jurisdiction row declare; none where no programme governs it."""
    try:
        rules = rules_for(jurisdiction_row, reg)
    except UnknownJurisdiction:  # RulesUnavailable too: a jurisdiction no programme governs reads no facts of its own
        return {}
    return {fact.id: fact for fact in rules.facts().values() if fact.owner == owner}


def rules_for(jurisdiction_row, reg=None) -> Jurisdiction:
    """The rules that apply in a jurisdiction row: its own plugin, else its nearest ancestor's; never its
    city's where its own plugin failed to load (RulesUnavailable names the plugin's error)."""
    reg = reg or registry()
    row = jurisdiction_row
    while row is not None:
        if row.code in reg or reg.failure(row.code) is not None:
            return reg.get(row.code)  # RulesUnavailable where its plugin failed
        row = row.parent
    raise UnknownJurisdiction(jurisdiction_row.code, reg.codes())
