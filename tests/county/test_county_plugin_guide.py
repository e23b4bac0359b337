"""docs/plugins.md keeps up with the code: every hook of core/plugin/hookspecs.py under its exact signature
(as datasette's docs test does) and no hook that does not exist; every core name, file, command and
option it names exists; and its afternoon (§ 6) runs as written — each command in a fresh virtual
environment, printing the lines shown, each file and diff applied as printed."""
import importlib
import inspect
import os
import re
import shlex
import subprocess
from pathlib import Path

import click
import pytest

from core.plugin import hookspecs
from core.io.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "plugins.md"
HEADING = re.compile(r"^### `(hrpark_\w+\(.*\))`\s*$", re.MULTILINE)


def hook_signatures(module=hookspecs):
    """{hook name: 'name(args)'} of every hookspec, by inspect.signature."""
    return {
        name: f"{name}{inspect.signature(function)}"
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if name.startswith("hrpark_")
    }


def documented_signatures(text):
    return set(HEADING.findall(text))


def undocumented(text, signatures):
    return sorted(sig for sig in signatures.values() if sig not in documented_signatures(text))


@pytest.fixture(scope="module")
def guide():
    return GUIDE.read_text(encoding="utf-8")


@pytest.mark.parametrize("hook", sorted(hook_signatures()))
def test_every_hook_is_documented_under_its_exact_signature(guide, hook):
    signature = hook_signatures()[hook]
    assert signature in documented_signatures(guide), f"docs/plugins.md lacks a heading ### `{signature}`"


def test_no_documented_hook_is_missing_from_hookspecs(guide):
    assert documented_signatures(guide) <= set(hook_signatures().values())


def test_the_check_fails_for_a_hook_documented_without_it_or_with_another_signature(guide):
    signatures = hook_signatures()
    missing_one = guide.replace("### `hrpark_extra_facts(info)`", "### hrpark_extra_facts")
    assert undocumented(missing_one, signatures) == ["hrpark_extra_facts(info)"]
    renamed_argument = guide.replace("### `hrpark_extra_facts(info)`", "### `hrpark_extra_facts(programme)`")
    assert undocumented(renamed_argument, signatures) == ["hrpark_extra_facts(info)"]
    assert undocumented(guide, signatures) == []


def test_a_new_hook_in_hookspecs_would_be_reported():
    def hrpark_new_hook(park, year):
        """A hook added to hookspecs without documentation."""

    module = type(hookspecs)("fake_hookspecs")
    module.__dict__.update({name: getattr(hookspecs, name) for name in hook_signatures()})
    module.hrpark_new_hook = hrpark_new_hook
    assert undocumented(GUIDE.read_text(encoding="utf-8"), hook_signatures(module)) == ["hrpark_new_hook(park, year)"]


def test_the_guide_names_the_commands_and_files_that_exist(guide):
    for text in ("hrpark plugin new", "hrpark plugin check", "hrpark plugin provenance", "hrpark_conformance",
                 "docs/examples/luzhou-measures.zh.md", "tests/county/test_luzhou_example.py", "docs/examples/county-park.json"):
        assert text in guide
    for path in ("docs/examples/luzhou-measures.zh.md", "docs/examples/county-park.json", "tests/county/test_luzhou_example.py",
                 "plugins/luzhou/documents.py", "core/plugin/pytest_conformance.py"):
        assert (ROOT / path).is_file(), path


# --- every name the guide gives exists ----------------------------------------------------------------


def dotted_names(text):
    return sorted(set(re.findall(r"(?<![\w./-])((?:core|plugins)\.[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)", text)))


def resolves(dotted):
    """core.rules.programmes.Programme.of: the longest importable module, then attributes."""
    parts = dotted.split(".")
    for end in range(len(parts), 0, -1):
        try:
            found = importlib.import_module(".".join(parts[:end]))
        except ModuleNotFoundError:
            continue
        for attribute in parts[end:]:
            if not hasattr(found, attribute):
                return False
            found = getattr(found, attribute)
        return True
    return False


def test_every_core_and_plugin_name_it_gives_exists(guide):
    names = dotted_names(guide)
    assert "core.rules.parameters.Parameter.inherited_from" in names and len(names) > 40
    assert [name for name in names if not resolves(name)] == []
    assert not resolves("core.rules.parameters.Parameter.inherited_for")  # the check can fail


