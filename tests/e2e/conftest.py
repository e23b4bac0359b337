"""The end-to-end harness: a fresh demo database (as `hrpark demo` builds it) served from a thread
by werkzeug on 127.0.0.1 (port chosen by the system), Debian's Chromium driven by Playwright, a
sign-in helper that uses the real login form, screenshots under test-output/screenshots/, and
a clock fixing the day the back office works on.

The day: the workflow pages take each step on admin.views.workflow.today() (the services count
notices and deadlines from the day they are given); the harness replaces that function — and the
services' own core.services.base.today — in every module that imported it, so a test can move the
office to the day after a notice ends. The demo is built on E2E_TODAY, a Tuesday before the 2026
National Day holiday, so a notice opened that day runs across it.
"""
import datetime
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "test-output" / "screenshots"
E2E_TODAY = datetime.date(2026, 9, 29)
PASSWORD = "demo1234"
LANGUAGE_BUTTONS = {"zh": "zh_CN", "en": "en"}


def chromium_missing_reason():
    """Why the browser tests cannot run here, or None."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} 不存在：浏览器测试已跳过（apt-get install -y chromium fonts-noto-cjk）(Chromium is not installed)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "未安装 playwright：浏览器测试已跳过 (the playwright package is not installed)"
    return None


class Clock:
    """The day the back office works on, as the tests set it."""

    def __init__(self, day):
        self.day = day

    def today(self):
        return self.day


def _patch_today(clock, patcher):
    """Point every module's `today` that is the workflow's or the services' at the clock."""
    from admin.views import workflow
    from core.services import base

    originals = {workflow.today, base.today}
    for name, module in list(sys.modules.items()):
        if name.startswith(("admin.", "core.services")) and getattr(module, "today", None) in originals:
            patcher.setattr(module, "today", clock.today)


@dataclass
class DemoServer:
    url: str
    db: object
    path: Path
    uploads: Path
    clock: Clock


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory):
    """The back office on a fresh demo database, served from a thread for the whole session."""
    from werkzeug.serving import make_server

    from admin.app import create_app
    from admin.commands import build_demo_database

    root = tmp_path_factory.mktemp("e2e")
    db, uploads, _summary = build_demo_database(root / "demo.db", today=E2E_TODAY)
    app = create_app({
        "DATABASE": db, "TESTING": True, "SECRET_KEY": "e2e-secret-key",
        "INSTANCE_PATH": str(root / "instance"), "UPLOAD_DIR": str(uploads),
    })
    clock = Clock(E2E_TODAY)
    with pytest.MonkeyPatch.context() as patcher:
        _patch_today(clock, patcher)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, name="hrpark-e2e-server", daemon=True)
        thread.start()
        try:
            yield DemoServer(f"http://127.0.0.1:{server.server_port}", db, root / "demo.db", uploads, clock)
        finally:
            server.shutdown()
            thread.join(timeout=10)


@pytest.fixture(autouse=True)
def _bind_demo_database(request):
    """Tests read the served database directly too; another directory's tests may have rebound the
    models' database proxy since the session began, so bind it again for each browser test."""
    if "demo_server" not in request.fixturenames:
        return
    from core.db import database

    server = request.getfixturevalue("demo_server")
    database.initialize(server.db)
    server.clock.day = E2E_TODAY


@pytest.fixture(scope="session")
def browser():
    reason = chromium_missing_reason()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Session:
    """One person at one browser: signs in, switches language, takes screenshots."""

    def __init__(self, context, base_url):
        self.context = context
        self.page = context.new_page()
        self.base_url = base_url

    def goto(self, path):
        response = self.page.goto(self.base_url + path)
        return response

    def login(self, username, password=PASSWORD):
        self.goto("/auth/login")
        self.page.fill("#username", username)
        self.page.fill("#password", password)
        self.page.click("button[type=submit].btn-primary")
        self.page.wait_for_url("**/admin/**")
        assert self.page.locator("#signed-in-as").count() == 1, self.page.content()[:1000]
        return self

    def language(self, lang):
        """Switch the interface language with the switch on the page ('zh' or 'en')."""
        self.page.click(f"button[name=lang][value={LANGUAGE_BUTTONS[lang]}]")
        self.page.wait_for_load_state()

    def screenshot(self, name):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def flashes(self):
        return self.page.locator(".alert").all_inner_texts()


@pytest.fixture
def open_session(browser, demo_server):
    """open_session() → a new browser context (its own cookies): one per person in a scenario."""
    contexts = []

    def make():
        context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
        context.set_default_timeout(15_000)
        contexts.append(context)
        return Session(context, demo_server.url)

    yield make
    for context in contexts:
        context.close()
