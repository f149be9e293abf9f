"""Plain request and response values, so routes are functions that never touch sockets."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import parse_qs

if TYPE_CHECKING:
    import re

    from optout.sandbox.state import SandboxState

# Pages and API answers reflect live server state; browsers must never reuse them.
NO_STORE = ("Cache-Control", "no-store")

# Everything the pages need is inline, and the build machines have no internet:
# this policy makes any accidental outside request fail visibly in the browser.
# (`localhost` is heavy mode's stand-in for a third-party tracker.)
_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: http://localhost:*; connect-src 'self'; form-action 'self'; "
    "frame-ancestors 'self'"
)


@dataclass(frozen=True)
class Request:
    method: str
    path: str  # as sent, still percent-encoded
    query_string: str
    headers: Mapping[str, str]  # names in lower case
    cookies: Mapping[str, str]
    body: bytes = b""

    def query(self, name: str) -> str | None:
        values = parse_qs(self.query_string).get(name)
        return values[0] if values else None

    def form(self) -> dict[str, str]:
        """Fields of an application/x-www-form-urlencoded body; blanks kept as ''."""
        parsed = parse_qs(self.body.decode("utf-8", "replace"), keep_blank_values=True)
        return {name: values[0] for name, values in parsed.items()}

    def json(self) -> object:
        """The JSON body; ValueError if it is not JSON."""
        return json.loads(self.body.decode("utf-8"))

    @property
    def target(self) -> str:
        """Path and query, as a redirect back here needs them."""
        return f"{self.path}?{self.query_string}" if self.query_string else self.path


@dataclass
class Response:
    status: int
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)
    hang: bool = False  # never answer: the server holds the request, then drops it

    @classmethod
    def hang_up(cls) -> Response:
        return cls(0, hang=True)

    def set_cookie(self, header_value: str) -> Response:
        self.headers.append(("Set-Cookie", header_value))
        return self

    @classmethod
    def html(cls, page: str, status: int = 200) -> Response:
        return cls(
            status,
            page.encode("utf-8"),
            [
                ("Content-Type", "text/html; charset=utf-8"),
                NO_STORE,
                ("Content-Security-Policy", _CSP),
                ("X-Content-Type-Options", "nosniff"),
            ],
        )

    @classmethod
    def json(cls, data: object, status: int = 200) -> Response:
        return cls(
            status,
            json.dumps(data).encode("utf-8"),
            [("Content-Type", "application/json"), NO_STORE, ("X-Content-Type-Options", "nosniff")],
        )

    @classmethod
    def redirect(cls, location: str, status: int = 302) -> Response:
        return cls(status, b"", [("Location", location), NO_STORE])


Handler = Callable[["Request", "SandboxState", "re.Match[str]"], Response]


@dataclass(frozen=True)
class Route:
    methods: frozenset[str]
    pattern: re.Pattern[str]  # matched against the whole path
    handler: Handler
