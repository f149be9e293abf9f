"""The Data privacy index as a second source: it shows each setting's value beside it.

Asked only where the setting's page gave no second opinion of its own. It is
read in a page of its own, so the setting's page stays as it was read.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from optout.core.results import State
from optout.linkedin.page_kinds import PageKind, classify
from optout.linkedin.page_tools import ELEMENT_QUERY_MS, close_page, first_present, navigate
from optout.linkedin.settings_pages.settled_reading import Reading
from optout.linkedin.settings_pages.switch_finder import normalize_text

if TYPE_CHECKING:
    from playwright.async_api import BrowserContext, Locator, Page

    from optout.core.selector_pack import IndexSource, Pack, SettingSpec

# How long the index's value must hold still before it counts, looked at this often; no
# opinion if none does within VALUE_WAIT_S. The index is asked only where the setting's
# own page says nothing but its switch, mostly while that switch holds still for 3 s.
VALUE_HOLD_S = 1.0
VALUE_SAMPLE_MS = 100
VALUE_WAIT_S = 5.0
INDEX_SOURCE = "Data privacy index"  # what a reading the index confirmed names

# Texts of the leaf elements inside the index row's link: the title and its value.
_LEAF_TEXTS_JS = """el => Array.from(el.querySelectorAll('*'))
  .filter((node) => node.children.length === 0)
  .map((node) => node.textContent.trim()).filter(Boolean)"""


@dataclass
class IndexSeen:
    """What the index showed of one setting, kept across the readings of its page: an
    index that lists no row for the setting is not loaded again for each read-back (a
    change of the setting's value does not make its row appear)."""

    lacks_row: bool = False


async def index_state(
    context: BrowserContext, base_url: str, pack: Pack, spec: SettingSpec, *, timeout_s: float,
    seen: IndexSeen | None = None,
) -> State | None:  # fmt: skip
    """What the index says of the setting: ON, OFF, or None (no index, no row for the
    setting, or no clear value). `seen`: what an earlier question found."""
    index = spec.index
    if index is None or (seen is not None and seen.lacks_row):
        return None
    page = await context.new_page()
    try:
        await navigate(page, base_url + index.path, "the Data privacy page", timeout_s=timeout_s)
        if classify(page.url, pack.pages) is not PageKind.OTHER:
            return None
        link = await first_present(page, (index.link,), 5)
        if link is None:
            if seen is not None:
                seen.lacks_row = True
            return None  # the index does not show this setting: no opinion
        return await _settled_value(page, link, index)
    finally:
        await close_page(page)


async def _settled_value(page: Page, link: Locator, index: IndexSource) -> State | None:
    """The value the row shows once it has held still for VALUE_HOLD_S; None (no opinion)
    if none does within VALUE_WAIT_S. An index may draw its values by script after the
    page loads, and show another value until then. A row whose texts, besides one (its
    title), hold still for as long in words the pack does not know gives no opinion at
    once: its value is drawn, in words of a language or a wording the pack lacks."""
    deadline = time.monotonic() + VALUE_WAIT_S
    shown: State | None = None
    texts: list[str] = []
    since = texts_since = time.monotonic()
    while True:
        now_texts = await _leaf_texts(link)
        now_shown = _value_of(now_texts, index)
        now = time.monotonic()
        if now_shown is not shown:
            shown, since = now_shown, now
        elif shown is not None and now - since >= VALUE_HOLD_S:
            return shown
        if now_texts != texts:
            texts, texts_since = now_texts, now
        elif shown is None and len(texts) > 1 and now - texts_since >= VALUE_HOLD_S:
            return None  # a value drawn, and held still, in words no list of the pack has
        if now >= deadline:
            return None
        await page.wait_for_timeout(VALUE_SAMPLE_MS)


async def _leaf_texts(link: Locator) -> list[str]:
    from playwright.async_api import Error as PlaywrightError

    try:
        texts = await link.evaluate(_LEAF_TEXTS_JS, timeout=ELEMENT_QUERY_MS)
    except PlaywrightError:
        return []  # drawn away as it was read: nothing shown this time
    return [str(text) for text in texts] if isinstance(texts, list) else []


def _value_of(texts: list[str], index: IndexSource) -> State | None:
    leaves = {normalize_text(t) for t in texts}
    says_on = bool(leaves & {normalize_text(t) for t in index.on})
    says_off = bool(leaves & {normalize_text(t) for t in index.off})
    if says_on == says_off:
        return None  # no value shown (or both)
    return State.ON if says_on else State.OFF


class IndexQuestion:
    """The index, asked at most once for one reading: as soon as the reading knows it
    has no second source of the page's own (`ask_now`, while the switch holds still),
    so that its answer is there when the reading ends."""

    def __init__(
        self, context: BrowserContext, base_url: str, pack: Pack, spec: SettingSpec, *,
        timeout_s: float, seen: IndexSeen | None = None, news: asyncio.Event | None = None,
    ) -> None:  # fmt: skip
        """`news`: set when the answer is in (or the asking failed), for a reading that
        waits on it (reading_pace.py)."""
        self.context, self.base_url, self.pack, self.spec = context, base_url, pack, spec
        self.news = news
        self.timeout_s = timeout_s
        self.seen = seen or IndexSeen()
        self._asked: asyncio.Task[State | None] | None = None

    @property
    def can_answer(self) -> bool:
        """The setting has an index, and it was not seen to lack the setting's row."""
        return self.spec.index is not None and not self.seen.lacks_row

    def ask_now(self) -> None:
        if self._asked is None and self.can_answer:
            asked = index_state(
                self.context, self.base_url, self.pack, self.spec,
                timeout_s=self.timeout_s, seen=self.seen,
            )  # fmt: skip
            self._asked = asyncio.ensure_future(asked)
            if self.news is not None:
                news = self.news
                self._asked.add_done_callback(lambda _: news.set())

    def said_so_far(self) -> State | None:
        """The answer, if it is in (None: not asked, not in yet, or failed)."""
        asked = self._asked
        if asked is None or not asked.done() or asked.cancelled() or asked.exception():
            return None
        return asked.result()

    def due(self) -> bool:
        """Asked, and the answer not in yet."""
        return self._asked is not None and not self._asked.done()

    async def answer(self) -> State | None:
        self.ask_now()
        return None if self._asked is None else await self._asked

    async def drop(self) -> None:
        """Stop asking, if the answer is not wanted: its page is closed, its failure
        no one's. A cancellation of the caller's own still reaches the caller."""
        asked = self._asked
        if asked is None:
            return
        if not asked.done():
            asked.cancel()
            await asyncio.wait({asked})
        if not asked.cancelled():
            asked.exception()  # retrieved: a failure of an answer no one wanted


async def confirm_with_index(
    reading: Reading, question: IndexQuestion, *, switch_named: bool = True
) -> Reading:
    """Where the page gave no second source, the Data privacy index's answer (asked
    already if the reading went on long enough without one). `switch_named`: something
    names the switch as this setting's (SettingPage._switch_named); a switch taken as the
    page's only one, and not so named, must be confirmed by the index, since it may be
    another setting's beside a notice in words the pack does not know, for a member who
    lacks this one. A reading of the switch alone, confirmed by nothing the page had
    (`switch_alone`), stands only where the index says the same."""
    if reading.state not in (State.ON, State.OFF) or (reading.confirmed_by and switch_named):
        return reading
    said = await question.answer()
    if said is None and reading.switch_alone:
        return _alone(reading)
    if said is None:
        return reading if switch_named else _unconfirmed(reading, question.spec.label)
    if said is reading.state:
        return Reading(reading.state, confirmed_by=INDEX_SOURCE)
    return Reading(
        State.UNKNOWN,
        problem=(
            f"the switch shows {reading.state.value} but the Data privacy index says {said.value}"
        ),
    )


def _alone(reading: Reading) -> Reading:
    return Reading(
        State.UNKNOWN,
        problem=(
            f"the switch shows {reading.state.value}, but no answer from LinkedIn the page "
            "had said so in words optout can read, so it may be a placeholder, and the "
            "Data privacy index did not say the same"
        ),
    )


def _unconfirmed(reading: Reading, label: str) -> Reading:
    return Reading(
        State.UNKNOWN,
        problem=(
            f"the page's only switch shows {reading.state.value}, but nothing names it as "
            f"{label}'s: not its key, not its label, not the page's settings request, not "
            "the Data privacy index"
        ),
    )