def test_every_repository_path_it_gives_exists(guide):
    paths = set(re.findall(r"`((?:core|plugins|admin|docs|examples|tests)/[^`\s<*]*)`", guide))
    assert "examples/revisions/changzhi/2027-zhengshi.yaml" in paths
    assert sorted(p for p in paths if not (ROOT / p).exists()) == []


def hrpark_commands(text):
    """Every `hrpark …` the guide writes, as tokens after `hrpark`: in code spans and after `$ `."""
    found = [span for span in re.findall(r"`(hrpark [^`]+)`", text)]
    found += [line[2:] for line in text.splitlines() if line.startswith("$ ")]
    commands = []
    for command in found:
        tokens = shlex.split(command, comments=True)
        if "hrpark" in tokens:
            commands.append(tokens[tokens.index("hrpark") + 1:])
    return commands


def unknown_parts(tokens, group=cli):
    """The subcommands and options in `tokens` that the `hrpark` click group does not have."""
    command, unknown, value_next = group, [], False
    for token in (t.strip("[]") for t in tokens):
        if value_next:
            value_next = False
        elif token.startswith("-") and token != "-":
            name = token.split("=")[0]
            option = next((p for p in command.params if isinstance(p, click.Option) and name in p.opts), None)
            if option is None:
                unknown.append(f"{command.name} {name}")
            else:
                value_next = not option.is_flag and "=" not in token
        elif isinstance(command, click.Group):
            if token not in command.commands:
                unknown.append(f"{command.name} {token}")
                break
            command = command.commands[token]
    return unknown


def test_every_hrpark_command_and_option_it_gives_exists(guide):
    commands = hrpark_commands(guide)
    assert ["plugin", "check", "changzhi-tunliu"] in commands and len(commands) > 20
    assert [(c, unknown_parts(c)) for c in commands if unknown_parts(c)] == []
    assert unknown_parts(["rules", "changzhi", "--at", "2026-09-01"]) == ["rules --at"]  # the check can fail
    assert unknown_parts(["plugin", "renew", "tunliu"]) == ["plugin renew"]


def slug(heading):
    """GitHub's anchor of a heading: lowercased, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_every_link_to_a_section_finds_it(guide):
    anchors = {slug(h) for h in re.findall(r"^#+ (.*)$", guide, re.MULTILINE)}
    links = re.findall(r"\]\(#([^)]+)\)", guide)
    assert len(links) >= 16 and sorted(set(links) - anchors) == []


# --- the afternoon, run as written -------------------------------------------------------------------

FENCE = re.compile(r"^```(\w*)\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
NEW_FILE = re.compile(r"^# ([\w.-]+/[\w./-]+\.\w+)[ \t]*$")


def afternoon(text):
    """§ 6's text: from its heading to the next section's."""
    start = re.search(r"^## \d+\. .*The afternoon.*$", text, re.MULTILINE)
    end = re.compile(r"^## ", re.MULTILINE).search(text, start.end())
    return text[start.end():end.start()]


def afternoon_blocks(text):
    """[(kind, body)]: console (commands and their output), diff (an edit) or file (written whole)."""
    blocks = []
    for language, body in FENCE.findall(afternoon(text)):
        first = body.splitlines()[0]
        if language in ("console", "diff"):
            blocks.append((language, body))
        elif NEW_FILE.match(first):
            blocks.append(("file", body))
        else:
            raise AssertionError(f"a block of the afternoon the test cannot run: ```{language}\n{first}")
    return blocks


def console_steps(body):
    """[(command, [expected output lines])] of a console block."""
    steps = []
    for line in body.splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], []))
        else:
            steps[-1][1].append(line)
    return steps


def normalised(line):
    return " ".join(line.split())


def missing_line(expected, output):
    """The first expected line (in order; `…` stands for anything) the output lacks, or None."""
    actual = [normalised(line) for line in output.splitlines()]
    position = 0
    for line in expected:
        if normalised(line) in ("", "…"):
            continue
        pattern = re.compile("^" + ".*?".join(re.escape(part) for part in normalised(line).split("…")) + "$")
        while position < len(actual) and not pattern.match(actual[position]):
            position += 1
        if position == len(actual):
            return line
        position += 1
    return None


def apply_diff(body, root):
    """Apply a diff of the guide's form: `--- path` / `+++ path`, hunks after `@@`, each found once."""
    lines = body.splitlines()
    assert lines[0].startswith("--- ") and lines[1].startswith("+++ "), lines[:2]
    path = root / lines[1][4:].strip()
    text = "\n" + path.read_text(encoding="utf-8")
    hunks = [[]]
    for line in lines[2:]:
        if line.startswith("@@"):
            hunks.append([])
        else:
            hunks[-1].append(line)
    for hunk in (h for h in hunks if h):
        old = [line[1:] for line in hunk if line[:1] in (" ", "-", "")]
        new = [line[1:] for line in hunk if line[:1] in (" ", "+", "")]
        before, after = "\n" + "\n".join(old) + "\n", "\n" + "\n".join(new) + "\n"
        assert text.count(before) == 1, f"{path.name}: the lines this diff changes are not there once:{before}"
        text = text.replace(before, after)
    path.write_text(text[1:], encoding="utf-8")


