"""The back office's commands on the `hrpark` CLI: `serve` (waitress, or gunicorn with
`--workers N`), `user create|list|disable` and `demo` (a fresh demo database with its accounts,
served on waitress).

core/io/cli/main.py calls `register(cli)`. Several worker processes may serve one database (`--workers`,
or several `hrpark serve` on different ports behind a reverse proxy): sessions and login
throttling live in the database; separate servers need the same HRPARK_SECRET_KEY.
"""
import contextlib
import datetime
import getpass
import os
import shutil
import sys
from pathlib import Path

import click

from core.records import vocab
from core.records.audit import acting_as


def _group_database_url():
    """The URL given to the `hrpark` group (--database / HRPARK_DATABASE_URL), if any."""
    ctx = click.get_current_context(silent=True)
    obj = ctx.find_object(dict) if ctx is not None else None
    return (obj or {}).get("database_url")


def _database(url=None):
    """The database to work on: --database-url, else the group's --database / HRPARK_DATABASE_URL,
    else the one already bound (a caller, the tests), else the default SQLite file."""
    from core.records.db import connect, database

    url = url or _group_database_url()
    if url:
        return connect(url)
    if database.obj is None:
        return connect()
    return database.obj


def _actor():
    from core.records.audit import Actor

    try:
        return Actor(f"cli:{getpass.getuser()}", "admin")
    except Exception:  # no login name in some containers
        return Actor("cli:unknown", "admin")


#: The option each command working on a database takes.
database_url_option = click.option(
    "--database-url", default=None, help="数据库 URL（默认同 hrpark --database）/ database URL (default: as hrpark --database)"
)


def _migrated_database(url):
    """The database to work on (as `_database`), refused unless its schema is up to date."""
    from core.records import schema

    db = _database(url)
    pending = [name for name, applied in schema.status(db) if applied is None]
    if pending:
        raise click.ClickException(
            f"数据库尚未升级（待执行：{', '.join(pending)}），请先运行 hrpark db upgrade "
            f"(the database is not up to date: run `hrpark db upgrade` first)"
        )
    return db


def register(cli):
    """Add `serve`, `user`, `demo` and `remind` to the `hrpark` click group."""
    from admin.reminders.command import remind

    cli.add_command(serve)
    cli.add_command(user)
    cli.add_command(demo)
    cli.add_command(remind)
    return cli


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址 / address to listen on")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="端口 / port")
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 256), help="每个进程的工作线程数 / threads per process")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="工作进程数；大于1时由 gunicorn 预派生多个进程 / worker processes (more than one: gunicorn pre-forks them)")
@database_url_option
@click.option("--trusted-proxies", default=None, type=click.IntRange(0, 10),
              help="前置反向代理层数（信任其 X-Forwarded-For/-Proto）/ reverse proxies in front to trust (default HRPARK_TRUSTED_PROXIES or 0)")
def serve(host, port, threads, workers, database_url, trusted_proxies):
    """运行管理后台（waitress；--workers 大于1时用 gunicorn）/ serve the back office (waitress; gunicorn with --workers)."""
    import waitress

    from admin.app import create_app

    config = {}
    database_url = database_url or _group_database_url()
    if database_url:
        config["DATABASE_URL"] = database_url
    if trusted_proxies is not None:
        config["TRUSTED_PROXIES"] = trusted_proxies
    app = create_app(config)  # migrates, adds jurisdictions, makes the secret key: once, before any fork
    if workers > 1:
        from admin.serving import serve_with_workers

        click.echo(f"hrpark back office on http://{host}:{port}/ ({workers} processes × {threads} threads, gunicorn)")
        serve_with_workers(lambda: create_app(config), host, port, workers, threads)
        return
    from admin.serving import set_start_up_objects_aside

    set_start_up_objects_aside()
    click.echo(f"hrpark back office on http://{host}:{port}/ ({threads} threads)")
    waitress.serve(app, host=host, port=port, threads=threads, ident="hrpark")


