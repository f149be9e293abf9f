"""How often a settling switch is looked at: often while it may still change, seldom
once it has held still and only a long hold is left, and at once when the page's
settings request has news. Each look is a round trip through Playwright's driver into
the page: a 5 s hold looked at every 50 ms made 100 of them."""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.async_api import Page

SAMPLE_MS = 50  # while the switch may still change
STEADY_SAMPLE_MS = 200  # once it has held still, no more often than this


def pause_ms(held: float, *, steady_after_s: float, holds: tuple[float, ...]) -> float:
    """Until the next look at a switch that has held still for `held` seconds: after
    `steady_after_s`, seldom, though never past the end of one of `holds`, which a look
    of its own ends."""
    if held < steady_after_s:
        return SAMPLE_MS
    to_a_hold = min((hold - held for hold in holds if hold > held), default=0.0)
    return max(SAMPLE_MS, min(STEADY_SAMPLE_MS, to_a_hold * 1000))


async def pause(page: Page, news: asyncio.Event, wait_ms: float) -> None:
    """`wait_ms`, or less where `news` comes first (a longer pause than SAMPLE_MS only)."""
    if wait_ms <= SAMPLE_MS:
        await page.wait_for_timeout(wait_ms)
        return
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(news.wait(), wait_ms / 1000)
