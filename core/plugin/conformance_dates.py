"""The conformance check `dates`: every revision of a programme (the plugin's own and the deployment's,
HRPARK_REVISIONS_DIR/<code>/*.yaml) loads, changes nothing before its start, starts alone and names
only numbers the programme has by then (`overrides:`) or has not yet (`parameters:`); and on every day
the measures change, and the day before, the dated rules build and the sample park is judged.

Each problem is (Chinese, English), naming the day, the item and the file; core/plugin/conformance.py
turns them into findings.
"""
import datetime
import inspect
from pathlib import Path

from core.rules.parameters import (
    NoValueOnDay, ParameterError, deployment_revision_files, read_parameter_yaml, read_revision_file, values_before,
)
from core.world.samples import sample_history_set, sample_park, sample_subsidy_context
from core.rules.criteria import EvaluationContext

ONE_DAY = datetime.timedelta(days=1)


def dated_days(info, parameters, revisions):
    """Every day the programme's measures change and the day before each, from its first dated day on."""
    starts = set(parameters.change_days()) | {r.effective_from for r in revisions}
    if info is not None and info.effective_from is not None:
        starts.add(info.effective_from)
    first = min(parameters.change_days(), default=None)
    return sorted(d for d in starts | {d - ONE_DAY for d in starts} if first is None or d >= first)


def _short(path):
    """A file as its package names it: hrpark_sample_county/criteria.py."""
    path = Path(path)
    return f"{path.parent.name}/{path.name}" if path.parent.name else path.name


def _source_file(obj):
    try:
        return _short(inspect.getsourcefile(obj))
    except (TypeError, OSError):
        return getattr(obj, "__module__", "?")


# --- revisions --------------------------------------------------------------------------------------


def _revisions(plugin, code, problems):
    """The programme's revisions that could be read (the plugin's own, then the deployment's), by start."""
    revisions = []
    own = getattr(plugin, "own_revisions", None)
    for revision in own() if own else ():
        path = Path(revision.parameters_file)
        try:
            faults = values_before(read_parameter_yaml(path), revision.effective_from, path.name)
            revisions.append(revision)
        except (ParameterError, OSError) as exc:  # no such file, or not YAML
            faults = [exc]
        problems.extend(_revision_fault(revision.label, revision.effective_from, path, fault) for fault in faults)
    for path in deployment_revision_files(code):
        revision, faults = read_revision_file(path)
        label, start = (revision.label, revision.effective_from) if revision else ("?", None)
        problems.extend(_revision_fault(label, start, path, fault) for fault in faults)
        if revision is not None:
            revisions.append(revision)
    return sorted(revisions, key=lambda r: r.effective_from)


def _revision_fault(label, start, path, fault):
    when = f"{start}起施行的" if start else ""
    return (f"{when}修订版本“{label}”（{path}）：{fault}",
            f"the revision {label!r}{f' of {start}' if start else ''} ({path}): {fault}")


def _section_ids(path):
    """(ids under `overrides:`, ids under `parameters:`) of a county's or a revision's file."""
    data = read_parameter_yaml(path)
    data = data if isinstance(data, dict) else {}
    return set(data.get("overrides") or {}), set(data.get("parameters") or {})


def revision_problems(plugin, code):
    """[(zh, en)] of every revision of the programme that does not load, changes the past, shares its
    start with another, or names a number the programme does not have (or has already)."""
    problems = []
    revisions = _revisions(plugin, code, problems)
    by_start = {}
    for revision in revisions:
        if revision.effective_from in by_start:
            other = by_start[revision.effective_from]
            problems.append((
                f"{revision.effective_from}：修订版本“{other.label}”（{other.parameters_file}）与“{revision.label}”"
                f"（{revision.parameters_file}）同日施行，该日适用哪一版本不明",
                f"on {revision.effective_from} two revisions take effect, {other.label!r} and {revision.label!r}: "
                f"which governs that day is unclear",
            ))
        by_start[revision.effective_from] = revision
    unrevised = getattr(plugin, "unrevised_parameters", None)
    if unrevised is None:
        return problems
    try:
        parameters = unrevised()
    except Exception:
        return problems  # the loads check names why
    for revision in revisions:
        path, start = Path(revision.parameters_file), revision.effective_from
        overrides, additions = _section_ids(path)
        unknown = sorted(overrides - set(parameters.parameters))
        taken = sorted(additions & set(parameters.parameters))
        for pid in unknown:
            problems.append((f"{start}：修订版本“{revision.label}”（{path}）覆盖的参数 {pid} 不是本办法的参数",
                             f"on {start} the revision {revision.label!r} ({path}) overrides {pid}, "
                             f"which is not a number of the programme"))
        for pid in taken:
            problems.append((f"{start}：修订版本“{revision.label}”（{path}）新增的参数 {pid} 已是本办法的参数，应写在 overrides 中",
                             f"on {start} the revision {revision.label!r} ({path}) adds {pid}, which the programme "
                             f"already has: put it under overrides:"))
        if unknown or taken:
            return problems  # the later revisions build on this one
        try:
            parameters = plugin.revised(parameters, revision)
        except ParameterError as exc:
            problems.append((f"{start}：修订版本“{revision.label}”（{path}）无法读取：{exc}",
                             f"on {start} the revision {revision.label!r} ({path}) cannot be read"))
            return problems
    return problems


