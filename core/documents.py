"""Document templates a jurisdiction issues (rendering comes with the documents work)."""
from dataclasses import dataclass
from pathlib import Path

RECORD_KINDS = ("application", "recognition", "assessment", "rectification", "subsidy", "notice")


@dataclass(frozen=True)
class DocumentTemplate:
    id: str  # e.g. 'changzhi.approval_form'
    title: str
    title_en: str
    record_kind: str  # one of RECORD_KINDS
    article: str
    path: Path | None = None  # a .docx (docxtpl) or .html (Jinja) template file
    source: str = ""
