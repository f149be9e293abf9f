"""Property test: whatever the page's unconfirmed details, a reading is right or `unknown`.

Each round draws a fresh member with random page details (every unconfirmed detail
of sandbox/details.py), a random page variant and language, random truths and random
per-account faults, picks one setting (the AI one in half the rounds, any other on any
page otherwise), then runs optout's own `check` or `off` logic in Chromium and
compares what it said with the sandbox's server-side truth:

- never `off` while the setting is on, never `on` while it is off;
- never `unavailable` for a member who has the setting, never `on` or `off` for one
  who lacks it (its row or page then says "not available");
- never a write that turns a setting on, nor one that changes another setting.

Chunks with the sandbox's chaos on check the same invariants under refusals,
failures and hangs. Each chunk prints its coverage: the share of rounds answered
right rather than `unknown`, among the rounds whose state the page shows.

The rounds' seeds are fixed: every run of the suite plays the same rounds. To play
others, and more: OPTOUT_PROPERTY_SEED=N draws another fixed set (0, the suite's),
OPTOUT_PROPERTY_CHUNKS=K plays K times as many chunks; a failure names its seed.
"""

from __future__ import annotations

import asyncio
import os
import random
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

import pytest
from conftest import signed_in_context

from optout.core.errors import OptoutError
from optout.core.results import State
from optout.core.selector_pack import load_pack
from optout.linkedin.chromium.browser import launched
from optout.linkedin.chromium.side_by_side import side_by_side
from optout.linkedin.settings_pages.settings_page import SettingPage
from optout.sandbox import LANGUAGES, PAGE_VARIANTS, Faults, PageDetails, Sandbox
from optout.sandbox.forms import PageForm
from optout.sandbox.prefs import VARIANT_PAGES
from optout.sandbox.settings_catalog import (
    AI_PAGE,
    CREATION_TOOLS,
    NEWER_PAGE,
    switches_beside_ai,
)

if TYPE_CHECKING:
    from optout.core.selector_pack import Pack
    from optout.linkedin.chromium.browser import BrowserSession

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

SETTING = "generative-ai-improvement"
PACK = load_pack()
SETTINGS = tuple(PACK.settings)
PASSWORD = "property pw"
ROUNDS_PER_CHUNK = 30
_SCALE = int(os.environ.get("OPTOUT_PROPERTY_CHUNKS", "1"))
CLEAN_CHUNKS = 5 * _SCALE  # 150 rounds with per-account faults only
CHAOS_CHUNKS = 3 * _SCALE  # 90 rounds with the sandbox's chaos on as well
# Seeds of another set start a million apart, beyond any chunk's of the set before.
SEED_BASE = 1_000_000 * int(os.environ.get("OPTOUT_PROPERTY_SEED", "0"))
SIDE_BY_SIDE = 8
CHAOS_SIDE_BY_SIDE = 15  # chaos rounds mostly wait: on slow answers, refusals, retries
TIMEOUT_S = 20.0
LACKING_SHARE = 0.2  # rounds whose member lacks the setting read
# Rounds on today's wording that read the AI creation tools, which it has none of.
TODAYS_CREATION_TOOLS_SHARE = 0.05
# The redesigned page is a layout optout must not understand (test_e2e_variants), not
# a variation of the details.
VARIANTS = tuple(v for v in PAGE_VARIANTS if v != "redesigned")


@dataclass
class Round:
    seed: int
    email: str
    setting: str  # the one read (and switched)
    truths: dict[str, bool]  # every setting the member has; the one read unless `lacks`
    command: str
    faults: Faults
    details: PageDetails
    variant: str
    lang: str

    @property
    def truth(self) -> bool:
        return self.truths[self.setting]

    @property
    def lacks(self) -> bool:
        """The member does not have the setting read: its page says "not available"."""
        return self.setting not in self.truths

    @property
    def page_shows_state(self) -> bool:
        """No fault keeps the state from the page (chaos rounds are judged apart)."""
        return self.faults.api_status is None and not self.faults.api_hangs


@dataclass
class Outcome:
    round: Round
    said: State | None  # None: optout stopped with an error
    error: str = ""
    truth_after: bool = False
    writes_on: int = 0
    others_kept: bool = True  # no other setting changed
    # The page tells which switch is this setting's: by a key on its label, or by a
    # wording the pack knows, or as its only switch; or says the member lacks it.
    attributable: bool = True
    words_unknown: bool = False  # the page says it lacks the setting in no words known
    seconds: float = 0.0


