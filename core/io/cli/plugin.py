"""`hrpark plugin …`: write a county plugin package (`new`), check a plugin (`check`), and show which
plugin, version and article supplies each rule of a jurisdiction (`provenance`).

Exit status as the rest of `hrpark`: 0 done (a check with warnings only passes); 1 a check found
errors; 2 bad input (an unknown jurisdiction, an invalid name, a directory in the way).
"""
from pathlib import Path

import click

from core.io.cli.tables import InputError, table, to_json

CHECK_FAILED = 1


def _registry(ctx):
    from core.io.cli.main import jurisdictions

    return jurisdictions(ctx)


@click.group("plugin")
def plugin_group():
    """县区插件：生成、检查、规则来源 / county plugins: scaffold, check, provenance."""


@plugin_group.command("new")
@click.argument("name")
@click.option("--extends", "extends", required=True, metavar="CODE", help="所扩展的辖区代码（hrpark plugins 列出）/ the jurisdiction it extends (listed by hrpark plugins)")
@click.option("--name-zh", prompt="县区中文名称（如 示例县） / the county's Chinese name", help="县区中文名称，如 示例县")
@click.option("--name-en", default="", help="English name, e.g. 'Sample County'")
@click.option("--code", default="", help="辖区代码（默认 CODE-NAME）/ jurisdiction code")
@click.option("--measures", "measures_title", default="", help="办法名称（默认 <县区>人力资源服务产业园认定管理办法）")
@click.option("--prefix", default="", help="认定园区名称的冠名（默认县区名去掉“区/县”）/ name prefix of recognised parks")
@click.option("--parameter", default="", help="先覆盖的上级参数 id（默认第一个数值参数）/ the city's parameter to override first")
@click.option("--effective-from", "effective_from", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="本县区办法的施行日期：数值自该日起算，此前适用上级的数值 / the county measure's start")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), help="目标目录（默认 ./hrpark-NAME）")
@click.pass_context
def new_command(ctx, name, extends, name_zh, name_en, code, measures_title, prefix, parameter, effective_from, output):
    """生成一个可安装的县区插件包 / write an installable county plugin package."""
    from core.plugin.scaffold import ScaffoldError, ScaffoldRequest, scaffold

    request = ScaffoldRequest(name=name, extends=extends, name_zh=name_zh, name_en=name_en, code=code,
                              measures_title=measures_title, prefix=prefix, parameter=parameter,
                              effective_from=effective_from.date() if effective_from else None)
    directory = output or Path.cwd() / f"hrpark-{name.replace('_', '-')}"
    try:
        written = scaffold(request, directory, _registry(ctx))
    except ScaffoldError as exc:
        raise InputError(str(exc)) from None
    parameter_file = next(p for p in written if p.name == "parameters.yaml")
    click.echo(f"已生成 / written: {directory}")
    for path in written:
        click.echo(f"  {path.relative_to(directory)}")
    click.echo(
        "\n下一步 / next:\n"
        f"  1. 编辑 {parameter_file.relative_to(directory)}，填入本县区办法的数值和条款 / enter your measure's numbers\n"
        f"  2. cd {directory} && pip install .   （离线 offline: pip install --no-build-isolation .）\n"
        f"  3. hrpark plugin check {request.code or f'{extends}-{name}'}\n"
        "  4. python -m pytest"
    )


@plugin_group.command("check")
@click.argument("code")
@click.option("--only", multiple=True, metavar="CHECK",
              help="只运行某项检查（可重复）：loads hooks parameters overrides dates templates isolation，"
                   "及附加包提供的检查 / and the checks add-ons contribute")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON / machine-readable JSON")
@click.pass_context
def check_command(ctx, code, only, as_json):
    """检查一个插件：钩子、参数、覆盖、版本和日期、模板、隔离 / run the conformance checks of a plugin."""
    from core.plugin.conformance import available_checks, run_checks
    from core.plugin.registry import UnknownJurisdiction

    known = available_checks(registry=_registry(ctx))  # core's and the add-ons' (hrpark_plugin_checks)
    unknown = sorted(set(only) - set(known))
    if unknown:
        raise InputError(
            f"未知的检查 {', '.join(unknown)}，可选：{', '.join(known)} — unknown check(s) {', '.join(unknown)}"
        )
    try:
        report = run_checks(code, registry=_registry(ctx), only=list(only) or None)
    except UnknownJurisdiction as exc:
        raise InputError(str(exc)) from None
    click.echo(to_json(report.as_dict()) if as_json else report.text())
    if not report.passed:
        ctx.exit(CHECK_FAILED)


@plugin_group.command("provenance")
@click.argument("code")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON / machine-readable JSON")
@click.pass_context
def provenance_command(ctx, code, as_json):
    """每条规则由哪个插件（版本）、依据哪一条款提供 / which plugin, version and article supplies each rule."""
    from core.plugin.registry import UnknownJurisdiction
    from core.rules.provenance import KINDS, rule_provenance

    reg = _registry(ctx)
    try:
        j = reg.get(code)
        rows = rule_provenance(code, reg)
    except UnknownJurisdiction as exc:
        raise InputError(str(exc)) from None
    if as_json:
        click.echo(to_json({"jurisdiction": code, "rules": [r.as_dict() for r in rows]}))
        return
    chain = [j.info.name]
    parent = j.info.parent
    while parent and parent in reg:
        chain.append(reg.get(parent).info.name)
        parent = reg.get(parent).info.parent
    lines = [f"{j.info.name}（{code}）《{j.info.measures_title}》 规则来源 / Where each rule comes from  ({' → '.join(reversed(chain))})"]
    for kind, (zh, en) in KINDS.items():
        of_kind = [r for r in rows if r.kind == kind]
        if not of_kind:
            continue
        lines.append(f"\n{zh} / {en}")
        lines.append(table(
            [[r.id, r.title, r.article, f"{r.plugin} {r.version}", "继承 inherited" if r.inherited else "本辖区 own"]
             for r in of_kind],
            ["id", "名称 Title", "条款 Article", "插件 Plugin", "来源 Source"],
            {1: 36, 2: 30},
        ))
    own = sum(1 for r in rows if not r.inherited)
    lines.append(f"\n本辖区规定 {own} 条，继承 {len(rows) - own} 条 / {own} own, {len(rows) - own} inherited")
    click.echo("\n".join(lines))


def register(cli):
    cli.add_command(plugin_group)