# --- every dated change day -------------------------------------------------------------------------


def _parameter_file(plugin, code, pid):
    """The file that dates number `pid`: the county's file or a revision naming it, else the city's file."""
    files = [Path(plugin.parameter_overrides_file)] if getattr(plugin, "parameter_overrides_file", None) else []
    files += [Path(r.parameters_file) for r in getattr(plugin, "own_revisions", tuple)()]
    for path in files + deployment_revision_files(code):
        try:
            if pid in set.union(*_section_ids(path)):
                return _short(path)
        except (ParameterError, OSError, AttributeError):
            continue
    city_file = next((c.__dict__["parameters_file"] for c in type(plugin).__mro__ if c.__dict__.get("parameters_file")), None)
    return _short(city_file) if city_file else "?"


def _rule_problem(day, name, exc, plugin, code):
    if isinstance(exc, NoValueOnDay):
        pid, file = exc.parameter_id, _parameter_file(plugin, code, exc.parameter_id)
        return (f"{day}：{name}() 读取的参数 {pid} 该日无有效值（{file}）",
                f"on {day} {name}() reads {pid}, which has no value that day ({file})")
    file = _source_file(type(plugin))
    return (f"{day}：{name}() 出错（{file}）：{type(exc).__name__}: {exc}",
            f"on {day} {name}() raised {type(exc).__name__} ({file})")


def _criterion_problem(day, criterion, exc, plugin, code):
    file = _source_file(criterion.check)
    if isinstance(exc, NoValueOnDay):
        pid = exc.parameter_id
        pfile = _parameter_file(plugin, code, pid)
        return (
            f"{day}：条件 {criterion.id}（{criterion.article}，{file}）读取的参数 {pid} 该日尚无数值（{pfile}）；"
            f"请在条件中写明 parameters=(\"{pid}\",)，该参数生效之日起才作为条件",
            f"on {day} the criterion {criterion.id} ({file}) reads {pid}, which has no value that day ({pfile}): "
            f"declare parameters=(\"{pid}\",) on the criterion, so that it is a condition from that number's first day",
        )
    return (f"{day}：条件 {criterion.id}（{criterion.article}，{file}）评估示例园区时出错：{type(exc).__name__}: {exc}",
            f"on {day} the criterion {criterion.id} ({file}) raised {type(exc).__name__} judging the sample park")


def _judge(day, criteria, rules, parameters, plugin, code):
    """Problems of judging the sample park by `criteria` on `day`, one per criterion that fails."""
    ctx = EvaluationContext(park=sample_park(code, day.year), year=day.year, as_of=day, parameters=parameters,
                            jurisdiction=rules.info)
    problems = []
    for criterion in criteria:
        try:
            criterion.run(ctx)
        except Exception as exc:
            problems.append(_criterion_problem(day, criterion, exc, plugin, code))
    return problems


def _asks(day, code, parameters):
    """(question, how to ask it on `day`) of every question whose answer depends on the day: the
    plugin's own methods, and the criteria and documents with what its hooks add."""
    def subsidies(rules):
        context = sample_subsidy_context(code, recognised_on=day)
        context.as_of, context.parameters = day, parameters
        return rules.plugin.subsidies(context)

    return [
        ("criteria", lambda rules: rules.criteria(day)),
        ("indicators", lambda rules: rules.plugin.indicators(day)),
        ("grade_tiers", lambda rules: rules.plugin.grade_tiers(day)),
        ("consequences",
         lambda rules: [c for h in sample_history_set(day.year) for c in (rules.plugin.consequences(h, day) or [])]),
        ("subsidies", subsidies),
        ("document_templates", lambda rules: rules.document_templates()),
    ]


def dated_problems(rules, plugin, code, days):
    """[(zh, en)] of every question that fails to build, and every criterion that fails to judge, on `days`."""
    parameters = rules.parameters
    problems = []
    for day in days:
        for name, ask in _asks(day, code, parameters):
            try:
                answer = ask(rules)
            except Exception as exc:
                problems.append(_rule_problem(day, name, exc, plugin, code))
                continue
            if answer is None:
                problems.append((f"{day}：{name}() 没有回答（None）", f"on {day} {name}() answered nothing (None)"))
            elif name == "criteria":
                problems.extend(_judge(day, answer, rules, parameters, plugin, code))
    return problems


def check(rules, plugin, code):
    """(the days checked, [(zh, en)] problems) of the programme `code` answering through `rules`
    (its core.plugin.registry.Jurisdiction)."""
    problems = revision_problems(plugin, code)
    try:
        info, parameters = rules.info, rules.parameters
        revisions = plugin.all_revisions() if hasattr(plugin, "all_revisions") else []
    except Exception:
        return [], problems  # the loads and hooks checks name why
    days = dated_days(info, parameters, revisions)
    return days, problems + dated_problems(rules, plugin, code, days)
