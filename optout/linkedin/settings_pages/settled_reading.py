"""A settled reading of a setting's switch, with the page's own settings request as a
second source.

A switch is believed only once the page has settled: its own settings request
answered and the switch held still after it. The answer's content, where it can
be read, is a second opinion. Where it cannot, or no entry is known as the
setting's (it may be another card's), the switch is alone: however still it held,
it may be a placeholder, so only the Data privacy index can confirm it
(privacy_index.py). Two clear opinions that differ mean `unknown`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol

from optout.core.errors import LayoutChanged, SiteUnavailable
from optout.core.results import State
from optout.linkedin.page_kinds import path_of
from optout.linkedin.page_tools import POLL_MS
from optout.linkedin.settings_pages import dom_queries, reading_pace, switch_sample
from optout.linkedin.settings_pages.card_answer import ONLY_TOGGLE, CardEntry, Opinion, opinion
from optout.linkedin.settings_pages.embedded_data import EMBEDDED_SOURCE, embedded_answers
from optout.linkedin.settings_pages.switch_sample import SAMPLE_JS, Sample, Steadiness

if TYPE_CHECKING:
    from playwright.async_api import Locator

    from optout.linkedin.settings_pages.learned_words import LearnedWords
    from optout.linkedin.settings_pages.page_requests import PageRequests
    from optout.linkedin.settings_pages.setting_location import SettingLocation
    from optout.linkedin.settings_pages.switch_finder import SwitchFinder

SETTLE_TIMEOUT_S = 10
# How long the switch must hold still after the page's settings request answered:
CONFIRMED_HOLD_S = 0.0  # ... when the answer clearly says the same: two sources agree
CLICK_HOLD_S = 0.1  # ... as above, before a click: the page's own hydration may still end
HINTED_HOLD_S = 1.0  # ... when it says the same by a hint only (Opinion.is_hint)
# ... when it says nothing readable, or a page the pack takes for drawn by the server asked
# nothing: the switch alone, to stand only where the index agrees (`switch_alone`; when a
# page replaces a placeholder after its answer is unconfirmed: no hold can know it).
UNCONFIRMED_HOLD_S = 3.0
UNASKED_HOLD_S = 5.0  # ... as above, where the page asks by script and may yet ask, late
# ... but an `on` the index shows too stands after this long: were the index behind a
# change (unconfirmed), a placeholder could match it; a false `on` only leads to an `off`
# whose read-back tells, a false `off` would reassure, so `off` waits the whole hold.
INDEX_SHOWS_ON_HOLD_S = 1.0
# How long a reading goes without a second opinion before another source is asked (the
# index, in a page of its own): a page whose own answer is merely late is not worth it.
QUIET_BEFORE_ASKING_S = 0.5
UNAVAILABLE_HOLD_S = 0.5  # the "not available" notice, with no switch, for this long
API_FAILURE_GRACE_S = 1.0  # the page may retry its own request once
REQUEST_SOURCE = "settings request"  # what a reading confirmed by the request names


class SecondSource(Protocol):
    """Another source of the state (SettingPage: the Data privacy index), asked while a
    reading waits with no second opinion of the page's own."""

    def ask_now(self) -> None: ...
    def said_so_far(self) -> State | None: ...  # None: nothing yet
    def due(self) -> bool: ...  # asked, and the answer not in yet


@dataclass
class Reading:
    state: State
    confirmed_by: str | None = None  # REQUEST_SOURCE, EMBEDDED_SOURCE, the index, or None
    problem: str | None = None  # why the state is unknown
    # Nothing the page had confirmed the switch (no answer known as this setting's, or
    # one in words optout cannot read): it may be a placeholder, so the state stands only
    # where another source confirms it (confirm_with_index).
    switch_alone: bool = False


def answer_says(opinion: Opinion, dom: State, *, to_click: bool) -> tuple[State | None, float]:
    """The answer's opinion of the switch's state `dom`, and how long the switch must hold
    still after the answer to be confirmed by it. A hint (a meaning read from the value
    words' form alone, or against a key that says no, or a value read from a field
    guessed to hold it: Opinion.is_hint) counts, after a
    longer hold, only where the switch agrees; elsewhere it is no opinion, neither a
    confirmation nor a disagreement."""
    if not opinion.is_hint:
        return opinion.state, CLICK_HOLD_S if to_click else CONFIRMED_HOLD_S
    return (opinion.state if opinion.state is dom else None), HINTED_HOLD_S


