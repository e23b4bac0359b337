"""The end-to-end harness: a fresh demo database (as `hrpark demo` builds it) served from a thread
by werkzeug on 127.0.0.1 (port chosen by the system), Debian's Chromium driven by Playwright, a
sign-in helper that uses the real login form, screenshots under test-output/screenshots/, and
a clock fixing the day the back office works on.

The day: the workflow pages take each step on admin.views.workflow.today() (the services count
notices and deadlines from the day they are given); the harness replaces that function — and the
services' own core.records.services.base.today — in every module that imported it, so a test can move the
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
    from core.records.services import base

    originals = {workflow.today, base.today}
    for name, module in list(sys.modules.items()):
        if name.startswith(("admin.", "core.records.services")) and getattr(module, "today", None) in originals:
            patcher.setattr(module, "today", clock.today)


@dataclass
class DemoServer:
    url: str
    db: object
    path: Path
    uploads: Path
    clock: Clock


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    """The back office on a fresh demo database, served from a thread for one test module (so the
    modules do not depend on each other's changes)."""
    from werkzeug.serving import WSGIRequestHandler, make_server

    class QuietHandler(WSGIRequestHandler):
        def log_request(self, *args, **kwargs):  # one line per request would bury a failure's report
            pass

    from admin.app import create_app
    from admin.commands import build_demo_database

    root = tmp_path_factory.mktemp("e2e")
    db, uploads, _summary = build_demo_database(root / "demo.db", today=E2E_TODAY)
    app = create_app({
        "DATABASE": db, "TESTING": True, "SECRET_KEY": "e2e-secret-key",
        "INSTANCE_PATH": str(root / "instance"), "UPLOAD_DIR": str(uploads),
    })
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="hrpark-e2e-server", daemon=True)
    thread.start()
    try:
        yield DemoServer(f"http://127.0.0.1:{server.server_port}", db, root / "demo.db", uploads, Clock(E2E_TODAY))
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture(autouse=True)
def _demo_world_for_this_test(request, monkeypatch):
    """For each browser test (only while it runs: the rest of the session keeps the real date and
    its own database): the clock back at E2E_TODAY and patched in, and the served database bound to
    the models again (the tests read it directly; other directories' tests rebind the proxy)."""
    if "demo_server" not in request.fixturenames:
        return
    from core.records.db import database

    server = request.getfixturevalue("demo_server")
    database.initialize(server.db)
    server.clock.day = E2E_TODAY
    _patch_today(server.clock, monkeypatch)


@pytest.fixture(scope="module")
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
        return " ".join(self.page.locator(".alert").all_inner_texts())

    # --- the application page (admin/templates/hrpark/application.html) -----------------------

    def open_application(self, application_id):
        response = self.goto(f"/admin/application/details/?id={application_id}")
        assert response.status == 200, response.status
        return self

    def state(self):
        return self.page.get_attribute("#application-state", "data-state")

    def take(self, transition, remark=None):
        """Press the procedure's button `transition` (with a remark, if given); wait for the page again."""
        if remark is not None:
            self.page.fill("#form-transition textarea[name=remark]", remark)
        with self.page.expect_navigation():
            self.page.click(f"#transition-{transition}")
        if self.page.locator("#confirm-dialog").count():  # a step that cannot be undone asks once
            with self.page.expect_navigation():
                self.page.click("#confirm-yes")
        return self

    def upload(self, material_id, filename, data, mime="application/pdf"):
        form = f"#form-upload-{material_id}"
        self.page.set_input_files(f"{form} input[type=file]", files=[{"name": filename, "mimeType": mime, "buffer": data}])
        with self.page.expect_navigation():
            self.page.click(f"{form} button[type=submit]")
        return self

    def platform_fonts(self, selector):
        """The fonts Chromium actually drew the element's text with (DevTools protocol), by family name."""
        cdp = self.context.new_cdp_session(self.page)
        try:
            cdp.send("DOM.enable")
            cdp.send("CSS.enable")
            root = cdp.send("DOM.getDocument")["root"]["nodeId"]
            node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
            assert node, f"no element {selector}"
            return {f["familyName"]: f["glyphCount"] for f in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]}
        finally:
            cdp.detach()

    def criterion(self, criterion_id):
        return self.page.locator(f"#criterion-{criterion_id}")


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
