"""`hrpark generate --scale N`: fill a database with N × a unit of valid generated data (core.world.generate)."""
import time

import click


def register(cli):
    cli.add_command(generate_command)
    return cli


@click.command("generate")
@click.option("--scale", type=click.IntRange(min=1), required=True,
              help="规模：N 个单元，每单元为各插件样例所列的园区及其全部数据 / N units of the parks the plugins' samples list, with all their records")
@click.option("--seed", type=int, default=2026, show_default=True, help="随机种子 / random seed (same seed, same data)")
@click.option("--database", "database_url", default=None, metavar="URL",
              help="数据库 URL（默认同 hrpark --database）/ database URL (default: as hrpark --database)")
@click.option("--quiet", is_flag=True, help="不显示进度 / no progress lines")
@click.pass_context
def generate_command(ctx, scale, seed, database_url, quiet):
    """批量生成省级规模的演示数据（批量写入，每表一条审计记录）/ bulk-generate province-scale data
    (bulk inserts; one audit-log row per table, not one per row)."""
    from core.records import db, schema
    from core.world.generate import generate

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

    counts = generate(scale, seed=seed, progress=progress)
    elapsed = time.perf_counter() - started
    total = sum(counts.values())
    click.echo(f"已生成 {total} 行（规模 {scale}，用时 {elapsed:.1f} 秒）/ generated {total} rows at scale {scale} in {elapsed:.1f}s")
    for table, rows in counts.items():
        click.echo(f"  {table:<20} {rows:>9}")