@click.group()
def user():
    """管理后台账户 / accounts of the back office."""


def _jurisdiction(code):
    from core.records.models import Jurisdiction

    if code is None:
        return None
    row = Jurisdiction.get_or_none(Jurisdiction.code == code)
    if row is None:
        known = ", ".join(j.code for j in Jurisdiction.select().order_by(Jurisdiction.id)) or "无 none"
        raise click.ClickException(f"未知辖区代码 {code}，已有：{known} (unknown jurisdiction code)")
    return row


def _park(park_id):
    from core.records.models import Park

    if park_id is None:
        return None
    row = Park.get_or_none(Park.id == park_id)
    if row is None:
        raise click.ClickException(f"产业园 #{park_id} 不存在 (no park with id {park_id})")
    return row


def _read_password():
    if not sys.stdin.isatty():  # scripted: one line from stdin
        line = sys.stdin.readline()
        return line.rstrip("\n")
    first = getpass.getpass("密码 Password: ")
    second = getpass.getpass("再次输入 Repeat: ")
    if first != second:
        raise click.ClickException("两次输入的密码不一致 (the passwords do not match)")
    return first


class RoleChoice(click.Choice):
    """A core role or one an installed programme declares (its roles.yaml), known once the plugins load."""

    def __init__(self):
        super().__init__(vocab.CORE_ROLES)

    def convert(self, value, param, ctx):
        from core.plugin.registry import registry

        registry()  # loading the plugins declares their roles
        self.choices = tuple(vocab.ROLES.codes())
        return super().convert(value, param, ctx)


@user.command("create")
@click.argument("username")
@click.option("--role", required=True, type=RoleChoice(), help="角色（核心角色或办法声明的角色）/ role (a core one or one a programme declares)")
@click.option("--jurisdiction", "jurisdiction_code", default=None, help="所属辖区代码（工作人员）/ code of the jurisdiction (officers)")
@click.option("--park", "park_id", default=None, type=int, help="所属产业园编号（运营方）/ id of the park (park operators)")
@click.option("--password", default=None, help="密码（省略则从终端或标准输入读取）/ password (else read from the terminal or stdin)")
@click.option("--display-name", default="", help="姓名 / the person's name as shown")
@database_url_option
def create(username, role, jurisdiction_code, park_id, password, display_name, database_url):
    """新建账户 / create an account."""
    from core.records.accounts import AccountError, create_user

    db = _migrated_database(database_url)
    if jurisdiction_code and park_id is not None:
        raise click.ClickException("--jurisdiction 与 --park 只能选一个 (give --jurisdiction or --park, not both)")
    jurisdiction = _jurisdiction(jurisdiction_code)
    park = _park(park_id)
    if password is None:
        password = _read_password()
    try:
        with acting_as(_actor()), db.atomic():
            account = create_user(username, role, password, jurisdiction=jurisdiction, park=park,
                                  display_name=display_name)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None
    binding = f" @ {jurisdiction.code}" if jurisdiction else (f" @ park #{park.id}" if park else "")
    click.echo(f"已创建 created: {account.username} ({role}{binding})")


@user.command("list")
@database_url_option
def list_users(database_url):
    """列出账户 / list accounts."""
    from tabulate import tabulate

    from core.records.accounts import User

    db = _migrated_database(database_url)
    rows = []
    for account in User.select().order_by(User.username):
        if account.park_id:
            binding = f"park #{account.park_id} {account.park.name}"
        elif account.jurisdiction_id:
            binding = account.jurisdiction.code
        else:
            binding = "—"
        rows.append([
            account.username, account.role, vocab.ROLES.label(account.role), binding,
            "启用 active" if account.active else "停用 disabled",
            account.last_login_at.isoformat(sep=" ") if account.last_login_at else "",
        ])
    click.echo(tabulate(rows, headers=["用户名 username", "角色 role", "", "绑定 bound to", "状态 status", "最近登录 last sign-in"]))


