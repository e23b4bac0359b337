"""`hrpark document`: an official document written from a record, as Word (.docx) or print-ready
HTML, both from the template's one HTML source; `hrpark document --list` names each jurisdiction's templates and the record kind each takes.

    hrpark document CODE.approval_form 12 --format docx -o 审批表.docx
    hrpark document --list [--json]

Exit status: 0 written; 2 bad input (unknown template, no such record, a template of another
jurisdiction, a record id that is not a number); 1 anything else.
"""
import json
import sys
from pathlib import Path

import click
from tabulate import tabulate

from core.io.cli.tables import InputError


def register(cli):
    """Add `document` to the `hrpark` command group (core.io.cli.main calls this)."""
    cli.add_command(document_command)


def _bind_database(ctx):
    """The configured database (--database / HRPARK_DATABASE_URL), or the one already bound."""
    from core.io.cli.main import require_schema
    from core.records import db

    url = (ctx.find_root().obj or {}).get("database_url")
    if url or db.database.obj is None:
        database = db.connect(url)
        ctx.call_on_close(database.close)
    require_schema(db.database)


def template_rows():
    from core.io.documents.registry import RECORD_KIND_LABELS, all_templates

    rows = []
    for code, templates in all_templates().items():
        for t in templates:
            zh, en = RECORD_KIND_LABELS[t.record_kind]
            rows.append({
                "jurisdiction": code, "id": t.id, "title": t.title, "title_en": t.title_en,
                "record_kind": t.record_kind, "record_kind_label": f"{zh} {en}", "formats": list(t.formats),
                "article": t.article, "source": t.source,
            })
    return rows


@click.command("document")
@click.argument("template_id", required=False, metavar="TEMPLATE")
@click.argument("record_id", required=False, metavar="RECORD_ID")
@click.option("--format", "fmt", type=click.Choice(["docx", "html"]), default="docx", show_default=True,
              help="docx（Word）或 html（浏览器打印）/ Word or print-ready HTML")
@click.option("-o", "--output", metavar="FILE", help="输出文件（默认：文书名称，写入当前目录；- 为标准输出）/ output file ('-' for stdout)")
@click.option("--list", "list_templates", is_flag=True, help="列出各辖区的文书模板 / list each jurisdiction's templates")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出列表 / the list as JSON")
@click.pass_context
def document_command(ctx, template_id, record_id, fmt, output, list_templates, as_json):
    """生成公文（Word 或 HTML）/ write an official document from a record."""
    if list_templates:
        rows = template_rows()
        if as_json:
            click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        elif not rows:
            click.echo("（没有已安装的文书模板 / no document templates installed）")
        else:
            table = [[r["jurisdiction"], r["id"], r["title"], r["record_kind_label"], "/".join(r["formats"]),
                      r["article"]] for r in rows]
            headers = ["辖区 jurisdiction", "模板 template", "名称 title", "记录类型 record kind", "格式 formats",
                       "依据 article"]
            click.echo(tabulate(table, headers=headers, tablefmt="simple_grid", disable_numparse=True))
        return
    if not template_id or record_id is None:
        raise InputError(
            "请给出模板和记录编号，例如 hrpark document 辖区代码.approval_form 12；hrpark document --list 列出模板"
            " — give TEMPLATE and RECORD_ID, or --list"
        )
    try:
        record_number = int(record_id)
    except ValueError:
        raise InputError(f"记录编号“{record_id}”不是整数 — RECORD_ID {record_id!r} is not a whole number") from None
    _bind_database(ctx)
    from core.io.documents.registry import render
    from core.records.services.base import ServiceError

    try:
        data, filename, _mimetype = render(template_id, record_number, fmt)
    except ServiceError as exc:
        raise InputError(str(exc)) from None
    if output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    path = Path(output) if output else Path(filename)
    if output and path.suffix.lower() != f".{fmt}":
        click.echo(f"注意：文件扩展名不是 .{fmt} / note: the file name does not end in .{fmt}", err=True)
    path.write_bytes(data)
    click.echo(f"已生成 {path}（{len(data):,} 字节）/ written {path} ({len(data):,} bytes)")
