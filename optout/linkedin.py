"""The settings page: go to a setting, read its switch once settled, switch it off.

Safety first: the switch is clicked only when its state is known to be on, and
a change counts only once a reload reads it back as off. A reading is believed
only when the switch has held still and, where the page offers one, a second
source (its own settings request, or the Data privacy index) says the same.
"""

from __future__ import annotations

import contextlib
import json
import re
import time
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from optout.auth import challenge_error, refusal_error, restricted_error
from optout.errors import LayoutChanged, SiteUnavailable
from optout.packs import Pack, PageVariant, SettingSpec
from optout.pageutil import POLL_MS, first_present, navigate
from optout.results import State
from optout.site import PageKind, classify, path_of

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page, Request, Response

SETTLE_TIMEOUT_S = 10
SAMPLE_MS = 50  # how often a switch is looked at while it settles
STABLE_SAMPLES = 9  # identical readings in a row (400 ms) before a state is believed
# Enough when the page's own settings request, the server's answer, says the same.
CONFIRMED_SAMPLES = 2
SAVE_TIMEOUT_S = 10
READ_BACK_ATTEMPTS = 3
READ_BACK_PAUSE_MS = 1000
API_FAILURE_GRACE_S = 1.0  # the page may retry its own request once
STALLED_REQUEST_S = 3.0

# A native checkbox: `.checked` is the truth (not an aria attribute).
_SAMPLE_JS = "el => [el.checked, el.disabled, el.isConnected]"
# Clicks only if the switch is still not in the wanted state, in one step inside
# the page, so nothing can change between the look and the click.
_CLICK_IF_NOT_JS = (
    "(el, want) => { if (el.checked === want) return false; el.click(); return true; }"
)
# The switch's accessible name, the way assistive technology computes it for an input.
_NAME_JS = """el => {
  const ids = (el.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean);
  let name = ids.map((id) => (document.getElementById(id) || {}).textContent || '').join(' ');
  if (!name.trim()) name = el.getAttribute('aria-label') || '';
  if (!name.trim() && el.labels) name = Array.from(el.labels).map((l) => l.textContent).join(' ');
  return name;
}"""
# Texts of the leaf elements inside the index row's link: the title and its value.
_LEAF_TEXTS_JS = """el => Array.from(el.querySelectorAll('*'))
  .filter((node) => node.children.length === 0)
  .map((node) => node.textContent.trim()).filter(Boolean)"""


def normalize_text(text: str) -> str:
    """Compare wordings, not typography: case, spacing, curly quotes, final full stop."""
    text = unicodedata.normalize("NFKC", text).replace("\u2019", "'").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text).strip().rstrip(".").casefold()


class SessionExpired(Exception):
    """LinkedIn sent a sign-in page instead of the setting: the saved session is over."""


@dataclass
class Reading:
    state: State
    confirmed_by: str | None = None  # "settings request", "Data privacy index", or None
    problem: str | None = None  # why the state is unknown


