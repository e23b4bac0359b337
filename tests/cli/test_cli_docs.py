"""docs/cli.md and docs/dossier.md keep up with the code: every command and every field documented."""
import json
import re
from pathlib import Path

from marshmallow import fields

from core.io.cli.main import cli
from core.io.dossier import DossierSchema, load_dossier

DOCS = Path(__file__).resolve().parents[2] / "docs"


def command_paths(group, prefix="hrpark"):
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            yield from command_paths(command, f"{prefix} {name}")
        else:
            yield f"{prefix} {name}"


def test_every_command_has_a_section_with_its_real_output():
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    headings = [h for line in re.findall(r"^## (.*)$", text, re.M) for h in re.findall(r"`([^`]+)`", line)]
    own = [p for p in command_paths(cli) if p.split()[1] in {"plugins", "rules", "evaluate", "whatif", "subsidy", "import", "export", "ladder", "db", "schema"}]
    assert len(own) == 11
    for path in own:
        assert any(h.startswith(path) or path in h for h in headings), path
        assert f"$ {path}" in text, f"no example output of {path}"


def schema_field_names(schema):
    names = set()
    for name, field in schema.fields.items():
        names.add(name)
        inner = field.inner if isinstance(field, fields.List) else field
        if isinstance(inner, fields.Nested):
            names |= schema_field_names(inner.schema)
    return names


def test_every_dossier_field_is_documented():
    text = (DOCS / "dossier.md").read_text(encoding="utf-8")
    missing = sorted(n for n in schema_field_names(DossierSchema()) if f"`{n}`" not in text and f"`operator.{n}`" not in text)
    assert missing == []


def test_the_minimal_dossier_of_the_docs_loads():
    text = (DOCS / "dossier.md").read_text(encoding="utf-8")
    block = re.search(r"## A minimal dossier\s+```json\n(.*?)```", text, re.S).group(1)
    facts, extras = load_dossier(json.loads(block))
    assert facts.sites[0].floor_area == 3200 and extras.jurisdiction == "changzhi"