def test_the_output_check_and_the_diff_fail_where_they_should(tmp_path):
    output = "已生成 / written: /home/officer/hrpark-tunliu\n  pyproject.toml\n15 passed in 2.55s\n"
    assert missing_line(["已生成 / written: …/hrpark-tunliu", "…", "15 passed in …"], output) is None
    assert missing_line(["15 passed in …", "  pyproject.toml"], output) == "  pyproject.toml"  # order counts
    assert missing_line(["14 passed in …"], output) == "14 passed in …"
    (tmp_path / "a.py").write_text("x = 1\ny = 2\n", encoding="utf-8")
    apply_diff("--- a.py\n+++ a.py\n@@\n x = 1\n-y = 2\n+y = 3\n", tmp_path)
    assert (tmp_path / "a.py").read_text(encoding="utf-8") == "x = 1\ny = 3\n"
    with pytest.raises(AssertionError, match="not there once"):
        apply_diff("--- a.py\n+++ a.py\n@@\n-y = 2\n+y = 4\n", tmp_path)


def test_the_afternoon_has_every_step(guide):
    kinds = [kind for kind, _ in afternoon_blocks(guide)]
    assert {"console", "diff", "file"} == set(kinds)
    commands = " ".join(c for kind, body in afternoon_blocks(guide) if kind == "console" for c, _ in console_steps(body))
    for step in ("hrpark plugin new tunliu", "--effective-from", "pip install", "hrpark plugin check", "python -m pytest",
                 "hrpark rules diff", "hrpark whatif"):
        assert step in commands


def command_environment(bin_dir):
    """The officer's shell: hrpark's environment first on PATH, no database, revision or start-date
    settings from outside, and pip without an index (everything it needs is installed)."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "HRPARK_DATABASE_URL", "HRPARK_REVISIONS_DIR") and not k.endswith("_EFFECTIVE_FROM")}
    return {**env, "PATH": f"{bin_dir}{os.pathsep}{env.get('PATH', '')}", "PIP_NO_INDEX": "1",
            "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PYTHONPATH": str(ROOT)}  # this checkout's hrpark


def console_scripts(python):
    """`hrpark` and `pip` in the environment's bin, as their installed console scripts are."""
    scripts = {"hrpark": "import sys\nfrom core.io.cli.main import main\nsys.exit(main())\n",
               "pip": 'import runpy\nrunpy.run_module("pip", run_name="__main__", alter_sys=True)\n'}
    for name, body in scripts.items():
        script = python.parent / name
        script.write_text(f"#!{python}\n{body}", encoding="utf-8")
        script.chmod(0o755)


def test_the_afternoon_runs_as_written(guide, tmp_path, venv):
    hrpark_directory = tmp_path / "hrpark"  # where `make demo` ran: its docs/examples are at hand
    hrpark_directory.mkdir()
    (hrpark_directory / "docs").symlink_to(ROOT / "docs", target_is_directory=True)
    console_scripts(venv)
    env = command_environment(venv.parent)
    for kind, body in afternoon_blocks(guide):
        if kind == "file":
            path = hrpark_directory / NEW_FILE.match(body.splitlines()[0]).group(1)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(body, encoding="utf-8")
        elif kind == "diff":
            apply_diff(body, hrpark_directory)
        else:
            for command, expected in console_steps(body):
                done = subprocess.run(["bash", "-c", command], cwd=hrpark_directory, env=env, capture_output=True,
                                      text=True, encoding="utf-8", timeout=600)
                output = done.stdout + done.stderr
                assert done.returncode == 0, f"$ {command}\n{output}"
                assert missing_line(expected, output) is None, f"$ {command}\nlacks: {missing_line(expected, output)}\n{output}"
