"""Slow: every document type converted to PDF by LibreOffice headless (it opens them as Word would),
with the pages counted; PNGs of each page are left in HRPARK_DOCUMENT_PREVIEWS when set, to look at.
Needs libreoffice-writer-nogui, fonts-noto-cjk and poppler-utils (`make doctools`)."""
import os
from pathlib import Path

import pytest

from core.io.documents.registry import render
from tests.documents.conversion import page_count, to_pdf, to_png, tools_missing

pytestmark = [pytest.mark.slow, pytest.mark.skipif(bool(tools_missing()),
                                                   reason=f"missing {', '.join(tools_missing())}: run `make doctools`")]

#: template, case, record key, pages: the forms fit one page as on paper.
DOCUMENTS = (
    ("changzhi.approval_form", "changzhi", "application", 1),
    ("changzhi.public_notice", "changzhi", "notice", 2),
    ("changzhi.approval_reply", "changzhi", "recognition", 2),
    ("changzhi.assessment_result", "changzhi", "failed", 2),
    ("changzhi.rectification_notice", "changzhi", "rectification", 2),
    ("changzhi.subsidy_sheet", "changzhi", "award", 1),
    ("karamay.application_report", "karamay", "application", None),
    ("karamay.public_notice", "karamay", "notice", 2),
    ("karamay.recognition_notice", "karamay", "recognition", None),
    ("karamay.assessment_result", "karamay", "excellent", None),
    ("karamay.rectification_notice", "karamay", "rectification", 2),
    ("karamay.operating_subsidy_sheet", "karamay", "paid", 1),
)


def test_every_document_converts_to_pdf_with_the_expected_pages(changzhi_case, karamay_case, tmp_path):
    cases = {"changzhi": changzhi_case, "karamay": karamay_case}
    paths = []
    for template_id, case, key, _ in DOCUMENTS:
        path = tmp_path / f"{template_id}.docx"
        path.write_bytes(render(template_id, cases[case][key].id, "docx")[0])
        paths.append(path)
    previews = Path(os.environ.get("HRPARK_DOCUMENT_PREVIEWS") or tmp_path / "png")
    previews.mkdir(parents=True, exist_ok=True)
    counts = {}
    for pdf, (template_id, _, _, _) in zip(to_pdf(paths, tmp_path / "pdf"), DOCUMENTS):
        assert pdf.exists(), f"LibreOffice could not open {template_id}"
        counts[template_id] = page_count(pdf)
        assert to_png(pdf, previews), template_id
    for template_id, _, _, pages in DOCUMENTS:
        if pages is None:
            assert 2 <= counts[template_id] <= 5, (template_id, counts[template_id])
        else:
            assert counts[template_id] == pages, (template_id, counts[template_id])
