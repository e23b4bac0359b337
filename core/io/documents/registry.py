"""Official documents a jurisdiction issues: its templates (from the plugin hook; a county overrides
any of its city's by id) and `render`, which fills one with a record from the database as a Word
(.docx) file or a print-ready HTML page — both from the template's one HTML source (the Word file is
made from the print view, core.io.documents.word).

The back office and `hrpark document` both call `render(template_id, record_id, fmt, actor)`.
"""
import re
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

RECORD_KINDS = ("application", "recognition", "assessment", "rectification", "subsidy", "notice")
#: What each record kind is, for lists and messages (zh, en).
RECORD_KIND_LABELS = {
    "application": ("认定申请", "application"),
    "notice": ("公示", "public notice"),
    "recognition": ("认定", "recognition"),
    "assessment": ("年度考核", "assessment"),
    "rectification": ("限期整改", "rectification"),
    "subsidy": ("补贴", "subsidy"),
}
FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
}


@dataclass(frozen=True)
class DocumentTemplate:
    id: str  # '<programme code>.<name>', e.g. 'city.approval_form'
    title: str
    title_en: str
    record_kind: str  # one of RECORD_KINDS
    article: str
    #: The one source: an .html Jinja template extending core's official.html; Word and print view.
    path: Path | None = None
    source: str = ""
    #: The templates directory of the jurisdiction this one's template extends, as `parent/<file>`.
    parent_templates: Path | None = None
    #: 发文机关 printed on the document; "" = the jurisdiction's HRSS bureau (Y市人力资源和社会保障局).
    issuer: str = ""
    #: 发文机关标志 (the red header); "" = issuer + 文件.
    header: str = ""
    #: 发文字号 before 〔year〕, e.g. the bureau's ×人社发; "" = no document number line.
    number_prefix: str = ""
    #: (record, context, rules) -> dict of what only this jurisdiction's measures add to the context.
    extra_context: Callable | None = None
    #: text -> text: a county's words over its city's template, applied to the source as it is
    #: filled, so the county issues the city's one file instead of a copy of it.
    reword: Callable | None = None

    def __post_init__(self):
        if self.record_kind not in RECORD_KINDS:
            raise ValueError(
                f"文书模板 {self.id} 的记录类型“{self.record_kind}”无效，应为 {'、'.join(RECORD_KINDS)}"
                f" — template {self.id}: unknown record kind {self.record_kind!r}"
            )

    @property
    def formats(self) -> tuple:
        """Every format when the source is an HTML template, none otherwise."""
        return tuple(FORMATS) if self.path is not None and Path(self.path).suffix.lower() == ".html" else ()


def template_maker(prefix, directory, source, number_prefix):
    """`template(key, title, title_en, kind, article, extra=None, numbered=False)`, which makes the
    template `prefix.key` of a jurisdiction's file `key`.html in `directory`; `numbered` ones carry
    the 发文字号 `number_prefix`."""

    def template(key, title, title_en, kind, article, extra=None, numbered=False):
        return DocumentTemplate(
            id=f"{prefix}.{key}", title=title, title_en=title_en, record_kind=kind, article=article,
            path=directory / f"{key}.html", source=source,
            number_prefix=number_prefix if numbered else "", extra_context=extra,
        )

    return template


def _service_errors():
    from core.records.services.base import NotFound, ServiceError

    return NotFound, ServiceError


def _document_error(zh, en, field=None):
    _, ServiceError = _service_errors()
    return ServiceError(zh, en, field=field)


# --- which templates ----------------------------------------------------------------------------


def templates_for(jurisdiction_code, record_kind=None) -> list:
    """The templates a jurisdiction issues (its own and its city's), of `record_kind` if given."""
    from core.plugin.registry import registry

    templates = registry().get(jurisdiction_code).document_templates()
    return [t for t in templates if record_kind is None or t.record_kind == record_kind]


def templates_for_record(record_kind, record) -> list:
    """The templates that apply to `record` (a model instance of `record_kind`), for its page."""
    from core.io.documents.context import record_rules

    templates = record_rules(record_kind, record).document_templates()
    return [t for t in templates if t.record_kind == record_kind]


def all_templates() -> dict:
    """{jurisdiction code: [templates]} of every installed jurisdiction."""
    from core.plugin.registry import registry

    return {j.code: j.document_templates() for j in registry()}


