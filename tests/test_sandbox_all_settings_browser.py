"""The sandbox's setting pages in Chromium: each switch is found by its key and saves
alone, and the pages with several switches, decoys or no role keep them apart
(checked against the server-side truth)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from all_settings_kit import (
    CARDS,
    COOKIE_SWITCH,
    COOKIES,
    INTERESTS,
    PLAIN,
    PROMOTIONS,
    TABLE,
    Client,
    details_where,
    form_of,
    member,
    page_of,
    variant_of,
)
from sandbox_client import plain_chromium, signed_in_page

from optout.sandbox import Sandbox
from optout.sandbox.i18n import words


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from plain_chromium()


def _open(browser: Any, box: Sandbox, client: Client) -> Any:
    return signed_in_page(browser, box.base_url, client)


def _saved(page: Any) -> None:
    """Wait until the last save is answered and the page takes clicks again."""
    from playwright.sync_api import expect

    expect(page.locator(".artdeco-toast-item__message")).to_have_text(words("en").saved)
    page.wait_for_function("() => !document.querySelector('input:disabled')")


@pytest.mark.e2e
@pytest.mark.parametrize("setting_id", TABLE)
def test_browser_each_switch_is_found_by_its_key_and_saves_alone(
    box: Sandbox, browser: Any, setting_id: str
) -> None:
    from playwright.sync_api import expect

    email, client = member(box, PLAIN, variant=variant_of(setting_id))
    page = _open(browser, box, client)
    page.goto(box.base_url + page_of(setting_id))
    aria = TABLE[setting_id][1]
    if setting_id == "non-essential-cookies":
        switch = page.locator(f"input#{COOKIE_SWITCH}[type=checkbox]")
    else:
        switch = page.locator(f"input[type=checkbox][role=switch][aria-labelledby='{aria}']")
        expect(page.locator(f"p#{aria}")).to_be_visible()
    expect(switch).to_be_checked()
    before = box.account(email).settings
    switch.click()
    _saved(page)
    expect(switch).not_to_be_checked()
    assert box.account(email).settings == {**before, setting_id: False}
    assert box.stats(email)["writes_on"] == 0
    assert box.page_views(email) == {page_of(setting_id): 1}
    page.context.close()


@pytest.mark.e2e
def test_browser_promotions_switches_never_change_each_other(box: Sandbox, browser: Any) -> None:
    from playwright.sync_api import expect

    # The labels as the pack words them, and no other card shown first (which would put
    # the replacement of the switches past the wait below).
    details = details_where(PROMOTIONS, lambda f: f.order[0] == "marketing-emails" and (
        f.details.label_id, f.details.switch_drawn, f.details.replaced_on_hydration,
        f.reworded, f.details.others_first,
    ) == ("generated", "before_answer", True, False, False))  # fmt: skip
    email, client = member(box, details)
    page = _open(browser, box, client)
    page.goto(box.base_url + PROMOTIONS)
    labels = page.locator("p._settingLabel_a81f2c")
    expect(labels).to_have_count(2)
    page.wait_for_timeout(700)  # past the replacement of the switches drawn early
    texts = labels.all_inner_texts()
    assert texts == [
        "Send me tips for using LinkedIn by email",
        "Use my profile and activity data to market LinkedIn to me",
    ]
    switches = [
        page.locator(f"input[role=switch][aria-labelledby='{labels.nth(i).get_attribute('id')}']")
        for i in range(2)
    ]
    for switch in switches:
        expect(switch).to_be_checked()
    switches[0].click()
    _saved(page)
    expect(switches[1]).to_be_checked()
    assert box.setting(email, "marketing-emails") is False
    assert box.setting(email, "linkedin-marketing") is True
    switches[1].click()
    _saved(page)
    assert box.setting(email, "linkedin-marketing") is False
    assert box.stats(email)["writes_off"] == 2
    assert box.page_views(email) == {PROMOTIONS: 1}
    page.context.close()


@pytest.mark.e2e
def test_browser_promotions_row_says_a_setting_is_not_available(box: Sandbox, browser: Any) -> None:
    from playwright.sync_api import expect

    _, client = member(box, PLAIN, settings={"linkedin-marketing": True})
    page = _open(browser, box, client)
    page.goto(box.base_url + PROMOTIONS)
    row = page.locator("._settingRow_a81f2c", has=page.locator("#tipsForUsingLinkedinViaEmail"))
    expect(row.get_by_text(words("en").unavailable)).to_be_visible()
    assert page.locator("input[role=switch]").count() == 1
    page.context.close()


@pytest.mark.e2e
def test_browser_interest_checkboxes_are_not_the_switch(box: Sandbox, browser: Any) -> None:
    from playwright.sync_api import expect

    details = details_where(INTERESTS, lambda f: f.decoys_first and f.decoy_role_switch and (
        f.details.label_id == "key"))  # fmt: skip
    email, client = member(box, details)
    form = form_of(box, email, "ads-by-interests")
    page = _open(browser, box, client)
    page.goto(box.base_url + INTERESTS)
    master = page.locator(
        "input[role=switch][aria-labelledby='adsPrivacyAllowInterestsAndBehaviors']"
    )
    expect(master).to_be_checked()
    boxes = page.locator("input[type=checkbox]")
    assert boxes.count() == 1 + len(form.decoys)
    first = boxes.first  # the decoys come first on this form
    assert first.get_attribute("aria-labelledby") == form.decoys[0]
    before = box.account(email).settings
    for i in range(len(form.decoys)):
        boxes.nth(i).click()
        _saved(page)
    expect(master).to_be_checked()
    assert box.account(email).settings == before
    assert box.stats(email)["other_writes"] == len(form.decoys)
    master.click()
    _saved(page)
    assert box.setting(email, "ads-by-interests") is False
    page.context.close()


@pytest.mark.e2e
def test_browser_cookie_switch_without_role_or_request(box: Sandbox, browser: Any) -> None:
    from playwright.sync_api import expect

    # A switch swapped for a new node while hydrating could take the click as it goes.
    details = details_where(
        COOKIES,
        lambda f: not f.role_switch and not f.card_request and not f.details.replaced_on_hydration,
    )
    email, client = member(box, details)
    form = form_of(box, email, "non-essential-cookies")
    page = _open(browser, box, client)
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url) if CARDS in r.url else None)
    page.goto(box.base_url + COOKIES)
    switch = page.locator(f"#{COOKIE_SWITCH}")
    expect(switch).to_be_checked()
    assert switch.get_attribute("role") is None
    assert page.locator("[role=switch]").count() == 0
    assert not any(url.endswith(CARDS + form.card) for url in asked)
    switch.click()
    _saved(page)
    assert box.setting(email, "non-essential-cookies") is False
    page.context.close()
