"""`hrpark erase-objections`: erase the personal information of objections kept past the
deployment's retention period (setting deployment.objection_retention_days), for cron.

    hrpark erase-objections              erase what expired by today
    hrpark erase-objections --on DATE    as if on DATE (e.g. to check what a day would erase)
"""
import datetime

import click

from core.rules.dates import DateFormatError, parse_date


def register(cli):
    cli.add_command(erase_objections)


@click.command("erase-objections")
@click.option("--on", "on", default=None, help="按该日计算保存期限（默认今天）/ the day the period is counted to (default today)")
@click.pass_context
def erase_objections(ctx, on):
    """删除超过保存期限的异议人姓名、电话和附件，并记入审计日志 / erase objectors' expired personal information."""
    from core.io.cli.main import cli_actor, connect_database
    from core.records.services.objections import DEFAULT_RETENTION_DAYS, RETENTION, erase_expired

    try:
        on = parse_date(on) or datetime.date.today()
    except DateFormatError as exc:
        raise click.BadParameter(str(exc), param_hint="--on") from None
    connect_database(ctx, migrate=True)
    erased = erase_expired(on=on, actor=cli_actor())
    days = RETENTION.read_days(DEFAULT_RETENTION_DAYS)
    click.echo(f"保存期限{days}天；删除{len(erased)}条异议的异议人个人信息 (retention {days} days; erased {len(erased)})"
               + (f"：{'、'.join(erased)}" if erased else ""))