class SettledReader:
    """Reads one setting's switch on its page, once the page has settled."""

    def __init__(
        self, location: SettingLocation, requests: PageRequests, finder: SwitchFinder, *,
        find_timeout_s: float, learned: LearnedWords | None = None,
    ) -> None:  # fmt: skip
        """`learned`: value words learned from this page's confirmed readings, kept
        across its readings and read-backs (learned_words.py)."""
        self.location, self.requests, self.finder = location, requests, finder
        self.find_timeout_s, self.learned = find_timeout_s, learned
        self.opinion = Opinion(None)  # the settings request's latest opinion, for calibration
        self.switch_aria_keys: tuple[str, ...] = ()  # the switch's aria-labelledby, as read
        # Asked once a reading has waited QUIET_BEFORE_ASKING_S for the switch with no
        # second opinion, and heard while the switch holds still.
        self.second_source: SecondSource | None = None
        self._last_look = False  # this look is the reading's last (SETTLE_TIMEOUT_S)
        # While a reading runs: the "not available" notice, and the switch held disabled.
        self._notice, self._disabled = Steadiness(), Steadiness()
        # The page's own data's setting objects, once read in a reading (embedded_data.py).
        self._embedded: list[tuple[str, list[CardEntry]]] | None = None

    async def read(self, *, to_click: bool = False) -> Reading:
        """A settled reading of the switch, or `unknown` with the reason. `to_click`: the
        switch will be clicked if it reads on, so a confirmed reading must hold a moment
        longer (a click on a switch the page is about to draw again would be lost)."""
        page, spec = self.location.page, self.location.spec
        find_deadline = time.monotonic() + self.find_timeout_s
        settle_deadline: float | None = None
        steady, notice = Steadiness(), Steadiness()
        self._notice, self._disabled = notice, Steadiness()
        self._embedded = None
        problem = "the switch never held still"
        switch: Locator | None = None
        while True:
            self.location.ensure()
            self.requests.news.clear()  # what comes after this look
            now = time.monotonic()
            # A found switch is a query (it follows re-renders): found anew once it fails.
            seen = None
            if switch is None:
                switch = await self.finder.locate(
                    self.location.variant, probe=SAMPLE_JS, wait_ms=POLL_MS
                )
                seen = self.finder.sampled
            if switch is None:
                steady.reset()
                if await self._unavailable(notice, now):
                    return Reading(State.UNAVAILABLE, confirmed_by="page")
                self._raise_if_failed(now, find_deadline)
                await self.finder.wait_for_a_switch(self.location.variant)
                continue
            sample = await switch_sample.sample(
                switch, self.finder.query, self.location.pack.values,
                on_when_checked=spec.on_when_checked, seen=seen,
            )  # fmt: skip
            now = time.monotonic()  # what the sample saw is the page as of now
            # From the first sample: on a busy machine finding the switch may take seconds.
            settle_deadline = settle_deadline or now + SETTLE_TIMEOUT_S
            self._last_look = now >= settle_deadline
            if sample is None:
                switch = None
                steady.reset()
            else:
                verdict = await self._judge(sample, steady, now, to_click=to_click)
                if isinstance(verdict, Reading):
                    return await self._unless_unavailable_said(verdict)
                problem = verdict or problem
            if now >= settle_deadline:
                if self.requests.api_pending():
                    # Not a page optout fails to understand: LinkedIn never answered.
                    raise SiteUnavailable(
                        f"LinkedIn's settings request for {spec.label} did not answer "
                        f"within {SETTLE_TIMEOUT_S} s; try again later."
                    )
                return Reading(State.UNKNOWN, problem=problem)
            held = self._held(steady, now) if steady.value is not None else 0.0
            pause_ms = reading_pace.pause_ms(
                held, steady_after_s=HINTED_HOLD_S,
                holds=(UNCONFIRMED_HOLD_S, UNASKED_HOLD_S),
            )  # fmt: skip
            await reading_pace.pause(page, self.requests.news, pause_ms)

    def _held(self, steadiness: Steadiness, now: float) -> float:
        """How long it has held, counted from the later of its last change and the page's
        latest answer."""
        return now - max(steadiness.since, self.requests.answered_at or 0.0)

    def _state_of(self, checked: bool) -> State:
        return State.ON if checked == self.location.spec.on_when_checked else State.OFF

    async def _judge(
        self, sample: Sample, steady: Steadiness, now: float, *, to_click: bool
    ) -> Reading | str | None:
        """A reading once the sample settles it; else why not yet (or None)."""
        steady.see(sample.checked if sample.usable else None, now)
        if steady.value is None:
            return await self._no_value(sample, now)
        dom = self._state_of(steady.value)
        self.switch_aria_keys = sample.aria_keys
        self.opinion, source = await self._opinion_of(sample)
        if self.requests.api_pending():
            # Until the page's own request answers, the switch may be a placeholder, and
            # an answer already in may be another card's.
            return "the page's settings request never answered"
        if self._request_failed(now):
            return "the page's settings request failed"
        held = self._held(steady, now)
        said, needed = answer_says(self.opinion, dom, to_click=to_click)
        if said is not None and said is not dom:
            return f"the switch shows {dom.value} but the {source} says {said.value}"
        if said is not None and self.opinion.found_by != ONLY_TOGGLE:
            return Reading(dom, confirmed_by=source) if held >= needed else None
        # No second opinion. The answers' only toggle is not one either: it may be another
        # card's, asked before this setting's own; it can only say the switch is wrong.
        if self.requests.abandoned_unanswered():
            return "the page gave up its settings request before it answered"
        return self._alone(dom, held)

    def _alone(self, dom: State, held: float) -> Reading | str | None:
        """A reading of the switch alone once it has held still long enough, to stand only
        where another source confirms it; else why not yet (or None). Not even a switch in
        the HTML as served is more: a server may draw a placeholder as well as a script."""
        needed, source = self._hold_alone(), self.second_source
        said = source.said_so_far() if source is not None else None
        if said not in (None, dom) and held >= needed:
            # It would not stand (confirm_with_index): the page may yet ask, or draw its
            # answer, late; so the reading goes on, to SETTLE_TIMEOUT_S at most, as it does
            # until the index, once asked, has answered.
            return f"the switch shows {dom.value} but the Data privacy index says otherwise"
        if said is None and held >= needed and source and source.due() and not self._last_look:
            return "the Data privacy index had not answered yet"
        if held >= needed or (held >= INDEX_SHOWS_ON_HOLD_S and said is dom is State.ON):
            return Reading(dom, switch_alone=True)
        if source is not None and held >= QUIET_BEFORE_ASKING_S:
            source.ask_now()
        return None

    def _hold_alone(self) -> float:
        """How long the switch must hold still to be read with no second opinion."""
        if self._own_answer():
            return UNCONFIRMED_HOLD_S
        # A page that asks for its settings by script (or may carry its value inside
        # itself, in no data listing it: embedded_data.py) may ask late.
        if self.location.variant.settings_request or self.requests.answered:
            return UNASKED_HOLD_S
        # One the pack takes for drawn whole by the server (a guess): a hydration's time.
        return UNCONFIRMED_HOLD_S

    async def _opinion_of(self, sample: Sample) -> tuple[Opinion, str]:
        """The settings request's opinion, and its source's name; on a page that may carry
        its value inside itself, where no answer lists the setting, the opinion of the
        data it carries (embedded_data.py, read once a reading)."""
        spec = self.location.spec
        api_keys = spec.api.keys if spec.api else ()
        aria_keys = (*spec.aria_keys, *sample.aria_keys)
        single_switch = self.finder.switch_count == 1
        said = await self.requests.opinion(
            api_keys, aria_keys, single_switch=single_switch, switch_labels=sample.labels
        )
        if self.learned is not None:
            said = self.learned.apply(said)
        if not self.location.variant.may_carry_value or said.names_the_setting:
            return said, REQUEST_SOURCE
        if self._embedded is None:
            self._embedded = await embedded_answers(self.location.page)
        embedded = opinion(
            self._embedded, api_keys, aria_keys, self.location.pack.values,
            single_switch=single_switch, switch_labels=sample.labels,
        )  # fmt: skip
        if not embedded.names_the_setting:
            return said, REQUEST_SOURCE
        # No request, so no card name: nothing for calibration to note or suggest.
        return replace(embedded, card=None), EMBEDDED_SOURCE

    def _own_answer(self) -> bool:
        """An answer came with an entry known as this setting's (by a key or its label),
        whatever its value says. An answer with none may be another card's, asked before
        this one's: the switch may still be a placeholder, however long it held."""
        return self.opinion.names_the_setting  # found in an answer

    async def _no_value(self, sample: Sample, now: float) -> Reading | str:
        """Why a sample that shows no usable value gives no reading; or the setting is
        not available, where the page says so and draws its switch disabled."""
        if sample.unclear:
            return "the Yes/No choice showed no answer in words optout knows"
        if await self._lacking_though_drawn(sample, now):
            return Reading(State.UNAVAILABLE, confirmed_by="page")
        return "the switch stayed disabled"

    async def _unless_unavailable_said(self, reading: Reading) -> Reading:
        """`unknown` where the page says a setting is not available and its only switch
        is not named as this setting's: the notice may be this setting's and the switch
        another's whose label the pack does not know, or the switch this one's and the
        notice another row's."""
        if self.finder.found_by != "only switch":
            return reading
        if not await self._notice_shown(failures_too=True):
            return reading
        return Reading(
            State.UNKNOWN,
            problem=f"the page says a setting is not available, and its only switch is "
            f"not named as {self.location.spec.label}",
        )

    async def _lacking_though_drawn(self, sample: Sample, now: float) -> bool:
        """The page says the member lacks the setting, and still draws its switch,
        disabled: the page's only switch, named as this setting's (by key or label), held
        so after the last answer, and the notice too. Beside such a switch, the pack's
        words for "not offered" say it as well as a setting's own wording."""
        self._disabled.see(None if sample.usable else True, now)
        if sample.usable or self.finder.found_by == "only switch" or self.finder.switch_count != 1:
            return False
        held = self._held(self._disabled, now)
        return held >= UNAVAILABLE_HOLD_S and await self._unavailable(
            self._notice, now, beside_switch=True
        )

    async def _unavailable(
        self, notice: Steadiness, now: float, *, beside_switch: bool = False
    ) -> bool:
        """The page positively says this member does not have the setting: its notice,
        with no switch that may be this setting's and nothing pending, held for a moment
        after the last answer. `beside_switch`: the notice may be in words for "not
        offered" (_lacking_though_drawn)."""
        if self.location.status == 404:
            return self.location.lacking_by_404()
        # A switch there that may be this setting's makes the text possibly another's;
        # with no switch found, so does a control drawn in a way optout does not read.
        shown = (
            not self.requests.api_pending()
            and not self.finder.unidentified
            and await self._notice_shown(beside_switch=beside_switch)
            and (beside_switch or not await self._unread_control())
        )
        notice.see(True if shown else None, now)
        return shown and self._held(notice, now) >= UNAVAILABLE_HOLD_S

    async def _notice_shown(
        self, *, beside_switch: bool = False, failures_too: bool = False
    ) -> bool:
        """Any visible copy of the notice: a page may keep a hidden one ahead of it (a
        template). `beside_switch`: or the pack's words for "not offered". Not where the
        page also says something failed (dom_queries.lack_said); `failures_too`: there
        too, as a reason for doubt rather than a proof."""
        from playwright.async_api import Error as PlaywrightError

        pack, page = self.location.pack, self.location.page
        hints = pack.not_offered if beside_switch else ()
        texts = dom_queries.apostrophe_forms((*self.location.spec.unavailable_texts(), *hints))
        failing = [] if failures_too else dom_queries.apostrophe_forms(pack.failing)
        try:
            return await dom_queries.lack_said(page, texts, failing)
        except PlaywrightError:  # the page is navigating; the next round looks again
            return False

    async def _unread_control(self) -> bool:
        from playwright.async_api import Error as PlaywrightError

        try:
            page, known = self.location.page, self.location.variant.switch
            return await dom_queries.unread_control_shown(page, known)
        except PlaywrightError:  # the page is navigating; the next round looks again
            return True

    def _request_failed(self, now: float) -> bool:
        """A settings request of the page failed and was not answered since: a switch
        drawn meanwhile may be a placeholder the page never filled in. Once the page has
        had its moment to ask again, LinkedIn failed (SiteUnavailable)."""
        failure = self.requests.api_failure
        if failure is None:
            return False
        if now - failure[0] >= API_FAILURE_GRACE_S:
            raise SiteUnavailable(
                f"LinkedIn's settings request for {self.location.spec.label} failed "
                f"({failure[1]}); try again later."
            )
        return True

    def _raise_if_failed(self, now: float, find_deadline: float) -> None:
        spec = self.location.spec
        # A request refused as asking for what is not there (404) is the page's to
        # explain: it may go on to say the member lacks the setting (`_unavailable`).
        if now >= find_deadline or not self.requests.api_refused():
            self._request_failed(now)
        if now < find_deadline:
            return
        if self.requests.stalled():
            raise SiteUnavailable(
                f"LinkedIn did not finish loading the {spec.label} page within "
                f"{self.find_timeout_s:.0f} s; try again later."
            )
        if self.finder.problem:
            raise LayoutChanged(self.finder.problem)
        raise LayoutChanged(
            f"The switch for {spec.label} was not found on {path_of(self.location.page.url)} "
            f"({self.location.variant.name} page) within {self.find_timeout_s:.0f} s."
        )
