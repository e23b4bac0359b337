"""Changzhi's official documents: the approval form of the measures' 附件 (评估认定审批表), the public
notice (第七条第（三）项), the approval reply (批复, 第七条第（四）项 and 第九条), the assessment
result notice (第十八条至第二十条), the rectification notice (第二十条第（二）项) and the subsidy
payment sheet (第九条至第十一条).

Each document is declared in documents.yaml and is one HTML template (Jinja) in templates/, its
print view; the Word file is made
from the same HTML (core.io.documents.word). A county overrides one by id with its own issuer, or with
a template of its own that extends this one's and changes its blocks (approval_reply.html's).
"""
from decimal import Decimal

from core.io.documents.context import latest_opinion, parameter_value
from core.io.documents.writing import number_zh, yuan_capitals, yuan_figures
from plugins.changzhi.subsidies import wan

#: The review steps whose remarks fill the approval form's two opinion boxes (第七条第（一）项、第（二）项).
COUNTY_OPINION_STEPS = ("county_pass", "county_return")
CITY_OPINION_STEPS = ("evaluation_pass", "evaluation_reject")
SUBSIDY_TITLES = {
    "recognition_award": ("市级人力资源服务产业园一次性奖励", "第九条"),
    "operating_grant": ("市级人力资源服务产业园基础运营经费补助", "第十条"),
}


def _addressees(context):
    park = context["park"]
    return "、".join(name for name in (park["county_bureau"], park["applicant"]) if name)


def approval_form_context(record, context, rules):
    steps = context.get("steps", [])
    return {
        "opinions": {
            "county": latest_opinion(steps, COUNTY_OPINION_STEPS),
            "city": latest_opinion(steps, CITY_OPINION_STEPS),
        },
    }


def approval_reply_context(record, context, rules):
    award, base, cap, per_person, ratio = (Decimal(str(parameter_value(rules, name, record.recognised_on))) for name in (
        "recognition_award", "base_operating_grant", "max_annual_grant", "bonus_per_person", "employment_ratio"))
    return {
        "addressees": _addressees(context),
        "award": {"figures": yuan_figures(award), "capitals": yuan_capitals(award), "wan": wan(award)},
        "grant": {"base_wan": wan(base), "cap_wan": wan(cap), "per_person": number_zh(per_person),
                  "percent": f"{(ratio * 100).normalize():f}"},
    }


def notice_addressees_context(record, context, rules):
    return {"addressees": _addressees(context)}


def subsidy_sheet_context(record, context, rules):
    title, article = SUBSIDY_TITLES.get(record.kind, (record.kind, record.article))
    return {"subsidy_title": title, "subsidy_article": record.article or article}


#: The context functions documents.yaml names.
CONTEXTS = {
    "approval_form": approval_form_context,
    "approval_reply": approval_reply_context,
    "addressees": notice_addressees_context,
    "subsidy_sheet": subsidy_sheet_context,
}
