"""Heavy mode: a page with the weight of LinkedIn's real one. optout reads it right
while loading only what a check needs; the sandbox counts what was asked of it."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SETTING, Account, Optout, signed_in

from optout.core.selector_pack import NetworkRules, load_pack
from optout.linkedin.chromium.refusals import block_pattern
from optout.sandbox import Sandbox

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@pytest.fixture(scope="module")
def heavy() -> Iterator[Sandbox]:
    # Its last test drives a plain Playwright browser, which shows automation.
    with Sandbox(heavy=True, bot_guard=False, readable_draws=True) as server:
        server.hang_limit_s = 5  # the long-poll lets go soon after a page closes
        yield server


def test_heavy_page_is_read_and_switched_loading_only_what_is_needed(
    heavy: Sandbox, tmp_path: Path, real_keyring: str
) -> None:
    from optout.storage import credentials

    account = Account(f"heavy-{secrets.token_hex(4)}@example.com", secrets.token_urlsafe(12))
    heavy.add_account(account.email, account.password, settings={SETTING: True})
    optout = Optout(tmp_path / "home", heavy.base_url)
    try:
        signed_in(optout, heavy, account)
        heavy.heavy_requests(reset=True)
        ran = optout("check", "--json")
        assert ran.code == 1, ran.stderr
        assert ran.json["settings"][0]["state"] == "on"
        asked = heavy.heavy_requests(reset=True)
        assert asked.get("script") == 2  # the bundles the switch needs
        assert asked.get("long-poll") == 1
        assert "image" not in asked
        assert "font" not in asked
        assert "beacon" not in asked
        ran = optout("off", "--json")
        assert ran.code == 0, ran.stderr
        assert heavy.setting(account.email, SETTING) is False
    finally:
        credentials.forget_account(account.email, origin=heavy.base_url)


def test_a_plain_browser_does_load_the_weight(heavy: Sandbox) -> None:
    """The counts above can fail: a browser that blocks nothing asks for all of it."""
    from playwright.sync_api import sync_playwright

    from optout.linkedin.chromium.browser import discover

    email = f"plain-{secrets.token_hex(4)}@example.com"
    heavy.add_account(email, "pw-123456789", settings={SETTING: True})
    heavy.heavy_requests(reset=True)
    with sync_playwright() as playwright:
        path = discover(None, playwright.chromium.executable_path).path
        browser = playwright.chromium.launch(executable_path=path)
        page = browser.new_page()
        page.goto(heavy.base_url + "/login")
        page.fill("#username", email)
        page.fill("#password", "pw-123456789")
        page.click("button[type=submit]")
        page.wait_for_url("**/feed/**")
        page.goto(heavy.base_url + "/mypreferences/d/settings/data-for-ai-improvement")
        page.wait_for_selector("input[role=switch]")
        browser.close()
    asked = heavy.heavy_requests()
    assert asked.get("image", 0) >= 20
    assert asked.get("font", 0) >= 1
    assert asked.get("beacon", 0) >= 1


def test_block_pattern() -> None:
    pattern = block_pattern(load_pack().network)
    assert pattern is not None
    refused = [
        "https://static.licdn.com/aero-v1/sc/h/1a2b.woff2",
        "https://px.ads.linkedin.com/wa/?pid=1",
        "https://www.linkedin.com/li/track",
        "https://www.google-analytics.com/g/collect?v=2",
    ]
    allowed = [
        "https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement",
        "https://www.linkedin.com/mysettings-api/settingsApiSettingCards/x?a=b.woff2x",
        "https://static.licdn.com/aero-v1/sc/h/app.js",
        "https://notpx.ads.linkedin.com.example.org/x",
    ]
    assert [bool(pattern.match(url)) for url in refused] == [True] * len(refused)
    assert [bool(pattern.match(url)) for url in allowed] == [False] * len(allowed)
    assert block_pattern(NetworkRules()) is None
