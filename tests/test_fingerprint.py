"""What optout's browser shows a site: the user agent, client hints and
navigator.webdriver a person's browser shows, never headless Chromium's. The sandbox
refuses the rest with HTTP 999, as LinkedIn does; a plain Playwright browser shows
that the refusal can happen."""

from __future__ import annotations

import os
import secrets
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from optout.core.selector_pack import load_pack
from optout.linkedin.chromium.browser import BrowserSession, launched
from optout.linkedin.chromium.user_agent import major_version, plain_user_agent
from optout.sandbox import Sandbox
from optout.sandbox.botguard import REPORT_PATH, fingerprint_problem

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "fingerprint pw"
SETTINGS_PAGE = "/mypreferences/d/settings/data-for-ai-improvement"
PLATFORM_HINT = {"linux": '"Linux"', "darwin": '"macOS"', "win32": '"Windows"'}[sys.platform]
# What a page, a worker and a second page show of the browser.
IDENTITY = """() => ({ua: navigator.userAgent, brands: navigator.userAgentData.brands,
  platform: navigator.userAgentData.platform, mobile: navigator.userAgentData.mobile,
  webdriver: navigator.webdriver, pwInitScripts: "__pwInitScripts" in window})"""
WORKER = """() => new Promise(done => {
  const code = "postMessage({ua: navigator.userAgent, brands: navigator.userAgentData.brands})";
  const worker = new Worker(URL.createObjectURL(new Blob([code], {type: "text/javascript"})));
  worker.onmessage = event => done(event.data);
})"""

needs_chromium = pytest.mark.skipif(
    not os.path.exists(CHROMIUM), reason="Debian chromium is not installed"
)

# --- the guard's judgement, header by header ---------------------------------------------

UA_156 = plain_user_agent("156", platform="linux")
HINTS_156 = '"Not:A-Brand";v="8", "Chromium";v="156"'
PAGE = {"host": "127.0.0.1:8000", "sec-fetch-dest": "document"}


@pytest.mark.parametrize(
    ("headers", "refused"),
    [
        ({"user-agent": "Python-urllib/3.11"}, None),
        ({**PAGE, "user-agent": "curl/8.0"}, None),
        ({**PAGE, "user-agent": UA_156, "sec-ch-ua": HINTS_156}, None),
        (
            {
                **PAGE,
                "user-agent": UA_156 + " Edg/156.0.0.0",
                "sec-ch-ua": '"Microsoft Edge";v="156", "Chromium";v="156", "Not_A Brand";v="24"',
                "sec-ch-ua-platform": '"Linux"',
            },
            None,
        ),
        (
            {**PAGE, "user-agent": UA_156.replace("Chrome/", "HeadlessChrome/")},
            "HeadlessChrome",
        ),
        ({**PAGE, "user-agent": UA_156}, "without sec-ch-ua"),
        ({"host": "127.0.0.1:8000", "user-agent": UA_156}, None),  # a worker's fetch
        ({**PAGE, "host": "192.0.2.7:8000", "user-agent": UA_156}, None),  # no hints sent
        ({**PAGE, "user-agent": UA_156, "sec-ch-ua": HINTS_156.replace("156", "120")}, "sec-ch-ua"),
        ({**PAGE, "user-agent": UA_156, "sec-ch-ua": '"Not:A-Brand";v="156"'}, "sec-ch-ua"),
        (
            {**PAGE, "user-agent": UA_156, "sec-ch-ua": '"HeadlessChrome";v="156"'},
            "HeadlessChrome in sec-ch-ua",
        ),
        (
            {
                **PAGE,
                "user-agent": UA_156,
                "sec-ch-ua": HINTS_156,
                "sec-ch-ua-platform": '"Windows"',
            },
            "sec-ch-ua-platform",
        ),
    ],
)
def test_guard_judges_headers(headers: dict[str, str], refused: str | None) -> None:
    problem = fingerprint_problem(headers)
    if refused is None:
        assert problem is None
    else:
        assert problem is not None
        assert refused in problem


