"""One scrubber for everything optout writes: the run's secrets never leave it whole.

Secrets are registered where they enter the process (the keyring, a prompt, stdin,
a saved session, a computed authenticator code); every line optout writes to
stdout, stderr, its log, the history and saved evidence passes through `scrub`.
A foreign error text may quote a value it was given (Playwright's call log does),
so even text optout did not compose is safe to show.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterable
from typing import IO
from urllib.parse import quote, quote_plus, urlsplit

HIDDEN = "[hidden]"
# Shorter values are words, not secrets; hiding them would garble every message. An
# authenticator code (6 digits) is the shortest secret there is.
MIN_SECRET_LENGTH = 6
# Cookies named as session cookies also carry flags ("true", a language): only a value
# this long is a token.
MIN_COOKIE_TOKEN_LENGTH = 12
_lock = threading.Lock()
_secrets: set[str] = set()  # every form of every value
_values: set[str] = set()  # the values as given


def _forms(value: str) -> set[str]:
    """The value as it may appear in text: plain, URL-encoded, JSON- and repr-quoted."""
    forms = {value, quote(value, safe=""), quote_plus(value), json.dumps(value)[1:-1]}
    forms.add(repr(value)[1:-1])
    return {form for form in forms if len(form) >= MIN_SECRET_LENGTH}


def remember(*values: str | None) -> None:
    """Treat these values as secrets from now on, in this process."""
    with _lock:
        for value in values:
            if value and len(value) >= MIN_SECRET_LENGTH:
                _values.add(value)
                _secrets.update(_forms(value))


def remember_url(url: str) -> None:
    """A notice target: the whole URL, and the parts a token or password hides in."""
    remember(url)
    parts = urlsplit(url)
    remember(parts.netloc, parts.password, parts.path.strip("/") or None, parts.query or None)


def remember_cookies(cookies: Iterable[object], names: Iterable[str]) -> None:
    """The values of the session cookies among a browser's or a saved session's cookies."""
    wanted = set(names)
    for cookie in cookies:
        if isinstance(cookie, dict) and cookie.get("name") in wanted:
            value = cookie.get("value")
            if isinstance(value, str) and len(value.strip('"')) >= MIN_COOKIE_TOKEN_LENGTH:
                remember(value, value.strip('"'))


def scrub(text: str) -> str:
    with _lock:
        known = sorted(_secrets, key=len, reverse=True)  # longest first: no half-hidden value
    for secret in known:
        if secret in text:
            text = text.replace(secret, HIDDEN)
    return text


def forget_all() -> None:
    """For tests that need a clean slate."""
    with _lock:
        _secrets.clear()
        _values.clear()


def values() -> list[str]:
    """The secrets registered so far, as given: for code that cleans saved files and
    works out the forms they take there itself (evidence HTML)."""
    with _lock:
        return sorted(_values)


class ScrubbedStream:
    """A text stream that scrubs what is written to it; the process's stdout and stderr
    are replaced by these, so click, rich and logging all write through `scrub`."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(scrub(text))
        return len(text)

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> object:
        # isatty, fileno, flush, encoding...: the stream's own.
        return getattr(self._stream, name)


def scrub_standard_streams() -> None:
    """From now on, everything written to stdout and stderr is scrubbed."""
    import sys

    if not isinstance(sys.stdout, ScrubbedStream):
        sys.stdout = ScrubbedStream(sys.stdout)
    if not isinstance(sys.stderr, ScrubbedStream):
        sys.stderr = ScrubbedStream(sys.stderr)


class ScrubbingFormatter(logging.Formatter):
    """Log lines scrubbed after formatting, arguments and tracebacks included."""

    def format(self, record: logging.LogRecord) -> str:
        return scrub(super().format(record))