def _faults(rng: random.Random) -> Faults:
    kind = rng.choice(["none", "none", "none", "hydration", "render", "lost", "fails", "api"])
    if kind == "hydration":
        return Faults(hydration_delay_s=round(rng.uniform(0.3, 2.0), 1))
    if kind == "render":
        return Faults(render_delay_s=round(rng.uniform(0.3, 1.0), 1))
    if kind == "lost":
        return Faults(save_lost=True)
    if kind == "fails":
        return Faults(save_fails=True)
    if kind == "api":
        return Faults(api_status=rng.choice([500, 503]))
    return Faults()


def _round(seed: int) -> Round:
    rng = random.Random(seed)
    variant = rng.choice(VARIANTS)
    offered = [s for s in SETTINGS if s != "ai-creation-tools" or variant == "newer-wording"]
    # Half the rounds read the AI setting, the others any setting on any page.
    setting = SETTING if rng.random() < 0.5 else rng.choice(offered)
    plan = Round(
        seed=seed,
        email=f"prop-{seed}@example.com",
        setting=setting,
        truths={sid: rng.random() < 0.6 for sid in offered},
        command=rng.choice(["check", "off"]),
        faults=_faults(rng),
        details=PageDetails.random(rng),
        variant=variant,
        lang=rng.choice(LANGUAGES),
    )
    # Drawn last, so the draws above stay what they were for every seed.
    if rng.random() < LACKING_SHARE:
        del plan.truths[setting]
    if rng.random() < LACKING_SHARE:  # another row of its page may say "not available"
        plan.truths.pop(rng.choice([sid for sid in offered if sid != setting]))
    if variant != "newer-wording" and rng.random() < TODAYS_CREATION_TOOLS_SHARE:
        plan.setting = CREATION_TOOLS  # the member lacks it: only the newer wording has it
    return plan


def _attributable(form: PageForm | None, plan: Round) -> bool:
    if form is None:
        return True
    if not _lacking_switch_named(form, plan):
        return False
    if not plan.lacks and not _own_answer_known(form, plan):
        return False
    if form.details.label_id == "key":
        return True
    beside = form.page.path == AI_PAGE and bool(switches_beside_ai(plan.variant))
    if plan.lacks and form.details.label_id != "key" and (beside or form.decoy_role_switch):
        # Switches of the page's own beside the notice, by generated ids and words no pack
        # knows: one may be this setting's, and the notice another's.
        return False
    if not form.reworded:
        return True
    several = len(form.order) > 1 or (bool(form.decoys) and form.decoy_role_switch)
    return not several and _named_by_a_source(form, plan)


def _own_answer_known(form: PageForm, plan: Round) -> bool:
    """The page's answer (its request's, or the data it carries inside itself) has an
    entry optout knows as this setting's: under one of the pack's keys, or named as the
    switch is labelled. Without one, that answer may be another card's, or the switch a
    placeholder drawn before a late request: it stands only where the index agrees."""
    spec = PACK.setting(plan.setting)
    keys = {key.casefold() for key in (*(spec.api.keys if spec.api else ()), *spec.aria_keys)}
    # The AI page served whole: no answer optout reads, but maybe its switch as served.
    served = plan.details.switch_served and not plan.details.extra_cards
    asked = form.card_request or form.page.path != AI_PAGE or plan.variant in VARIANT_PAGES
    named = form.key(plan.setting).casefold() in keys or form.details.answer_names == "label"
    if named if asked else served:
        return True
    # The index's one row for the newer wording's page, where it links to it, has no value.
    newer_row = plan.variant == "newer-wording" and plan.details.newer_address != "redirect"
    return spec.index is not None and plan.details.index_words == "pack" and not newer_row


def _named_by_a_source(form: PageForm, plan: Round) -> bool:
    """A page's only switch, named by neither its key nor its label, is known for the
    setting's where its request lists the setting under one of the pack's keys, or the
    index shows its value in the pack's words (SettingPage._switch_named)."""
    spec = PACK.setting(plan.setting)
    keys = {key.casefold() for key in (spec.api.keys if spec.api else ())}
    if form.card_request and form.key(plan.setting).casefold() in keys:
        return True
    return spec.index is not None and plan.details.index_words == "pack"


