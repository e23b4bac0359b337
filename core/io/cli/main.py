"""The `hrpark` command line: installed jurisdictions and their rules, evaluating a park dossier
under one or every jurisdiction, subsidy what-ifs, dossier import/export and migrations.

Exit status: 0 done; 2 bad input (a file that is missing or not JSON, a dossier with errors —
each named by its field path —, an unknown jurisdiction or park); 1 anything else. Only the
commands that need the database connect to it.
"""
import contextlib
import datetime
import getpass
import importlib
import os
import sys
import traceback
from pathlib import Path

import click

from core.io.cli import reports as cli_reports
from core.plugin.registry import RulesUnavailable
from core.io.cli.tables import BAD_INPUT, table, to_json


class BadInput(click.ClickException):
    """Input the command cannot use: printed as one line per problem, exit status 2."""

    exit_code = BAD_INPUT

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("\n".join(self.lines()))

    def lines(self):
        from core.io.dossier import format_error

        return [format_error(path, message) for path, message in self.errors]

    def show(self, file=None):
        click.echo(f"输入有误（{len(self.errors)}处） / Bad input ({len(self.errors)}):", err=True)
        for line in self.lines():
            click.echo(f"  {line}", err=True)


class YearType(click.ParamType):
    name = "YEAR"

    def convert(self, value, param, ctx):
        from core.io.dossier import FIRST_YEAR, LAST_YEAR, YEAR_RANGE

        try:
            year = int(value)
        except (TypeError, ValueError):
            self.fail(f"“{value}”不是年份 / {value!r} is not a year.", param, ctx)
        if not FIRST_YEAR <= year <= LAST_YEAR:
            self.fail(YEAR_RANGE, param, ctx)
        return year


class DateType(click.ParamType):
    """A date as people write it (core.rules.dates: 2026-06-30, 2026/6/30, 2026年6月30日)."""

    name = "DATE"

    def convert(self, value, param, ctx):
        from core.rules.dates import DateFormatError, parse_date

        try:
            day = parse_date(value)
        except DateFormatError as exc:
            self.fail(str(exc), param, ctx)
        if day is None:
            self.fail(str(DateFormatError(value)), param, ctx)
        return day


YEAR, DATE = YearType(), DateType()


def json_option(command):
    return click.option("--json", "as_json", is_flag=True, help="输出 JSON（UTF-8）/ machine-readable JSON")(command)


def emit(data, text, as_json):
    click.echo(to_json(data) if as_json else text)


def cli_actor():
    """The person running the command, as recorded in the audit log."""
    from core.records.audit import Actor

    try:
        user = getpass.getuser()
    except Exception:  # no login name in some containers
        user = "unknown"
    return Actor(f"cli:{user}", "admin")


# --- the database: only for the commands that need it --------------------------------------------


def connect_database(ctx, migrate=False):
    """Bind the models to the configured database (closed when the command ends)."""
    from core.records import db, schema

    database = db.connect(ctx.obj["database_url"])
    click.get_current_context().call_on_close(database.close)
    if migrate:
        schema.upgrade(database)
    return database


def require_schema(database):
    if not database.table_exists("park"):
        raise click.ClickException(
            "数据库尚未建立，请先运行 hrpark db upgrade / the database has no tables yet: run `hrpark db upgrade`"
        )


def jurisdictions(ctx):
    """The installed jurisdictions. Deployment settings (e.g. a start date entered in the back
    office) are read from a configured database when there is one; without one the rules still
    answer, from HRPARK_<CODE>_<KEY> environment settings alone."""
    from core.records import db
    from core.plugin import registry as plugins

    url = db.database_url(ctx.obj["database_url"])
    sqlite_file = url[len("sqlite:///"):] if url.startswith("sqlite:///") else None
    if db.database.obj is None and (sqlite_file is None or Path(sqlite_file).is_file()):
        db.database.initialize(db.open_database(url))  # connects lazily, on the first settings query
    return plugins.registry()


