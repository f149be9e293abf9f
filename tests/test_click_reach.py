"""Whether a pointer click reaches a switch agrees with Playwright's own actionability
checks: an input hidden under a styled label is clicked from inside the page at once,
not after Playwright's click has waited out its timeout for it."""

from __future__ import annotations

from typing import Any

import pytest

from optout.linkedin.page_tools import receives_click

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]

HIDDEN_UNDER_LABEL = (
    "<style>.a11y-text { position: absolute; width: 1px; height: 1px; overflow: hidden;"
    " clip: rect(1px, 1px, 1px, 1px); }</style>"
    '<input type="checkbox" role="switch" class="a11y-text" id="t" checked>'
    '<label for="t" style="display:inline-block;width:60px;height:30px;background:#057642">'
    "On</label>"
)
TRANSPARENT_OVER_TRACK = (
    '<span style="position:relative;display:inline-block;width:48px;height:24px">'
    '<input type="checkbox" role="switch" checked style="position:absolute;inset:0;'
    'width:100%;height:100%;margin:0;opacity:0">'
    '<span style="position:absolute;inset:0;background:#666;pointer-events:none"></span>'
    "</span>"
)
UNDER_AN_OVERLAY = (
    '<input type="checkbox" role="switch" checked>'
    '<div style="position:fixed;inset:0;background:rgba(0,0,0,.3)"></div>'
)
BELOW_THE_FOLD = '<div style="height:3000px"></div><input type="checkbox" role="switch" checked>'


async def _playwright_can_click(switch: Any) -> bool:
    from playwright.async_api import Error as PlaywrightError

    try:
        await switch.click(trial=True, timeout=1_000)
    except PlaywrightError:
        return False
    return True


@pytest.mark.parametrize(
    ("body", "reached"),
    [
        ('<input type="checkbox" role="switch" checked>', True),
        (TRANSPARENT_OVER_TRACK, True),
        (BELOW_THE_FOLD, True),
        (HIDDEN_UNDER_LABEL, False),
        (UNDER_AN_OVERLAY, False),
    ],
    ids=["plain", "transparent-over-track", "below-the-fold", "hidden-under-label", "overlay"],
)
async def test_a_click_reaches_a_switch_where_playwright_can_click_it(
    page: Any, body: str, reached: bool
) -> None:
    await page.set_content(f"<main>{body}</main>")
    switch = page.locator("input[role=switch]")
    assert await receives_click(switch) is reached
    assert await _playwright_can_click(switch) is reached


async def test_a_switch_in_a_shadow_root_is_reached_through_its_root(page: Any) -> None:
    await page.set_content(
        "<main><div id='host'></div></main><script>"
        "document.getElementById('host').attachShadow({mode: 'open'}).innerHTML ="
        " '<input type=checkbox role=switch checked>';</script>"
    )
    switch = page.locator("input[role=switch]")
    assert await receives_click(switch) is True
    assert await _playwright_can_click(switch) is True


async def test_a_switch_that_cannot_be_told_is_left_to_playwrights_own_click(page: Any) -> None:
    await page.set_content(
        "<main>" + '<input type="checkbox" role="switch" checked>' * 2 + "</main>"
    )
    both = page.locator("input[role=switch]")  # a query of two: no answer, at once
    assert await receives_click(both) is True


async def test_a_switch_drawn_away_is_not_reached(page: Any) -> None:
    await page.set_content('<main><input type="checkbox" role="switch" id="s"></main>')
    handle = await page.query_selector("#s")
    await page.set_content("<main></main>")
    assert await receives_click(handle) is False
