"""The settings page: go to a setting, read its switch once settled, switch it off.

Safety first: the switch is clicked only when its state is known to be on, and
a change counts only once a reload reads it back as off.
"""

from __future__ import annotations

import contextlib
import time
from typing import TYPE_CHECKING

from optout.auth import challenge_error, refusal_error
from optout.errors import LayoutChanged
from optout.packs import Pack, SettingSpec
from optout.pageutil import POLL_MS, navigate
from optout.results import State
from optout.site import PageKind, classify, path_of

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page, Request

FIND_TIMEOUT_S = 15  # single-page app: the switch arrives after the page's own API call
SETTLE_TIMEOUT_S = 10
STABLE_SAMPLES = 5  # identical readings POLL_MS apart before a state is believed
SAVE_TIMEOUT_S = 10
READ_BACK_ATTEMPTS = 3
READ_BACK_PAUSE_MS = 1000

# A native checkbox: `.checked` is the truth (facts: read it, not an aria attribute).
_SAMPLE_JS = "el => [el.checked, el.disabled, el.isConnected]"
# Clicks only if the switch is still not in the wanted state, in one step inside
# the page, so nothing can change between the look and the click.
_CLICK_IF_NOT_JS = (
    "(el, want) => { if (el.checked === want) return false; el.click(); return true; }"
)


class SessionExpired(Exception):
    """LinkedIn sent a sign-in page instead of the setting: the saved session is over."""


class _WriteTracker:
    """The page's own non-GET requests in flight: the switch saves through one.

    A request counts as done at its response (not only at `requestfinished`,
    which never comes when the page does not read the body) or its failure.
    """

    def __init__(self, page: Page) -> None:
        self.page = page
        self._pending: set[Request] = set()
        page.on("request", self._started)
        page.on("response", lambda response: self._ended(response.request))
        page.on("requestfinished", self._ended)
        page.on("requestfailed", self._ended)

    @property
    def in_flight(self) -> int:
        return len(self._pending)

    def _started(self, request: Request) -> None:
        if request.method != "GET":
            self._pending.add(request)

    def _ended(self, request: Request) -> None:
        self._pending.discard(request)

    def wait_until_quiet(self, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        quiet_since: float | None = None
        while time.monotonic() < deadline:
            if self.in_flight:
                quiet_since = None
            else:
                quiet_since = quiet_since or time.monotonic()
                if time.monotonic() - quiet_since >= 0.3:
                    return
            self.page.wait_for_timeout(POLL_MS)


class SettingPage:
    def __init__(self, page: Page, base_url: str, pack: Pack, spec: SettingSpec) -> None:
        self.page = page
        self.base_url = base_url
        self.pack = pack
        self.spec = spec
        self.clicked = False
        self._writes = _WriteTracker(page)

    @property
    def url(self) -> str:
        return self.base_url + self.spec.path

    def open(self, *, reload: bool = False) -> None:
        reload = reload and path_of(self.page.url) == path_of(self.url)
        navigate(self.page, self.url, f"the {self.spec.label} page", reload=reload)
        self._ensure_on_setting_page()

    def _ensure_on_setting_page(self) -> None:
        url = self.page.url
        kind = classify(url, self.pack.pages)
        if kind is PageKind.LOGIN:
            raise SessionExpired(url)
        if kind is PageKind.CHALLENGE:
            raise challenge_error(url)
        if kind is PageKind.REFUSED:
            raise refusal_error(url)
        if path_of(url) != path_of(self.url):
            raise LayoutChanged(
                f"LinkedIn showed {path_of(url)} instead of the {self.spec.label} page; "
                "it may have moved the setting."
            )

    def _find_switch(self) -> Locator:
        deadline = time.monotonic() + FIND_TIMEOUT_S
        while True:
            self._ensure_on_setting_page()
            for selector in self.spec.switch:
                locator = self.page.locator(selector)
                count = locator.count()
                if count == 1:
                    return locator
                if count > 1:
                    raise LayoutChanged(
                        f"{count} switches match `{selector}` on the {self.spec.label} page; "
                        "optout will not guess which one to read."
                    )
            if time.monotonic() >= deadline:
                raise LayoutChanged(
                    f"The switch for {self.spec.label} was not found within {FIND_TIMEOUT_S} s "
                    f"at {path_of(self.page.url)}; LinkedIn may have changed the page."
                )
            self.page.wait_for_timeout(POLL_MS)

    def _sample(self, switch: Locator) -> tuple[bool, bool] | None:
        """(checked, usable) now, or None when the element went away (re-rendered)."""
        from playwright.sync_api import Error as PlaywrightError

        try:
            checked, disabled, connected = switch.evaluate(_SAMPLE_JS)
        except PlaywrightError:  # re-rendered or navigating: not a reading
            return None
        if not connected:
            return None
        return bool(checked), not disabled

    def read(self) -> State:
        """A settled reading: the same usable state STABLE_SAMPLES times in a row."""
        deadline = time.monotonic() + SETTLE_TIMEOUT_S
        switch = self._find_switch()
        last: bool | None = None
        streak = 0
        while time.monotonic() < deadline:
            self._ensure_on_setting_page()
            sample = self._sample(switch)
            if sample is None:
                switch, last, streak = self._find_switch(), None, 0
                continue
            checked, usable = sample
            if usable and checked == last:
                streak += 1
            else:
                streak = 1 if usable else 0
            last = checked if usable else None
            if streak >= STABLE_SAMPLES:
                return State.ON if checked == self.spec.on_when_checked else State.OFF
            self.page.wait_for_timeout(POLL_MS)
        return State.UNKNOWN

    def switch_off(self) -> State:
        """Switch off if (and only if) it is known to be on; the state read back afterwards."""
        state = self.read()
        if state is not State.ON:
            return state
        self._click_once()
        self._writes.wait_until_quiet(SAVE_TIMEOUT_S)
        return self._read_back()

    def _click_once(self) -> None:
        from playwright.sync_api import Error as PlaywrightError

        switch = self._find_switch()
        want_checked = not self.spec.on_when_checked
        self.clicked = True
        try:
            # set_checked clicks only if the element is not already in the wanted
            # state, and checks it changed: a second guard against turning it on.
            switch.set_checked(want_checked, timeout=3_000)
        except PlaywrightError:
            # Covered by a styled toggle, hidden, or flipped back by the page: click
            # it from inside the page, still only if it is not yet in the wanted state.
            with contextlib.suppress(PlaywrightError):  # the read-back tells what happened
                switch.evaluate(_CLICK_IF_NOT_JS, want_checked)

    def _read_back(self) -> State:
        state = State.UNKNOWN
        for attempt in range(READ_BACK_ATTEMPTS):
            if attempt:
                self.page.wait_for_timeout(READ_BACK_PAUSE_MS)
            self.open(reload=True)
            state = self.read()
            if state is not State.ON:
                return state
        return state
