"""The shared facts (an agency, the yearly figures) are declared once (core/rules/shared_facts.py): the database columns agree
with the declaration, and a field added to the declaration reaches every layer derived from it."""
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from peewee import BooleanField, CharField, DateField, DecimalField, ForeignKeyField, IntegerField, TextField

from core.rules import shared_facts
from core.records.bounds import bounds_of
from core.rules.facts import AgencyFacts, AgencyYearFacts, ParkYearFacts
from core.records.models import JSONField
from core.rules.shared_facts import RECORDS, SharedFact, SharedFactError

ROOT = Path(__file__).resolve().parents[2]
#: Columns of a shared table that are not declared facts: its key, its owner and its optimistic lock.
NOT_FIGURES = {"id", "version", "facts"}  # facts: what a programme declares (facts.yaml), not a shared field
COLUMN_OF_TYPE = {"year": IntegerField, "count": IntegerField, "money": DecimalField, "area": DecimalField,
                  "bool": BooleanField, "text": CharField, "code": CharField, "codes": JSONField, "date": DateField}


def figure_columns(model):
    return [f for f in model._meta.sorted_fields if f.name not in NOT_FIGURES and not isinstance(f, ForeignKeyField)]


@pytest.mark.parametrize("record", RECORDS)
def test_the_model_has_a_column_for_each_declared_field_and_no_other(record):
    model = shared_facts.model_of(record)
    assert [f.name for f in figure_columns(model)] == list(shared_facts.names_of(record))


@pytest.mark.parametrize("fact", shared_facts.SHARED_FACTS, ids=lambda f: f"{f.record}.{f.id}")
def test_each_declared_field_has_the_column_type_and_bounds_of_its_declaration(fact):
    column = getattr(shared_facts.model_of(fact.record), fact.id)
    assert isinstance(column, TextField if fact.long else COLUMN_OF_TYPE[fact.type])
    if fact.type in ("money", "area"):
        assert column.decimal_places == 2
    if fact.type == "code":
        assert column.default == fact.default
    if fact.type == "date":
        assert column.null
    # The same Bounds object: the form, the API and the import refuse the same values.
    assert bounds_of(column) is fact.bounds


def test_the_facts_dataclasses_are_the_declared_fields_with_their_zeros():
    assert list(AgencyYearFacts.__dataclass_fields__) == list(shared_facts.names_of("agency_year"))
    assert list(ParkYearFacts.__dataclass_fields__) == [*shared_facts.names_of("park_year"), "facts"]
    figures = AgencyYearFacts(2025, Decimal("10.50"), Decimal("2"))
    assert (figures.tax, figures.employment_helped, figures.revenue_with_pass_through) == (0, 0, Decimal("12.50"))
    assert ParkYearFacts(2025).facts == {}  # a programme's own facts of the year, none until entered
    assert list(AgencyFacts.__dataclass_fields__) == [*shared_facts.names_of("agency"), "years", "id"]
    agency = AgencyFacts("机构")
    assert (agency.kind, agency.licence_kind, agency.service_lines, agency.exited_on) == ("operating", "licence", [], None)
    with pytest.raises(TypeError):
        AgencyFacts()  # the name is required


@pytest.mark.parametrize("bad, says", [
    (SharedFact("x", "park", "count", "某", "X"), "未知的记录 'park'"),
    (SharedFact("x", "park_year", "percent", "某", "X"), "未知的类型 'percent'"),
    (SharedFact("tax", "agency_year", "money", "税", "Tax"), "重复声明"),
    (SharedFact("x", "agency", "code", "某", "X"), "须指明 vocabulary"),
    (SharedFact("x", "agency", "code", "某", "X", vocabulary="NO_SUCH_TERMS"), "没有 NO_SUCH_TERMS"),
])
def test_a_wrong_declaration_is_refused_naming_the_field(bad, says):
    with pytest.raises(SharedFactError) as caught:
        shared_facts.check([*shared_facts.SHARED_FACTS, bad])
    assert says in str(caught.value)
    assert f"core/rules/shared_facts.py: {bad.record}.{bad.id}" in str(caught.value)


def test_the_declaration_as_shipped_is_accepted():
    shared_facts.check()