@user.command("disable")
@click.argument("username")
@database_url_option
def disable(username, database_url):
    """停用账户并结束其全部会话 / disable an account and end its sessions."""
    from core.records.accounts import User, revoke_sessions

    db = _migrated_database(database_url)
    account = User.get_or_none(User.username == username.strip().lower())
    if account is None:
        raise click.ClickException(f"用户 {username} 不存在 (no such user)")
    with acting_as(_actor()), db.atomic():
        if account.active:
            account.active = False
            account.save()
        ended = revoke_sessions(account)
    click.echo(f"已停用 disabled: {account.username}; 结束会话 sessions ended: {ended}")



# --- hrpark demo -----------------------------------------------------------------------------------

DEFAULT_DEMO_DATABASE = "instance/demo.db"
#: Fictional revisions of a city's measures (examples/revisions/<code>/), installed by the demo as a
#: deployment installs one, so the rules page has an impact page to show (issue 12).
DEMO_REVISIONS = Path(__file__).resolve().parent.parent / "examples" / "revisions"
#: Written into the demo database's header (PRAGMA application_id, "hrdm"): `hrpark demo` replaces a
#: file only if it carries this mark, so a mistyped --database never wipes a real database.
DEMO_APPLICATION_ID = 0x6872646D


class DemoDatabaseError(click.ClickException):
    pass


#: A file in the demo's upload folder saying `hrpark demo` made it (and may therefore empty it).
DEMO_UPLOADS_MARK = ".hrpark-demo"


def demo_uploads_for(path: Path) -> Path:
    """Where a demo database's uploaded materials live: beside it (instance/demo-uploads)."""
    return path.with_name(f"{path.stem}-uploads")


def _is_demo_database(path: Path) -> bool:
    import sqlite3

    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            return conn.execute("PRAGMA application_id").fetchone()[0] == DEMO_APPLICATION_ID
    except sqlite3.DatabaseError:  # not an SQLite file at all
        return False


def _remove_previous_demo(path: Path):
    """Delete the previous demo database and its upload folder; refuse (deleting nothing) if either
    was not made by `hrpark demo`."""
    uploads = demo_uploads_for(path)
    previous_demo = path.exists()
    if previous_demo and (not path.is_file() or not _is_demo_database(path)):
        raise DemoDatabaseError(
            f"{path} 不是 hrpark demo 创建的演示数据库，拒绝覆盖；请换一个 --database 路径 "
            f"({path} was not made by `hrpark demo`: refusing to replace it; choose another --database path)"
        )
    # The folder beside a demo database is the demo's (also one made before the mark existed).
    if uploads.exists() and not previous_demo and not (uploads / DEMO_UPLOADS_MARK).is_file():
        raise DemoDatabaseError(
            f"{uploads} 不是 hrpark demo 创建的材料目录，拒绝清空；请换一个 --database 路径 "
            f"({uploads} was not made by `hrpark demo`: refusing to empty it; choose another --database path)"
        )
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    if uploads.exists():
        shutil.rmtree(uploads)