def jurisdiction(reg, code):
    from core.plugin.registry import UnknownJurisdiction

    try:
        return reg.get(code)
    except RulesUnavailable:
        raise  # exit 2 naming the plugin's own error (main)
    except UnknownJurisdiction as exc:
        raise BadInput([("CODE", str(exc))]) from None


@contextlib.contextmanager
def dossier_errors():
    """A dossier that cannot be used is bad input listing every problem."""
    from core.io.dossier import DossierError

    try:
        yield
    except DossierError as exc:
        raise BadInput(exc.errors) from None


def read_dossier(path):
    """(ParkFacts, DossierExtras) of the file at `path`."""
    from core.io.dossier import load_dossier_file

    with dossier_errors():
        return load_dossier_file(path)


def read_dossier_data(path):
    from core.io.dossier import read_json, validate_dossier

    with dossier_errors():
        data = read_json(path)
        validate_dossier(data)
    return data


@contextlib.contextmanager
def dated(option):
    """A parameter with no value on the day asked for is bad input naming the option that chose the day."""
    from core.rules.parameters import ParameterError

    try:
        yield
    except ParameterError as exc:
        raise BadInput(
            [(option, f"该日期不在办法参数的有效期内，请换一个日期 / no parameter value on that day, choose another: {exc}")]
        ) from None


# --- commands -------------------------------------------------------------------------------------


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--database",
    "database_url",
    envvar="HRPARK_DATABASE_URL",
    metavar="URL",
    help="数据库 URL（默认 HRPARK_DATABASE_URL 或 instance/hrpark.db）/ database URL, e.g. postgresql://user@host/db",
)
@click.pass_context
def cli(ctx, database_url):
    """人力资源服务产业园管理平台命令行 / hrpark: the HR service industrial park platform."""
    ctx.ensure_object(dict)
    ctx.obj.setdefault("database_url", database_url)


@cli.command("plugins")
@json_option
@click.pass_context
def plugins_command(ctx, as_json):
    """已安装的辖区（市 → 县区）/ installed jurisdictions, city → counties."""
    data, text = cli_reports.plugins_report(jurisdictions(ctx))
    emit(data, text, as_json)


@cli.command("rules")
@click.argument("codes", nargs=-1, metavar="CODE | diff CITY COUNTY")
@click.option("--on", "on", type=DATE, help="按该日有效的办法（默认今天）/ the measures in force that day (default today)")
@json_option
@click.pass_context
def rules_command(ctx, codes, on, as_json):
    """一个辖区的参数、条件、材料、程序、考核与资金范围；每个数值注明当日适用的文件、条款和生效日期。
    `hrpark rules diff CITY COUNTY` 列出县区办法相对上级办法的改动 / one jurisdiction's rules, each
    number with the document and article governing it that day; `diff` lists a county's changes."""
    reg = jurisdictions(ctx)
    on = on or datetime.date.today()
    if len(codes) == 3 and codes[0] == "diff":
        data, text = cli_reports.rules_diff(jurisdiction(reg, codes[1]), jurisdiction(reg, codes[2]), on)
    elif len(codes) == 1:
        data, text = cli_reports.rules_report(jurisdiction(reg, codes[0]), on)
    else:
        raise click.UsageError("用法 / usage: hrpark rules CODE [--on DATE] | hrpark rules diff CITY COUNTY [--on DATE]")
    emit(data, text, as_json)


@cli.command("impact")
@click.argument("code")
@click.option("--version", "label", required=True, help="修订版本的名称，如“正式” / the revision's label")
@click.option("--year", type=YEAR, help="测算年度（默认修订施行当年）/ the year judged (default: the revision's)")
@json_option
@click.pass_context
def impact_command(ctx, code, label, year, as_json):
    """修订影响测算：名录中每个园区按现行版本和修订版本各判一次，列出认定、等次或补贴会变的园区 /
    rule-change impact: the register judged under the current and the revised version."""
    from core.rules.impact import impact

    reg = jurisdictions(ctx)
    require_schema(connect_database(ctx))
    report = impact(jurisdiction(reg, code), label, year=year, on=datetime.date.today())
    emit(report.as_dict(), cli_reports.impact_text(report), as_json)


