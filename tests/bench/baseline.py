"""The simplest script that does a check's job: the yardstick of the benchmark.

It launches the same browser, loads the saved cookies, goes to the setting's
page, waits for the switch and reads `.checked`. Nothing more: no settled
reading, no second source, no blocking, no keyring.

    python baseline.py BROWSER STORAGE_STATE.json URL [--flag=ARG ...] [--bare] [--timeout-s S]

It starts the browser with optout's own quiet flags (browser.QUIET_FLAGS), so that
what it is measured against differs from optout only in what optout does on top;
`--bare` leaves them out: Playwright's defaults, as the shortest script would have it.
`--flag` adds a Chromium command-line flag to the launch (repeatable; written
with `=`, as `--flag=--no-zygote`): the benchmark and flag experiments measure a
flag's cost or gain on this script, which nothing else slows. `--timeout-s` is how
long it waits for the switch (default 30); a page whose switch it does not find
makes it print `{"checked": null}` and exit 3.
"""

from __future__ import annotations

import argparse
import json

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright

from optout.linkedin.chromium.browser import (
    QUIET_FLAGS,  # the same launch as optout's: a fair comparison
)

NOT_FOUND = 3


def main(browser_path: str, state_path: str, url: str, flags: list[str], timeout_s: float) -> int:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=browser_path, args=flags)
        context = browser.new_context(storage_state=state_path)
        page = context.new_page()
        page.goto(url)
        try:
            switch = page.wait_for_selector("input[role=switch]", timeout=timeout_s * 1000)
        except PlaywrightTimeout:
            switch = None
        checked = None if switch is None else switch.evaluate("el => el.checked")
        print(json.dumps({"checked": checked}))
        browser.close()
    return 0 if switch is not None else NOT_FOUND


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("browser")
    parser.add_argument("storage_state")
    parser.add_argument("url")
    parser.add_argument("--flag", action="append", default=[], metavar="ARG")
    parser.add_argument("--bare", action="store_true", help="without optout's quiet flags")
    parser.add_argument("--timeout-s", type=float, default=30.0)
    options = parser.parse_args()
    flags = options.flag if options.bare else [*QUIET_FLAGS, *options.flag]
    raise SystemExit(
        main(options.browser, options.storage_state, options.url, flags, options.timeout_s)
    )
