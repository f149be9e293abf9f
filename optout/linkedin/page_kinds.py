"""What kind of LinkedIn page a URL is, and which HTTP answers mean LinkedIn refused."""

from __future__ import annotations

from enum import Enum
from urllib.parse import urlsplit

from optout.core.errors import Refused, SiteUnavailable
from optout.core.selector_pack import PagePaths


class PageKind(Enum):
    SIGNED_IN = "signed_in"
    LOGIN = "login"
    CHALLENGE = "challenge"
    REFUSED = "refused"
    RESTRICTED = "restricted"
    OTHER = "other"


def _under(path: str, prefixes: tuple[str, ...]) -> bool:
    for prefix in prefixes:
        base = prefix.rstrip("/")
        if path in (base, prefix) or path.startswith(base + "/"):
            return True
    return False


def classify(url: str, pages: PagePaths) -> PageKind:
    """Recognise sign-in and checkpoint pages by URL path, never by (localized) text."""
    parts = urlsplit(url)
    path = parts.path or "/"
    if any(marker in f"{path}?{parts.query}" for marker in pages.refused):
        return PageKind.REFUSED
    if _under(path, pages.restricted):
        return PageKind.RESTRICTED
    # Login paths come first: `/checkpoint/lg/login-submit` is the sign-in form again.
    if _under(path, pages.login):
        return PageKind.LOGIN
    if _under(path, pages.challenge):
        return PageKind.CHALLENGE
    if _under(path, pages.signed_in):
        return PageKind.SIGNED_IN
    return PageKind.OTHER


def path_of(url: str) -> str:
    return urlsplit(url).path.rstrip("/") or "/"


# 999 is LinkedIn's own "Request denied" (rate limit or bot block).
REFUSAL_STATUSES = {429: "too many requests", 999: "request denied"}


def check_status(status: int, what: str) -> None:
    if status in REFUSAL_STATUSES:
        raise Refused(
            f"LinkedIn refused {what} (HTTP {status}, {REFUSAL_STATUSES[status]}); "
            "wait a few hours before trying again so the account is not flagged."
        )
    if status >= 500:
        raise SiteUnavailable(f"LinkedIn failed to serve {what} (HTTP {status}); try again later.")
