"""`hrpark document`: the list of templates with their record kinds, a document written to a file,
and bad input refused with exit status 2; then every document of the demo data, both formats."""
import datetime
import json

import pytest
from click.testing import CliRunner

from core.io.cli.main import cli
from core.io.documents.context import KIND_MODELS
from core.io.documents.registry import all_templates, render, resolve
from core.records.services.base import ServiceError
from tests.documents.reading import docx_text, html_text


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_list_names_each_jurisdictions_templates_and_record_kind(registry):
    result = run("document", "--list")
    assert result.exit_code == 0
    assert "changzhi.approval_form" in result.output and "认定申请 application" in result.output
    assert "karamay.operating_subsidy_sheet" in result.output and "补贴 subsidy" in result.output
    rows = json.loads(run("document", "--list", "--json").output)
    kinds = {(r["jurisdiction"], r["id"]): r["record_kind"] for r in rows}
    assert kinds[("changzhi", "changzhi.public_notice")] == "notice"
    assert kinds[("karamay", "karamay.rectification_notice")] == "rectification"
    assert all(r["formats"] == ["docx", "html"] for r in rows)


def test_document_is_written_in_either_format(changzhi_case, tmp_path):
    out = tmp_path / "批复.docx"
    result = run("document", "changzhi.approval_reply", str(changzhi_case["recognition"].id), "--format", "docx",
                 "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "已生成" in result.output
    assert "人民币捌拾万元整" in docx_text(out.read_bytes())
    page = tmp_path / "公示.html"
    assert run("document", "changzhi.public_notice", str(changzhi_case["notice"].id), "--format", "html",
               "-o", str(page)).exit_code == 0
    assert "共5个工作日" in html_text(page.read_bytes())


@pytest.mark.parametrize("args, message", [
    (("document", "changzhi.nonsense", "1"), "没有文书模板"),
    (("document", "changzhi.approval_form", "99999"), "不存在"),
    (("document", "changzhi.approval_form", "abc"), "不是整数"),
    (("document", "changzhi.approval_form"), "请给出模板和记录编号"),
])
def test_bad_input_exits_2_saying_what_is_wrong(changzhi_case, tmp_path, args, message):
    result = CliRunner().invoke(cli, list(args) + ["-o", str(tmp_path / "x.docx")])
    assert result.exit_code == 2
    assert message in result.output
    assert not (tmp_path / "x.docx").exists()


def test_every_document_of_the_demo_data_renders_in_both_formats(db, registry, tmp_path, monkeypatch):
    """From the demo: each template of both cities, on every record it applies to, as docx and HTML."""
    from core.world.demo import build_demo_data

    monkeypatch.setenv("HRPARK_UPLOAD_DIR", str(tmp_path / "uploads"))
    build_demo_data(datetime.date(2026, 10, 20))
    rendered = {}
    for code, templates in all_templates().items():
        for template in templates:
            for record in KIND_MODELS[template.record_kind].select():
                try:
                    resolve(template.id, template.record_kind, record)
                except ServiceError:
                    continue  # another jurisdiction's record
                if template.record_kind == "assessment" and record.status != "confirmed":
                    continue
                for fmt in ("docx", "html"):
                    data, filename, _ = render(template.id, record.id, fmt)
                    text = docx_text(data) if fmt == "docx" else html_text(data)
                    assert record_park_name(template.record_kind, record) in text, (template.id, record.id)
                    rendered[template.id] = rendered.get(template.id, 0) + 1
    expected = {t.id for ts in all_templates().values() for t in ts}
    assert set(rendered) == expected, expected - set(rendered)


def record_park_name(kind, record):
    from core.io.documents.context import record_park

    return record_park(kind, record).name
