"""/api/docs in headless Chromium with the network off: Swagger UI comes from our own static
files and runs under the Content-Security-Policy without a single violation."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from zhifa.testing import chromium

pytestmark = chromium.MARKS


def test_api_docs_render_offline_under_the_csp(live_server: Any) -> None:
    outside: list[str] = []
    console: list[str] = []

    def offline(route: Any) -> None:
        # Everything but the test server is unreachable, as on a machine without a network.
        if urlsplit(route.request.url).hostname in ("localhost", "127.0.0.1"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort("internetdisconnected")

    with chromium.launch() as launched:
        page = launched.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        page.route("**/*", offline)
        page.add_init_script(chromium.WATCH_CSP)
        page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
        response = page.goto(f"{live_server.url}/api/docs")
        assert response is not None and response.status == 200
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "http" not in policy
        # Swagger UI drew the description it fetched from /api/openapi.json: the title and
        # the operations of the API.
        page.wait_for_selector(".swagger-ui .info .title", timeout=20_000)
        assert "zhifa API" in page.locator(".swagger-ui .info .title").inner_text()
        page.wait_for_selector(".opblock", timeout=20_000)
        assert page.locator(".opblock").count() > 10
        violations = page.evaluate("window.__csp")
    assert violations == []
    assert not [line for line in console if "Content Security Policy" in line], console
    assert outside == []
