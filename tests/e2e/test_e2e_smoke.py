"""Smoke test of the harness: the login page, signing in, the home page."""
from pathlib import Path

import pytest

if not Path("/usr/bin/chromium").exists():
    pytest.skip("/usr/bin/chromium 不存在，浏览器测试已跳过 (Chromium is not installed)", allow_module_level=True)
pytest.importorskip("playwright.sync_api", reason="未安装 playwright (the playwright package is not installed)")

pytestmark = pytest.mark.browser


def test_login_and_home(open_session):
    s = open_session()
    s.goto("/auth/login")
    s.screenshot("smoke-login")
    s.login("cz_city")
    s.screenshot("smoke-home")
    assert "cz_city" in s.page.content() or "长治市人社局" in s.page.content()