# --- the user agent optout presents -----------------------------------------------------


@pytest.mark.parametrize(
    ("platform", "system"),
    [
        ("linux", "(X11; Linux x86_64)"),
        ("darwin", "(Macintosh; Intel Mac OS X 10_15_7)"),
        ("win32", "(Windows NT 10.0; Win64; x64)"),
    ],
)
def test_plain_user_agent_is_chromes_reduced_one(platform: str, system: str) -> None:
    agent = plain_user_agent("156", platform=platform)
    assert agent == (
        f"Mozilla/5.0 {system} AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/156.0.0.0 Safari/537.36"
    )
    assert plain_user_agent("156", edge=True, platform=platform).endswith(
        "Safari/537.36 Edg/156.0.0.0"
    )


def test_major_version_is_read_without_starting_the_browser(tmp_path: Path) -> None:
    script = tmp_path / "chrome"
    script.write_text("#!/bin/sh\necho 'Google Chrome 156.0.7000.12 '\n")
    script.chmod(0o755)
    assert major_version(str(script), platform="linux") == "156"
    script.write_text("#!/bin/sh\necho 'not a browser'\n")
    assert major_version(str(script), platform="linux") is None


def test_major_version_on_windows_comes_from_the_folder_beside_it(tmp_path: Path) -> None:
    exe = tmp_path / "Application" / "chrome.exe"
    (tmp_path / "Application" / "156.0.7000.12").mkdir(parents=True)
    (tmp_path / "Application" / "SetupMetrics").mkdir()
    exe.write_bytes(b"")
    assert major_version(str(exe), platform="win32") == "156"
    (tmp_path / "Application" / "157.0.7100.3").mkdir()  # mid-update: unsure
    assert major_version(str(exe), platform="win32") is None


# --- real Chromium against the guard ----------------------------------------------------


@pytest.fixture(scope="module")
def guarded() -> Iterator[Sandbox]:
    with Sandbox(readable_draws=True) as server:  # the bot guard is on unless switched off
        yield server


def _member(sandbox: Sandbox) -> str:
    email = f"fingerprint-{secrets.token_hex(4)}@example.com"
    sandbox.add_account(email, PASSWORD)
    return email


async def _sign_in(page: Any, sandbox: Sandbox, email: str) -> None:
    await page.goto(sandbox.base_url + "/login")
    await page.fill("#username", email)
    await page.fill("#password", PASSWORD)
    await page.click("button[type=submit]")
    await page.wait_for_url("**/feed/**")


def _status(response: Any) -> int:
    assert response is not None  # a navigation always has a response here
    return int(response.status)


async def _shown(page: Any, url: str) -> tuple[dict[str, str], dict[str, Any]]:
    """The headers the page's request carried, and what its scripts see."""
    response = await page.goto(url)
    assert _status(response) == 200
    return await response.request.all_headers(), await page.evaluate(IDENTITY)


def _assert_looks_like_a_window(
    session: BrowserSession, headers: dict[str, str], seen: dict[str, Any]
) -> None:
    major = session.browser.version.split(".")[0]
    agent = headers["user-agent"]
    assert "HeadlessChrome" not in agent
    assert f"Chrome/{major}.0.0.0 " in agent
    assert agent == seen["ua"]
    assert f'"Chromium";v="{major}"' in headers["sec-ch-ua"]
    assert "Headless" not in headers["sec-ch-ua"]
    assert headers["sec-ch-ua-mobile"] == "?0"
    assert headers["sec-ch-ua-platform"] == PLATFORM_HINT
    brands = {brand["brand"]: brand["version"] for brand in seen["brands"]}
    assert brands["Chromium"] == major
    assert all(
        f'"{name}";v="{version}"' in headers["sec-ch-ua"] for name, version in brands.items()
    )
    assert f'"{seen["platform"]}"' == PLATFORM_HINT
    assert seen["mobile"] is False
    assert seen["webdriver"] is False
    assert seen["pwInitScripts"] is False


