"""Small Playwright helpers shared by the sign-in flow and the settings page."""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import TYPE_CHECKING

from optout.core.errors import SiteUnavailable
from optout.linkedin.page_kinds import check_status

if TYPE_CHECKING:
    from playwright.async_api import ElementHandle, Locator, Page

POLL_MS = 100
# A query of an element just found: it answers at once while the element is there, and
# fails this soon once the page drew it away, where Playwright would wait 30 s for it;
# long enough for a page whose main thread is busy (several at once on a small machine).
ELEMENT_QUERY_MS = 3_000


async def navigate(
    page: Page, url: str, what: str, *, reload: bool = False, timeout_s: float = 30
) -> int | None:
    """Load `url` (or reload); the HTTP status. Network failures and refusals raise
    SiteUnavailable."""
    from playwright.async_api import Error as PlaywrightError
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    timeout_ms = timeout_s * 1000
    try:
        if reload:
            response = await page.reload(wait_until="domcontentloaded", timeout=timeout_ms)
        else:
            response = await page.goto(url, wait_until="domcontentloaded", timeout=timeout_ms)
    except PlaywrightTimeout as exc:
        raise SiteUnavailable(
            f"LinkedIn did not answer within {timeout_s:.0f} s while loading "
            f"{what}; check your connection and try again."
        ) from exc
    except PlaywrightError as exc:
        reason = (exc.message or str(exc)).strip().splitlines()[0]
        if "interrupted by another navigation" in reason:
            # The page went elsewhere on its own (its script sending an expired session
            # to sign in, say): where it ended up is for the caller to judge.
            with contextlib.suppress(PlaywrightError):
                await page.wait_for_load_state("domcontentloaded", timeout=timeout_ms)
            return None
        raise SiteUnavailable(f"Could not load {what} ({url}): {reason}.") from exc
    if response is None:
        return None
    check_status(response.status, what)
    return response.status


async def first_present(page: Page, selectors: tuple[str, ...], timeout_s: float) -> Locator | None:
    """The first selector, in pack order, matching exactly one element; waits up to timeout."""
    deadline = time.monotonic() + timeout_s
    while True:
        for selector in selectors:
            locator = page.locator(selector)
            if await locator.count() == 1:
                return locator
        if time.monotonic() >= deadline:
            return None
        await page.wait_for_timeout(POLL_MS)


# Whether a click at the element's centre, once scrolled into view, lands on it (or inside
# it). A native input hidden under a styled label does not: Playwright's own click would
# wait out its whole timeout for it, so such an input is clicked from inside the page.
_RECEIVES_CLICK_JS = """el => {
  el.scrollIntoView({block: 'center', inline: 'center'});
  const box = el.getBoundingClientRect();
  const root = el.getRootNode();
  const hit = (root.elementFromPoint ? root : document)
    .elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
  return !!hit && (hit === el || el.contains(hit));
}"""


async def receives_click(element: Locator | ElementHandle) -> bool:
    """Whether a pointer click can reach `element`: not where it has left the page; True
    where it cannot be told, so that Playwright's own click (with its checks and its
    timeout) is tried first."""
    from playwright.async_api import Error as PlaywrightError
    from playwright.async_api import Locator
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    try:
        if isinstance(element, Locator):  # a query: it must not wait for a switch gone
            return bool(await element.evaluate(_RECEIVES_CLICK_JS, timeout=ELEMENT_QUERY_MS))
        return bool(await element.evaluate(_RECEIVES_CLICK_JS))
    except PlaywrightTimeout:
        return False  # no such element now: a pointer's click would wait for it in vain
    except PlaywrightError:
        return True


# Chromium may let go of a page's close asked for while a navigation commits (Ctrl-C
# in the middle of a load): it answers yes and the page lives on, and Playwright waits
# for its end forever. The context's close, which always follows, ends every page of it.
PAGE_CLOSE_S = 2.0


async def close_page(page: Page) -> None:
    """Close `page` if it can be closed soon; else leave it to its context's close."""
    from playwright.async_api import Error as PlaywrightError

    with contextlib.suppress(TimeoutError, PlaywrightError):  # gone already, or stuck
        if not page.is_closed():
            await asyncio.wait_for(page.close(), PAGE_CLOSE_S)
