"""The base class of jurisdiction plugins, and how a county extends its city.

A city plugin subclasses `JurisdictionPlugin`: its criteria, materials, procedure, indicators, grade tiers
and consequences are declared in YAML beside it (core.rules.declared_programme), the functions computing
its conditions listed in `checks`; it fills in the other `build_*` methods. What it adds to what others
contribute (`extra_criteria`, `extra_templates`, facts.yaml) it answers to the collecting hooks of
core.plugin.hookspecs. A county plugin subclasses its city's plugin class (as the `holidays` package's
subdivisions extend their state): it inherits everything and overrides explicitly by id —

    class CountyPlugin(CityPlugin):
        code = "city-county"
        parent_code = "city"
        parameter_overrides_file = HERE / "parameters.yaml"   # overrides: / parameters:
        criterion_overrides = {"site_area": my_site_area}      # ids of the city's criteria
        extra_criteria = [my_own_criterion]
        template_overrides = {"city.public_notice": my_notice}

Overriding an id the parent does not have is an error when the plugin loads (`validate`).

What a county inherits reads in its own level (core.rules.level_words: 市级, 全市 → 区级, 全区): every item
a `build_*` method of the city's class builds, the texts an override kept from the city's item, and the
descriptions its parameter overrides inherit. A county's own `build_*` method is its own text: what it takes
from the city with `super()` it passes through `self.inherited(...)`. The procedure is not reworded: its
texts name the bodies that act (县级初审, 市人社局审核), which a county's procedure modelled on the city's keeps.
"""
import inspect
from dataclasses import replace
from pathlib import Path

from core.rules.declared_programme import (
    _remembered, declared_consequences, declared_criteria, declared_documents, declared_files, declared_grade_tiers,
    declared_indicators, declared_materials, declared_procedure,
)
from core.rules.fact_declarations import collect_facts
from core.plugin.hookspecs import hookimpl
from core.rules.level_words import TEXT_FIELDS, reworded
from core.rules.ledger import LedgerCategory
from core.rules.programme_data import LedgerCategorySchema, RoleSchema, SubsidyKindSchema, load_items
from core.rules.parameters import REVISION_HEADERS, deployment_revisions, load_override_file, load_parameter_file
from core.rules.criteria import criteria_in_force


class PluginOverrideError(ValueError):
    """A county override targets something its city does not have."""


def _in_own_words(override, inherited_item, inherited):
    """`override` with each text it kept from the city's item (a `replace` of it that changed
    the issuer, say) read as the county inherits it: in the county's level."""
    kept = {
        name: getattr(inherited_item, name) for name in TEXT_FIELDS
        if isinstance(getattr(override, name, None), str) and inherited(getattr(override, name)) == getattr(inherited_item, name, None)
    }
    return replace(override, **kept) if kept else override


def _check_extras(items, extras, kind, plugin_code, kind_en):
    """Refuse an added item whose id the programme's own items already have."""
    clash = sorted({e.id for e in extras} & {i.id for i in items})
    if clash:
        raise PluginOverrideError(
            f"{plugin_code}: 新增的{kind} {', '.join(clash)} 已存在，应作为覆盖 (new {kind_en} ids already exist: override them)"
        )


def _override_by_id(items, overrides, kind, plugin_code, kind_en="", inherited=None):
    ids = [i.id for i in items]
    unknown = sorted(set(overrides) - set(ids))
    if unknown:
        raise PluginOverrideError(
            f"{plugin_code}: 覆盖的{kind} {', '.join(unknown)} 在上级办法中不存在 (override of unknown {kind_en} ids)"
        )
    renamed = sorted(f"{key}→{item.id}" for key, item in overrides.items() if item.id != key)
    if renamed:
        # Verdicts, waivers and documents are keyed by id: an override must keep the id it replaces.
        raise PluginOverrideError(
            f"{plugin_code}: 覆盖的{kind}必须沿用原 id：{', '.join(renamed)} (a {kind_en} override must keep the id it replaces)"
        )
    result = []
    for item in items:
        if item.id in overrides:
            override = _in_own_words(overrides[item.id], item, inherited) if inherited else overrides[item.id]
            result.append(replace(override, source=plugin_code))
        else:
            result.append(item)
    return result


def _none_without_file(read, *args):
    """What `read(*args)` declares, or [] for a programme without the file (NotImplementedError)."""
    try:
        return read(*args)
    except NotImplementedError:
        return []


