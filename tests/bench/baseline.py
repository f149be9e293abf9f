"""The simplest script that does a check's job: the yardstick of the benchmark.

It launches the same browser, loads the saved cookies, goes to the setting's
page, waits for the switch and reads `.checked`. Nothing more: no settled
reading, no second source, no blocking, no keyring.

    python baseline.py BROWSER STORAGE_STATE.json URL
"""

from __future__ import annotations

import json
import sys

from playwright.sync_api import sync_playwright

from optout.linkedin.browser import QUIET_FLAGS  # the same launch as optout's: a fair comparison


def main(browser_path: str, state_path: str, url: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=browser_path, args=list(QUIET_FLAGS))
        context = browser.new_context(storage_state=state_path)
        page = context.new_page()
        page.goto(url)
        switch = page.wait_for_selector("input[role=switch]")
        assert switch is not None
        print(json.dumps({"checked": switch.evaluate("el => el.checked")}))
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:4])
