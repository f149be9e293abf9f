"""The page's settings request: only a failure of the current load is LinkedIn failing.

A request the previous page left in flight is aborted by the next load and ends
(net::ERR_ABORTED) after optout has begun reading the new page; one the page gives
up itself is no answer, not an outage. Neither may end a run as "LinkedIn failed".
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable

import pytest
import pytest_asyncio
from conftest import signed_in_context
from playwright.async_api import Page

from optout.core.selector_pack import Pack
from optout.linkedin.chromium.browser import BrowserSession, launched
from optout.linkedin.settings_pages.page_requests import PageRequests
from optout.sandbox import Faults, Sandbox

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]

SETTING = "generative-ai-improvement"
PAGE = "/mypreferences/d/settings/data-for-ai-improvement"
PASSWORD = "requests pw"


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def session(pack: Pack) -> AsyncIterator[BrowserSession]:
    async with launched(None, block=pack.network) as running:
        yield running


async def _until(condition: Callable[[], bool], seconds: float, page: Page) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "waited in vain"
        await page.wait_for_timeout(50)


async def _watched_page(
    sandbox: Sandbox, session: BrowserSession, pack: Pack, email: str
) -> tuple[Page, PageRequests]:
    """A signed-in member's page, whose settings requests never answer, and its watcher."""
    sandbox.add_account(email, PASSWORD, settings={SETTING: True}, faults=Faults(api_hangs=True))
    page = await (await signed_in_context(session, sandbox, email, PASSWORD)).new_page()
    return page, PageRequests(page, [pack.setting(SETTING).api], pack.values)


async def test_a_request_left_by_the_previous_load_is_no_failure(
    sandbox: Sandbox, session: BrowserSession, pack: Pack
) -> None:
    page, requests = await _watched_page(sandbox, session, pack, "left-in-flight@example.com")
    await page.goto(sandbox.base_url + PAGE)
    await _until(requests.api_pending, 10, page)
    requests.reset()  # what SettingPage.open does before it loads the page again
    await page.goto(sandbox.base_url + "/feed/")
    await page.wait_for_timeout(500)  # the aborted request's end arrives meanwhile
    assert requests.api_failure is None
    assert not requests.api_pending()
    await page.context.close()


async def test_a_request_the_page_gives_up_is_no_answer_and_no_failure(
    sandbox: Sandbox, session: BrowserSession, pack: Pack
) -> None:
    page, requests = await _watched_page(sandbox, session, pack, "gives-up@example.com")
    api = pack.setting(SETTING).api
    assert api is not None
    await page.goto(sandbox.base_url + "/feed/")
    await page.evaluate(
        """(path) => {
            const stop = new AbortController();
            fetch(path + "someCard", {signal: stop.signal}).catch(() => {});
            setTimeout(() => stop.abort(), 300);
        }""",
        api.path,
    )
    await _until(requests.abandoned_unanswered, 10, page)
    assert requests.api_failure is None
    await page.context.close()


# Writes a page may make after a click: only one that may be its save tells that the
# page took the click. Its own events (a POST elsewhere) are sent either way.
@pytest.mark.parametrize(
    ("method", "path", "may_save"),
    [
        ("POST", "/voyager/api/pageInstanceEvents", False),
        ("PUT", "/mysettings-api/settingsApiSettings/someKey", True),
        ("POST", "/mysettings-api/settingsApiSettings/someKey", True),
        ("PATCH", "/voyager/api/somewhere", True),
        ("POST", "/feed/", True),  # the page's own address: an older page's form
    ],
)
async def test_only_a_write_that_may_be_the_save_counts_as_heard(
    sandbox: Sandbox, session: BrowserSession, pack: Pack, method: str, path: str, may_save: bool
) -> None:
    email = f"heard-{method}-{path.strip('/').replace('/', '-')}@example.com".lower()
    page, requests = await _watched_page(sandbox, session, pack, email)
    await page.goto(sandbox.base_url + "/feed/")
    since = time.monotonic()
    async with page.expect_response(lambda response: path in response.url):
        await page.evaluate(
            "([method, path]) => fetch(path, {method, body: '{}'}).catch(() => null)",
            [method, path],
        )
    assert requests.save_began_since(since) is may_save
    await page.context.close()