def build_demo_database(path, today=None):
    """Replace `path` with a fresh SQLite demo database: schema, core.world.demo's records (materials
    stored in demo_uploads_for(path)) and the accounts of admin.demo_accounts.

    Returns (database, uploads directory, summary); the database is bound to the models and closed."""
    from core.records import reminders, schema
    from core.records.audit import Actor
    from core.records.db import connect
    from core.world.demo import build_demo_data

    from admin.demo_accounts import create_demo_accounts

    path = Path(path).resolve()
    _remove_previous_demo(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    uploads = demo_uploads_for(path)
    uploads.mkdir(parents=True)
    (uploads / DEMO_UPLOADS_MARK).write_text("made by `hrpark demo`; emptied on its next run\n", encoding="utf-8")
    db = connect(f"sqlite:///{path}")
    db.connect(reuse_if_open=True)
    db.execute_sql(f"PRAGMA application_id = {DEMO_APPLICATION_ID}")
    schema.upgrade(db)
    # One transaction: a failure leaves no half-built demo, and SQLite writes it in one go.
    with acting_as(Actor("演示数据生成", "admin")), db.atomic():
        summary = build_demo_data(today, upload_dir=uploads)
        summary["accounts"] = len(create_demo_accounts())
        # The demo's records were made before its accounts: their inboxes begin with what waits for them.
        summary["messages"] = len(reminders.tell_what_waits()) + len(reminders.scan(today or datetime.date.today()))
    db.close()
    return db, uploads, summary


def demo_app(path, uploads):
    """The back office on a demo database built by build_demo_database."""
    import secrets

    from admin.app import create_app

    return create_app({
        "DATABASE_URL": f"sqlite:///{Path(path).resolve()}",
        "INSTANCE_PATH": str(Path(path).resolve().parent),
        "UPLOAD_DIR": str(uploads),
        # The demo database is new on every run, and its sessions with it: a new key each run too.
        "SECRET_KEY": secrets.token_hex(32),
    })


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址 / address to listen on")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535), help="端口 / port")
@click.option("--no-serve", is_flag=True, help="只建演示数据库，不启动后台 / build the demo database, do not serve")
@click.option("--database", "database_path", default=DEFAULT_DEMO_DATABASE, show_default=True,
              type=click.Path(dir_okay=False),
              help="演示数据库（SQLite 文件，每次运行重建）/ the demo database, an SQLite file rebuilt on every run")
def demo(host, port, no_serve, database_path):
    """演示：新建演示数据库和演示账户，启动管理后台 / a fresh demo database and accounts, served on waitress.

    The demo database is always an SQLite file (the group's --database / HRPARK_DATABASE_URL is not
    used). Every demo account's password is demo1234: a demo only, never a deployment.
    """
    from tabulate import tabulate

    from admin.demo_accounts import CONSOLE_HEADERS, DEMO_PASSWORD, console_rows

    if DEMO_REVISIONS.is_dir():
        os.environ.setdefault("HRPARK_REVISIONS_DIR", str(DEMO_REVISIONS))
    path = Path(database_path).resolve()
    click.echo(f"正在建立演示数据库 building the demo database: {path} …")
    _db, uploads, summary = build_demo_database(path)
    click.echo(
        f"园区 parks {summary['parks']} · 入驻机构 agencies {summary['agencies']} · 认定 recognitions "
        f"{summary['recognitions']} · 补贴 subsidies {summary['subsidies']} · 账户 accounts {summary['accounts']}"
    )
    click.echo("")
    click.echo(f"演示账户（密码均为 {DEMO_PASSWORD}，仅供演示）/ demo accounts (password {DEMO_PASSWORD} for all — demo only):")
    click.echo(tabulate(console_rows(), headers=CONSOLE_HEADERS, tablefmt="simple_grid", maxcolwidths=[None, None, None, 52]))
    click.echo("")
    url = f"http://{host}:{port}/"
    if no_serve:
        click.echo(f"未启动后台（--no-serve）。启动 / to serve: hrpark demo；地址 URL {url}")
        return
    import waitress

    app = demo_app(path, uploads)
    try:
        server = waitress.create_server(app, host=host, port=port, threads=8, ident="hrpark-demo")
    except OSError as exc:
        raise click.ClickException(
            f"无法在 {host}:{port} 上监听（端口已被占用？）：{exc} (cannot listen on {host}:{port}: is the port in use? try --port)"
        ) from None
    click.echo(f"管理后台 back office: {url}  （按 Ctrl-C 停止 / Ctrl-C stops）")
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    click.echo("已停止 stopped.")
