"""A cookie-keeping HTTP client for the sandbox that hands redirects back to the test,
for tests of its sign-in and setting pages without a browser."""

from __future__ import annotations

import json
import shutil
import urllib.request
from dataclasses import dataclass
from email.message import Message
from http.cookiejar import CookieJar
from typing import IO, Any
from urllib.error import HTTPError
from urllib.parse import urlencode

import pytest

PAGE = "/mypreferences/d/settings/data-for-ai-improvement"
CHROMIUM = "/usr/bin/chromium"
needs_chromium = pytest.mark.skipif(
    shutil.which(CHROMIUM) is None, reason="Debian chromium is not installed"
)


@dataclass
class Reply:
    status: int
    headers: Message
    text: str

    @property
    def location(self) -> str | None:
        return self.headers.get("Location")

    @property
    def set_cookies(self) -> list[str]:
        return self.headers.get_all("Set-Cookie") or []

    def json(self) -> Any:
        return json.loads(self.text)


class _Manual(urllib.request.HTTPRedirectHandler):
    """Hands redirects back to the test instead of following them."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: Message,
        newurl: str,
    ) -> urllib.request.Request | None:
        return None


class Client:
    """A cookie-keeping HTTP client that never follows redirects."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.jar = CookieJar()
        self._opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}),
            urllib.request.HTTPCookieProcessor(self.jar),
            _Manual(),
        )

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.jar if c.name == name), None)

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        # Always the sandbox's own http:// address, never a caller-chosen scheme.
        url = self.base_url + path
        req = urllib.request.Request(url, data=body, headers=headers or {}, method=method)  # noqa: S310
        try:
            with self._opener.open(req, timeout=10) as resp:
                return Reply(resp.status, resp.headers, resp.read().decode())
        except HTTPError as err:
            with err:
                return Reply(err.code, err.headers, err.read().decode())

    def get(self, path: str) -> Reply:
        return self.request("GET", path)

    def post_form(self, path: str, fields: dict[str, str]) -> Reply:
        body = urlencode(fields).encode()
        kind = {"Content-Type": "application/x-www-form-urlencoded"}
        return self.request("POST", path, body, kind)

    def send_json(self, method: str, path: str, data: object, **headers: str) -> Reply:
        kind = {"Content-Type": "application/json", **headers}
        return self.request(method, path, json.dumps(data).encode(), kind)

    def sign_in(self, email: str, password: str, redirect: str = "") -> Reply:
        fields = {"session_key": email, "session_password": password}
        if redirect:
            fields["session_redirect"] = redirect
        return self.post_form("/checkpoint/lg/login-submit", fields)

    def csrf_token(self) -> str:
        value = self.cookie("JSESSIONID")
        assert value is not None
        return value.strip('"')
