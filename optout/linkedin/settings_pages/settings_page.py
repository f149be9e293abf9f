"""The settings page: go to a setting, read its switch once settled, switch it off.

Safety first: the switch is clicked only when its state is known to be on, and
a change counts only once a reload reads it back as off. A switch is believed
only once the page has settled: its own settings request answered (in any
shape) and the switch held still after it. The answer's content, where it can
be read, is a second opinion; where it cannot, the switch must hold still
longer and the Data privacy index is asked. Two clear opinions that differ
mean `unknown`: nothing is clicked.

Each part can be read (and tested) alone: getting to the page
(setting_location.py), finding the switch (switch_finder.py), the settled
reading and its sources (settled_reading.py, page_requests.py,
privacy_index.py), and switching off with its read-back (switching_off.py).
`SettingPage` puts them together for one setting.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from optout.core.selector_pack import Pack, PageVariant, SettingSpec
from optout.linkedin.settings_pages.card_answer import Opinion
from optout.linkedin.settings_pages.learned_words import LearnedWords
from optout.linkedin.settings_pages.page_requests import PageRequests
from optout.linkedin.settings_pages.privacy_index import (
    IndexQuestion,
    IndexSeen,
    confirm_with_index,
)
from optout.linkedin.settings_pages.setting_location import SessionExpired, SettingLocation
from optout.linkedin.settings_pages.settled_reading import Reading, SettledReader
from optout.linkedin.settings_pages.switch_finder import SwitchFinder
from optout.linkedin.settings_pages.switching_off import SwitchingOff

if TYPE_CHECKING:
    from playwright.async_api import Locator, Page

__all__ = ["Reading", "SessionExpired", "SettingPage", "settings_of_one_page"]


class SettingPage:
    def __init__(
        self, page: Page, base_url: str, pack: Pack, spec: SettingSpec, *,
        timeout_s: float = 30, requests: PageRequests | None = None,
    ) -> None:  # fmt: skip
        """`requests`: shared by the settings of one page, so that a reload by one of
        them is a new load for all."""
        self.page = page
        self.base_url = base_url
        self.pack = pack
        self.spec = spec
        self.timeout_s = timeout_s
        self.find_timeout_s = max(2.0, timeout_s / 2)
        self.requests = requests or PageRequests(page, [spec.api], pack.values)
        self.finder = SwitchFinder(page, pack, spec)
        self.location = SettingLocation(
            page, base_url, pack, spec, timeout_s=timeout_s, requests=self.requests
        )
        # Kept across this page's readings and read-backs: what the index showed, and the
        # value words learned beside readings it confirmed.
        self.index_seen, self.learned = IndexSeen(), LearnedWords()
        self.reader = SettledReader(
            self.location, self.requests, self.finder,
            find_timeout_s=self.find_timeout_s, learned=self.learned,
        )  # fmt: skip
        self.switching = SwitchingOff(
            page, spec, self.requests,
            locate=self.locate,
            read=self.read_confirmed,
            reload=lambda: self.open(reload=True),
        )  # fmt: skip

    # --- what the parts know -------------------------------------------------------

    @property
    def url(self) -> str:
        return self.location.url

    @property
    def status(self) -> int | None:
        """HTTP status of the last load."""
        return self.location.status

    @property
    def variant(self) -> PageVariant:
        return self.location.variant

    @property
    def clicked(self) -> bool:
        return self.switching.clicked

    @property
    def opinion(self) -> Opinion:
        """The settings request's latest opinion, for calibration."""
        return self.reader.opinion

    @property
    def switch_aria_keys(self) -> tuple[str, ...]:
        """The switch's aria-labelledby, as read."""
        return self.reader.switch_aria_keys

    # --- what can be done ------------------------------------------------------------

    async def open(self, *, reload: bool = False, loaded_by: SettingPage | None = None) -> None:
        """Load the setting's page; with `loaded_by`, another setting of the same page
        has just loaded it, and this one reads it as it is."""
        await self.location.open(
            reload=reload, loaded_by=loaded_by.location if loaded_by is not None else None
        )

    async def locate(self) -> Locator | None:
        return await self.finder.locate(self.variant)

    async def read(self, *, to_click: bool = False) -> Reading:
        """A settled reading of the switch, or `unknown` with the reason."""
        return await self.reader.read(to_click=to_click)

    async def read_confirmed(self, *, to_click: bool = False) -> Reading:
        """A settled reading, confirmed by the Data privacy index where the page gave no
        second source. `to_click`: a click may follow (settled_reading.SettledReader).
        The index is asked as soon as the reading waits with no second opinion, in a
        page of its own, while the switch holds still."""
        question = IndexQuestion(
            self.page.context, self.base_url, self.pack, self.spec,
            timeout_s=self.timeout_s, seen=self.index_seen, news=self.requests.news,
        )  # fmt: skip
        self.reader.second_source = question
        try:
            reading = await self.read(to_click=to_click)
            reading = await confirm_with_index(reading, question, switch_named=self._switch_named())
            self.learned.note(self.reader.opinion, reading.state, reading.confirmed_by)
            return reading
        finally:
            self.reader.second_source = None
            await question.drop()

    def _switch_named(self) -> bool:
        """The switch read is this setting's by its key, id or label, or the settings
        request holds this setting's entry under one of its keys. An answer's entry found
        by the switch's own label says only that the switch shows its entry's value: a
        member who lacks this setting may be shown another's switch alone."""
        return self.finder.found_by != "only switch" or self.reader.opinion.found_by == "pack key"

    async def switch_off(
        self, before_click: Callable[[], Awaitable[None]] | None = None
    ) -> Reading:
        """Switch off if (and only if) it is known to be on; the reading after a reload.
        `before_click` runs on the page as read, just before the click (evidence)."""
        return await self.switching.switch_off(before_click)


def settings_of_one_page(
    page: Page, base_url: str, pack: Pack, specs: list[SettingSpec], *, timeout_s: float
) -> list[SettingPage]:
    """The settings of one page, to be read on one load of it: one watch of the page's
    requests serves them all, so each setting read after the first still has the
    page's settings request, as answered, for its second opinion."""
    requests = PageRequests(page, [spec.api for spec in specs], pack.values)
    return [
        SettingPage(page, base_url, pack, spec, timeout_s=timeout_s, requests=requests)
        for spec in specs
    ]
