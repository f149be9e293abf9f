"""The simplest script that checks several accounts in one browser: the yardstick of
`check --all-accounts`.

One browser with optout's quiet flags, a context per account (its saved cookies),
as many at once as optout takes (account_run.ACCOUNTS_AT_ONCE), each context: the
page, wait for the switch, read `.checked`. Nothing more.

    python baseline_accounts.py BROWSER URL STORAGE_STATE.json [STORAGE_STATE.json ...]
"""

from __future__ import annotations

import argparse
import asyncio
import json

from playwright.async_api import Browser, async_playwright

from optout.linkedin.account_run import ACCOUNTS_AT_ONCE
from optout.linkedin.chromium.browser import QUIET_FLAGS


async def _one(browser: Browser, url: str, state: str, at_once: asyncio.Semaphore) -> bool:
    async with at_once:
        context = await browser.new_context(storage_state=state)
        page = await context.new_page()
        await page.goto(url)
        switch = await page.wait_for_selector("input[role=switch]")
        checked = bool(await switch.evaluate("el => el.checked")) if switch else False
        await context.close()
        return checked


async def main(browser_path: str, url: str, states: list[str]) -> None:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=browser_path, args=QUIET_FLAGS)
        at_once = asyncio.Semaphore(ACCOUNTS_AT_ONCE)
        checked = await asyncio.gather(*(_one(browser, url, s, at_once) for s in states))
        print(json.dumps({"checked": checked}))
        await browser.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("browser")
    parser.add_argument("url")
    parser.add_argument("storage_state", nargs="+")
    options = parser.parse_args()
    asyncio.run(main(options.browser, options.url, options.storage_state))
