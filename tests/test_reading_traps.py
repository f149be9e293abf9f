"""Pages built to trap the reader, each a way the real site may differ from the pack's
guesses, served by a small server of their own. Whatever the page does, optout never
says `off` (or `unavailable`) while the setting is on: it reads `on`, or says it cannot
know, or that LinkedIn failed.

- another card's answer, with one toggle that is off, comes in before the setting's own
  (asked at once, or after the other card was shown);
- the setting's own request fails, and the page leaves the switch it drew before;
- the pack's address is gone, and the page found on the index asks for its value late;
- a click's save fails, and the reloaded page shows a "not available" notice;
- the member lacks the setting: its row says so, beside another setting's switch; or,
  on a page the pack says holds two settings, nothing says so;
- the setting's own request fails, and the page then draws its switch away;
- the page answers, draws no switch any more, and keeps a long poll open;
- the page's one switch is named by nothing the pack knows, nor is its answer's entry;
- the older page, which the pack takes for one the server draws whole, shows a placeholder;
- a page's HTML as served holds a placeholder, which a script it loads late then sets.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from trap_kit import OTHER_CARD, PACK, Trap, opened, read, serving

from optout.core.errors import LayoutChanged, OptoutError, SiteUnavailable
from optout.core.results import State

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with serving() as address:
        yield address


TRAPS = {
    "other card first, at once": Trap(others=[OTHER_CARD], own_delay_s=1.5),
    "other card shown, then its own": Trap(others=[OTHER_CARD], sequential=300),
    "own request fails": Trap(own_status=500),
    "moved page asks late": Trap(moved=True, ask_after_ms=600),
    # The pack takes the older page for one the server draws whole: a guess.
    "older page drawn by script": Trap(legacy="script"),
    "older page served a placeholder": Trap(legacy="served"),
    # Its HTML as served holds an unchecked placeholder; a script loaded late sets it.
    "placeholder set by a late script": Trap(
        served="unchecked", served_then="true", script_after_s=7
    ),
}


@pytest.mark.parametrize("name", TRAPS)
async def test_never_off_while_on(browser: Any, server: str, name: str) -> None:
    said = await read(browser, server, TRAPS[name])
    assert said in (State.ON, State.UNKNOWN), f"{name}: said {said}"


async def test_a_click_never_makes_a_setting_unavailable(browser: Any, server: str) -> None:
    said = await read(browser, server, Trap(saves_fail=True), switch_off=True)
    assert said is State.UNKNOWN


# Another setting's label id the pack knows, and one it does not.
KNOWN_OTHER_KEY = PACK.setting("ai-creation-tools").aria_keys[0]


@pytest.mark.parametrize(
    ("label_id", "expected"),
    [(KNOWN_OTHER_KEY, State.UNAVAILABLE), ("ember42", State.UNKNOWN)],
    ids=["other setting's key", "generated id"],
)
async def test_another_settings_switch_is_never_read_as_this_one(
    browser: Any, server: str, label_id: str, expected: State
) -> None:
    """The only switch, beside this setting's "not available" row: another setting's by
    its key, so the member lacks this one; by nothing it could be either's."""
    for switch_off, hidden_notice in ((False, False), (True, False), (False, True)):
        trap = Trap(lacking_label_id=label_id, hidden_notice=hidden_notice)
        said = await read(browser, server, trap, switch_off=switch_off)
        assert said is expected
        assert trap.writes == 0


async def test_a_switch_drawn_away_after_a_failed_request_is_linkedin_failing(
    browser: Any, server: str
) -> None:
    trap = Trap(own_status=500, error_page=True, own_delay_s=0.5)
    try:
        async with opened(browser, server, trap) as page:
            with pytest.raises(SiteUnavailable):
                await page.read_confirmed()
    except OptoutError as exc:
        pytest.fail(f"not LinkedIn failing: {exc.message}")


async def test_the_only_switch_of_a_page_of_two_settings_is_not_taken(
    browser: Any, server: str
) -> None:
    """A member without this setting, sent to a page the pack says holds it and another:
    the page says nothing of it, and its one switch, named in words the pack does not
    know, is the other setting's. optout cannot know; it never reads or clicks it."""
    for switch_off in (False, True):
        trap = Trap(lacking_label_id="ember42", silent=True)
        try:
            said: State | None = await read(browser, server, trap, switch_off=switch_off)
        except OptoutError:
            said = None
        assert said in (None, State.UNKNOWN)
        assert trap.writes == 0


@pytest.mark.parametrize("note", ["", "This setting isn't available to members under 18."])
async def test_a_missing_switch_beside_a_long_poll_is_a_changed_page(
    browser: Any, server: str, note: str
) -> None:
    """The settings request answered: the data came. A long poll still open beside it is
    no reason to call a page without its switch LinkedIn's failure (exit 5): it is a
    page optout no longer understands (exit 4), told at once by a scheduled run. A note
    in the pack's words for "not available" there proves no lack: the control drawn in
    the switch's place, which optout does not read, may be the setting's."""
    async with opened(browser, server, Trap(changed=True, note=note), timeout_s=10) as page:
        with pytest.raises(LayoutChanged):
            await page.read_confirmed()


async def test_a_switch_named_by_nothing_known_counts_only_where_the_index_agrees(
    browser: Any, server: str
) -> None:
    """The page's only switch, and its answer's only entry, are named in words and keys
    no pack knows: the switch may be another setting's, beside a notice in words no pack
    knows either. Its reading counts only where the Data privacy index shows the same
    value; else `unknown`, and nothing is clicked."""
    assert await read(browser, server, Trap(unnamed=True, index_value="On")) is State.ON
    for switch_off in (False, True):
        trap = Trap(unnamed=True)
        said = await read(browser, server, trap, switch_off=switch_off)
        assert said is State.UNKNOWN
        assert trap.writes == 0


@pytest.mark.parametrize(
    ("served", "then"), [("checked", ""), ("unchecked", ""), ("unchecked", "true")]
)
async def test_a_switch_in_the_html_as_served_is_no_source_of_its_own(
    browser: Any, server: str, served: str, then: str
) -> None:
    """A page that asks for no card, its switch in the HTML as served, as it shows or set
    otherwise by the page's script: the server may have drawn a placeholder as well as the
    real state, and the index says nothing optout can read: `unknown`."""
    assert await read(browser, server, Trap(served=served, served_then=then)) is State.UNKNOWN