@pytest.mark.e2e
@needs_chromium
@pytest.mark.asyncio
async def test_every_page_of_every_context_looks_like_the_browser_with_a_window(
    guarded: Sandbox,
) -> None:
    login = guarded.base_url + "/login"
    before = len(guarded.bot_guard.refusals())
    async with launched(CHROMIUM) as session:
        # two accounts at once
        first, second = await session.new_context(), await session.new_context()
        page = await first.new_page()
        _assert_looks_like_a_window(session, *await _shown(page, login))
        _assert_looks_like_a_window(session, *await _shown(await second.new_page(), login))
        # opened later
        _assert_looks_like_a_window(session, *await _shown(await first.new_page(), login))
        async with first.expect_page() as popup:
            await page.evaluate("url => window.open(url)", login)
        opened = await popup.value
        await opened.wait_for_load_state()
        assert await opened.evaluate(IDENTITY) == await page.evaluate(IDENTITY)
        # A worker, which no page override reaches: the same agent and brands.
        await page.route(
            "**/worker-here", lambda route: route.fulfill(body="<p>", content_type="text/html")
        )
        await page.goto(guarded.base_url + "/worker-here")
        shown = await page.evaluate(IDENTITY)
        assert await page.evaluate(WORKER) == {"ua": shown["ua"], "brands": shown["brands"]}
        await first.close()
        await second.close()
    assert guarded.bot_guard.refusals()[before:] == []


@pytest.mark.e2e
@needs_chromium
@pytest.mark.asyncio
async def test_a_member_signed_in_through_optouts_browser_is_let_in(guarded: Sandbox) -> None:
    email = _member(guarded)
    before = len(guarded.bot_guard.refusals())
    async with launched(CHROMIUM) as session:
        page = await (await session.new_context()).new_page()
        await _sign_in(page, guarded, email)
        assert REPORT_PATH in await page.content()  # the feed looks at navigator.webdriver
        assert await page.evaluate("navigator.webdriver") is False  # so it reports nothing
        response = await page.goto(guarded.base_url + SETTINGS_PAGE)
        assert _status(response) == 200
        assert REPORT_PATH in await page.content()
        assert await page.evaluate("navigator.webdriver") is False
    assert guarded.bot_guard.refusals()[before:] == []
    assert guarded.session_tokens(email)


@pytest.mark.e2e
@needs_chromium
@pytest.mark.asyncio
async def test_a_plain_playwright_browser_is_refused_with_999(guarded: Sandbox) -> None:
    login = guarded.base_url + "/login"
    async with launched(CHROMIUM) as session:
        plain = await session.playwright.chromium.launch(executable_path=CHROMIUM)
        try:
            page = await (await plain.new_context()).new_page()
            response = await page.goto(login)
            assert _status(response) == 999
            assert "Request denied" in await page.content()
            assert "HeadlessChrome" in guarded.bot_guard.refusals()[-1]

            # The user agent alone fixed, with another version than the browser's.
            agent = plain_user_agent("120")
            page = await (await plain.new_context(user_agent=agent)).new_page()
            response = await page.goto(login)
            assert _status(response) == 999
            assert "sec-ch-ua" in guarded.bot_guard.refusals()[-1]

            # The right user agent, but navigator.webdriver: the feed reports it.
            page = await (await plain.new_context(user_agent=session.user_agent)).new_page()
            async with page.expect_response(f"**{REPORT_PATH}") as report:
                await _sign_in(page, guarded, _member(guarded))
            assert (await report.value).status == 204
            response = await page.goto(guarded.base_url + SETTINGS_PAGE)
            assert _status(response) == 999
            assert "webdriver" in guarded.bot_guard.refusals()[-1]
        finally:
            await plain.close()


