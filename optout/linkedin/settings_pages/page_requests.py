"""The setting page's requests: saves in flight, the settings request's answers, stalls.

The page's own settings request is two things. Its arrival, in any shape, is a
hydration barrier: a switch drawn before it may be a placeholder. Its content,
when it can be read, is a second opinion on the switch (optout.linkedin.settings_pages.card_answer).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import SplitResult, parse_qsl, urlsplit

from optout.core.selector_pack import Vocabulary
from optout.linkedin.settings_pages.card_answer import CardEntry, Opinion, entries_in_json, opinion

if TYPE_CHECKING:
    from playwright.async_api import Page, Request, Response

    from optout.core.selector_pack import ApiSource

STALLED_REQUEST_S = 3.0
# After a click, how long no write may be in flight before the page is reloaded:
QUIET_AFTER_WRITES_S = 0.3  # ... in general (a save may start a moment after the click)
QUIET_AFTER_SAVE_S = 0.1  # ... once a write to LinkedIn's settings API was answered OK
QUIET_POLL_MS = 25
_READS = frozenset({"GET", "HEAD", "OPTIONS"})  # methods that write nothing


class PageRequests:
    """One load's requests, watched for every setting read on it: `apis` are theirs
    (by path only: which entry is whose is each reading's own business)."""

    def __init__(
        self, page: Page, apis: Iterable[ApiSource | None], vocabulary: Vocabulary
    ) -> None:
        self._page = page
        self.paths = tuple(dict.fromkeys(api.path for api in apis if api is not None))
        # Where writes to the settings API begin: the first segment of each path.
        self._roots = tuple(dict.fromkeys(_root(path) for path in self.paths))
        self.vocabulary = vocabulary
        self._writes: set[Request] = set()  # writes that may be a save, in flight
        self._started: dict[Request, float] = {}
        self._answers: dict[str, Response] = {}  # latest answer per request URL, arrival order
        # Each answer's setting objects, read as soon as its body has arrived.
        self._parsed: dict[int, asyncio.Task[list[CardEntry]]] = {}
        # Answers whose body has fully arrived: asking for a body the page never reads
        # would wait forever.
        self._complete: set[Request] = set()
        self.answered_at: float | None = None  # when the latest answer arrived
        # Settings requests that failed, by path (a card), until one for it answers OK:
        # another card's answer says nothing of this one.
        self._failures: dict[str, tuple[float, str]] = {}
        # Of those, the ones LinkedIn answered with a client error other than 429 (404, say):
        # the page asked for what this member has not, which its text may go on to say.
        self._refused: set[str] = set()
        # Requests of the current load: a request the previous page left in flight ends
        # (aborted) after the next load began, and says nothing about the new page.
        self._this_load: set[Request] = set()
        self._abandoned_at: float | None = None  # the page gave up a settings request
        self._saved_at: float | None = None  # a write to the settings API answered OK
        self._save_failed_at: float | None = None  # ... answered with an error, or failed
        self._wrote_at: float | None = None  # the latest write that may be a save ended
        self._write_began_at: float | None = None  # ... began
        # Set when a settings request of the page answers or fails (and by the index's
        # answer, settings_page.py): a reading that looks at its switch seldom looks
        # again at once (reading_pace.py).
        self.news = asyncio.Event()
        page.on("request", self._on_request)
        page.on("response", self._on_response)
        page.on("requestfinished", self._on_finished)
        page.on("requestfailed", self._on_failed)

    def reset(self) -> None:
        """Forget the previous page's answers: a new load must confirm itself."""
        self._answers, self._parsed, self._complete = {}, {}, set()
        self.answered_at, self._abandoned_at = None, None
        self._failures, self._refused = {}, set()
        self._this_load = set()
        for request in [r for r in self._started if self._is_api(r)]:
            del self._started[request]

    def _is_api(self, request: Request) -> bool:
        """A GET of a settings card: at the pack's path, the card named after it or in
        the query (`.../settingsApiSettingCards?q=cardKey&cardKey=...`; unconfirmed)."""
        if request.method != "GET":
            return False
        path = _slashed_path(urlsplit(request.url))
        return any(api_path in path for api_path in self.paths)

    def _card_name(self, url: str) -> str:
        """The card an answer is for: the path's last segment; or, where the path is the
        settings API's own, the query's last value."""
        parts = urlsplit(url)
        path = _slashed_path(parts)
        query = [value for _, value in parse_qsl(parts.query)]
        if query and any(path.endswith(api_path) for api_path in self.paths):
            return query[-1]
        return parts.path.rstrip("/").rsplit("/", 1)[-1]

    def _on_request(self, request: Request) -> None:
        self._this_load.add(request)
        if request.resource_type in ("fetch", "xhr"):
            self._started[request] = time.monotonic()
        if self._may_save(request):
            self._writes.add(request)
            self._write_began_at = time.monotonic()

    def _done(self, request: Request) -> None:
        # A request counts as done at its response: `requestfinished` never comes
        # when the page does not read the body.
        if request in self._writes:
            self._wrote_at = time.monotonic()
        self._writes.discard(request)
        self._started.pop(request, None)

    def _on_finished(self, request: Request) -> None:
        self._done(request)
        if self._is_api(request):
            self._complete.add(request)
            answer = self._answers.get(request.url)
            if answer is not None and answer.request is request:
                self._read_soon(answer)  # ready when the reading first asks

    def _on_response(self, response: Response) -> None:
        self._done(response.request)
        if self._is_save(response.request):
            if response.ok:
                self._saved_at = time.monotonic()
            else:
                self._save_failed_at = time.monotonic()
        if not self._is_api(response.request) or response.request not in self._this_load:
            return
        self.news.set()
        path = _address(response.url)
        if response.ok:
            self._answers.pop(response.url, None)
            self._answers[response.url] = response
            self.answered_at = time.monotonic()
            self._failures.pop(path, None)
            self._refused.discard(path)
        else:
            self._failures[path] = (time.monotonic(), f"HTTP {response.status}")
            if 400 <= response.status < 500 and response.status != 429:
                self._refused.add(path)
            else:
                self._refused.discard(path)

    def _on_failed(self, request: Request) -> None:
        self._done(request)
        if self._is_save(request):
            self._save_failed_at = time.monotonic()
        if not self._is_api(request) or request not in self._this_load:
            return
        self.news.set()
        failure = request.failure or "failed"
        if "ERR_ABORTED" in failure:
            # Given up by the page itself (a re-render, its own navigation): not
            # LinkedIn failing, but no answer either.
            self._abandoned_at = time.monotonic()
        else:
            path = _address(request.url)
            self._failures[path] = (time.monotonic(), failure)
            self._refused.discard(path)

    # --- what the page is doing --------------------------------------------------

    def api_pending(self) -> bool:
        """The page has asked for a setting card and not had the answer yet."""
        return any(self._is_api(request) for request in self._started)

    @property
    def api_failure(self) -> tuple[float, str] | None:
        """(when, why) of the first settings request that failed and has not answered
        since; None when there is none."""
        return min(self._failures.values(), default=None)

    def asked(self) -> bool:
        """The current load has asked for a settings card (answered or not)."""
        return any(self._is_api(request) for request in self._this_load)

    def api_refused(self) -> bool:
        """Every settings request that failed was refused as asking for what is not there
        (HTTP 4xx, not 429): not LinkedIn failing, if the page says why."""
        return bool(self._failures) and self._refused >= self._failures.keys()

    def abandoned_unanswered(self) -> bool:
        """The page gave up a settings request and no answer came after it."""
        if self._abandoned_at is None or self.api_pending():
            return False
        return self.answered_at is None or self.answered_at < self._abandoned_at

    @property
    def answered(self) -> bool:
        return self.answered_at is not None

    @property
    def writes_in_flight(self) -> int:
        return len(self._writes)

    def stalled(self) -> bool:
        """The page still waits for its settings request; or, where none has answered,
        for another one for long (its data may come by a path the pack does not know).
        Once a settings request has answered, the data came: a long request beside it
        (a long poll, say) does not make a missing switch LinkedIn's failure."""
        now = time.monotonic()
        return any(
            self._is_api(request) or (now - started > STALLED_REQUEST_S and not self.answered)
            for request, started in self._started.items()
        )

    def _is_save(self, request: Request) -> bool:
        """A write to the settings API (PUT .../settingsApiSettings/<key> in the facts):
        where the settings request's path begins. A hint: it only shortens a wait."""
        if request.method in _READS:
            return False
        path = urlsplit(request.url).path
        return any(path.startswith(root) for root in self._roots)

    def _may_save(self, request: Request) -> bool:
        """A write that may be the page saving a click: any but a POST (the facts' save is
        a PUT), or a POST to the settings API or to the page's own address (an older page's
        form). Other POSTs are the page's own events (page views, tracking), sent whether or
        not it took a click. A hint: a save by a POST elsewhere reads as a click not heard,
        which costs a reload and a look, never a wrong answer."""
        if request.method in _READS:
            return False
        if request.method != "POST" or self._is_save(request):
            return True
        return urlsplit(request.url).path == urlsplit(self._page.url).path

    def save_failed_since(self, since: float) -> bool:
        """A write to the settings API since `since` was answered with an error (or
        failed), and none was answered OK: LinkedIn did not take the change. A hint, as
        the save's path is: a save that failed and still took is read back as on, at
        worst, and said so; never the reverse."""
        failed = self._save_failed_at is not None and self._save_failed_at >= since
        return failed and (self._saved_at is None or self._saved_at < since)

    def save_began_since(self, since: float) -> bool:
        """The page began a write that may be a save (_may_save) since `since`: it took
        notice of a click."""
        return self._write_began_at is not None and self._write_began_at >= since

    async def wait_until_quiet(self, page: Page, timeout_s: float) -> None:
        """After a click: until no write that may be a save is in flight, for a moment
        (shorter once its save was answered), so that a reload cannot cut a save short.
        The page's own events are not waited for: a reload cutting them short loses
        nothing of the member's."""
        since = time.monotonic()
        deadline = since + timeout_s
        while (now := time.monotonic()) < deadline:
            if not self.writes_in_flight:
                quiet_since = max(since, self._wrote_at or since)
                saved = self._saved_at is not None and self._saved_at >= since
                if now - quiet_since >= (QUIET_AFTER_SAVE_S if saved else QUIET_AFTER_WRITES_S):
                    return
            await page.wait_for_timeout(QUIET_POLL_MS)

    # --- what the answers say ----------------------------------------------------

    def _read_soon(self, answer: Response) -> asyncio.Task[list[CardEntry]]:
        key = id(answer)
        if key not in self._parsed:
            self._parsed[key] = asyncio.ensure_future(_setting_objects(answer))
        return self._parsed[key]

    async def _entries(self, answer: Response) -> list[CardEntry]:
        # Shielded: a reading that is cancelled leaves the answer's reading to the next.
        return await asyncio.shield(self._read_soon(answer))

    async def answers(self) -> list[tuple[str, list[CardEntry]]]:
        """(card name, setting objects) of every answer, latest first."""
        found = []
        # A copy: reading a body lets the page's events run, which add answers.
        for url, answer in reversed(list(self._answers.items())):
            if answer.request not in self._complete:
                continue
            found.append((self._card_name(url), await self._entries(answer)))
        return found

    async def opinion(
        self, pack_keys: tuple[str, ...], aria_keys: tuple[str, ...], *, single_switch: bool,
        switch_labels: tuple[str, ...] = (),
    ) -> Opinion:  # fmt: skip
        return opinion(
            await self.answers(), pack_keys, aria_keys, self.vocabulary,
            single_switch=single_switch, switch_labels=switch_labels,
        )  # fmt: skip


def _address(url: str) -> str:
    """A card request's address, its query with it: the card may be named there."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _slashed_path(parts: SplitResult) -> str:
    """The address's path ending in one slash, so a pack path (`.../settingsApiSettingCards/`)
    matches it whether or not a card's name follows."""
    return parts.path.rstrip("/") + "/"


def _root(path: str) -> str:
    return "/" + path.strip("/").split("/", 1)[0] + "/"


async def _setting_objects(answer: Response) -> list[CardEntry]:
    from playwright.async_api import Error as PlaywrightError

    try:
        body = await answer.body()
    except PlaywrightError:
        return []  # gone: no opinion
    return entries_in_json(body)