def find_template_kind(template_id) -> str:
    """The record kind a template id takes, wherever it is installed; an error naming the known ids."""
    known = []
    for templates in all_templates().values():
        for t in templates:
            if t.id == template_id:
                return t.record_kind
            known.append(t.id)
    NotFound, _ = _service_errors()
    raise NotFound(
        f"没有文书模板“{template_id}”；已安装的模板：{', '.join(sorted(set(known))) or '无'}",
        f"no document template {template_id!r}; installed: {', '.join(sorted(set(known))) or 'none'}",
    )


# --- rendering -----------------------------------------------------------------------------------


def load_record(record_kind, record_id, actor=None):
    """The record of `record_kind` with `record_id`; NotFound when absent or out of the actor's reach."""
    from core.io.documents.context import KIND_MODELS, record_park

    NotFound, _ = _service_errors()
    label, label_en = RECORD_KIND_LABELS[record_kind]
    try:
        record_id = int(record_id)
    except (TypeError, ValueError):
        raise _document_error(f"记录编号“{record_id}”不是整数", f"record id {record_id!r} is not a whole number",
                              field="record_id") from None
    record = KIND_MODELS[record_kind].get_or_none(KIND_MODELS[record_kind].id == record_id)
    if record is None:
        raise NotFound(f"{label}记录 #{record_id} 不存在", f"{label_en} #{record_id} not found")
    park = record_park(record_kind, record)
    if actor is not None and not actor.may_reach(park.jurisdiction_id, park.id):
        raise NotFound("记录不存在或不在您的管辖范围内", "record not found or outside your jurisdiction")
    return record


def resolve(template_id, record_kind, record):
    """The template `template_id` as the record's own jurisdiction defines it (a county's override
    wins over its city's); an error if that jurisdiction does not issue it."""
    from core.io.documents.context import record_jurisdiction, record_rules

    rules = record_rules(record_kind, record)
    row = record_jurisdiction(record_kind, record)
    for template in rules.document_templates():
        if template.id == template_id:
            if template.record_kind != record_kind:
                raise _document_error(
                    f"{rules.info.name}的文书模板“{template_id}”用于{RECORD_KIND_LABELS[template.record_kind][0]}记录",
                    f"{template_id} of {rules.code} takes a {template.record_kind} record", field="template",
                )
            return template, rules
    raise _document_error(
        f"文书模板“{template_id}”不适用于{row.name_zh}的记录（该记录适用《{rules.info.measures_title}》）",
        f"template {template_id!r} does not apply to a record of {row.code} (governed by {rules.code})",
        field="template",
    )


def safe_filename(text) -> str:
    """A file name from Chinese text: characters Windows refuses replaced, length bounded."""
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", text).strip(" .")
    return cleaned[:120] or "document"


def render(template_id: str, record_id: int, fmt: str, actor=None, today=None):
    """(bytes, filename, mimetype) of template `template_id` filled with record `record_id`.

    `fmt` is 'docx' or 'html'. With an `actor`, a record outside the actor's reach is NotFound.
    """
    from core.io.documents.context import build_context
    from core.io.documents.render import render_docx, render_html

    if fmt not in FORMATS:
        raise _document_error(
            f"不支持的格式“{fmt}”，应为 docx 或 html", f"unsupported format {fmt!r}: use docx or html", field="format"
        )
    record_kind = find_template_kind(template_id)
    record = load_record(record_kind, record_id, actor)
    template, rules = resolve(template_id, record_kind, record)
    if fmt not in template.formats:
        raise _document_error(
            f"文书模板“{template_id}”没有 {fmt} 格式（可用：{', '.join(template.formats) or '无'}）",
            f"template {template_id!r} has no {fmt} version (available: {', '.join(template.formats) or 'none'})",
            field="format",
        )
    context = build_context(template, record_kind, record, rules, today=today)
    render_as = render_docx if fmt == "docx" else render_html
    data = render_as(template.path, context, template.reword, template.parent_templates)
    filename = safe_filename(f"{template.title}-{context['park']['name']}-{record.id}") + f".{fmt}"
    return data, filename, FORMATS[fmt]


def content_disposition(filename, template_id="document", record_id=""):
    """A Content-Disposition header for a download: an ASCII name for old clients, the Chinese one
    (RFC 5987) for the rest."""
    suffix = Path(filename).suffix
    fallback = re.sub(r"[^A-Za-z0-9._-]+", "_", f"{template_id}-{record_id}".strip("-")) + suffix
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{urllib.parse.quote(filename)}"
