"""`hrpark demo`: a fresh SQLite demo database with the demo accounts, the URL and the accounts
printed, then the back office served on waitress until Ctrl-C."""
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from admin.demo_accounts import ACCOUNTS, DEMO_PASSWORD
from core.io.cli.main import cli


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def rows(path, sql):
    with sqlite3.connect(path) as conn:
        return conn.execute(sql).fetchall()


def test_no_serve_builds_the_database_and_prints_the_url_and_every_account(tmp_path):
    path = tmp_path / "demo.db"
    result = run("demo", "--no-serve", "--database", str(path), "--port", "65535")
    assert result.exit_code == 0, result.output
    assert "http://127.0.0.1:65535/" in result.output
    assert f"密码均为 {DEMO_PASSWORD}，仅供演示" in result.output and "demo only" in result.output
    for account in ACCOUNTS:
        assert account.username in result.output
    assert rows(path, "SELECT count(*) FROM park") == [(13,)]
    assert rows(path, "SELECT status, channel FROM objection") == [("received", "online")]  # a notice under objection to try
    usernames = {name for (name,) in rows(path, "SELECT username FROM user_account")}
    assert usernames == {a.username for a in ACCOUNTS}
    # Every demo material is a stored file beside the database, where the back office reads uploads.
    uploads = tmp_path / "demo-uploads"
    stored = [Path(p) for (p,) in rows(path, "SELECT stored_path FROM material")]
    assert stored and all(p.is_file() and uploads in p.parents for p in stored)


def test_a_second_run_replaces_the_demo_instead_of_adding_to_it(tmp_path):
    path = tmp_path / "demo.db"
    assert run("demo", "--no-serve", "--database", str(path), "--port", "1").exit_code == 0
    stray = tmp_path / "demo-uploads" / "left-over.pdf"
    stray.write_bytes(b"%PDF-1.4")
    result = run("demo", "--no-serve", "--database", str(path), "--port", "1")
    assert result.exit_code == 0, result.output
    assert "http://127.0.0.1:1/" in result.output
    assert rows(path, "SELECT count(*) FROM park") == [(13,)]
    assert rows(path, "SELECT count(*) FROM user_account") == [(len(ACCOUNTS),)]
    assert not stray.exists()


def test_a_file_not_made_by_the_demo_is_never_replaced(tmp_path):
    real = tmp_path / "hrpark.db"
    with sqlite3.connect(real) as conn:
        conn.execute("CREATE TABLE park (name TEXT)")
        conn.execute("INSERT INTO park VALUES ('真实数据')")
    text = tmp_path / "notes.db"
    text.write_text("not a database", encoding="utf-8")
    for path in (real, text):
        before = path.read_bytes()
        result = CliRunner().invoke(cli, ["demo", "--no-serve", "--database", str(path)])
        assert result.exit_code == 1
        assert "不是 hrpark demo 创建的演示数据库，拒绝覆盖" in result.output
        assert "refusing to replace it" in result.output
        assert path.read_bytes() == before


def test_a_folder_of_files_not_made_by_the_demo_is_never_emptied(tmp_path):
    uploads = tmp_path / "hrpark-uploads"  # what `--database hrpark.db` would take for its uploads
    uploads.mkdir()
    (uploads / "申请函件.pdf").write_bytes(b"%PDF-1.4 a real upload")
    result = CliRunner().invoke(cli, ["demo", "--no-serve", "--database", str(tmp_path / "hrpark.db")])
    assert result.exit_code == 1 and "不是 hrpark demo 创建的材料目录，拒绝清空" in result.output
    assert (uploads / "申请函件.pdf").read_bytes() == b"%PDF-1.4 a real upload"
    assert not (tmp_path / "hrpark.db").exists()


def test_a_port_in_use_is_reported_not_a_traceback(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["demo", "--database", str(tmp_path / "demo.db"), "--port", str(port)])
    assert result.exit_code == 1
    assert f"无法在 127.0.0.1:{port} 上监听" in result.output and "is the port in use?" in result.output


@pytest.mark.parametrize("port", ["0", "65536"])
def test_a_port_outside_1_to_65535_is_refused(tmp_path, port):
    result = CliRunner().invoke(cli, ["demo", "--no-serve", "--database", str(tmp_path / "demo.db"), "--port", port])
    assert result.exit_code == 2 and "1<=x<=65535" in result.output
    assert not (tmp_path / "demo.db").exists()


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_it_serves_the_back_office_until_ctrl_c(tmp_path):
    """The real command in its own process: the login page answers over HTTP; Ctrl-C stops it."""
    port = _free_port()
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    env.pop("HRPARK_DATABASE_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "core.io.cli.main", "demo", "--database", str(tmp_path / "demo.db"), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, cwd=tmp_path,
        # A shell started in the background ignores SIGINT; the command must get it as a terminal would.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        page = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/auth/login", timeout=5) as response:
                    page = (response.status, response.read().decode("utf-8"))
                    break
            except OSError:
                time.sleep(0.3)
        assert page is not None, process.stdout.read().decode("utf-8", "replace") if process.poll() is not None else "no answer"
        assert page[0] == 200 and "<title>登录 - 人力资源服务产业园管理平台</title>" in page[1]
        process.send_signal(signal.SIGINT)
        output = process.communicate(timeout=20)[0].decode("utf-8")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, output
    assert f"http://127.0.0.1:{port}/" in output and "Ctrl-C" in output and "已停止 stopped." in output
