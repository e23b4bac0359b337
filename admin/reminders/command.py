"""`hrpark remind`: the daily run of the reminders, for cron (see the README's "Reminders").

    hrpark remind              write the day's reminders and send the mail now
    hrpark remind --enqueue    leave the same work to `rq worker hrpark` (HRPARK_REDIS_URL)
"""
import datetime

import click

from core.rules.dates import DateFormatError, parse_date


@click.command("remind")
@click.option("--on", "on", default=None,
              help="按该日检查期限（默认今天）/ the day deadlines are checked on (default today)")
@click.option("--enqueue", is_flag=True,
              help="交给队列（rq worker）执行，需设置 HRPARK_REDIS_URL / leave the work to the RQ worker")
@click.option("--database-url", default=None, help="数据库 URL（默认同 hrpark --database）/ database URL")
def remind(on, enqueue, database_url):
    """每日提醒：写入临近期限的站内消息，并发送邮件 / write the day's reminders and mail them."""
    from admin.commands import _migrated_database
    from admin.reminders import mail, queue

    try:
        on = parse_date(on) or datetime.date.today()
    except DateFormatError as exc:
        raise click.BadParameter(str(exc), param_hint="--on") from None
    try:
        mail.mail_settings()
    except mail.MailConfigError as exc:
        raise click.ClickException(str(exc)) from None
    if enqueue:
        rq = queue.rq_queue()
        if rq is None:
            raise click.ClickException("未设置 HRPARK_REDIS_URL，无法交给队列 (HRPARK_REDIS_URL is not set: no queue)")
        job = rq.enqueue(queue.remind_job, on.isoformat())
        click.echo(f"已加入队列 {rq.name}：{job.id} (queued)")
        return
    _migrated_database(database_url)
    result = queue.remind_job(on.isoformat())
    if not mail.mail_enabled():
        click.echo("未设置 HRPARK_MAIL_SERVER：只写站内消息，不发邮件 (no mail server: inbox only)")
    click.echo(f"新消息 {result['written']} 条；邮件 {result['mailed']} 封，每日汇总 {result['digests']} 封"
               f"{'，失败 ' + str(result['failed']) + ' 封（下次重试）' if result['failed'] else ''} "
               f"(written {result['written']}, mailed {result['mailed']}, digests {result['digests']})")
