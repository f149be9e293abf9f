"""LinkedIn's answer to a browser that shows it is driven by a program: HTTP 999.

Only browser fingerprints are judged, as LinkedIn's checks are known to judge them: a
`HeadlessChrome` user agent, a `sec-ch-ua` that names another browser or version than
the user agent, and `navigator.webdriver`, which the member's pages report. A client
that does not claim to be Chrome (urllib, curl: the tests' own requests) passes.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping

from optout.sandbox.exchange import NO_STORE, Request, Response

# Where a page reports navigator.webdriver; never one of the paths optout refuses to load.
REPORT_PATH = "/__botguard/webdriver"
# The member's own pages look, as LinkedIn's scripts can; sign-in pages are judged by
# their headers alone.
_WATCHED = ("/feed/", "/mypreferences/", "/psettings/")
_REPORT = (
    b"<script>if (navigator.webdriver) fetch(" + f'"{REPORT_PATH}"'.encode() + b", "
    b'{method: "POST", keepalive: true});</script>'
)

_CHROME = re.compile(r"\b(HeadlessChrome|Chrome)/(\d+)\.")
_BRAND = re.compile(r'"([^"]*)"\s*;\s*v="([^"]*)"')
# The user agent's system token, and the sec-ch-ua-platform Chrome sends beside it.
_PLATFORMS = (
    ("Windows", "Windows"),
    ("Android", "Android"),
    ("Macintosh", "macOS"),
    ("CrOS", "Chrome OS"),
    ("Linux", "Linux"),
)


def _secure_origin(host_header: str) -> bool:
    """Whether Chrome sends client hints to this host: over plain HTTP, loopback only."""
    if host_header.startswith("["):
        host = host_header.partition("]")[0] + "]"
    else:
        host = host_header.partition(":")[0]
    return host in ("localhost", "[::1]") or host.endswith(".localhost") or host.startswith("127.")


def _platform_of(agent: str) -> str | None:
    return next((hint for token, hint in _PLATFORMS if token in agent), None)


def fingerprint_problem(headers: Mapping[str, str]) -> str | None:
    """Why these request headers (names in lower case) betray automation, or None."""
    agent = headers.get("user-agent", "")
    chrome = _CHROME.search(agent)
    if chrome is None:
        return None
    if chrome.group(1) == "HeadlessChrome":
        return "HeadlessChrome in the user agent"
    hints = headers.get("sec-ch-ua")
    if hints is None:
        # Chrome sends it with every page it loads from a secure origin; requests from
        # workers go without.
        if headers.get("sec-fetch-dest") == "document" and _secure_origin(headers.get("host", "")):
            return "a Chrome user agent without sec-ch-ua"
        return None
    brands = dict(_BRAND.findall(hints))
    if any("Headless" in brand for brand in brands):
        return "HeadlessChrome in sec-ch-ua"
    # The GREASE brand ("Not:A-Brand" and the like) names no browser.
    named = [version for brand, version in brands.items() if "Chrom" in brand or "Edge" in brand]
    if not named or any(version != chrome.group(2) for version in named):
        return f"sec-ch-ua {hints} beside Chrome {chrome.group(2)} in the user agent"
    platform = headers.get("sec-ch-ua-platform")
    if platform is not None and platform.strip('"') != _platform_of(agent):
        return f"sec-ch-ua-platform {platform} beside a user agent of another system"
    return None


class BotGuard:
    """Refuses browsers that show automation, the way LinkedIn does (HTTP 999)."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self._lock = threading.Lock()
        self._marked: set[str] = set()  # bcookie and li_at values of reported browsers
        self._refusals: list[str] = []

    def refusals(self) -> list[str]:
        """Why requests were refused, oldest first."""
        with self._lock:
            return list(self._refusals)

    def answer(self, request: Request) -> Response | None:
        """999 for a browser judged automated, 204 to a page's report; None lets the
        request through to the routes. The sandbox's admin API is never judged."""
        if not self.enabled or request.path.startswith("/__sandbox"):
            return None
        if request.path == REPORT_PATH and request.method == "POST":
            self._mark(request)
            return Response(204, headers=[NO_STORE])
        reason = fingerprint_problem(request.headers) or self._marked_reason(request)
        if reason is None:
            return None
        with self._lock:
            self._refusals.append(reason)
        return Response(
            999,
            b"Request denied",
            [("Content-Type", "text/plain; charset=utf-8"), NO_STORE, ("X-Bot-Guard", reason)],
        )

    def watch(self, request: Request, response: Response) -> None:
        """Give a member's page the script that reports navigator.webdriver."""
        if not self.enabled or response.status != 200 or not request.path.startswith(_WATCHED):
            return
        types = [value for name, value in response.headers if name.lower() == "content-type"]
        if not types or not types[0].startswith("text/html"):
            return
        at = response.body.rfind(b"</body>")
        at = len(response.body) if at < 0 else at
        response.body = response.body[:at] + _REPORT + response.body[at:]

    def _ids(self, request: Request) -> list[str]:
        # The browser (bcookie) and the session (li_at): LinkedIn remembers both.
        return [value for value in (request.cookies.get(n) for n in ("bcookie", "li_at")) if value]

    def _mark(self, request: Request) -> None:
        with self._lock:
            self._marked.update(self._ids(request))

    def _marked_reason(self, request: Request) -> str | None:
        with self._lock:
            marked = any(value in self._marked for value in self._ids(request))
        return "navigator.webdriver reported by a page" if marked else None
