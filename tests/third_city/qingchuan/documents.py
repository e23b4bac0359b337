"""Qingchuan's own document: the experts' review opinion (专家评审意见书, 第四条第（二）项), written
once as templates/expert_opinion.html: the print view, and the Word file made from it."""
from pathlib import Path

from core.io.documents.context import latest_opinion
from core.io.documents.registry import template_maker

TEMPLATES = Path(__file__).parent / "templates"
NUMBER_PREFIX = "青人社评"
#: The steps whose remark is the experts' opinion.
EXPERT_STEPS = ("expert_pass", "expert_reject")


def expert_opinion_context(record, context, rules):
    return {"opinion": latest_opinion(context.get("steps", []), EXPERT_STEPS)}


def build_document_templates(source="qingchuan"):
    template = template_maker("qingchuan", TEMPLATES, source, NUMBER_PREFIX)
    return [
        template("expert_opinion", "市级人力资源服务产业园专家评审意见书", "Experts' review opinion",
                 "application", "第四条第（二）项", expert_opinion_context),
    ]
