"""The JSON shape of a park's ladder (`core.rules.programmes.ladder_as_dict`, each rung from
`Rung.as_dict`), declared once as marshmallow schemas: the API's park detail nests them, so its
OpenAPI document describes the ladder, and the dossier's JSON Schema reads its `ladder` section
from them. The values themselves come from `Rung.as_dict` alone; these classes only declare them.
"""
from marshmallow import Schema, fields

from core.records import vocab

OUTCOMES = ["eligible", "not_eligible", "pending", "incomplete"]
SHORT_STATUSES = ["not_met", "not_met_waivable", "judged_not_met"]
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"


class Said(fields.String):
    """A string field that knows its JSON Schema (an enum, a date), for the API's converter and the
    dossier's JSON Schema alike; a value is written as it is."""

    def __init__(self, enum=None, date=False, **kwargs):
        self.enum, self.date = enum, date
        super().__init__(**kwargs)

    def json_schema(self):
        schema = {"type": "string"}
        if self.enum is not None:  # OpenAPI 3.0: a nullable enum lists null among its values
            schema["enum"] = list(self.enum) + ([None] if self.allow_none else [])
        if self.date:
            schema.update(format="date", pattern=DATE_PATTERN)
        return schema


def said(description, enum=None, date=False, nullable=False):
    return Said(enum=enum, date=date, required=True, allow_none=nullable, metadata={"description": description})


class InOrder(Schema):
    """A schema that dumps its fields in the order they are declared."""

    class Meta:
        ordered = True


class ShortCondition(InOrder):
    """A condition of the programme the park does not meet on the ladder's day."""

    criterion = said("条件编号 / the criterion's id")
    article = said("条款，如 第六条第（二）项 / the article")
    title = said("条件名称 / the condition")
    title_en = said("the condition, in English")
    status = said("不符合 / 不符合（原则上，可豁免）/ 经评审不符合 — not met, waivable or judged not met",
                  enum=SHORT_STATUSES)


class LadderRung(InOrder):
    """One programme (认定办法) open to the park: its recognition there, or its what-if, or why its
    rules are unavailable."""

    programme = said("办法（插件）代码 / the programme's code")
    level = said("认定层级 / level of recognition", enum=vocab.JURISDICTION_LEVELS.codes())
    issuer = said("发文辖区 / the issuing jurisdiction")
    issuer_en = said("the issuing jurisdiction, in English")
    title = said("办法名称（规则不可用时为空）/ the measures' title (empty when unavailable)")
    document_number = said("文号 / document number")
    version = said("当日施行的版本（规则不可用时为空）/ the version in force that day (empty when unavailable)")
    text = said("如 X区级 ✓ 2024、Y市级：差2项条件")
    text_en = said("e.g. Y (city-level): 2 condition(s) short")
    recognised_on = said("认定日期（已认定时）/ recognised on, where recognised", date=True, nullable=True)
    status = said("认定状态（已认定时）/ the recognition's status", enum=vocab.RECOGNITION_STATUSES.codes(), nullable=True)
    outcome = said("未认定时按该办法评估的结论 / the what-if's outcome where not recognised", enum=OUTCOMES,
                   nullable=True)
    short = fields.List(fields.Nested(ShortCondition), required=True,
                        metadata={"description": "差的条件 / the conditions short"})
    unavailable = said("规则不可用时插件的错误 / the plugin's error where its rules cannot load", nullable=True)


class ParkLadder(InOrder):
    """Every programme open to the park, from the nearest level up, on one day."""

    on = said("评估日 / the day it was worked out", date=True)
    text = said("如 X区级 ✓ 2024 → Y市级：差2项条件")
    text_en = said("the same, in English")
    rungs = fields.List(fields.Nested(LadderRung), required=True)
