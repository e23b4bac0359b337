"""`hrpark serve --workers 2`: gunicorn forks two processes after the master has migrated the
database; a session opened on one worker holds on any other, even on workers forked after it
(sessions live in the database), on SQLite and on PostgreSQL."""
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from core.records.accounts import PASSWORD_HASHER, User
from core.records.db import is_sqlite
from core.records.models import Jurisdiction, Park

PG_URL = os.environ.get("HRPARK_TEST_DATABASE_URL")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid):
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return sorted(int(p) for p in out.split())


@pytest.fixture
def served(db, tmp_path):
    """(base URL, master process) of `hrpark serve --workers 2` on the test's own database."""
    if is_sqlite(db):
        url, env = f"sqlite:///{db.database}", {}
    else:  # the test's schema, through libpq's PGOPTIONS
        url, env = PG_URL, {"PGOPTIONS": db.connect_params["options"]}
    city = Jurisdiction.create(code="changzhi", name_zh="长治市", level="city")
    Park.create(jurisdiction=city, name="多进程测试园区")
    User.create(username="root", role="admin", active=True, display_name="管理员",
                password_hash=PASSWORD_HASHER.hash("a-long-password"))
    db.close()
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "core.io.cli.main", "--database", url, "serve", "--port", str(port), "--workers", "2",
         "--threads", "2"],
        env=dict(os.environ, **env, HRPARK_INSTANCE_PATH=str(tmp_path / "instance"), HRPARK_SECRET_KEY="shared"),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=str(Path(__file__).resolve().parents[2]),
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            if process.poll() is not None:
                pytest.fail(process.stdout.read().decode("utf-8", "replace")[-3000:])
            if len(children(process.pid)) == 2:
                try:
                    urllib.request.urlopen(f"{base}/auth/login", timeout=2).read()
                    break
                except OSError:
                    pass
            time.sleep(0.2)
        else:
            pytest.fail("no answer from hrpark serve --workers 2")
        yield base, process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        db.connect(reuse_if_open=True)


def sign_in(base):
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(f"{base}/auth/login").read().decode("utf-8")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(r'value="([^"]+)"[^>]*name="csrf_token"', html)
    form = urllib.parse.urlencode({"csrf_token": token.group(1), "username": "root", "password": "a-long-password"})
    opener.open(f"{base}/auth/login", data=form.encode())
    return opener


def park_list(opener, base):
    with opener.open(f"{base}/admin/park/", timeout=20) as response:
        return response.geturl(), response.read().decode("utf-8")


def test_two_workers_share_sessions_through_the_database(served):
    base, master = served
    workers = children(master.pid)
    assert len(workers) == 2 and master.pid not in workers
    opener = sign_in(base)
    # Many requests on new connections, spread by the kernel over both workers: all signed in.
    with ThreadPoolExecutor(max_workers=6) as pool:
        pages = list(pool.map(lambda _i: park_list(opener, base), range(24)))
    assert all(url.endswith("/admin/park/") and "多进程测试园区" in html for url, html in pages)
    # Workers that never saw the sign-in: kill both; gunicorn forks new ones; the session holds.
    for pid in workers:
        os.kill(pid, signal.SIGKILL)
    for _ in range(100):
        fresh = children(master.pid)
        if len(fresh) == 2 and not set(fresh) & set(workers):
            break
        time.sleep(0.2)
    assert len(fresh) == 2 and not set(fresh) & set(workers)
    for _ in range(50):
        try:
            url, html = park_list(opener, base)
            break
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    assert url.endswith("/admin/park/") and "多进程测试园区" in html
    # Someone without the session is sent to sign in.
    anonymous_url, _html = park_list(urllib.request.build_opener(), base)
    assert "/auth/login" in anonymous_url