#: Run in a fresh interpreter: a field is added to the declaration before any layer is imported,
#: as a developer adding a line to core/rules/shared_facts.py would.
ADD_A_FIELD = """
import io, json
from core.rules import shared_facts
shared_facts.SHARED_FACTS += [
    shared_facts.SharedFact("trainings_held", "park_year", "count", "培训场次", "Trainings held", unit="events"),
    shared_facts.SharedFact("grade_kind", "agency", "code", "机构等级", "Agency grade", vocabulary="GRADES", default="qualified"),
    shared_facts.SharedFact("grants_received", "agency_year", "money", "获得资助", "Grants received", unit="yuan",
                            header="获得资助（元）", header_en="grants received (yuan)"),
]
from openpyxl import load_workbook
from admin.api import schemas
from admin.api.openapi import build_spec
from core.io import dossier, spreadsheets, tabular
from core.rules import facts

def headers(kind):
    sheet = load_workbook(io.BytesIO(spreadsheets.template_workbook(kind, "某市", "", []))).worksheets[0]
    return [cell.value for cell in next(sheet.iter_rows(max_row=1))]

json_schema = dossier.dossier_json_schema()["properties"]
components = build_spec()["components"]["schemas"]
loaded, _ = dossier.load_dossier({
    "format": dossier.FORMAT, "jurisdiction": "x", "park": {"name": "园"},
    "agencies": [{"name": "机构", "years": [{"year": 2025, "grants_received": "12.30"}]}],
    "park_years": [{"year": 2025, "trainings_held": 4}],
})
print(json.dumps({
    "dossier_park_year": json_schema["park_years"]["items"]["properties"].get("trainings_held"),
    "dossier_agency_year": json_schema["agencies"]["items"]["properties"]["years"]["items"]["properties"].get("grants_received"),
    "api_in": sorted(components["ParkYearIn"]["properties"]),
    "api_out": sorted(components["AgencyYearOut"]["properties"]),
    "api_in_bounds": components["ParkYearIn"]["properties"].get("trainings_held"),
    "agency_in": components["AgencyIn"]["properties"].get("grade_kind"),
    "roster_headers": headers(tabular.ROSTER),
    "park_year_headers": headers(tabular.PARK_YEARS),
    "agency_year_headers": headers(tabular.AGENCY_YEARS),
    "loaded": [loaded.years[2025].trainings_held, str(loaded.agencies[0].years[2025].grants_received)],
    "exported": dossier.facts_to_dossier(loaded)["park_years"][0].get("trainings_held"),
}, ensure_ascii=False))
"""


@pytest.fixture(scope="module")
def with_a_field_added():
    done = subprocess.run([sys.executable, "-c", ADD_A_FIELD], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_field_added_to_the_declaration_is_in_the_dossier_json_schema(with_a_field_added):
    assert with_a_field_added["dossier_park_year"] == {"type": "integer", "minimum": 0}
    assert with_a_field_added["dossier_agency_year"]["anyOf"][0] == {"type": "number", "minimum": 0}


def test_a_field_added_to_the_declaration_is_in_the_api_schemas(with_a_field_added):
    assert "trainings_held" in with_a_field_added["api_in"]
    assert "grants_received" in with_a_field_added["api_out"]
    assert with_a_field_added["api_in_bounds"] == {"type": "integer", "minimum": 0, "maximum": 2_147_483_647}
    assert with_a_field_added["agency_in"]["enum"] == ["excellent", "qualified", "unqualified"]


def test_a_field_added_to_the_declaration_is_a_column_of_the_spreadsheet_template(with_a_field_added):
    headers = with_a_field_added["park_year_headers"]
    assert headers[headers.index("服务人次") + 1] == "培训场次"  # then the facts programmes declare, then 园区编号
    assert headers[-1] == "园区编号"
    assert with_a_field_added["agency_year_headers"][-2:] == ["获得资助（元）", "园区编号"]
    assert with_a_field_added["roster_headers"][-2:] == ["机构等级", "园区编号"]


def test_a_field_added_to_the_declaration_is_read_and_written_by_the_dossier(with_a_field_added):
    assert with_a_field_added["loaded"] == [4, "12.30"]
    assert with_a_field_added["exported"] == 4


@pytest.mark.parametrize("fact", [f for f in shared_facts.SHARED_FACTS if f.type != "year"], ids=lambda f: f"{f.record}.{f.id}")
def test_each_declared_figure_is_described_in_the_dossier_guide(fact):
    """docs/dossier.md gives each figure its row (type, unit, default, the articles that read it)."""
    guide = (ROOT / "docs" / "dossier.md").read_text(encoding="utf-8")
    assert f"| `{fact.id}` |" in guide
