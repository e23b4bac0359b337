"""Luzhou's documents: Changzhi's templates (core.io.documents.registry.DocumentTemplate) overridden by id
through `template_overrides`, each under the issuer 潞州区办法第七条 gives it:

- the approval reply is Changzhi's reply with the blocks Luzhou's text changes (第七条第（四）项: the
  district bureau replies, for a 区级 park, with the district's award and grant): its
  templates/approval_reply.html extends Changzhi's (`parent/approval_reply.html`), under the
  district's red header and number;
- the approval form, assessment result, rectification notice and subsidy sheet are Changzhi's
  files read in the district's words as they are filled (`reword`: no copy of them), issued under the
  district's red header and number (潞州区人力资源和社会保障局文件, 潞人社发〔年〕号);
- the public notice is Changzhi's, published by the city bureau (第七条第（三）项).

The district's words are Changzhi's level words read in the district's by core (`inherited`,
core.rules.level_words: 市级 → 区级, 全市 → 全区, 市级人力资源服务产业园 → 潞州区级人力资源服务产业园), then
OWN_WORDING: what no rewording of level words can say.
"""
from dataclasses import replace
from pathlib import Path

TEMPLATES = Path(__file__).parent / "templates"
ISSUER = "潞州区人力资源和社会保障局"
HEADER = "潞州区人力资源和社会保障局文件"
NUMBER_PREFIX = "潞人社发"
CITY_ISSUER = "长治市人力资源和社会保障局"
#: How Luzhou's own articles are cited (潞州区办法第九条).
OWN_ARTICLES = "潞州区办法"
COUNTY_BUREAU = "{{ park.county_bureau or '所在地人力资源和社会保障部门' }}"
#: Changzhi's words -> Luzhou's, applied after the level words, in this order:
OWN_WORDING = (
    # An excellent district park's next step is the city's level (潞州区办法第五条), where Changzhi's
    # names the province's: a different level, named on purpose, which level words never rewrite.
    ("积极申报省级人力资源服务产业园", "积极申报市级人力资源服务产业园"),
    # The district bureau is the issuer itself: reports go to it directly.
    (f"{COUNTY_BUREAU}和我局", "我局"),
    (f"{COUNTY_BUREAU}，经审核后报我局，我局将组织复核", "我局，我局将组织复核"),
)
#: Changzhi templates Luzhou issues from Changzhi's files, in its own words.
REWORDED = ("approval_form", "assessment_result", "rectification_notice", "subsidy_sheet")
APPROVAL_REPLY = "approval_reply"
PUBLIC_NOTICE = "public_notice"


def reworded(text, inherited):
    """Changzhi's `text` in the district's words: its level words by `inherited` (the plugin's), then OWN_WORDING."""
    text = inherited(text)
    for city, district in OWN_WORDING:
        text = text.replace(city, district)
    return text


def _district_context(city_extra, inherited):
    """Changzhi's extra context of a template in the district's words. The templates print an
    article after the measures' title (《…》第九条), so Luzhou's own articles lose their “潞州区办法”."""

    def extra_context(record, context, rules):
        extra = dict(city_extra(record, context, rules) or {})
        for key, value in extra.items():
            if isinstance(value, str):
                extra[key] = reworded(value, inherited).removeprefix(OWN_ARTICLES)
        return extra

    return extra_context


def _reply_context(city_extra):
    """Changzhi's reply context (award and grant, from Luzhou's numbers), addressed to the park
    alone: the district bureau, Changzhi's first addressee, issues the reply here."""

    def extra_context(record, context, rules):
        extra = dict(city_extra(record, context, rules) or {}) if city_extra else {}
        extra["addressees"] = context["park"]["applicant"]
        return extra

    return extra_context


def district_template(template, inherited):
    """`template` of Changzhi as Luzhou issues it (its title in the district's level by `inherited`)."""
    key = template.id.split(".", 1)[-1]
    template = inherited(template)
    if key == PUBLIC_NOTICE:
        return replace(template, issuer=CITY_ISSUER, article="潞州区办法第七条第（三）项")
    changed = {
        "issuer": ISSUER,
        "header": HEADER,
        "number_prefix": NUMBER_PREFIX if template.number_prefix else "",
        "article": f"{OWN_ARTICLES}{template.article}",
    }
    if key in REWORDED:
        changed["reword"] = lambda text: reworded(text, inherited)
        if template.extra_context is not None:
            changed["extra_context"] = _district_context(template.extra_context, inherited)
    if key == APPROVAL_REPLY:
        changed.update(
            title_en="Approval reply (district-level recognition)",
            article="潞州区办法第七条第（四）项、第九条、第十条",
            path=TEMPLATES / "approval_reply.html", parent_templates=template.path.parent,
            extra_context=_reply_context(template.extra_context),
        )
    return replace(template, **changed)


def template_overrides(city_templates, inherited):
    """{template id: Luzhou's version} for every template Changzhi issues."""
    return {t.id: district_template(t, inherited) for t in city_templates}
