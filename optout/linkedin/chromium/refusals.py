"""What a headless check does not load: fonts, media, trackers and beacons (the
selector pack's `[network]` table). Refused early, they never hold up the page's
own scripts on the browser's few connections per host.

Chromium matches them itself: the browser gets a DevTools session of optout's own
whose request interception (the Fetch domain) pauses, in every context and page,
only what a rule may refuse; optout then refuses it or lets it go, and every other
request never leaves the browser. Playwright's routing would take every request
through its driver and switch the browser's cache off for it, so that each request
carried `Cache-Control: no-cache` and `Pragma: no-cache`, which a person's browser
does not send. Nothing is put into the page. Images are not even asked for: Chromium's
own setting, at launch (browser.py).
"""

from __future__ import annotations

import asyncio
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.async_api import CDPSession

    from optout.core.selector_pack import NetworkRules

# The pack's kinds of resources, as the browser names them.
_RESOURCE_TYPES = {"image": "Image", "media": "Media", "font": "Font"}
# File endings of what a kind of resource is made of, for one loaded another way.
_TYPE_ENDINGS = {
    "font": ("woff2", "woff", "ttf", "otf", "eot"),
    "media": ("mp4", "webm", "m3u8", "mpd", "mp3", "ogg", "mov", "m4s"),
}


def block_pattern(rules: NetworkRules) -> re.Pattern[str] | None:
    """One pattern for the URLs a check refuses, whatever their kind."""
    parts = []
    endings = [e for kind in rules.block_types for e in _TYPE_ENDINGS.get(kind, ())]
    if endings:
        parts.append(r"[^?#]*\.(?:" + "|".join(endings) + r")(?:[?#].*)?$")
    for host in rules.block_hosts:
        parts.append(
            r"[^:/]+://(?:[^/?#]*\.)?" + re.escape(host.lower()) + r"(?::\d+)?(?:[/?#].*)?$"
        )
    for path in rules.block_paths:
        parts.append(r"[^:/]+://[^/?#]+" + re.escape(path) + r".*$")
    return re.compile("^(?:" + "|".join(parts) + ")", re.IGNORECASE) if parts else None


def _wildcards(rules: NetworkRules, types: set[str]) -> list[dict[str, str]]:
    """What Chromium pauses: every request `block_pattern` refuses, and a few more that
    optout then lets go (the wildcards cannot say "at the start of the path")."""
    urls = [f"*.{ending}*" for kind in rules.block_types for ending in _TYPE_ENDINGS.get(kind, ())]
    for host in (h.lower() for h in rules.block_hosts):
        urls += [f"*://{host}/*", f"*://*.{host}/*", f"*://{host}:*", f"*://*.{host}:*"]
    urls += [f"*{path}*" for path in rules.block_paths]
    patterns = [{"urlPattern": url} for url in urls]
    return patterns + [{"urlPattern": "*", "resourceType": kind} for kind in sorted(types)]


class Refusals:
    """The rules of one browser, applied by Chromium to every page of every context."""

    def __init__(self, rules: NetworkRules) -> None:
        self.pattern = block_pattern(rules)
        self.types = {
            _RESOURCE_TYPES[kind] for kind in rules.block_types if kind in _RESOURCE_TYPES
        }
        self.wildcards = _wildcards(rules, self.types)
        self._answering: set[asyncio.Future[None]] = set()  # held until done: never lost

    def refused(self, url: str, resource_type: str) -> bool:
        if resource_type == "Document":
            return False  # a page itself is never refused
        return resource_type in self.types or bool(self.pattern and self.pattern.match(url))

    def answer(self, session: CDPSession, paused: dict[str, Any]) -> None:
        answering = asyncio.ensure_future(self._settle(session, paused))
        self._answering.add(answering)
        answering.add_done_callback(self._answering.discard)

    async def _settle(self, session: CDPSession, paused: dict[str, Any]) -> None:
        from playwright.async_api import Error as PlaywrightError

        request_id = {"requestId": paused["requestId"]}
        try:
            if self.refused(paused["request"]["url"], paused.get("resourceType", "")):
                await session.send(
                    "Fetch.failRequest", {**request_id, "errorReason": "BlockedByClient"}
                )
            else:
                await session.send("Fetch.continueRequest", request_id)
        except PlaywrightError:  # the page, or the browser, went away meanwhile
            pass


async def refuse_in(session: CDPSession, rules: NetworkRules) -> None:
    """From now on, every page of the browser refuses what `rules` refuse, from its
    first request: the pages optout opens and those the site opens (pop-ups) alike.
    `session` is the browser's own DevTools session: one serves every context, so a page
    costs nothing more to open."""
    refusals = Refusals(rules)
    if not refusals.wildcards:
        return
    session.on("Fetch.requestPaused", lambda paused: refusals.answer(session, paused))
    await session.send("Fetch.enable", {"patterns": refusals.wildcards})
