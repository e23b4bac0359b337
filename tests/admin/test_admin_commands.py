"""`hrpark user create|list|disable` and `hrpark serve` (waitress), through the real `hrpark` group."""
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from click.testing import CliRunner

from admin import commands
from core.records.accounts import ServerSession, User, verify_password
from core.io.cli.main import cli
from core.records.models import AuditLog, Jurisdiction, Park


@pytest.fixture
def places(db):
    city = Jurisdiction.create(code="changzhi", name_zh="长治市", level="city")
    county = Jurisdiction.create(code="luzhou", name_zh="潞州区", level="county", parent=city)
    park = Park.create(jurisdiction=county, name="潞州产业园")
    return {"city": city, "county": county, "park": park}


def run(*args, input=None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def test_create_a_county_officer(places):
    result = run("user", "create", "Li.Ming", "--role", "county_officer", "--jurisdiction", "luzhou",
                 "--password", "a-long-password", "--display-name", "李明")
    assert result.exit_code == 0, result.output
    user = User.get(User.username == "li.ming")
    assert user.jurisdiction_id == places["county"].id and user.display_name == "李明"
    assert verify_password(user, "a-long-password")
    assert AuditLog.get(AuditLog.table == "user_account", AuditLog.record_id == user.id).actor.startswith("cli:")


def test_create_a_park_operator_and_an_administrator(places):
    assert run("user", "create", "operator", "--role", "park_operator", "--park", str(places["park"].id),
               "--password", "a-long-password").exit_code == 0
    assert User.get(User.username == "operator").park_id == places["park"].id
    assert run("user", "create", "root", "--role", "admin", "--password", "a-long-password").exit_code == 0


def test_the_password_can_come_from_stdin(places):
    result = run("user", "create", "piped", "--role", "admin", input="a-long-password\n")
    assert result.exit_code == 0, result.output
    assert verify_password(User.get(User.username == "piped"), "a-long-password")


@pytest.mark.parametrize("args, message", [
    (["--role", "county_officer", "--password", "a-long-password"], "必须绑定一个辖区"),
    (["--role", "county_officer", "--jurisdiction", "changzhi", "--password", "a-long-password"], "应绑定县（区）级辖区"),
    (["--role", "city_officer", "--jurisdiction", "nowhere", "--password", "a-long-password"], "未知辖区代码 nowhere"),
    (["--role", "park_operator", "--park", "99999", "--password", "a-long-password"], "产业园 #99999 不存在"),
    (["--role", "admin", "--jurisdiction", "changzhi", "--password", "a-long-password"], "不绑定辖区或产业园"),
    (["--role", "admin", "--password", "short"], "密码至少需要 10 个字符"),
    (["--role", "county_officer", "--jurisdiction", "luzhou", "--park", "1", "--password", "a-long-password"],
     "只能选一个"),
])
def test_bad_input_is_refused_with_a_bilingual_message(places, args, message):
    result = run("user", "create", "someone", *args)
    assert result.exit_code != 0
    assert message in result.output and "(" in result.output
    assert not User.select().where(User.username == "someone").exists()


def test_an_unknown_role_is_refused(places):
    result = run("user", "create", "someone", "--role", "mayor", "--password", "a-long-password")
    assert result.exit_code == 2 and "mayor" in result.output


def test_list_shows_every_account_with_its_binding(places):
    run("user", "create", "officer", "--role", "county_officer", "--jurisdiction", "luzhou", "--password", "a-long-password")
    run("user", "create", "operator", "--role", "park_operator", "--park", str(places["park"].id), "--password",
        "a-long-password")
    output = run("user", "list").output
    assert "officer" in output and "luzhou" in output and "县（区）人社部门工作人员" in output
    assert f"park #{places['park'].id} 潞州产业园" in output and "启用 active" in output


def test_disable_ends_the_sessions_too(places):
    run("user", "create", "officer", "--role", "county_officer", "--jurisdiction", "luzhou", "--password", "a-long-password")
    user = User.get(User.username == "officer")
    ServerSession.create(key_hash="k1", user=user)
    result = run("user", "disable", "Officer")
    assert result.exit_code == 0, result.output
    assert User.get_by_id(user.id).active is False
    assert ServerSession.get(ServerSession.key_hash == "k1").revoked_at is not None
    assert run("user", "disable", "nobody").exit_code != 0


def test_serve_builds_the_app_and_hands_it_to_waitress(monkeypatch, tmp_path):
    served = {}
    monkeypatch.setenv("HRPARK_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("HRPARK_SECRET_KEY", "served-secret")
    import waitress

    from admin import serving

    monkeypatch.setattr(waitress, "serve", lambda app, **kwargs: served.update(app=app, **kwargs))
    # The start-up objects are set aside before the first request (not here: this is the tests' own process).
    monkeypatch.setattr(serving, "set_start_up_objects_aside", lambda: served.update(set_aside_before_serving="app" not in served))
    url = f"sqlite:///{tmp_path / 'served.db'}"
    result = run("--database", url, "serve", "--host", "0.0.0.0", "--port", "8123", "--threads", "4")
    assert result.exit_code == 0, result.output
    assert (served["host"], served["port"], served["threads"]) == ("0.0.0.0", 8123, 4)
    assert served["set_aside_before_serving"] is True
    assert served["app"].secret_key == "served-secret"
    assert (tmp_path / "served.db").exists()


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_answers_on_a_real_waitress_server(tmp_path):
    port = _free_port()
    env = dict(os.environ, HRPARK_INSTANCE_PATH=str(tmp_path / "instance"),
               HRPARK_DATABASE_URL=f"sqlite:///{tmp_path / 'live.db'}")
    process = subprocess.Popen(
        [sys.executable, "-c", "from core.io.cli.main import main; main()", "serve", "--port", str(port), "--threads", "2"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        body = None
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/auth/login", timeout=2) as response:
                    body = response.read().decode("utf-8")
                    headers = response.headers
                break
            except OSError:
                if process.poll() is not None:
                    break
                time.sleep(0.2)
        assert body is not None, process.stdout.read().decode("utf-8", "replace")[-2000:] if process.poll() is not None else "no answer"
        assert "登录" in body and headers["Server"] == "hrpark"  # waitress, named by --ident
        assert "HttpOnly" in headers.get("Set-Cookie", "")
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_register_adds_serve_and_user_to_a_group():
    import click

    @click.group()
    def group():
        pass

    commands.register(group)
    assert {"serve", "user"} <= set(group.commands)
    assert {"create", "list", "disable"} == set(group.commands["user"].commands)


def test_each_gunicorn_worker_sets_its_start_up_objects_aside_once_its_app_is_built(monkeypatch):
    from admin import serving

    calls = []
    monkeypatch.setattr(serving, "set_start_up_objects_aside", lambda: calls.append("set aside"))
    server = serving.GunicornServer(lambda: calls.append("app built") or "the app", {"workers": 2})
    assert server.load() == "the app" and calls == ["app built", "set aside"]