def _read_back_needs_a_lagging_index(form: PageForm | None, plan: Round) -> bool:
    """An `off` that changes the setting while the index shows the value from before
    (`index_lag_s`), with no other source for the read-back: honestly `unknown`."""
    if form is None or plan.command != "off" or plan.lacks or not plan.truth:
        return False
    spec = PACK.setting(plan.setting)
    keys = (*spec.aria_keys, *(spec.api.keys if spec.api else ()))
    keyed = any(form.key(plan.setting).casefold() == key.casefold() for key in keys)
    # The AI setting's address leads an account on another variant to that one's page.
    on_ai_page = form.page.path == AI_PAGE and plan.variant in VARIANT_PAGES
    variant = spec.variant_at(VARIANT_PAGES[plan.variant] if on_ai_page else form.page.path)
    named = keyed or form.details.label_id == "key" or not form.reworded
    asks = variant is not None and variant.settings_request and form.card_request
    answers = asks and named and (keyed or form.details.answer_names == "label")
    return plan.details.index_lag_s > 0 and not answers


def _lacking_switch_named(form: PageForm, plan: Round) -> bool:
    """Where a lacking member's AI page still draws the setting's switch, disabled (by
    its key), it is known for the setting's only as the page's one switch: beside others
    the notice may be another's."""
    if not plan.lacks or form.details.lacking_switch == "none" or form.page.path != AI_PAGE:
        return True
    return not switches_beside_ai(plan.variant) and not form.decoy_role_switch


def _says_why(form: PageForm | None, plan: Round) -> bool:
    """A member who lacks the setting is told so on its page, except on the newer
    wording's page, which says it only of the AI setting, and on an AI page whose words
    optout cannot know as saying it (_words_unknown)."""
    if not plan.lacks or form is None:
        return True
    if form.page.path == NEWER_PAGE:
        return plan.setting == SETTING
    return not _words_unknown(form, plan)


def _index_names_unknown(plan: Round) -> bool:
    """Where the setting is, or that the member's wording has none of it, only the Data
    privacy index tells, by the name of an AI row in words no pack lists: the newer
    wording's page where the AI setting's address is gone or leads to an address the
    pack does not know, and today's page for the AI creation tools it lacks. For those,
    an index with no AI row at all (a member who lacks the AI setting too: LinkedIn
    lists no setting it does not offer) tells no more."""
    if plan.variant != "newer-wording" and plan.setting == CREATION_TOOLS:
        return plan.details.index_words == "unlisted" or SETTING not in plan.truths
    if plan.details.index_words != "unlisted" or plan.variant != "newer-wording":
        return False
    address = plan.details.newer_address
    if address == "moved":
        return plan.setting in (SETTING, CREATION_TOOLS)
    return address == "gone" and plan.setting == SETTING


def _words_unknown(form: PageForm | None, plan: Round) -> bool:
    """The AI page tells a lacking member in words no pack knows, or in words that say
    only "not offered", with no switch of the setting's own beside them: `unavailable`
    there would not be the page saying so. So does an index that names today's AI page
    in words no pack lists, for the AI creation tools (_index_names_unknown)."""
    if plan.lacks and plan.setting == CREATION_TOOLS and plan.variant != "newer-wording":
        return _index_names_unknown(plan)
    if not plan.lacks or form is None or form.page.path != AI_PAGE or plan.setting != SETTING:
        return False
    words = form.details.lacking_words
    # The older page, served whole, never draws a lacking member's switch.
    drawn = form.details.lacking_switch != "none" and plan.variant != "psettings"
    return words == "unknown" or (words == "hinted" and not drawn)


async def _play(sandbox: Sandbox, pack: Pack, plan: Round, session: BrowserSession) -> Outcome:
    sandbox.add_account(
        plan.email, PASSWORD, settings=plan.truths, variant=plan.variant,
        lang=plan.lang, faults=plan.faults, details=plan.details,
    )  # fmt: skip
    started = time.monotonic()
    context = await signed_in_context(session, sandbox, plan.email, PASSWORD)
    form = sandbox.page_form(plan.email, plan.setting)  # as the sandbox draws it
    outcome = Outcome(
        plan, said=None, words_unknown=_words_unknown(form, plan),
        attributable=(
            _attributable(form, plan) and _says_why(form, plan) and not _index_names_unknown(plan)
            and not _read_back_needs_a_lagging_index(form, plan)
        ),
    )  # fmt: skip
    try:
        page = SettingPage(
            await context.new_page(), sandbox.base_url, pack, pack.setting(plan.setting),
            timeout_s=TIMEOUT_S,
        )  # fmt: skip
        await page.open()
        reading = await (page.switch_off() if plan.command == "off" else page.read_confirmed())
        outcome.said = reading.state
        outcome.error = reading.problem or ""
    except OptoutError as exc:
        outcome.error = exc.message
    finally:
        await context.close()
    outcome.seconds = time.monotonic() - started
    outcome.truth_after = False if plan.lacks else sandbox.setting(plan.email, plan.setting)
    outcome.others_kept = all(
        sandbox.setting(plan.email, sid) == truth
        for sid, truth in plan.truths.items()
        if sid != plan.setting
    )
    outcome.writes_on = sandbox.stats(plan.email)["writes_on"]
    return outcome


