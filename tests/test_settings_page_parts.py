"""Each part of the settings page, alone, in Chromium against the sandbox: getting to
the page, the settled reading and its second sources, and switching off with its
read-back (checked against the server-side truth). Finding the switch:
test_switch_finder_part.py."""

from __future__ import annotations

from typing import Any

import pytest
from all_settings_kit import PROMOTIONS
from parts_kit import AI, TIMEOUT_S, new_member, parts_of
from sandbox_client import signed_in_page_async

from optout.core.results import State
from optout.core.selector_pack import Pack
from optout.linkedin.settings_pages.card_answer import WORD_PAIR
from optout.linkedin.settings_pages.setting_location import SessionExpired
from optout.linkedin.settings_pages.settings_page import settings_of_one_page
from optout.linkedin.settings_pages.settled_reading import Reading
from optout.linkedin.settings_pages.switching_off import CLICK_ROUNDS, SwitchingOff
from optout.sandbox import Faults, PageDetails, Sandbox

# One browser for the module, on the module's event loop.
pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]

AI_KEY = "allowDataForGenerativeAI"
TIPS = "marketing-emails"


# --- getting to the page ------------------------------------------------------------


async def test_location_opens_the_setting_page_and_knows_its_variant(
    box: Sandbox, browser: Any, pack: Pack, pages: list[Any]
) -> None:
    email, client = new_member(box, settings={AI: True})
    parts = await parts_of(box, browser, pack, pages, client, AI)
    await parts.location.open()
    assert parts.location.status == 200
    assert parts.location.variant.name == "mypreferences"
    assert box.page_views(email) == {pack.setting(AI).path: 1}
    box.expire_sessions(email)
    with pytest.raises(SessionExpired):
        await parts.location.open()


# --- the settled reading and its sources --------------------------------------------


@pytest.mark.parametrize("truth", [True, False])
async def test_settled_reading_says_what_the_server_holds(
    box: Sandbox, browser: Any, pack: Pack, pages: list[Any], truth: bool
) -> None:
    email, client = new_member(box, settings={AI: truth})
    parts = await parts_of(box, browser, pack, pages, client, AI)
    await parts.location.open()
    reading = await parts.reader.read()
    said = State.ON if truth else State.OFF
    assert reading == Reading(said, confirmed_by="settings request")
    assert parts.reader.opinion.state is said
    assert AI_KEY in parts.reader.switch_aria_keys
    stats = box.stats(email)
    assert (stats["writes_off"], stats["writes_on"]) == (0, 0)


@pytest.mark.parametrize("truth", [True, False])
async def test_an_answer_of_unknown_key_is_read_by_the_switchs_label(
    box: Sandbox, browser: Any, pack: Pack, pages: list[Any], truth: bool
) -> None:
    # Neither the pack's key nor the switch's (generated) label id is in the answer,
    # and other settings come first in it: only the label names the switch's entry.
    details = PageDetails(
        answer_key="dataForGenAiImprovement", label_id="generated", answer_extras=2,
        value_words="ENABLED/DISABLED", declares_values=False,
    )  # fmt: skip
    _, client = new_member(box, details, settings={AI: truth})
    parts = await parts_of(box, browser, pack, pages, client, AI)
    await parts.location.open()
    reading = await parts.reader.read()
    said = State.ON if truth else State.OFF
    assert reading == Reading(said, confirmed_by="settings request")
    assert parts.reader.opinion.found_by == "switch's label"
    assert parts.reader.opinion.entry is not None
    assert parts.reader.opinion.entry.key == "dataForGenAiImprovement"


@pytest.mark.parametrize(
    ("truth", "words", "shown"),
    [
        (True, "PERMITTED/FORBIDDEN", "language"),
        (False, "PERMITTED/FORBIDDEN", "language"),
        (True, "PERMITTED/FORBIDDEN", "absent"),
        (True, "NOT_OPTED_OUT/OPTED_OUT", "absent"),
        (True, "OPTED_IN/OPTED_OUT", "absent"),
        (False, "allow/deny", "absent"),
    ],
)
async def test_value_words_no_list_has_are_read_by_the_words_shown_or_their_form(
    box: Sandbox, browser: Any, pack: Pack, pages: list[Any], truth: bool, words: str,
    shown: str,
) -> None:  # fmt: skip
    # Value words in no list of the pack's, and no onValue/offValue: the words each value
    # shows ("Activé", in French) say what the chosen one means; without them, the form
    # of the two words may (OPTED_OUT beside OPTED_IN), as a hint the switch agrees with;
    # else nothing does: the switch, read once it has held still, is alone, and stands only
    # where the index says the same (it may be a placeholder the page draws anew later).
    details = PageDetails(value_words=words, declares_values=False, shown_words=shown)
    _, client = new_member(box, details, settings={AI: truth}, lang="fr")
    parts = await parts_of(box, browser, pack, pages, client, AI)
    await parts.location.open()
    reading = await parts.reader.read()
    said = State.ON if truth else State.OFF
    if shown == "language":
        assert reading == Reading(said, confirmed_by="settings request")
        assert parts.reader.opinion.meaning_from == "shown words"
    elif words in ("OPTED_IN/OPTED_OUT", "allow/deny"):
        assert reading == Reading(said, confirmed_by="settings request")
        assert parts.reader.opinion.meaning_from == WORD_PAIR
    else:
        assert reading == Reading(said, switch_alone=True)
        assert parts.reader.opinion.state is None