class _RequestWatch:
    """The page's requests: saves in flight, the settings request's answers, stalls."""

    def __init__(self, page: Page, spec: SettingSpec) -> None:
        self.spec = spec
        self._writes: set[Request] = set()
        self._started: dict[Request, float] = {}
        self._answers: dict[str, Response] = {}  # latest answer per request URL
        self.api_failure: tuple[float, str] | None = None
        self._parsed: dict[int, str | None] = {}
        page.on("request", self._on_request)
        page.on("response", self._on_response)
        page.on("requestfinished", self._done)
        page.on("requestfailed", self._on_failed)

    def reset(self) -> None:
        """Forget the previous page's answers: a new load must confirm itself."""
        self._answers, self.api_failure, self._parsed = {}, None, {}

    def _is_api(self, request: Request) -> bool:
        api = self.spec.api
        return api is not None and request.method == "GET" and api.path in request.url

    def _on_request(self, request: Request) -> None:
        if request.resource_type in ("fetch", "xhr"):
            self._started[request] = time.monotonic()
        if request.method != "GET":
            self._writes.add(request)

    def _done(self, request: Request) -> None:
        # A request counts as done at its response: `requestfinished` never comes
        # when the page does not read the body.
        self._writes.discard(request)
        self._started.pop(request, None)

    def _on_response(self, response: Response) -> None:
        self._done(response.request)
        if self._is_api(response.request):
            if response.ok:
                self._answers.pop(response.url, None)  # keep insertion order = arrival order
                self._answers[response.url] = response
                self.api_failure = None
            else:
                self.api_failure = (time.monotonic(), f"HTTP {response.status}")

    def _on_failed(self, request: Request) -> None:
        self._done(request)
        if self._is_api(request):
            self.api_failure = (time.monotonic(), request.failure or "failed")

    def api_pending(self) -> bool:
        """The page has asked for the setting's value and not had the answer yet."""
        return any(self._is_api(request) for request in self._started)

    @property
    def writes_in_flight(self) -> int:
        return len(self._writes)

    def stalled(self) -> bool:
        """The page still waits for its settings request, or for another one for long."""
        now = time.monotonic()
        return any(
            self._is_api(request) or now - started > STALLED_REQUEST_S
            for request, started in self._started.items()
        )

    def api_value(self) -> str | None:
        """ "on" or "off" from the latest answer that lists the setting; "absent" when every
        answer lists other settings only; None when there is no usable answer."""
        if self.spec.api is None:
            return None
        values = []
        for answer in reversed(self._answers.values()):
            key = id(answer)
            if key not in self._parsed:
                self._parsed[key] = self._value_in(answer)
            values.append(self._parsed[key])
        for value in values:
            if value in ("on", "off"):
                return value
        if values and all(value == "absent" for value in values):
            return "absent"
        return None

    def _value_in(self, answer: Response) -> str | None:
        from playwright.sync_api import Error as PlaywrightError

        assert self.spec.api is not None
        try:
            data = json.loads(answer.body())
        except (PlaywrightError, ValueError):
            return None
        settings = data.get("settings") if isinstance(data, dict) else None
        if not isinstance(settings, list):
            return None  # not the shape the pack describes: no opinion
        for setting in settings:
            if not isinstance(setting, dict) or setting.get("key") != self.spec.api.key:
                continue
            chosen = [
                v.get("value")
                for v in setting.get("settingDisplayValues") or []
                if isinstance(v, dict) and v.get("selected") is True
            ]
            if len(chosen) != 1:
                return None
            return "on" if str(chosen[0]) == self.spec.api.on_value else "off"
        return "absent"

    def wait_until_quiet(self, page: Page, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        quiet_since: float | None = None
        while time.monotonic() < deadline:
            if self.writes_in_flight:
                quiet_since = None
            else:
                quiet_since = quiet_since or time.monotonic()
                if time.monotonic() - quiet_since >= 0.3:
                    return
            page.wait_for_timeout(POLL_MS)


class SettingPage:
    def __init__(
        self, page: Page, base_url: str, pack: Pack, spec: SettingSpec, *, timeout_s: float = 30
    ) -> None:
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
        self.requests = _RequestWatch(page, spec)
        self._other_labels = {
            normalize_text(text)
            for other in pack.settings.values()
            if other.id != spec.id
            for text in other.label_texts()
        }
        self._own_labels = {normalize_text(text) for text in spec.label_texts()}

    @property
    def url(self) -> str:
        return self.base_url + (self._found.path if self._found else self.spec.path)

    # --- where we are --------------------------------------------------------------

    def open(self, *, reload: bool = False) -> None:
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
        if not target.startswith(self.base_url):
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

    def _name_of(self, element: Locator) -> str:
        from playwright.sync_api import Error as PlaywrightError

        try:
            return normalize_text(str(element.evaluate(_NAME_JS)))
        except PlaywrightError:
            return ""

    def locate(self) -> Locator | None:
        """The setting's switch: by aria key, by structure, then by label. None if absent."""
        for key in self.spec.aria_keys:
            for selector in self.variant.switch:
                keyed = self.page.locator(f'{selector}[aria-labelledby~="{key}"]')
                if keyed.count() == 1:
                    return keyed
        for selector in self.variant.switch:
            candidates = self.page.locator(selector)
            count = candidates.count()
            if count == 0:
                continue
            if count == 1:
                # The page's only switch, unless it is labelled as another setting.
                if self._name_of(candidates) in self._other_labels:
                    raise LayoutChanged(
                        f"The only switch on {path_of(self.page.url)} belongs to another "
                        f"setting, not {self.spec.label}."
                    )
                return candidates
            return self._by_label(candidates, count)
        return None

    def _by_label(self, candidates: Locator, count: int) -> Locator:
        matches = [
            candidates.nth(i)
            for i in range(count)
            if self._name_of(candidates.nth(i)) in self._own_labels
        ]
        if len(matches) != 1:
            raise LayoutChanged(
                f"{count} switches on {path_of(self.page.url)} and {len(matches)} labelled as "
                f"{self.spec.label}; optout will not guess which one to read."
            )
        return matches[0]

    def _unavailable(self) -> bool:
        """The page positively says this member does not have the setting."""
        from playwright.sync_api import Error as PlaywrightError

        if self.status == 404:
            if self.spec.missing_means_unavailable:
                return True
            raise LayoutChanged(
                f"LinkedIn answered {path_of(self.page.url)} with 404 (no such page); "
                f"it may have moved the {self.spec.label} setting."
            )
        if self.requests.api_value() == "absent":
            return True
        for text in self.spec.unavailable_texts():
            try:
                if self.page.get_by_text(text, exact=False).first.is_visible():
                    return True
            except PlaywrightError:  # the page is navigating; the next round looks again
                return False
        return False

    # --- reading -------------------------------------------------------------------

    def _sample(self, switch: Locator) -> tuple[bool, bool] | None:
        """(checked, usable) now, or None when the element went away (re-rendered)."""
        from playwright.sync_api import Error as PlaywrightError

        try:
            checked, disabled, connected = switch.evaluate(_SAMPLE_JS)
        except PlaywrightError:
            return None
        if not connected:
            return None
        return bool(checked), not disabled

    def _state_of(self, checked: bool) -> State:
        return State.ON if checked == self.spec.on_when_checked else State.OFF

    def read(self) -> Reading:
        """A settled reading: the same usable state CONFIRMED_SAMPLES times in a row and
        the page's settings request saying the same; on a page that makes no such request,
        STABLE_SAMPLES times in a row."""
        find_deadline = time.monotonic() + self.find_timeout_s
        settle_deadline: float | None = None
        last: bool | None = None
        streak = 0
        problem = "the switch never held still"
        switch: Locator | None = None
        while True:
            self._ensure_on_setting_page()
            now = time.monotonic()
            # A found switch is a query, not an element: it follows re-renders, and is
            # looked for again only when it stops answering.
            switch = switch or self.locate()
            if switch is None:
                last, streak = None, 0
                if self._unavailable():
                    return Reading(State.UNAVAILABLE, confirmed_by="page")
                self._raise_if_failed(now, find_deadline)
                self._wait_for_a_switch()
                continue
            settle_deadline = settle_deadline or now + SETTLE_TIMEOUT_S
            sample = self._sample(switch)
            if sample is None:
                switch = None
            else:
                checked, usable = sample
                streak = streak + 1 if usable and checked == last else (1 if usable else 0)
                last = checked if usable else None
                dom = self._state_of(checked)
                api = self.requests.api_value() if streak >= CONFIRMED_SAMPLES else None
                if api == dom.value:
                    # Two sources agree: the page's own answer and a switch that held.
                    return Reading(dom, confirmed_by="settings request")
                if streak >= STABLE_SAMPLES:
                    if api is None and not self.variant.settings_request:
                        return Reading(dom)  # no second source on this page
                    if api is None and not self.requests.api_pending():
                        # The page never asked (state served in the HTML, or the
                        # request failed): believe a switch that held still three
                        # times as long; the Data privacy index is asked next.
                        if streak >= 3 * STABLE_SAMPLES:
                            return Reading(dom)
                    elif api is None:
                        # Until the page's own request answers, the switch may be a
                        # placeholder drawn before the real state arrived.
                        problem = "the page's settings request never answered"
                    else:
                        problem = (
                            f"the switch shows {dom.value} but the page's settings request "
                            f"says {api}"
                        )
            if now >= settle_deadline:
                return Reading(State.UNKNOWN, problem=problem)
            self.page.wait_for_timeout(SAMPLE_MS)

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

    def switch_off(self) -> Reading:
        """Switch off if (and only if) it is known to be on; the reading after a reload."""
        reading = self.confirm_with_index(self.read())
        if reading.state is not State.ON:
            return reading
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