def _run_chunk(sandbox: Sandbox, seeds: list[int], limit: int = SIDE_BY_SIDE) -> list[Outcome]:
    pack = load_pack()
    # Rounds mostly wait for the page: side by side, as accounts run, each in a context
    # of its own in one browser.
    rounds: list[Callable[[BrowserSession], Awaitable[Outcome]]] = [
        partial(_play, sandbox, pack, _round(seed)) for seed in seeds
    ]
    return asyncio.run(
        side_by_side(rounds, limit=limit, launch=partial(launched, None, block=pack.network))
    )


def _check_invariants(outcomes: list[Outcome]) -> None:
    for outcome in outcomes:
        plan = outcome.round
        context = f"seed {plan.seed} ({plan}): said {outcome.said}, {outcome.error!r}"
        assert outcome.writes_on == 0, context
        assert outcome.others_kept, context
        if plan.lacks:
            # Another switch on its page read or clicked as this setting's.
            assert outcome.said not in (State.ON, State.OFF), context
            if outcome.words_unknown:  # `unavailable` only where the page says so
                assert outcome.said is not State.UNAVAILABLE, context
            continue
        assert outcome.said is not State.UNAVAILABLE, context
        if outcome.said is State.OFF:
            assert not outcome.truth_after, context
        if outcome.said is State.ON:
            assert outcome.truth_after, context
        if plan.command == "check":
            assert outcome.truth_after == plan.truth, context


# A member's setting read as on or off; a lacking one as unavailable.
_RIGHT_ANSWERS = {False: (State.ON, State.OFF), True: (State.UNAVAILABLE,)}


def _coverage(outcomes: list[Outcome], label: str) -> float:
    shown = [o for o in outcomes if o.round.page_shows_state and o.attributable]
    right = [o for o in shown if o.said in _RIGHT_ANSWERS[o.round.lacks]]
    share = len(right) / len(shown) if shown else 1.0
    print(
        f"\n{label}: {len(outcomes)} rounds, {len(shown)} whose state the page shows "
        "(and whose switch it names); "
        f"answered right {len(right)} ({share:.1%}), unknown or error {len(shown) - len(right)}"
    )
    for outcome in shown:
        if outcome not in right:
            print(f"  not answered: seed {outcome.round.seed}: {outcome.error}")
    for command in ("check", "off"):
        times = sorted(o.seconds for o in outcomes if o.round.command == command)
        if times:
            print(f"  {command}: median {times[len(times) // 2]:.1f} s, slowest {times[-1]:.1f} s")
    return share


@pytest.fixture
def property_sandbox() -> Iterator[Sandbox]:
    with Sandbox() as server:
        yield server


@pytest.mark.parametrize("chunk", range(CLEAN_CHUNKS))
def test_readings_are_right_whatever_the_details(property_sandbox: Sandbox, chunk: int) -> None:
    seeds = [SEED_BASE + 10_000 + chunk * ROUNDS_PER_CHUNK + i for i in range(ROUNDS_PER_CHUNK)]
    outcomes = _run_chunk(property_sandbox, seeds)
    _check_invariants(outcomes)
    share = _coverage(outcomes, f"details chunk {chunk}")
    # A page that shows the state is read: `unknown` there is a hint taken as a condition.
    assert share >= 0.97


@pytest.mark.parametrize("chunk", range(CHAOS_CHUNKS))
def test_chaos_and_details_never_misreport(property_sandbox: Sandbox, chunk: int) -> None:
    property_sandbox.set_chaos(SEED_BASE + 500 + chunk, rate=0.3)
    seeds = [SEED_BASE + 20_000 + chunk * ROUNDS_PER_CHUNK + i for i in range(ROUNDS_PER_CHUNK)]
    outcomes = _run_chunk(property_sandbox, seeds, limit=CHAOS_SIDE_BY_SIDE)
    _check_invariants(outcomes)
    said = sum(o.said in (State.ON, State.OFF) for o in outcomes)
    print(f"\nchaos chunk {chunk}: {len(outcomes)} rounds, {said} answered on or off, all right")
