"""LinkedIn's cookies, written and read by hand.

http.cookies would re-quote values; LinkedIn's JSESSIONID carries literal double
quotes that page scripts strip, and tools must see exactly that.
"""

from __future__ import annotations

import secrets
import time
import uuid

from optout.sandbox.state import Session

_YEAR = 365 * 24 * 3600


def parse_cookie_header(header: str | None) -> dict[str, str]:
    """Name -> raw value (quotes kept); the first of duplicate names wins, as in browsers."""
    cookies: dict[str, str] = {}
    for part in (header or "").split(";"):
        name, sep, value = part.strip().partition("=")
        if sep and name and name not in cookies:
            cookies[name] = value.strip()
    return cookies


def set_cookie(name: str, value: str, *, http_only: bool, max_age: int | None = _YEAR) -> str:
    # No Secure and no SameSite=None: the sandbox is plain http, where browsers drop both.
    parts = [f"{name}={value}", "Path=/", "SameSite=Lax"]
    if max_age is not None:
        parts.append(f"Max-Age={max_age}")
    if http_only:
        parts.append("HttpOnly")
    return "; ".join(parts)


def delete_cookie(name: str) -> str:
    # LinkedIn overwrites a dead li_at with this value before expiring it.
    return f"{name}=delete me; Path=/; Max-Age=0"


def first_visit_cookies() -> list[str]:
    """Browser-id cookies LinkedIn sets on any first request, signed in or not."""
    now = int(time.time())
    fields = f"b=VB{secrets.randbelow(100):02d}:s=V:r=V:a=V:p=V:g=1:u=1:x=1:i={now}:t={now}"
    lidc = f'"{fields}:v=2:sig=AQ{secrets.token_hex(12)}"'
    return [
        set_cookie("bcookie", f'"v=2&{uuid.uuid4()}"', http_only=False),
        set_cookie("bscookie", f'"v=1&{secrets.token_hex(16)}"', http_only=True),
        set_cookie("lidc", lidc, http_only=False, max_age=24 * 3600),
        set_cookie("lang", "v=2&lang=en-us", http_only=False, max_age=None),
    ]


def session_cookies(session: Session) -> list[str]:
    """What a successful sign-in sets; page scripts read JSESSIONID, so it is not HttpOnly."""
    return [
        set_cookie("li_at", session.li_at, http_only=True),
        set_cookie("JSESSIONID", f'"{session.jsessionid}"', http_only=False),
        set_cookie("liap", "true", http_only=False),
    ]


def remember_cookie(token: str) -> str:
    """The browser's remembered accounts (the "Welcome back" chooser): an opaque token."""
    return set_cookie("li_rm", token, http_only=True)


def signed_out_cookies() -> list[str]:
    return [delete_cookie("li_at"), delete_cookie("liap")]


def unquote_value(value: str) -> str:
    """JSESSIONID as a CSRF token: the cookie value without its surrounding quotes."""
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value
