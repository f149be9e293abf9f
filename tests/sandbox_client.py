"""A cookie-keeping HTTP client for the sandbox, for tests that talk to it without a browser."""

from __future__ import annotations

import json
import re
import shutil
import urllib.request
from collections.abc import AsyncIterator, Iterator
from http.cookiejar import CookieJar
from typing import Any
from urllib.error import HTTPError
from urllib.parse import urlencode, urlsplit

import pytest

CHROMIUM = "/usr/bin/chromium"
PUTS = "/mysettings-api/settingsApiSettings/"
NO_BODY = object()
_PLAIN_FLAGS = ("--disable-background-networking", "--disable-component-update", "--no-first-run")


class SandboxClient:
    """Requests as a signed-in member's browser would send them (redirects not followed)."""

    def __init__(self, base_url: str, password: str) -> None:
        self.base_url = base_url
        self.password = password
        self.jar = CookieJar()
        self._opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}), urllib.request.HTTPCookieProcessor(self.jar)
        )

    def call(
        self, method: str, path: str, data: object = NO_BODY, **headers: str
    ) -> tuple[int, Any]:
        """(status, the answer as JSON where it is JSON, else as text)."""
        body = None if data is NO_BODY else json.dumps(data).encode()
        if body is not None:
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(self.base_url + path, body, headers, method=method)  # noqa: S310
        try:
            with self._opener.open(req, timeout=10) as resp:
                text, status = resp.read().decode(), resp.status
        except HTTPError as err:
            with err:
                text, status = err.read().decode(), err.code
        try:
            return status, json.loads(text)
        except ValueError:
            return status, text

    def sign_in(self, email: str) -> None:
        form = urlencode({"session_key": email, "session_password": self.password}).encode()
        req = urllib.request.Request(self.base_url + "/checkpoint/lg/login-submit", form)  # noqa: S310
        with self._opener.open(req, timeout=10):
            pass
        assert self.cookie("li_at")

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.jar if c.name == name), None)

    def put_body(self, key: str, body: dict[str, object]) -> tuple[int, Any]:
        """PUT a setting with the CSRF token the page would send."""
        token = (self.cookie("JSESSIONID") or "").strip('"')
        return self.call("PUT", PUTS + key, body, **{"csrf-token": token})

    def config(self, path: str) -> dict[str, Any]:
        """The setting page's own configuration, as its script reads it."""
        status, html = self.call("GET", path)
        assert status == 200, (path, status)
        found = re.search(r'<script id="setting-config"[^>]*>(.*?)</script>', html)
        assert found is not None
        config: dict[str, Any] = json.loads(found.group(1))
        return config


def plain_chromium() -> Iterator[Any]:
    """Debian's Chromium as a plain Playwright browser: the sandbox's pages under test,
    not optout's way of starting it."""
    if shutil.which(CHROMIUM) is None:
        pytest.skip("Debian chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=CHROMIUM, args=list(_PLAIN_FLAGS))
        try:
            yield launched
        finally:
            launched.close()


def signed_in_page(browser: Any, base_url: str, client: SandboxClient, **options: Any) -> Any:
    """A page signed in with the client's session (the sign-in pages are not under test),
    in a context made with `options` (Playwright's)."""
    context = browser.new_context(**options)
    context.add_cookies(_cookies(base_url, client))
    return context.new_page()


def _cookies(base_url: str, client: SandboxClient) -> list[Any]:
    return browser_cookies(client.jar, urlsplit(base_url).hostname or "127.0.0.1")


def browser_cookies(jar: CookieJar, host: str) -> list[dict[str, Any]]:
    """The jar's cookies as Playwright's storage state has them, for `host`."""
    return [
        {
            "name": c.name,
            "value": c.value or "",
            "domain": host,
            "path": "/",
            "expires": float(c.expires) if c.expires else -1,
            "httpOnly": c.has_nonstandard_attr("HttpOnly"),
            "secure": c.secure,
            "sameSite": "Lax",
        }
        for c in jar
    ]


async def plain_chromium_async() -> AsyncIterator[Any]:
    """`plain_chromium`, for tests of optout's own async browser layer on the sandbox."""
    if shutil.which(CHROMIUM) is None:
        pytest.skip("Debian chromium is not installed")
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        launched = await pw.chromium.launch(executable_path=CHROMIUM, args=list(_PLAIN_FLAGS))
        try:
            yield launched
        finally:
            await launched.close()


async def signed_in_page_async(browser: Any, base_url: str, client: SandboxClient) -> Any:
    """`signed_in_page`, in an async browser."""
    context = await browser.new_context()
    await context.add_cookies(_cookies(base_url, client))
    return await context.new_page()