@cli.command("ladder")
@click.argument("park_id", type=int)
@click.option("--on", "on", type=DATE, help="按该日评估（默认今天）/ the day it is worked out (default today)")
@json_option
@click.pass_context
def ladder_command(ctx, park_id, on, as_json):
    """园区的认定层级：可申报的每一项办法，由近及远，已认定的注明年度，未认定的列出所差条件 /
    a park's ladder: every programme open to it, recognised or the conditions short."""
    from core.records.bounds import COUNT
    from core.records.models import Park
    from core.rules.programmes import ladder, ladder_as_dict

    reg = jurisdictions(ctx)
    require_schema(connect_database(ctx))
    park = Park.get_or_none(Park.id == park_id) if 0 < park_id <= COUNT.maximum else None  # an id fits its column
    if park is None:
        raise BadInput([("PARK_ID", f"园区 #{park_id} 不存在 / park #{park_id} does not exist")])
    on = on or datetime.date.today()
    with dated("--on"):
        data = ladder_as_dict(ladder(park, on=on, reg=reg), on)
    emit({"park_id": park.id, "park": park.name, **data}, cli_reports.ladder_text(park, data), as_json)


def _evaluate_all(reg, facts, extras, year, as_of, as_json):
    with dated("--as-of" if as_of else "--year"):
        evaluations = [(j, j.evaluate(facts, year, as_of)) for j in sorted(reg, key=lambda j: j.code)]
    if not evaluations:
        raise click.ClickException("没有已安装的辖区插件 / no jurisdiction plugin is installed")
    data = {
        "park": facts.name,
        "dossier_jurisdiction": extras.jurisdiction,
        "year": year,
        "as_of": evaluations[0][1].as_of,
        "evaluations": [cli_reports.evaluation_data(e, j.info) for j, e in evaluations],
    }
    emit(data, cli_reports.whatif_text(evaluations, extras.jurisdiction), as_json)