@pytest.mark.e2e
@needs_chromium
@pytest.mark.asyncio
async def test_a_headed_optout_browser_is_let_in_too(
    guarded: Sandbox, display: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DISPLAY", display)
    email = _member(guarded)
    before = len(guarded.bot_guard.refusals())
    async with launched(CHROMIUM, headed=True) as session:
        assert session.user_agent is None  # with a window, the browser's own
        page = await (await session.new_context()).new_page()
        _assert_looks_like_a_window(session, *await _shown(page, guarded.base_url + "/login"))
        await _sign_in(page, guarded, email)
        assert await page.evaluate("navigator.webdriver") is False
        # A person's window keeps the person's own motion preference.
        reduced = "matchMedia('(prefers-reduced-motion: reduce)').matches"
        assert await page.evaluate(reduced) is False
        response = await page.goto(guarded.base_url + SETTINGS_PAGE)
        assert _status(response) == 200
    assert guarded.bot_guard.refusals()[before:] == []


def test_admin_api_and_plain_clients_pass_the_guard(guarded: Sandbox) -> None:
    from urllib.error import HTTPError
    from urllib.request import Request, urlopen

    headless = UA_156.replace("Chrome/", "HeadlessChrome/")
    admin = guarded.base_url + "/__sandbox/no-such"  # http://127.0.0.1 only
    with pytest.raises(HTTPError) as refused:
        urlopen(Request(admin, headers={"User-Agent": headless}), timeout=10)  # noqa: S310
    assert refused.value.code == 404  # the admin API's own answer, not the guard's
    refused.value.close()
    with urlopen(guarded.base_url + "/login", timeout=10) as reply:  # noqa: S310 (Python-urllib)
        assert reply.status == 200


# --- what a check's browser asks for, and how ---------------------------------------------

_SITE_PAGE = b"""<!DOCTYPE html><html><head>
<style>@font-face { font-family: F; src: url(/f.woff2) format("woff2"); }
body { font-family: F; }</style></head>
<body>text<script src="/app.js"></script><img src="/px/collect?a=1" alt=""></body></html>"""


@contextmanager
def _site() -> Iterator[tuple[str, list[tuple[str, dict[str, str]]]]]:
    """A site that keeps every request it gets, with its headers."""
    asked: list[tuple[str, dict[str, str]]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
            page = self.path.startswith("/page")
            self.send_response(200)
            self.send_header("Content-Type", "text/html" if page else "text/javascript")
            self.end_headers()
            self.wfile.write(_SITE_PAGE if page else b"window.ran = true;")

        def log_message(self, *args: object) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", asked
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.e2e
@needs_chromium
@pytest.mark.asyncio
async def test_a_check_refuses_fonts_and_beacons_and_asks_as_a_person_would() -> None:
    pack = load_pack()
    with _site() as (site, asked):
        async with launched(CHROMIUM, block=pack.network) as session:
            for _ in range(2):  # the browser refuses in every context, not only the first
                context = await session.new_context()
                page = await context.new_page()
                await page.goto(site + "/page")
                await page.wait_for_function("window.ran === true")
                await page.wait_for_timeout(300)  # a font or a beacon would have been asked for
                register = await page.evaluate(
                    "ServiceWorkerContainer.prototype.register.toString()"
                )
                await context.close()
    paths = [path for path, _ in asked if path != "/favicon.ico"]  # as a person's browser
    assert paths == ["/page", "/app.js"] * 2  # what the page needs still loads, only that
    assert "/f.woff2" not in paths
    assert not any(path.startswith("/px/") for path in paths)
    # Not a DevTools-switched-off cache: a person's browser sends neither header.
    for _, headers in asked:
        assert "pragma" not in headers
        assert "no-cache" not in headers.get("cache-control", "")
    assert "[native code]" in register  # nothing of optout's in the page
