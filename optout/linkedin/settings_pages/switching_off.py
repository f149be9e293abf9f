"""Switching a setting off, and reading it back after a reload.

Safety first: the switch is clicked only when its state is known to be on, and
a change counts only once a reload reads it back as off.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from optout.core.results import State
from optout.linkedin.page_tools import ELEMENT_QUERY_MS, receives_click
from optout.linkedin.settings_pages import switch_sample
from optout.linkedin.settings_pages.settled_reading import Reading
from optout.linkedin.settings_pages.yes_no_choice import (
    RADIOS_JS,
    Radio,
    choose_off,
    off_index,
    radios_of,
)

if TYPE_CHECKING:
    from playwright.async_api import Locator, Page

    from optout.core.selector_pack import SettingSpec
    from optout.linkedin.settings_pages.page_requests import PageRequests

SAVE_TIMEOUT_S = 10
# A save LinkedIn lost (refused, or answered and not kept) is tried once more, from a
# fresh reading of the reloaded page that still says on.
CLICK_ROUNDS = 2
READ_BACK_ATTEMPTS = 3
READ_BACK_PAUSE_MS = 1000
# After a click, how long the page may take to begin its save.
LATE_SAVE_S = 1.0
LATE_SAVE_POLL_MS = 25
# A click the page took no notice of (it began no write): its script may not take clicks
# yet, though it has drawn the switch's state (a page hydrating late). Where the page
# draws the switch on again by itself within REDRAWN_WAIT_S (its script, starting, draws
# what it knows), it is read and clicked there, once; else the page is reloaded and read
# again, and the next click waits this much longer after a settled reading; one wait for
# each click not heard, then optout gives up.
REDRAWN_WAIT_S = 3.0
REDRAWN_POLL_MS = 100
UNHEARD_CLICK_WAITS_S = (2.5, 5.0)

# Clicks only if the switch is still not in the wanted state, in one step inside
# the page, so nothing can change between the look and the click.
_CLICK_IF_NOT_JS = (
    "(el, want) => { if (el.checked === want) return false; el.click(); return true; }"
)


@dataclass
class _Unheard:
    """What was tried after clicks the page took no notice of."""

    redraw: bool = False  # waited for the page to draw the switch on again by itself
    reloads: int = 0  # reloads, each followed by a wait before the next click


class Read(Protocol):
    """A settled reading of the page as it is; `to_click`: a click may follow."""

    def __call__(self, *, to_click: bool = False) -> Awaitable[Reading]: ...


class SwitchingOff:
    """Turns one setting's switch off; `read` gives a settled reading of the page as it
    is, `locate` its switch, and `reload` loads the page again."""

    def __init__(
        self, page: Page, spec: SettingSpec, requests: PageRequests, *,
        locate: Callable[[], Awaitable[Locator | None]], read: Read,
        reload: Callable[[], Awaitable[None]],
    ) -> None:  # fmt: skip
        self.page = page
        self.spec = spec
        self.requests = requests
        self.locate = locate
        self.read = read
        self.reload = reload
        self.clicked = False

    async def switch_off(
        self, before_click: Callable[[], Awaitable[None]] | None = None
    ) -> Reading:
        """Switch off if (and only if) it is known to be on; the reading after a reload.
        `before_click` runs on the page as read, just before the click (evidence)."""
        reading = await self.read(to_click=True)
        saves, unheard = 0, _Unheard()
        while reading.state is State.ON and saves < CLICK_ROUNDS:
            if before_click is not None:
                await before_click()
                before_click = None  # the page as first read is the evidence
            clicked_at = time.monotonic()
            await self.click_once()
            if not await self._heard_since(clicked_at):
                next_reading = await self._after_unheard_click(unheard)
                if next_reading is None:
                    return await self.read_back(1, to_click=False)
                reading = next_reading
                continue
            saves += 1
            # A save LinkedIn answered with an error is read back once: no wait makes a
            # refused change show. The reading that still says on, where another click
            # may follow, is settled for it.
            refused = self.requests.save_failed_since(clicked_at)
            reading = await self.read_back(
                1 if refused else READ_BACK_ATTEMPTS, to_click=saves < CLICK_ROUNDS
            )
        return reading

    async def _heard_since(self, clicked_at: float) -> bool:
        """The page began a write that may be a save after the click, and has none in
        flight any more (so that a reload cannot cut a save short); False if it began none
        within LATE_SAVE_S."""
        await self.requests.wait_until_quiet(self.page, SAVE_TIMEOUT_S)
        if self.requests.save_began_since(clicked_at):
            return True
        while time.monotonic() < clicked_at + LATE_SAVE_S:
            await self.page.wait_for_timeout(LATE_SAVE_POLL_MS)
            if self.requests.save_began_since(clicked_at):
                await self.requests.wait_until_quiet(self.page, SAVE_TIMEOUT_S)
                return True
        return False

    async def _after_unheard_click(self, tried: _Unheard) -> Reading | None:
        """A settled reading for the next click, after one the page took no notice of:
        on this page where it draws the switch on again by itself (tried once), else on
        the page reloaded, a wait later; None once every wait has been tried."""
        if not tried.redraw:
            tried.redraw = True
            if await self._drawn_on_again():
                reading = await self.read(to_click=True)
                if reading.state is State.ON:
                    return reading
                # Anything else on this page is no read-back: that takes a reload.
        if tried.reloads == len(UNHEARD_CLICK_WAITS_S):
            return None
        tried.reloads += 1
        return await self._read_again_later(UNHEARD_CLICK_WAITS_S[tried.reloads - 1])

    async def _drawn_on_again(self) -> bool:
        """The switch (or Yes/No choice), clicked and not heard, shows on again, usable,
        within REDRAWN_WAIT_S."""
        deadline = time.monotonic() + REDRAWN_WAIT_S
        while time.monotonic() < deadline:
            await self.page.wait_for_timeout(REDRAWN_POLL_MS)
            switch = await self.locate()
            if switch is None:
                continue
            seen = await switch_sample.sample(
                switch, None, self.requests.vocabulary, on_when_checked=self.spec.on_when_checked
            )
            if seen is not None and seen.usable and seen.checked == self.spec.on_when_checked:
                return True
        return False

    async def _read_again_later(self, wait_s: float) -> Reading:
        """After a click the page took no notice of: the reloaded page's reading; where it
        still says on, a reading of the same page `wait_s` later, for the next click."""
        reading = await self.read_back(1, to_click=True)
        if reading.state is not State.ON:
            return reading
        await self.page.wait_for_timeout(wait_s * 1000)
        return await self.read(to_click=True)

    async def click_once(self) -> None:
        """One click towards off, never towards on."""
        from playwright.async_api import Error as PlaywrightError

        switch = await self.locate()
        if switch is None:
            return  # gone since the reading: the read-back tells what it is now
        try:
            radios = radios_of(await switch.evaluate(RADIOS_JS, timeout=ELEMENT_QUERY_MS))
        except PlaywrightError:
            return  # redrawn as it was looked at: the read-back tells what it is now
        if radios is not None:
            await self._choose_off(switch, radios)
            return
        want_checked = not self.spec.on_when_checked
        self.clicked = True
        if await receives_click(switch):
            try:
                # set_checked clicks only if the element is not already in the wanted
                # state, and checks it changed: a second guard against turning it on.
                await switch.set_checked(want_checked, timeout=3_000)
                return
            except PlaywrightError:
                pass  # covered after all, or flipped back by the page
        # Hidden under a styled toggle, or the pointer's click failed: click it from
        # inside the page, still only if it is not yet in the wanted state.
        with contextlib.suppress(PlaywrightError):  # the read-back tells what happened
            await switch.evaluate(_CLICK_IF_NOT_JS, want_checked, timeout=ELEMENT_QUERY_MS)

    async def _choose_off(self, group: Locator, radios: tuple[Radio, ...]) -> None:
        """A Yes/No choice: select its radio whose words mean off."""
        from playwright.async_api import Error as PlaywrightError

        index = off_index(radios, self.requests.vocabulary)
        if index is None:
            return  # not plain since the reading: the read-back tells what it is now
        self.clicked = True
        with contextlib.suppress(PlaywrightError):  # the read-back tells what happened
            await choose_off(group, index, self.requests.vocabulary)

    async def read_back(self, attempts: int, *, to_click: bool) -> Reading:
        """The reading after a reload, tried again while the page still shows on, up to
        `attempts` loads; `to_click`: another click follows a reading that says on."""
        reading = Reading(State.UNKNOWN, problem="not read back")
        for attempt in range(attempts):
            if attempt:
                await self.page.wait_for_timeout(READ_BACK_PAUSE_MS)
            await self.reload()
            reading = await self.read(to_click=to_click)
            if reading.state is State.UNAVAILABLE:
                # It read on before the click: a click does not take a setting away, so
                # this page is not the setting's answer (an error notice, say).
                return Reading(
                    State.UNKNOWN, problem="it read on before the click, and now not available"
                )
            if reading.state is not State.ON:
                return reading
        return reading