class JurisdictionPlugin:
    #: The jurisdiction's code; a county sets its own.
    code = ""
    #: For a county: the code of the city whose measures it extends.
    parent_code = None
    #: The city's parameter file; a county leaves it and sets `parameter_overrides_file`.
    parameters_file = None
    parameter_overrides_file = None
    criterion_overrides = {}
    extra_criteria = []
    template_overrides = {}
    extra_templates = []
    version = "0"
    #: Later versions of the measures, oldest first (core.rules.jurisdiction.Revision); a deployment may
    #: add its own revision files under HRPARK_REVISIONS_DIR/<code>/*.yaml (see load_revision_file).
    revisions = ()
    #: The functions computing the conditions criteria.yaml names by `check:` (core.rules.declared_programme).
    checks = {}
    #: {name: function} of the document contexts documents.yaml names (`context:`).
    document_contexts = {}
    #: How many years before the year of application its criteria read figures of (an agency's, the
    #: park's): 1 for "the previous year". The batch of every park reads only those years and the year
    #: itself (core.records.batch.figure_years); None, undeclared, reads every year.
    figure_years_back = None

    def __init__(self):
        self._parameters = None
        self._level_words = None

    def declared_facts(self):
        """The facts this programme and the ones it extends declare (their facts.yaml), by id: what
        core.plugin.registry.Jurisdiction.facts collects before any add-on's, read from the classes alone."""
        return _remembered(self, ("facts",), lambda: collect_facts(*self.own_folders(inherited=True)))

    def sample_world(self):
        """The sample world this plugin describes for the demo and the generator (core.world.factory):
        the `samples.yaml` beside its own class — a county's own, not its city's — or {} without one."""
        from core.world.factory import SAMPLES_FILE, load_sample_world

        path = Path(inspect.getfile(type(self))).parent / SAMPLES_FILE
        return load_sample_world(path) if path.exists() else {}

    # --- what a city fills in -------------------------------------------------------------------

    def build_info(self):
        raise NotImplementedError

    # The declared parts: read from the plugin's criteria.yaml, materials.yaml, procedure.yaml and
    # assessment.yaml (a county's files over its city's), core.rules.declared_programme.

    def build_criteria(self, on):
        return declared_criteria(self, on)

    def build_materials(self):
        return declared_materials(self)

    def build_procedure(self):
        return declared_procedure(self)

    def build_indicators(self, on):
        return declared_indicators(self, on)

    def build_grade_tiers(self, on):
        return declared_grade_tiers(self, on)

    def build_consequences(self, history, on):
        return declared_consequences(self, history, on)

    def build_subsidies(self, context):
        raise NotImplementedError

    def build_ledger_categories(self):
        items = self.declared_items("ledger.yaml", "ledger_categories", LedgerCategorySchema())
        return [LedgerCategory(**item) for item in items]

    def build_subsidy_kinds(self):
        """The kinds of money this programme's formulas compute, as its subsidies.yaml names them
        (a programme that declares none computes none of its own)."""
        return _none_without_file(self.declared_items, "subsidies.yaml", "subsidy_kinds", SubsidyKindSchema())

    def build_roles(self):
        """The roles of its own this programme's procedure names, as its roles.yaml declares them."""
        return _none_without_file(self.declared_items, "roles.yaml", "roles", RoleSchema())

    def declared_items(self, filename, section, schema):
        """The items of `section` declared in `filename` beside each plugin class from the city down:
        a county's file replaces its city's items by id and appends its own (core.rules.programme_data).
        Read once per plugin object, as the other declared files are (core.rules.declared_programme)."""
        return _remembered(self, ("items", filename, section), lambda: self._read_declared_items(filename, section, schema))

    def _read_declared_items(self, filename, section, schema):
        items = []
        for _code, path in declared_files(self, filename):
            items = load_items(path, section, schema, self.parameters, base=items)
        return items

    def build_document_templates(self):
        """documents.yaml's documents (core.rules.declared_programme)."""
        return _none_without_file(declared_documents, self)

    # --- parameters: the city's file, with a county's overrides on top ------------------------

    @property
    def parameters(self):
        if self._parameters is None:
            base = self.unrevised_parameters()
            for revision in self.all_revisions():
                base = self.revised(base, revision)
            self._parameters = base
        return self._parameters

    def unrevised_parameters(self):
        """The numbers of the first version: the city's file, with a county's overrides on top."""
        base = self._city_parameters()
        if self.parameter_overrides_file is not None:
            base = load_override_file(base, Path(self.parameter_overrides_file), self.code, reword=self.inherited)
        return base

    def revised(self, base, revision):
        """`base` with the numbers `revision` changes, from its start."""
        return load_override_file(base, Path(revision.parameters_file), self.code, REVISION_HEADERS, reword=self.inherited)

    def _city_parameters(self):
        for cls in type(self).__mro__:
            path = cls.__dict__.get("parameters_file")
            if path is not None:
                owner = cls.__dict__.get("code") or self.code
                return load_parameter_file(Path(path), owner)
        raise PluginOverrideError(f"{self.code}: 没有参数文件 (no parameter file)")

    def all_revisions(self):
        """The revisions of this programme's own measures (the plugin's and the deployment's), by
        effective date. A county's measures are a document of their own: a revision of the city's
        does not amend them (a county inherits the city's revisions only by declaring its own)."""
        return _remembered(self, ("revisions",), lambda: sorted(
            [*self.own_revisions(), *deployment_revisions(self.code)], key=lambda r: r.effective_from))

    def own_revisions(self):
        """The revisions the plugin declares (a county's: only those its own class declares)."""
        return tuple(self.revisions if self.parent_code is None or "revisions" in type(self).__dict__ else ())

    def version_on(self, day):
        """The label of the version of the measures in force on `day`."""
        label = self.build_info().measures_version or "1"
        for revision in self.all_revisions():
            if revision.effective_from <= day:
                label = revision.label
        return label

    # --- what a county inherits, in its own level's words ---------------------------------------

    def _parent_class(self):
        """The nearest class of the programme this one is modelled on (the city's), or None."""
        if self.parent_code is None:
            return None
        return next((c for c in type(self).__mro__[1:] if getattr(c, "code", None) == self.parent_code), None)

    def _inherited_words(self):
        """(the parent's level words, this programme's), or None for a programme modelled on no other."""
        if getattr(self, "_level_words", None) is None:
            parent = self._parent_class()
            self._level_words = (parent.build_info(self).words, self.build_info().words) if parent else ()
        return self._level_words or None

    def inherited(self, items, fields=TEXT_FIELDS):
        """`items` (a text, an item or a list of them) taken from the parent's measures, as this
        programme says them: 市级 → 区级, 全市 → 全区 … (core.rules.level_words). A city's are its own."""
        words = self._inherited_words()
        return reworded(items, *words, fields) if words else items

    def _built(self, method, *args):
        """What `build_<…>` method answers: inherited from the parent's class, in this programme's words."""
        items = getattr(self, method)(*args)
        parent = self._parent_class()
        if parent is None or items is None:
            return items
        owner = next(c for c in type(self).__mro__ if method in c.__dict__)
        return self.inherited(items) if owner in parent.__mro__ else items

    def validate(self):
        """Raise if an override targets nothing; load the parameters (their errors surface here)."""
        for day in self.parameters.change_days():  # every dated state of the measures
            extras = self.own_declared("extra_criteria")
            _check_extras(self.criteria(day), extras, "条件", self.code, "criterion")
            criteria_in_force(self.criteria(day) + extras, self.parameters, day)  # every number they name exists
        _check_extras(self.document_templates(), self.own_declared("extra_templates"), "模板", self.code, "template")

    # --- what core asks: plain methods, answered by this programme alone (core.plugin.registry.Jurisdiction)

    def info(self):
        return self.build_info()

    def criteria(self, on):
        """The criteria of `on`, the city's overridden by id; what is added (`extra_criteria`, an
        add-on's) is collected by the hrpark_extra_criteria hook (core.plugin.registry.Jurisdiction.criteria)."""
        return _override_by_id(self._built("build_criteria", on), self.criterion_overrides,
                               "条件", self.code, "criterion", self.inherited)

    def materials(self):
        return self._built("build_materials")

    def procedure(self):
        return self.build_procedure()

    def indicators(self, on):
        return self._built("build_indicators", on)

    def grade_tiers(self, on):
        return self._built("build_grade_tiers", on)

    def consequences(self, history, on):
        return self._built("build_consequences", history, on) or []  # no consequences unless declared

    def subsidies(self, context):
        return self._built("build_subsidies", context) or []

    def ledger_categories(self):
        return self._built("build_ledger_categories")

    def document_templates(self):
        return _override_by_id(self._built("build_document_templates") or [], self.template_overrides,
                               "模板", self.code, "template", self.inherited)

    def recognised_name(self, park_name):
        prefix = self.build_info().name_prefix
        name = park_name.strip()
        return name if name.startswith(prefix) else f"{prefix}{name}"

    # --- what this programme contributes to the collecting hooks (core.plugin.hookspecs) ----------------

    def own_declared(self, attribute):
        """`attribute` (extra_criteria, extra_templates) as this programme declares it: empty when
        the value is its parent's, which the parent's plugin contributes itself."""
        owner = next((c for c in type(self).__mro__ if attribute in c.__dict__), None)
        parent = self._parent_class()
        if owner is None or (parent is not None and owner in parent.__mro__):
            return []
        return [replace(item, source=self.code) for item in getattr(self, attribute) or []]

    def own_folders(self, inherited=False):
        """The folders of this programme's own classes (with its parent's if `inherited`), nearest first."""
        parent = None if inherited else self._parent_class()
        classes = [c for c in type(self).__mro__ if issubclass(c, JurisdictionPlugin) and c is not JurisdictionPlugin
                   and (parent is None or c not in parent.__mro__)]
        return list(dict.fromkeys(Path(inspect.getfile(c)).parent for c in classes))

    @hookimpl
    def hrpark_extra_criteria(self, on):
        return self.own_declared("extra_criteria")

    @hookimpl
    def hrpark_extra_documents(self):
        return self.own_declared("extra_templates")

    @hookimpl
    def hrpark_extra_facts(self):
        return _remembered(self, ("own facts",), lambda: list(collect_facts(*self.own_folders()).values()))
