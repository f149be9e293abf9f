"""The settings page: go to a setting, read its switch once settled, switch it off.

Safety first: the switch is clicked only when its state is known to be on, and
a change counts only once a reload reads it back as off. A switch is believed
only once the page has settled: its own settings request answered (in any
shape) and the switch held still after it. The answer's content, where it can
be read, is a second opinion; where it cannot, the switch must hold still
longer and the Data privacy index is asked. Two clear opinions that differ
mean `unknown`: nothing is clicked.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from optout.core.config import origin_of
from optout.core.errors import LayoutChanged, SiteUnavailable
from optout.core.results import State
from optout.core.selector_pack import Pack, PageVariant, SettingSpec
from optout.linkedin.card_answer import Opinion
from optout.linkedin.page_kinds import PageKind, classify, path_of
from optout.linkedin.page_requests import PageRequests
from optout.linkedin.page_tools import POLL_MS, first_present, navigate
from optout.linkedin.sign_in import challenge_error, refusal_error, restricted_error
from optout.linkedin.switch_finder import SwitchFinder, normalize_text

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

SETTLE_TIMEOUT_S = 10
SAMPLE_MS = 50  # how often a switch is looked at while it settles
# How long the switch must hold still after the page's settings request answered:
CONFIRMED_HOLD_S = 0.1  # ... when the answer clearly says the same
UNCONFIRMED_HOLD_S = 3.0  # ... when it says nothing readable, or the page never asked:
# longer than a slow hydration takes to replace a placeholder with the real state.
STABLE_HOLD_S = 0.4  # a page served whole by the server, which makes no such request
UNAVAILABLE_HOLD_S = 0.5  # the "not available" notice, with no switch, for this long
SAVE_TIMEOUT_S = 10
READ_BACK_ATTEMPTS = 3
READ_BACK_PAUSE_MS = 1000
API_FAILURE_GRACE_S = 1.0  # the page may retry its own request once

# A native checkbox: `.checked` is the truth (not an aria attribute).
_SAMPLE_JS = (
    "el => [el.checked, el.disabled, el.isConnected, el.getAttribute('aria-labelledby') || '']"
)
# Clicks only if the switch is still not in the wanted state, in one step inside
# the page, so nothing can change between the look and the click.
_CLICK_IF_NOT_JS = (
    "(el, want) => { if (el.checked === want) return false; el.click(); return true; }"
)
# Texts of the leaf elements inside the index row's link: the title and its value.
_LEAF_TEXTS_JS = """el => Array.from(el.querySelectorAll('*'))
  .filter((node) => node.children.length === 0)
  .map((node) => node.textContent.trim()).filter(Boolean)"""


class SessionExpired(Exception):
    """LinkedIn sent a sign-in page instead of the setting: the saved session is over."""


@dataclass
class Reading:
    state: State
    confirmed_by: str | None = None  # "settings request", "Data privacy index", or None
    problem: str | None = None  # why the state is unknown


@dataclass
class _Sample:
    checked: bool
    usable: bool
    aria_keys: tuple[str, ...]


class _Steadiness:
    """How long the switch has shown the same usable state."""

    def __init__(self) -> None:
        self.value: bool | None = None
        self.since = 0.0

    def see(self, value: bool | None, now: float) -> None:
        if value is None or value != self.value:
            self.since = now
        self.value = value

    def reset(self) -> None:
        self.value = None


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
        self.clicked = False
        self.status: int | None = None  # HTTP status of the last load
        self.variant: PageVariant = spec.variants[0]
        self._found: PageVariant | None = None  # the page as found on the index, if moved
        self.requests = requests or PageRequests(page, spec.api, pack.values)
        self.finder = SwitchFinder(page, pack, spec)
        self.opinion = Opinion(None)  # the settings request's latest opinion, for calibration
        self.switch_aria_keys: tuple[str, ...] = ()  # the switch's aria-labelledby, as read

    @property
    def url(self) -> str:
        return self.base_url + (self._found.path if self._found else self.spec.path)

    # --- where we are --------------------------------------------------------------

    def open(self, *, reload: bool = False, loaded_by: SettingPage | None = None) -> None:
        """Load the setting's page; with `loaded_by`, another setting of the same page
        has just loaded it, and this one reads it as it is."""
        if loaded_by is not None:
            self.status, self._found = loaded_by.status, loaded_by._found
            self._ensure_on_setting_page()
            return
        reload = reload and self._variant_at(path_of(self.page.url)) is not None
        self.requests.reset()
        self.status = navigate(
            self.page,
            self.url,
            f"the {self.spec.label} page",
            reload=reload,
            timeout_s=self.timeout_s,
        )
        if self.status == 404 and not self.spec.missing_means_unavailable and not reload:
            self._follow_the_index()
        self._ensure_on_setting_page()

    def _variant_at(self, path: str) -> PageVariant | None:
        return self.spec.variant_at(path) or (
            self._found if self._found and self._found.path == path.rstrip("/") else None
        )

    def _follow_the_index(self) -> None:
        """The pack's address is gone: find the setting's page the way a person would, by
        its name on its Settings & Privacy index page, and read it with the pack's
        switch selectors and second sources."""
        index = self.spec.index
        if index is None:
            return
        navigate(self.page, self.base_url + index.path, "the settings index",
                 timeout_s=self.timeout_s)  # fmt: skip
        if classify(self.page.url, self.pack.pages) is not PageKind.OTHER:
            return  # sign-in or checkpoint: _ensure_on_setting_page says so
        named = re.compile(re.escape(normalize_text(self.spec.label)), re.IGNORECASE)
        links = self.page.get_by_role("link", name=named)
        if links.count() != 1:
            return
        target = urljoin(self.page.url, links.first.get_attribute("href") or "")
        if origin_of(target) != origin_of(self.base_url):
            return  # never leave LinkedIn for a link on its page
        path = path_of(target)
        first = self.spec.variants[0]
        self._found = PageVariant("found on the index", path.rstrip("/"), first.switch, False)
        self.requests.reset()
        self.status = navigate(self.page, self.base_url + path, f"the {self.spec.label} page",
                               timeout_s=self.timeout_s)  # fmt: skip

    def _ensure_on_setting_page(self) -> None:
        url = self.page.url
        kind = classify(url, self.pack.pages)
        if kind is PageKind.LOGIN:
            raise SessionExpired(url)
        if kind is PageKind.CHALLENGE:
            raise challenge_error(url)
        if kind is PageKind.REFUSED:
            raise refusal_error(url)
        if kind is PageKind.RESTRICTED:
            raise restricted_error(url)
        variant = self._variant_at(path_of(url))
        if variant is None:
            raise LayoutChanged(
                f"LinkedIn showed {path_of(url)} instead of the {self.spec.label} page; "
                "it may have moved the setting."
            )
        self.variant = variant

    # --- finding the switch ----------------------------------------------------------

    def locate(self) -> Locator | None:
        return self.finder.locate(self.variant)

    def _unavailable(self, notice: _Steadiness, now: float) -> bool:
        """The page positively says this member does not have the setting: its notice,
        with no switch and nothing pending, held for a moment after the last answer."""
        if self.status == 404:
            if self.spec.missing_means_unavailable:
                return True
            raise LayoutChanged(
                f"LinkedIn answered {path_of(self.page.url)} with 404 (no such page); "
                f"it may have moved the {self.spec.label} setting."
            )
        shown = not self.requests.api_pending() and self._notice_shown()
        notice.see(True if shown else None, now)
        since = max(notice.since, self.requests.answered_at or 0.0)
        return shown and now - since >= UNAVAILABLE_HOLD_S

    def _notice_shown(self) -> bool:
        from playwright.sync_api import Error as PlaywrightError

        for text in self.spec.unavailable_texts():
            try:
                if self.page.get_by_text(text, exact=False).first.is_visible():
                    return True
            except PlaywrightError:  # the page is navigating; the next round looks again
                return False
        return False

    # --- reading -------------------------------------------------------------------

    def _sample(self, switch: Locator) -> _Sample | None:
        """The switch now, or None when the element went away (re-rendered)."""
        from playwright.sync_api import Error as PlaywrightError

        try:
            checked, disabled, connected, labelled_by = switch.evaluate(_SAMPLE_JS)
        except PlaywrightError:
            return None
        if not connected:
            return None
        return _Sample(bool(checked), not disabled, tuple(str(labelled_by).split()))

    def _state_of(self, checked: bool) -> State:
        return State.ON if checked == self.spec.on_when_checked else State.OFF

    def read(self) -> Reading:
        """A settled reading of the switch, or `unknown` with the reason."""
        find_deadline = time.monotonic() + self.find_timeout_s
        settle_deadline: float | None = None
        steady, notice = _Steadiness(), _Steadiness()
        problem = "the switch never held still"
        switch: Locator | None = None
        while True:
            self._ensure_on_setting_page()
            now = time.monotonic()
            # A found switch is a query, not an element: it follows re-renders, and is
            # looked for again only when it stops answering.
            switch = switch or self.locate()
            if switch is None:
                steady.reset()
                if self._unavailable(notice, now):
                    return Reading(State.UNAVAILABLE, confirmed_by="page")
                self._raise_if_failed(now, find_deadline)
                self._wait_for_a_switch()
                continue
            settle_deadline = settle_deadline or now + SETTLE_TIMEOUT_S
            sample = self._sample(switch)
            if sample is None:
                switch = None
                steady.reset()
            else:
                verdict = self._judge(sample, steady, now)
                if isinstance(verdict, Reading):
                    return verdict
                problem = verdict or problem
            if now >= settle_deadline:
                if self.requests.api_pending():
                    # Not a page optout fails to understand: LinkedIn never answered.
                    raise SiteUnavailable(
                        f"LinkedIn's settings request for {self.spec.label} did not answer "
                        f"within {SETTLE_TIMEOUT_S} s; try again later."
                    )
                return Reading(State.UNKNOWN, problem=problem)
            self.page.wait_for_timeout(SAMPLE_MS)

    def _judge(self, sample: _Sample, steady: _Steadiness, now: float) -> Reading | str | None:
        """A reading once the sample settles it; else why not yet (or None)."""
        steady.see(sample.checked if sample.usable else None, now)
        if steady.value is None:
            return "the switch stayed disabled"
        dom = self._state_of(steady.value)
        self.switch_aria_keys = sample.aria_keys
        api_keys = self.spec.api.keys if self.spec.api else ()
        self.opinion = self.requests.opinion(
            api_keys, (*self.spec.aria_keys, *sample.aria_keys),
            single_switch=self.finder.switch_count == 1,
        )  # fmt: skip
        # Time held since the later of: this state appearing, the page's latest answer.
        held = now - max(steady.since, self.requests.answered_at or 0.0)
        said = self.opinion.state
        if said is not None:
            if said is not dom:
                return (
                    f"the switch shows {dom.value} but the page's settings request says "
                    f"{said.value}"
                )
            return (
                Reading(dom, confirmed_by="settings request") if held >= CONFIRMED_HOLD_S else None
            )
        if self.requests.api_pending():
            # Until the page's own request answers, the switch may be a placeholder.
            return "the page's settings request never answered"
        if self.requests.abandoned_unanswered():
            return "the page gave up its settings request before it answered"
        expects_request = self.requests.answered or self.variant.settings_request
        needed = UNCONFIRMED_HOLD_S if expects_request else STABLE_HOLD_S
        return Reading(dom) if held >= needed else None

    def _wait_for_a_switch(self) -> None:
        """Until some switch appears (at once when one does) or POLL_MS passed."""
        from playwright.sync_api import Error as PlaywrightError

        any_switch = self.page.locator(", ".join(self.variant.switch)).first
        try:
            if any_switch.count() == 0:
                any_switch.wait_for(state="attached", timeout=POLL_MS)
                return
        except PlaywrightError:  # none yet, or the page is navigating
            return
        self.page.wait_for_timeout(POLL_MS)  # switches there, but not this setting's yet

    def _raise_if_failed(self, now: float, find_deadline: float) -> None:
        failure = self.requests.api_failure
        if failure is not None and now - failure[0] >= API_FAILURE_GRACE_S:
            raise SiteUnavailable(
                f"LinkedIn's settings request for {self.spec.label} failed ({failure[1]}); "
                "try again later."
            )
        if now < find_deadline:
            return
        if self.requests.stalled():
            raise SiteUnavailable(
                f"LinkedIn did not finish loading the {self.spec.label} page within "
                f"{self.find_timeout_s:.0f} s; try again later."
            )
        if self.finder.problem:
            raise LayoutChanged(self.finder.problem)
        raise LayoutChanged(
            f"The switch for {self.spec.label} was not found on {path_of(self.page.url)} "
            f"({self.variant.name} page) within {self.find_timeout_s:.0f} s."
        )

    def confirm_with_index(self, reading: Reading) -> Reading:
        """Where the page gave no second source, ask the Data privacy index."""
        index = self.spec.index
        if index is None or reading.confirmed_by or reading.state not in (State.ON, State.OFF):
            return reading
        page = self.page.context.new_page()
        try:
            navigate(
                page,
                self.base_url + index.path,
                "the Data privacy page",
                timeout_s=self.timeout_s,
            )
            if classify(page.url, self.pack.pages) is not PageKind.OTHER:
                return reading
            link = first_present(page, (index.link,), 5)
            if link is None:
                return reading  # the index does not show this setting: no opinion
            leaves = {normalize_text(t) for t in link.evaluate(_LEAF_TEXTS_JS)}
        finally:
            page.close()
        says_on = bool(leaves & {normalize_text(t) for t in index.on})
        says_off = bool(leaves & {normalize_text(t) for t in index.off})
        if says_on == says_off:
            return reading  # no value shown (or both): no opinion
        index_state = State.ON if says_on else State.OFF
        if index_state is reading.state:
            return Reading(reading.state, confirmed_by="Data privacy index")
        return Reading(
            State.UNKNOWN,
            problem=(
                f"the switch shows {reading.state.value} but the Data privacy index says "
                f"{index_state.value}"
            ),
        )

    # --- switching -----------------------------------------------------------------

    def switch_off(self, before_click: Callable[[], None] | None = None) -> Reading:
        """Switch off if (and only if) it is known to be on; the reading after a reload.
        `before_click` runs on the page as read, just before the click (evidence)."""
        reading = self.confirm_with_index(self.read())
        if reading.state is not State.ON:
            return reading
        if before_click is not None:
            before_click()
        self._click_once()
        self.requests.wait_until_quiet(self.page, SAVE_TIMEOUT_S)
        return self._read_back()

    def _click_once(self) -> None:
        from playwright.sync_api import Error as PlaywrightError

        switch = self.locate()
        if switch is None:
            return  # gone since the reading: the read-back tells what it is now
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

    def _read_back(self) -> Reading:
        reading = Reading(State.UNKNOWN, problem="not read back")
        for attempt in range(READ_BACK_ATTEMPTS):
            if attempt:
                self.page.wait_for_timeout(READ_BACK_PAUSE_MS)
            self.open(reload=True)
            reading = self.confirm_with_index(self.read())
            if reading.state is not State.ON:
                return reading
        return reading
