"""Finding the setting's switch, alone, in Chromium against the sandbox: by its label's
key, by its own id, by its label's words; never another setting's switch, and never a
switch that may be this setting's taken for another's (test_settings_page_parts.py has
the other parts)."""

from __future__ import annotations

import time
from typing import Any

import pytest
from all_settings_kit import COOKIE_SWITCH, COOKIES, PROMOTIONS, details_where
from parts_kit import AI, found_switch, new_member, parts_of

from optout.core.errors import LayoutChanged
from optout.core.results import State
from optout.core.selector_pack import Pack
from optout.linkedin.page_tools import POLL_MS
from optout.linkedin.settings_pages import dom_queries
from optout.linkedin.settings_pages.switch_finder import SwitchFinder
from optout.sandbox import PageDetails, Sandbox

# One browser for the module, on the module's event loop.
pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]

COOKIE_SETTING = "non-essential-cookies"
# The text of the label a switch names as its own.
_LABEL_JS = "el => (document.getElementById(el.getAttribute('aria-labelledby')) || {}).textContent"


# --- finding the switch -------------------------------------------------------------


async def test_finder_tells_the_two_promotions_switches_apart_by_key(
    box: Sandbox, browser: Any, pack: Pack, pages: list[Any]
) -> None:
    _, client = new_member(box)
    parts = await parts_of(box, browser, pack, pages, client, "linkedin-marketing")
    await parts.location.open()
    emails = SwitchFinder(parts.page, pack, pack.setting("marketing-emails"))
    marketing, tips = await found_switch(parts), await found_switch(parts, emails)
    assert parts.finder.switch_count == 2
    assert (
        await marketing.get_attribute("aria-labelledby")
        == "allowProfileAndActivityDataForMarketingAds"
    )
    assert await tips.get_attribute("aria-labelledby") == "tipsForUsingLinkedinViaEmail"


async def test_finder_goes_by_label_where_the_keys_are_generated(
    box: Sandbox, browser: Any, pack: Pack, pages: list[Any]
) -> None:
    # Ids generated, and the labels the pack knows (a reworded label is no one's).
    details = details_where(
        PROMOTIONS, lambda f: f.details.label_id == "generated" and not f.reworded
    )
    _, client = new_member(box, details)
    parts = await parts_of(box, browser, pack, pages, client, "marketing-emails")
    await parts.location.open()
    await parts.page.wait_for_timeout(700)  # past any replacement of switches drawn early
    switch = await found_switch(parts)
    labelled_by = await switch.get_attribute("aria-labelledby")
    assert labelled_by not in pack.setting("marketing-emails").aria_keys
    assert await switch.evaluate(_LABEL_JS) in pack.setting("marketing-emails").label_texts()


async def test_finder_takes_the_switch_the_pack_names_by_its_own_id(
    box: Sandbox, browser: Any, pack: Pack, pages: list[Any]
) -> None:
    # The cookie switch has an id of its own (the facts); its label's id is key-shaped
    # and no setting's key, and its words are reworded: the switch is still this one's.
    details = details_where(COOKIES, lambda f: f.details.label_id == "key" and f.reworded)
    _, client = new_member(box, details, settings={COOKIE_SETTING: True})
    parts = await parts_of(box, browser, pack, pages, client, COOKIE_SETTING)
    await parts.location.open()
    switch = await found_switch(parts)
    assert parts.finder.found_by == "id"
    assert await switch.get_attribute("id") == COOKIE_SWITCH
    assert await switch.get_attribute("aria-labelledby") == COOKIE_SWITCH + "Label"
    assert (await parts.reader.read()).state is State.ON


async def test_finder_refuses_a_lone_switch_that_is_another_settings(
    box: Sandbox, browser: Any, pack: Pack, pages: list[Any]
) -> None:
    _, client = new_member(box, settings={AI: True})
    ai = await parts_of(box, browser, pack, pages, client, AI)
    await ai.location.open()
    await found_switch(ai)  # the AI page's one switch is drawn
    other = SwitchFinder(ai.page, pack, pack.setting("ads-by-age"))
    assert await other.locate(ai.location.variant) is None
    assert other.switch_count == 1
    assert other.problem is not None
    assert "belongs to another setting" in other.problem


async def test_finder_refuses_a_lone_switch_labelled_by_a_key_the_pack_does_not_know(
    box: Sandbox, browser: Any, pack: Pack, pages: list[Any]
) -> None:
    # The member lacks the AI setting; its page shows another setting's switch alone,
    # labelled by that setting's key and by words no pack knows.
    _, client = new_member(box, PageDetails(label_id="key"), settings={}, variant="neighbour")
    ai = await parts_of(box, browser, pack, pages, client, AI)
    await ai.location.open()
    await ai.page.locator("input[role=switch]").wait_for(state="attached")
    assert await ai.finder.locate(ai.location.variant) is None
    assert ai.finder.switch_count == 1
    assert ai.finder.problem is not None
    assert "another setting's key" in ai.finder.problem


async def test_a_switch_named_by_nothing_known_keeps_another_rows_notice_from_counting(
    box: Sandbox, browser: Any, pack: Pack, pages: list[Any]
) -> None:
    # The promotions page of a member who lacks the emails: their row says "not
    # available"; the marketing switch (on) is labelled by a generated id, reworded.
    details = details_where(PROMOTIONS, lambda f: f.details.label_id == "generated" and f.reworded)
    _, client = new_member(box, details, settings={"linkedin-marketing": True})
    marketing = await parts_of(box, browser, pack, pages, client, "linkedin-marketing")
    await marketing.location.open()
    with pytest.raises(LayoutChanged, match="will not guess"):
        await marketing.reader.read()
    assert marketing.finder.unidentified


async def test_finder_looks_again_at_once_at_a_switch_drawn_since_it_looked(
    box: Sandbox, browser: Any, pack: Pack, pages: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, client = new_member(box, settings={AI: True})
    ai = await parts_of(box, browser, pack, pages, client, AI)
    await ai.location.open()
    await found_switch(ai)
    settled: list[float] = []
    wait = dom_queries.wait_for_one

    async def recorded(page: Any, selector: str, timeout_ms: float, *, settled_ms: float) -> None:
        settled.append(settled_ms)
        await wait(page, selector, timeout_ms, settled_ms=settled_ms)

    monkeypatch.setattr(dom_queries, "wait_for_one", recorded)
    # As if `locate` had looked just before the switch was drawn: none seen then.
    await SwitchFinder(ai.page, pack, pack.setting(AI)).wait_for_a_switch(ai.location.variant)
    assert settled == [0]
    # A switch there, seen and not this setting's: the page is given a moment.
    other = SwitchFinder(ai.page, pack, pack.setting("ads-by-age"))
    assert await other.locate(ai.location.variant) is None
    started = time.monotonic()
    await other.wait_for_a_switch(ai.location.variant)
    assert settled == [0, POLL_MS]
    assert time.monotonic() - started >= POLL_MS / 1000