@cli.command("evaluate")
@click.argument("code")
@click.argument("dossier", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--year", type=YEAR, help="申报年度（默认今年；营业收入取上一年）/ year of application (default: this year)")
@click.option("--as-of", "as_of", type=DATE, help="统计日（默认该年年底或今天）/ day agencies are counted on")
@json_option
@click.pass_context
def evaluate_command(ctx, code, dossier, year, as_of, as_json):
    """按辖区办法逐条评估档案；CODE 为 all 时各辖区并列 / evaluate a dossier (CODE `all`: every jurisdiction)."""
    facts, extras = read_dossier(dossier)
    reg = jurisdictions(ctx)
    year = year or datetime.date.today().year
    if code == "all":
        return _evaluate_all(reg, facts, extras, year, as_of, as_json)
    j = jurisdiction(reg, code)
    with dated("--as-of" if as_of else "--year"):
        evaluation = j.evaluate(facts, year, as_of)
    emit(
        cli_reports.evaluation_data(evaluation, j.info),
        cli_reports.evaluation_text(evaluation, j.info, extras.jurisdiction),
        as_json,
    )


@cli.command("whatif")
@click.argument("dossier", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--year", type=YEAR, help="申报年度（默认今年）/ year of application (default: this year)")
@click.option("--as-of", "as_of", type=DATE, help="统计日 / day agencies are counted on")
@json_option
@click.pass_context
def whatif_command(ctx, dossier, year, as_of, as_json):
    """同一园区在每个已安装辖区办法下的评估 / the park under every installed jurisdiction."""
    facts, extras = read_dossier(dossier)
    _evaluate_all(jurisdictions(ctx), facts, extras, year or datetime.date.today().year, as_of, as_json)


@cli.command("subsidy")
@click.argument("code")
@click.argument("dossier", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--year", type=YEAR, required=True, help="补贴年度 / the subsidy year")
@json_option
@click.pass_context
def subsidy_command(ctx, code, dossier, year, as_json):
    """按档案中的认定与考核等次测算补贴 / the subsidies of a year, from the dossier's recognition and grades."""
    facts, extras = read_dossier(dossier)
    j = jurisdiction(jurisdictions(ctx), code)
    context = extras.subsidy_context(facts, year)
    with dated("--year"):
        proposals = j.subsidies(context)
    data = cli_reports.subsidy_data(j, context, proposals)
    emit(data, cli_reports.subsidy_text(j, context, proposals, data), as_json)


@cli.command("import")
@click.argument("dossier", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--park", "park_id", type=int, help="导入到的园区编号（.xlsx/.csv 名册与年度数据）/ park to import a roster or figures into")
@click.option("--kind", type=click.Choice(["roster", "agency-years", "park-years"]),
              help="表格类型（默认按列名判断）/ kind of spreadsheet (default: told from the headers)")
@json_option
@click.pass_context
def import_command(ctx, dossier, park_id, kind, as_json):
    """导入档案（.json）或名册、年度数据（.xlsx/.csv），一个事务 / import a dossier, or a roster or
    yearly figures from .xlsx/.csv with --park, all or nothing."""
    if dossier.suffix.lower() in (".xlsx", ".csv"):
        return _import_spreadsheet(ctx, dossier, park_id, kind, as_json)
    if park_id is not None or kind is not None:
        raise BadInput([("--park", "--park 与 --kind 只用于 .xlsx/.csv 文件 / --park and --kind are for .xlsx/.csv files only")])
    from core.io.dossier import import_dossier

    data = read_dossier_data(dossier)  # a bad file is refused before the database is touched
    connect_database(ctx, migrate=True)
    with dossier_errors():
        park = import_dossier(data, cli_actor())
    result = {
        "park_id": park.id,
        "name": park.name,
        "jurisdiction": park.jurisdiction.code,
        "sites": len(data.get("sites") or []),
        "agencies": len(data.get("agencies") or []),
    }
    emit(
        result,
        f"已导入园区 #{park.id}“{park.name}”（{park.jurisdiction.name_zh}），园区{result['sites']}处、入驻机构{result['agencies']}家 / "
        f"imported park #{park.id} with {result['sites']} sites and {result['agencies']} agencies",
        as_json,
    )


def _import_spreadsheet(ctx, path, park_id, kind, as_json):
    """A roster or yearly figures into park `park_id`; every problem by row and column (exit 2)."""
    from core.io import tabular
    from core.records.models import Park

    if park_id is None:
        raise BadInput([("--park", "导入表格须指定园区编号 --park / a spreadsheet needs --park ID")])
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BadInput([(str(path), f"无法读取文件 / cannot read the file: {exc.strerror}")]) from None
    require_schema(connect_database(ctx))
    park = Park.get_or_none(Park.id == park_id)
    if park is None:
        raise BadInput([("--park", f"园区 #{park_id} 不存在 / park #{park_id} does not exist")])
    try:
        result = tabular.import_table(path.name, data, park, cli_actor(), kind=kind)
    except tabular.ImportRefused as exc:
        problems = [(f"{path.name} 第{p.row}行{p.column}列" if p.row else path.name, f"{p.header} {p.message}".strip())
                    for p in exc.problems]
        raise BadInput(problems) from None
    label = tabular.KIND_LABELS[result.kind]
    emit(
        result.as_dict(),
        f"已导入{label[0]}到园区 #{park.id}“{park.name}”：{result.rows}行，新增{result.created}、更新{result.updated}、"
        f"未变{result.unchanged} / imported {label[1]}: {result.rows} rows, {result.created} new, "
        f"{result.updated} changed, {result.unchanged} unchanged",
        as_json,
    )


@cli.command("export")
@click.argument("park_id", type=int)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True, path_type=Path), help="写入文件 / write to FILE")
@click.pass_context
def export_command(ctx, park_id, output):
    """导出数据库中一个园区的档案 JSON / a park's dossier from the database."""
    from core.io.dossier import export_dossier

    require_schema(connect_database(ctx))
    with dossier_errors():
        data = export_dossier(park_id)
    text = to_json(data)
    if output is None:
        click.echo(text)
    else:
        output.write_text(text + "\n", encoding="utf-8")
        click.echo(f"已写入 {output} / written to {output}", err=True)


@cli.group("db")
def db_group():
    """数据库迁移 / database migrations."""


@db_group.command("upgrade")
@click.pass_context
def db_upgrade(ctx):
    """执行尚未应用的迁移 / apply pending migrations."""
    from core.records import schema

    from core.plugin.registry import sync_jurisdictions
    from core.rules.programmes import assign_unassigned

    applied = schema.upgrade(connect_database(ctx))
    if applied:
        click.echo("已应用 / applied: " + ", ".join(str(name) for name in applied))
    else:
        click.echo("数据库已是最新 / the database is up to date")
    sync_jurisdictions()
    assigned = {table: n for table, n in assign_unassigned().items() if n}
    if assigned:
        click.echo("归属办法 / records given their programme: "
                   + ", ".join(f"{table} {n}" for table, n in assigned.items()))


@db_group.command("status")
@json_option
@click.pass_context
def db_status(ctx, as_json):
    """各迁移及其应用时间 / each migration and when it was applied."""
    from core.records import schema

    rows = schema.status(connect_database(ctx))
    data = [{"name": name, "applied": applied} for name, applied in rows]
    text = table(
        [[name, applied.isoformat(sep=" ") if applied else "未应用 pending"] for name, applied in rows],
        ["迁移 Migration", "应用时间 Applied"],
    )
    emit(data, text, as_json)


@cli.group("schema")
def schema_group():
    """文件格式的 JSON Schema / JSON Schemas of the file formats."""


@schema_group.command("dossier")
def schema_dossier():
    """园区档案（hrpark-dossier/2）的 JSON Schema / the dossier's JSON Schema."""
    from core.io.dossier import dossier_json_schema

    click.echo(to_json(dossier_json_schema()))


# --- commands other modules add (demo, serve, users, documents, plugin scaffolding) ------------

#: Modules with a `register(cli)` function; one that is not (yet) there is simply skipped.
#: admin.commands: serve, user; core.io.cli.plugin: plugin new/check; core.io.cli.documents: document.
OPTIONAL_COMMAND_MODULES = ("admin.commands", "core.io.cli.plugin", "core.io.cli.documents", "core.io.cli.generate",
                            "core.io.cli.objections")


def register_optional_commands(group, modules=OPTIONAL_COMMAND_MODULES):
    for name in modules:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            # Only the module itself (or its package) being absent is "not installed"; a missing
            # import inside it is a real error and surfaces.
            if exc.name is not None and (name == exc.name or name.startswith(exc.name + ".")):
                continue
            raise
        module.register(group)


register_optional_commands(cli)


def main(argv=None):
    """Console entry point `hrpark`: unexpected errors exit 1 with a one-line message."""
    try:
        cli.main(args=argv, prog_name="hrpark")
    except SystemExit:
        raise
    except RulesUnavailable as exc:  # a programme that cannot load is named, never replaced
        click.echo(f"{exc.zh} / {exc.en}", err=True)
        sys.exit(2)
    except Exception as exc:
        click.echo(f"出错 / Error: {type(exc).__name__}: {exc}", err=True)
        if os.environ.get("HRPARK_DEBUG"):
            traceback.print_exc()
        else:
            click.echo("（设置 HRPARK_DEBUG=1 可查看详细信息 / set HRPARK_DEBUG=1 for the traceback）", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
