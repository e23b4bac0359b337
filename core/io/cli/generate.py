"""`hrpark generate --scale N | --province`: fill a database with valid generated data (core.world.generate),
the ledger and the audit log topped up to a number of rows if asked (core.world.province)."""
import time

import click


def register(cli):
    cli.add_command(generate_command)
    return cli


class AgencyRange(click.ParamType):
    """`LOW-HIGH`: resident agencies of a park that meets the measures."""

    name = "LOW-HIGH"

    def convert(self, value, param, ctx):
        if isinstance(value, tuple):
            return value
        try:
            low, high = (int(part) for part in str(value).split("-"))
        except ValueError:
            self.fail(f"应为“最少-最多”，如 70-150，收到 {value!r} / expected LOW-HIGH such as 70-150, got {value!r}", param, ctx)
        if not 1 <= low <= high:
            self.fail(f"应满足 1 ≤ 最少 ≤ 最多，收到 {value!r} / expected 1 ≤ LOW ≤ HIGH, got {value!r}", param, ctx)
        return low, high


def sizes_from(scale, province, parks, agencies=None, ledger_lines=None, audit_rows=None):
    """The world's Sizes from the options: one of --scale, --province, --parks; the others change it."""
    from core.world.generate import PARKS_PER_UNIT
    from core.world.province import PROVINCE, Sizes

    if (scale is not None) + bool(province) + (parks is not None) != 1:
        raise click.UsageError("请给出 --scale、--province 或 --parks 之一 / give one of --scale, --province or --parks")
    preset = PROVINCE if province else Sizes(parks=parks or scale * PARKS_PER_UNIT)
    return Sizes(parks=preset.parks, agencies=agencies or preset.agencies,
                 ledger_lines=ledger_lines or preset.ledger_lines, audit_rows=audit_rows or preset.audit_rows)


@click.command("generate")
@click.option("--scale", type=click.IntRange(min=1), default=None,
              help="规模：N 个单元，每单元为各插件样例所列的园区及其全部数据 / N units of the parks the plugins' samples list, with all their records")
@click.option("--province", is_flag=True,
              help="省级规模：约1000个园区、每园约百家机构、台账100万行、审计日志100万行（下列选项可逐项改）/ a province: "
                   "about 1,000 parks of about a hundred agencies each, 1,000,000 ledger lines and 1,000,000 audit rows "
                   "(the options below change any of them)")
@click.option("--parks", type=click.IntRange(min=1), default=None,
              help="园区数（按单元向上取整）/ parks (rounded up to whole units)")
@click.option("--agencies", type=AgencyRange(), default=None,
              help="达标园区的入驻机构数范围 / resident agencies of a park that meets the measures, LOW-HIGH")
@click.option("--ledger-lines", type=click.IntRange(min=1), default=None,
              help="台账补足到的行数（一条 INSERT … SELECT）/ ledger lines to reach (one INSERT … SELECT)")
@click.option("--audit-rows", type=click.IntRange(min=1), default=None,
              help="审计日志补足到的行数（一条 INSERT … SELECT）/ audit-log rows to reach (one INSERT … SELECT)")
@click.option("--seed", type=int, default=2026, show_default=True, help="随机种子 / random seed (same seed, same data)")
@click.option("--database", "database_url", default=None, metavar="URL",
              help="数据库 URL（默认同 hrpark --database）/ database URL (default: as hrpark --database)")
@click.option("--quiet", is_flag=True, help="不显示进度 / no progress lines")
@click.pass_context
def generate_command(ctx, scale, province, parks, agencies, ledger_lines, audit_rows, seed, database_url, quiet):
    """批量生成省级规模的演示数据（批量写入，每表一条审计记录）/ bulk-generate province-scale data
    (bulk inserts; one audit-log row per table, not one per row)."""
    from core.records import db, schema
    from core.world.province import generate_sized

    sizes = sizes_from(scale, province, parks, agencies, ledger_lines, audit_rows)

    url = database_url or (ctx.find_object(dict) or {}).get("database_url")
    database = db.connect(url)
    ctx.call_on_close(database.close)
    schema.upgrade(database)
    started = time.perf_counter()
    last = {}

    def progress(table, done, total):
        if quiet:
            return
        if done == total or done - last.get(table, 0) >= max(total // 10, 1):
            last[table] = done
            click.echo(f"  {table}: {done}/{total}", err=True)

    def report(text):
        if not quiet:
            click.echo(f"  … {text}", err=True)

    counts = generate_sized(sizes, seed=seed, progress=progress, report=report)
    elapsed = time.perf_counter() - started
    total = sum(counts.values())
    click.echo(f"已生成 {total} 行（规模 {sizes.scale()}，用时 {elapsed:.1f} 秒）/ generated {total} rows at scale {sizes.scale()} in {elapsed:.1f}s")
    for table, rows in counts.items():
        click.echo(f"  {table:<20} {rows:>9}")