@pytest.mark.parametrize("names", ["reworded", "absent"])
async def test_an_answer_named_otherwise_leaves_the_reading_to_the_switch_held_still(
    box: Sandbox, browser: Any, pack: Pack, pages: list[Any], names: str
) -> None:
    # As above, but no entry carries the switch's label: no opinion, and no entry known
    # as this setting's, so the answer may be another card's. The switch, drawn before
    # it, is read once it has held still, and stands only where the index agrees.
    details = PageDetails(
        answer_key="dataForGenAiImprovement", label_id="generated", answer_extras=2,
        answer_names=names, switch_drawn="before_answer", draw_delay_s=0.5,
    )  # fmt: skip
    _, client = new_member(box, details, settings={AI: True})
    parts = await parts_of(box, browser, pack, pages, client, AI)
    await parts.location.open()
    assert await parts.reader.read() == Reading(State.ON, switch_alone=True)
    assert parts.reader.opinion.state is None


async def test_every_setting_read_on_one_load_has_the_pages_answer_for_second_opinion(
    box: Sandbox, browser: Any, pack: Pack, pages: list[Any]
) -> None:
    # The second switch of the promotions page is read on the load the first one made:
    # a watch of the requests begun after that load would miss the answer (the reading
    # would then wait for the switch to hold still), and one of its own would not be
    # told of a reload by the first: one watch serves the page's settings.
    email, client = new_member(box, settings={"linkedin-marketing": True, TIPS: False})
    page = await signed_in_page_async(browser, box.base_url, client)
    pages.append(page)
    specs = [pack.setting("linkedin-marketing"), pack.setting(TIPS)]
    marketing, tips = settings_of_one_page(page, box.base_url, pack, specs, timeout_s=TIMEOUT_S)
    assert tips.requests is marketing.requests
    await marketing.open()
    assert (await marketing.read()).state is State.ON
    await tips.open(loaded_by=marketing)
    assert (await tips.read()).state is State.OFF
    assert (marketing.opinion.state, tips.opinion.state) == (State.ON, State.OFF)
    assert box.page_views(email) == {PROMOTIONS: 1}


async def test_settled_reading_waits_out_a_placeholder_switch(
    box: Sandbox, browser: Any, pack: Pack, pages: list[Any]
) -> None:
    # Drawn checked before the answer, then replaced by the real (off) switch.
    details = PageDetails(switch_drawn="before_answer", replaced_on_hydration=True)
    _, client = new_member(box, details, settings={AI: False})
    parts = await parts_of(box, browser, pack, pages, client, AI)
    await parts.location.open()
    assert (await parts.reader.read()).state is State.OFF


# --- switching off with read-back ---------------------------------------------------


async def _switching(
    box: Sandbox, browser: Any, pack: Pack, pages: list[Any], **member: Any
) -> tuple[str, SwitchingOff]:
    """A new member's AI page, opened, and its switching-off part."""
    email, client = new_member(box, **member)
    parts = await parts_of(box, browser, pack, pages, client, AI)
    await parts.location.open()
    return email, SwitchingOff(
        parts.page, pack.setting(AI), parts.requests,
        locate=lambda: parts.finder.locate(parts.location.variant),
        read=parts.reader.read,
        reload=lambda: parts.location.open(reload=True),
    )  # fmt: skip


async def test_switching_off_clicks_once_and_reads_back_off(
    box: Sandbox, browser: Any, pack: Pack, pages: list[Any]
) -> None:
    email, switching = await _switching(
        box, browser, pack, pages, settings={AI: True, "ads-by-age": True}
    )
    seen: list[bool] = []

    async def before_click() -> None:
        seen.append(box.setting(email, AI))

    reading = await switching.switch_off(before_click=before_click)
    assert reading.state is State.OFF
    assert switching.clicked
    assert seen == [True]  # run on the page as read, before the click
    assert box.setting(email, AI) is False
    assert box.setting(email, "ads-by-age") is True
    stats = box.stats(email)
    assert (stats["writes_off"], stats["writes_on"], stats["other_writes"]) == (1, 0, 0)


async def test_switching_off_leaves_an_off_switch_alone(
    box: Sandbox, browser: Any, pack: Pack, pages: list[Any]
) -> None:
    email, switching = await _switching(box, browser, pack, pages, settings={AI: False})
    assert (await switching.switch_off()).state is State.OFF
    assert not switching.clicked
    stats = box.stats(email)
    assert (stats["writes_off"], stats["writes_on"]) == (0, 0)


async def test_a_save_that_did_not_stick_reads_back_on(
    box: Sandbox, browser: Any, pack: Pack, pages: list[Any]
) -> None:
    email, switching = await _switching(
        box, browser, pack, pages, settings={AI: True}, faults=Faults(save_lost=True)
    )
    reading = await switching.switch_off()
    assert reading.state is State.ON  # never reported off while the server still has it on
    assert switching.clicked
    assert box.setting(email, AI) is True
    stats = box.stats(email)
    assert (stats["writes_off"], stats["writes_on"]) == (CLICK_ROUNDS, 0)  # tried again once


async def test_a_save_refused_once_is_tried_again_from_a_fresh_reading(
    box: Sandbox, browser: Any, pack: Pack, pages: list[Any]
) -> None:
    email, switching = await _switching(
        box, browser, pack, pages, settings={AI: True}, faults=Faults(save_fails_once=True)
    )
    seen: list[bool] = []

    async def before_click() -> None:
        seen.append(box.setting(email, AI))

    assert (await switching.switch_off(before_click=before_click)).state is State.OFF
    assert seen == [True]  # the evidence is of the page as first read
    assert box.setting(email, AI) is False
    stats = box.stats(email)
    assert (stats["writes_off"], stats["writes_on"]) == (2, 0)
