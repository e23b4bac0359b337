"""Every answer of a jurisdiction to the same sample questions (core.world.samples), as plain data
that compares equal exactly when the answers do — computed in a fresh Python process for a chosen
list of entry points, so that what one plugin's import changes in another cannot hide.

The conformance check "isolation" compares the other jurisdictions' fingerprints without and with
a plugin:  python -m core.plugin.fingerprints fingerprints < entry-points.json
"""
import dataclasses
import datetime
import importlib.metadata
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from core.rules.parameters import ParameterSet
from core.world.samples import SAMPLE_AS_OF, SAMPLE_YEAR, sample_history_set, sample_parks, sample_subsidy_context
from core.plugin.registry import ENTRY_POINT_GROUP, load_registry


def plain(value):
    """`value` as JSON-ready data that compares equal exactly when the answers do."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, ParameterSet):
        return {pid: plain(p) for pid, p in sorted(value.parameters.items())}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, Decimal):
        return f"Decimal:{value}"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if callable(value):
        closure = [plain(cell.cell_contents) for cell in (getattr(value, "__closure__", None) or ())
                   if isinstance(cell.cell_contents, (str, int, Decimal, tuple, list))]
        return {"callable": f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', repr(value))}",
                "closure": closure}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return repr(value)


def fingerprint(j):
    """{question: plain answer} of jurisdiction `j` to every sample question."""
    answers = {}

    def ask(key, function):
        try:
            answers[key] = plain(function())
        except Exception as exc:
            answers[key] = f"error: {type(exc).__name__}: {exc}"

    ask("info", lambda: j.info)
    ask("parameters", lambda: j.parameters)
    ask("criteria", lambda: j.criteria(SAMPLE_AS_OF))
    ask("materials", j.materials)
    ask("procedure", j.procedure)
    ask("indicators", lambda: j.indicators(SAMPLE_AS_OF))
    ask("grade_tiers", lambda: j.grade_tiers(SAMPLE_AS_OF))
    ask("consequences", lambda: [j.consequences(h, SAMPLE_AS_OF) for h in sample_history_set()])
    ask("subsidies", lambda: j.subsidies(sample_subsidy_context(j.code)))
    ask("ledger_categories", j.ledger_categories)
    ask("document_templates", j.document_templates)
    ask("recognised_name", lambda: j.recognised_name("示例人力资源服务产业园"))
    ask("facts", j.facts)
    for n, park in enumerate(sample_parks(j.code)):
        ask(f"evaluate(sample park {n + 1})", lambda park=park: j.evaluate(park, SAMPLE_YEAR, as_of=SAMPLE_AS_OF).as_dict())
    return answers


def fingerprints(entry_points):
    """{code: {"parent": …, question: answer}} of every jurisdiction loaded from `entry_points`."""
    registry = load_registry(entry_points)
    result = {}
    for j in registry:
        result[j.code] = {"parent": j.info.parent, **fingerprint(j)}
    return result


def fingerprints_in_fresh_processes(entry_point_lists, timeout=300):
    """fingerprints(…) of each list of entry points, each computed in a new Python process."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)  # the caller's modules, sample plugins too
    processes = []
    for entry_points in entry_point_lists:
        process = subprocess.Popen(
            [sys.executable, "-m", "core.plugin.fingerprints", "fingerprints"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True, encoding="utf-8",
        )
        processes.append((process, json.dumps([[ep.name, ep.value] for ep in entry_points])))
    outputs, problems = [], []
    for process, request in processes:
        try:
            out, err = process.communicate(request, timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            problems.append(f"timed out after {timeout} s")
            continue
        if process.returncode != 0:
            problems.append(err.strip().splitlines()[-1] if err.strip() else f"exit status {process.returncode}")
            continue
        outputs.append(json.loads(out))
    if problems:
        raise RuntimeError("; ".join(problems))
    return outputs


def _main(argv):
    if argv[:1] == ["fingerprints"]:
        pairs = json.loads(sys.stdin.read())
        entry_points = [importlib.metadata.EntryPoint(name=n, value=v, group=ENTRY_POINT_GROUP) for n, v in pairs]
        json.dump(fingerprints(entry_points), sys.stdout, ensure_ascii=False, sort_keys=True)
        return 0
    print("usage: python -m core.plugin.fingerprints fingerprints < entry-points.json", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
