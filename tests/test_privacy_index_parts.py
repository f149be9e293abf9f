"""The Data privacy index as a second source, in Chromium against the sandbox: what it
says (however the index draws its values), and when the settings page asks it."""

from __future__ import annotations

import time
from typing import Any

import pytest
from parts_kit import AI, PLAIN, TIMEOUT_S, new_member
from sandbox_client import signed_in_page_async

from optout.core.results import State
from optout.core.selector_pack import Pack
from optout.linkedin.settings_pages import privacy_index
from optout.linkedin.settings_pages.privacy_index import (
    IndexQuestion,
    confirm_with_index,
    index_state,
)
from optout.linkedin.settings_pages.settings_page import SettingPage
from optout.linkedin.settings_pages.settled_reading import Reading
from optout.sandbox import PageDetails, Sandbox

# One browser for the module, on the module's event loop.
pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]


@pytest.mark.parametrize("readable", [True, False])
async def test_the_index_is_asked_while_the_switch_holds_and_only_without_an_answer(
    box: Sandbox, browser: Any, pack: Pack, pages: list[Any], monkeypatch: pytest.MonkeyPatch,
    readable: bool,
) -> None:  # fmt: skip
    # Unreadable: value words no list has, no onValue/offValue, no words shown for them.
    details = PageDetails(
        value_words="PERMITTED/FORBIDDEN",
        declares_values=False,
        shown_words="absent",
        index_values="placeholder",
        index_delay_s=0.3,
    )
    email, client = new_member(box, details if not readable else PLAIN, settings={AI: True})
    page = await signed_in_page_async(browser, box.base_url, client)
    pages.append(page)
    setting_page = SettingPage(page, box.base_url, pack, pack.setting(AI), timeout_s=TIMEOUT_S)
    await setting_page.open()
    events: list[str] = []
    page.context.on("page", lambda _: events.append("index opened"))
    read = setting_page.read

    async def read_then_say(**options: Any) -> Reading:
        reading = await read(**options)
        events.append("switch read")
        return reading

    monkeypatch.setattr(setting_page, "read", read_then_say)
    reading = await setting_page.read_confirmed()
    assert box.setting(email, AI)  # the truth both readings say
    if readable:
        assert reading == Reading(State.ON, confirmed_by="settings request")
        assert events == ["switch read"]  # no index: its page would cost a load for nothing
    else:
        assert reading == Reading(State.ON, confirmed_by="Data privacy index")
        assert events == ["index opened", "switch read"]  # once, while the switch held
    assert len(page.context.pages) == 1  # the index's page is closed


@pytest.mark.parametrize("truth", [True, False])
@pytest.mark.parametrize(
    ("drawn", "delay_s"), [("in_page", 0.0), ("by_script", 0.5), ("placeholder", 0.8)]
)
async def test_privacy_index_says_what_the_server_holds(
    box: Sandbox, browser: Any, pack: Pack, pages: list[Any], truth: bool, drawn: str,
    delay_s: float,
) -> None:  # fmt: skip
    details = PageDetails(pages_alike=True, index_values=drawn, index_delay_s=delay_s)
    _, client = new_member(box, details, settings={AI: truth})
    page = await signed_in_page_async(browser, box.base_url, client)
    pages.append(page)
    spec = pack.setting(AI)
    said = await index_state(page.context, box.base_url, pack, spec, timeout_s=TIMEOUT_S)
    assert said is (State.ON if truth else State.OFF)
    kept = await confirm_with_index(
        Reading(State.OFF if truth else State.ON),
        IndexQuestion(page.context, box.base_url, pack, spec, timeout_s=TIMEOUT_S),
    )
    assert kept.state is State.UNKNOWN  # the index disagrees: nothing may be clicked
    assert kept.problem is not None
    assert "Data privacy index" in kept.problem
    assert len(page.context.pages) == 1  # the index is read in a page of its own, closed


@pytest.mark.parametrize(("lang", "truth"), [("en", True), ("de", True), ("de", False)])
async def test_an_index_in_words_no_pack_lists_gives_no_opinion_once_drawn(
    box: Sandbox, browser: Any, pack: Pack, pages: list[Any], monkeypatch: pytest.MonkeyPatch,
    lang: str, truth: bool,
) -> None:  # fmt: skip
    # "Enabled", "An": a value drawn and held still in words no list has is no opinion as
    # soon as it has held (not at the end of the wait); German "Aus" is the pack's.
    monkeypatch.setattr(privacy_index, "VALUE_WAIT_S", 60.0)  # a wait it must not need
    details = PageDetails(index_words="unlisted", index_values="by_script", index_delay_s=0.3)
    _, client = new_member(box, details, settings={AI: truth}, lang=lang)
    page = await signed_in_page_async(browser, box.base_url, client)
    pages.append(page)
    started = time.monotonic()
    said = await index_state(
        page.context, box.base_url, pack, pack.setting(AI), timeout_s=TIMEOUT_S
    )
    assert said is (State.OFF if lang == "de" and not truth else None)
    assert time.monotonic() - started < 30  # far below the wait: it did not run out


async def test_an_index_without_the_settings_row_is_not_loaded_again(
    box: Sandbox, browser: Any, pack: Pack, pages: list[Any]
) -> None:
    # The newer wording's page, listed by its own name in place of the AI setting's row.
    details = PageDetails(newer_address="gone")
    _, client = new_member(box, details, settings={AI: True}, variant="newer-wording")
    page = await signed_in_page_async(browser, box.base_url, client)
    pages.append(page)
    opened: list[Any] = []
    page.context.on("page", lambda opening: opened.append(opening))
    seen = privacy_index.IndexSeen()
    spec = pack.setting(AI)
    for _ in range(2):  # a reading, then its read-back
        question = IndexQuestion(
            page.context, box.base_url, pack, spec, timeout_s=TIMEOUT_S, seen=seen
        )
        assert await question.answer() is None
    assert seen.lacks_row
    assert len(opened) == 1  # the second question knew the row is not there
    assert not IndexQuestion(
        page.context, box.base_url, pack, spec, timeout_s=TIMEOUT_S, seen=seen
    ).can_answer
