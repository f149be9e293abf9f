"""The sandbox's page details in Chromium: the switch drawn before or after the card
answer, replaced while hydrating, and saved with the account's own key and words."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from details_kit import CARDS, PACK_KEY, PAGE, PASSWORD, SETTING, Client, ai_entry, new_member
from sandbox_client import plain_chromium, signed_in_page

from optout.sandbox import PageDetails, Sandbox
from optout.sandbox.details import (
    AI_ARIA_KEY,
    INVERTED_KEYS,
    LATE_DRAW_S,
    LEGACY_DRAW_S,
    LEGACY_DRAWINGS,
    MAX_ASK_DELAY_S,
    SWITCH_DRAWN,
)
from optout.sandbox.i18n import words
from optout.sandbox.prefs import LEGACY_PAGE

# Drawn details may have the page ask for its card up to 7.5 s after it loads and draw the
# switch a moment after the answer: the switch's first showing is waited for that long,
# and longer on a busy machine (the suite's other workers share its CPUs).
FIRST_SHOWN_MS = int((MAX_ASK_DELAY_S + LATE_DRAW_S[1]) * 1000) + 10_000


@pytest.fixture(scope="module")
def box() -> Iterator[Sandbox]:
    # A plain Playwright browser shows automation; the bot guard is tested in test_fingerprint.py.
    with Sandbox(bot_guard=False) as server:
        server.hang_limit_s = 5  # card requests held by api_hangs let go soon
        yield server


# --- in the browser ----------------------------------------------------------------

# Records every switch the page ever draws, so a test sees nodes that were replaced, and
# the switches (checked or not) the page holds once its HTML is parsed, before any timer.
_WATCH_SWITCHES = """
window.__switches = [];
document.addEventListener("DOMContentLoaded", () => {
  window.__parsed = [...document.querySelectorAll("input[role=switch]")].map((s) => s.checked);
});
new MutationObserver((records) => {
  for (const r of records) for (const n of r.addedNodes) {
    if (!(n instanceof Element)) continue;
    for (const s of [n, ...n.querySelectorAll("input[role=switch]")]) {
      const fresh = !window.__switches.includes(s);
      if (fresh && s.matches("input[role=switch]")) window.__switches.push(s);
    }
  }
}).observe(document, { childList: true, subtree: true });
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from plain_chromium()


def _open(browser: Any, box: Sandbox, client: Client) -> Any:
    page = signed_in_page(browser, box.base_url, client)
    page.add_init_script(_WATCH_SWITCHES)
    return page


def _past_any_replacement(page: Any) -> None:
    """Wait, by the page's own clock, past the replacement of a switch shown with its state.

    The page swaps such a switch 300 ms after it sets its state; a timer the page starts
    after that fires after the swap however busy the machine is, where a wait counted
    outside the page may not."""
    page.evaluate("new Promise((done) => setTimeout(done, 600))")


def _ai_switch(page: Any, lang: str = "en") -> Any:
    """The AI switch, found as a person's tools would: by its label's text."""
    label = page.locator("p", has_text=words(lang).label)
    label.wait_for()
    return page.locator(f"input[role=switch][aria-labelledby='{label.get_attribute('id')}']")


BROWSER_CASES = {
    "key-before-replaced-true": PageDetails(
        card="allowDataForGenerativeAI", answer_key=PACK_KEY, value_words="true/false",
        declares_values=False, label_id="key", switch_drawn="before_answer",
        replaced_on_hydration=True, on_first=False,
    ),
    "ember-after-replaced-yes": PageDetails(
        card="generativeAiImprovement", answer_key="dataForGenAiImprovement",
        value_words="YES/NO", label_id="generated", replaced_on_hydration=True,
        extra_cards=2, answer_extras=2, draw_delay_s=0.4,
    ),
    "key-after-enabled": PageDetails(value_words="ENABLED/DISABLED", extra_cards=1),
    # A key that says no, its onValue in the key's own sense (the value that makes it true).
    "opted-out-key-sense": PageDetails(
        answer_key=INVERTED_KEYS[1], value_words="true/false", declares_values=True,
        declared_sense="key",
    ),
}  # fmt: skip


@pytest.mark.e2e
@pytest.mark.parametrize("name", BROWSER_CASES)
def test_browser_page_draws_and_saves_as_the_details_say(
    box: Sandbox, browser: Any, name: str
) -> None:
    from playwright.sync_api import expect

    details = BROWSER_CASES[name]
    email, client = new_member(box, details)
    page = _open(browser, box, client)
    cards: list[str] = []
    page.on("request", lambda r: cards.append(r.url) if CARDS in r.url else None)
    puts: list[Any] = []
    page.on("request", lambda r: puts.append(r.post_data_json) if r.method == "PUT" else None)
    page.goto(box.base_url + PAGE)
    switch = _ai_switch(page)
    expect(switch).to_be_checked()
    _past_any_replacement(page)
    label_id = switch.get_attribute("aria-labelledby")
    if details.label_id == "key":
        assert label_id == AI_ARIA_KEY
    else:
        assert re.fullmatch(r"ember\d+", label_id or "")
    # The label is a <p> three parents above the input.
    above = switch.evaluate("n => n.parentElement.parentElement.parentElement.firstChild.tagName")
    assert above == "P"
    drawn = page.evaluate("window.__switches.map((s) => s.isConnected)")
    assert drawn == ([False, True] if details.replaced_on_hydration else [True])
    assert len(cards) == 1 + details.extra_cards
    assert sum(url.endswith(CARDS + details.card) for url in cards) == 1

    switch.click()
    expect(page.locator(".artdeco-toast-item__message")).to_have_text(words("en").saved)
    assert not switch.is_checked()
    assert puts[0]["value"] == details.word(False, details.answer_key)
    assert puts[0]["key"] == details.answer_key
    assert puts[0]["settingDisplayType"] == "TOGGLE"
    assert puts[0]["hasChild"] is False
    assert re.fullmatch(r"urn:li:settingEntity:\d+", puts[0]["entityUrn"])
    assert box.setting(email, SETTING) is False
    assert (box.stats(email)["writes_off"], box.stats(email)["writes_on"]) == (1, 0)
    page.context.close()


@pytest.mark.e2e
@pytest.mark.parametrize("drawn", SWITCH_DRAWN)
def test_browser_switch_comes_before_or_after_the_answer(
    box: Sandbox, browser: Any, drawn: str
) -> None:
    from optout.sandbox import Faults

    details = PageDetails(switch_drawn=drawn)
    _, client = new_member(box, details, faults=Faults(api_hangs=True))  # the answer never comes
    page = _open(browser, box, client)
    page.goto(box.base_url + PAGE)
    page.wait_for_timeout(800)
    switches = page.locator("input[role=switch]")
    if drawn == "before_answer":
        assert switches.count() == 1
        assert not switches.is_checked()  # the state is not known yet
    else:
        assert switches.count() == 0
    page.context.close()


@pytest.mark.e2e
@pytest.mark.parametrize("drawn", SWITCH_DRAWN)
def test_browser_member_without_the_setting_sees_not_available(
    box: Sandbox, browser: Any, drawn: str
) -> None:
    from playwright.sync_api import expect

    details = PageDetails(switch_drawn=drawn, answer_extras=2, extra_cards=2)
    _, client = new_member(box, details, settings={"social-economic-research": True}, lang="de")
    page = _open(browser, box, client)
    page.goto(box.base_url + PAGE)
    expect(page.get_by_text(words("de").unavailable)).to_be_visible()
    page.wait_for_timeout(300)
    assert page.evaluate("window.__switches.length") == 0
    page.context.close()


@pytest.mark.e2e
@pytest.mark.parametrize(
    "variant", ["current", "multi-switch", "newer-wording", "redesigned", "psettings"]
)
def test_browser_variants_work_under_drawn_details(
    box: Sandbox, browser: Any, variant: str
) -> None:
    from playwright.sync_api import expect

    for seed in (1, 2):
        email = f"variant-{secrets.token_hex(3)}@example.com"
        # This test clicks as soon as the switch shows: a page taking clicks late loses
        # such a click (test_e2e_variants: a click the page takes no notice of).
        details = replace(PageDetails.drawn(email, seed), listens_after_s=0.0)
        if variant == "newer-wording":
            # Its Yes/No as radios: test_browser_yes_no_as_radios; its page where the AI
            # setting's address does not lead: test_newer_page_is_linked_by_its_name.
            details = replace(details, yes_no_control="switch", newer_address="redirect")
            box.add_account(email, PASSWORD, variant=variant, details=details,
                            settings={SETTING: True, "ai-creation-tools": True})  # fmt: skip
        else:
            box.add_account(email, PASSWORD, variant=variant, details=details)
        client = Client(box.base_url)
        client.sign_in(email)
        page = _open(browser, box, client)
        page.goto(box.base_url + PAGE)
        if variant == "redesigned":
            switch = page.locator("[role=switch][aria-checked]")
            expect(switch).to_have_attribute("aria-checked", "true", timeout=FIRST_SHOWN_MS)
        elif variant == "newer-wording":
            label = page.locator("p", has_text="Use your data to train and develop AI models")
            label.wait_for(timeout=FIRST_SHOWN_MS)
            switch = page.locator(f"[aria-labelledby='{label.get_attribute('id')}']")
            expect(switch).to_be_checked(timeout=FIRST_SHOWN_MS)
        elif variant == "psettings":
            switch = page.locator("input.a11y-text[role=switch]")
            expect(switch).to_be_checked(timeout=FIRST_SHOWN_MS)
        else:
            switch = _ai_switch(page)
            expect(switch).to_be_checked(timeout=FIRST_SHOWN_MS)
        _past_any_replacement(page)
        if variant == "psettings":
            switch.evaluate("n => n.click()")  # visually hidden under its styled label
        else:
            switch.click()
        if variant == "redesigned":
            expect(switch).to_have_attribute("aria-checked", "false")
        else:
            expect(switch).not_to_be_checked()
        # The save is done once the switch takes clicks again.
        page.wait_for_function("() => !document.querySelector('input[role=switch]:disabled')")
        page.wait_for_timeout(200)
        page.context.close()
        assert box.setting(email, SETTING) is False, (variant, details)
        assert box.stats(email)["writes_on"] == 0


# Whether the older page's HTML as served holds its switch, and checked or not.
_SERVED_SWITCH_JS = """(html) => {
  const inputs = new DOMParser().parseFromString(html, "text/html")
    .querySelectorAll("input[role=switch]");
  return inputs.length ? inputs[0].hasAttribute("checked") : null;
}"""


@pytest.mark.e2e
@pytest.mark.parametrize("drawn", LEGACY_DRAWINGS)
def test_browser_older_page_is_drawn_by_its_server_or_by_script(
    box: Sandbox, browser: Any, drawn: str
) -> None:
    from playwright.sync_api import expect

    details = PageDetails(legacy_drawn=drawn, legacy_draw_s=LEGACY_DRAW_S[1])
    email, client = new_member(box, details, variant="psettings")
    page = _open(browser, box, client)
    response = page.goto(box.base_url + LEGACY_PAGE)
    assert response is not None
    served = page.evaluate(_SERVED_SWITCH_JS, response.text())
    # The member's switch is on: so the server draws it; a script's page holds none, or
    # an unchecked placeholder, and shows it on only a moment later.
    assert served == {"server": True, "script": None, "placeholder": False}[drawn]
    parsed = page.evaluate("window.__parsed")
    assert parsed == {"server": [True], "script": [], "placeholder": [False]}[drawn]
    switch = page.locator("input.a11y-text[role=switch]")
    expect(switch).to_be_checked()
    expect(page.locator("._legacyText_91b2")).to_have_text("On")
    switch.evaluate("n => n.click()")  # visually hidden under its styled label
    page.wait_for_function("() => !document.querySelector('input[role=switch]:disabled')")
    assert box.setting(email, SETTING) is False
    with pytest.raises(ValueError, match="legacy_drawn"):
        PageDetails(legacy_drawn="neither")
    page.context.close()


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("control", "on_first", "drawn"),
    [("radiogroup", True, "after_answer"), ("fieldset", False, "before_answer")],
)
def test_browser_yes_no_as_radios(
    box: Sandbox, browser: Any, control: str, on_first: bool, drawn: str
) -> None:
    from playwright.sync_api import expect

    details = PageDetails(
        yes_no_control=control, on_first=on_first, switch_drawn=drawn, value_words="true/false"
    )
    email, client = new_member(
        box, details, variant="newer-wording", settings={SETTING: True, "ai-creation-tools": True}
    )
    page = _open(browser, box, client)
    puts: list[Any] = []
    page.on("request", lambda r: puts.append(r.post_data_json) if r.method == "PUT" else None)
    page.goto(box.base_url + PAGE)
    # A radiogroup labelled by the label's id, or a fieldset (role "group") by its legend.
    role = "radiogroup" if control == "radiogroup" else "group"
    group = page.get_by_role(role, name="Use your data to train and develop AI models")
    expect(group.get_by_role("radio", name="Yes")).to_be_checked()
    _past_any_replacement(page)
    shown = group.get_by_role("radio").evaluate_all("rs => rs.map((r) => r.labels[0].textContent)")
    assert shown == (["Yes", "No"] if on_first else ["No", "Yes"])
    values = group.get_by_role("radio").evaluate_all("rs => rs.map((r) => r.value)")
    assert values == (["true", "false"] if on_first else ["false", "true"])
    assert page.locator("input[role=switch]").count() == 0

    group.get_by_role("radio", name="No").check()
    expect(page.locator(".artdeco-toast-item__message")).to_have_text(words("en").saved)
    assert puts[0]["value"] == "false"
    assert box.setting(email, SETTING) is False
    assert box.setting(email, "ai-creation-tools") is True
    assert (box.stats(email)["writes_off"], box.stats(email)["writes_on"]) == (1, 0)
    page.context.close()


@pytest.mark.e2e
def test_browser_yes_no_radios_drawn_before_the_answer_select_neither(
    box: Sandbox, browser: Any
) -> None:
    from optout.sandbox import Faults

    details = PageDetails(yes_no_control="radiogroup", switch_drawn="before_answer")
    _, client = new_member(
        box, details, variant="newer-wording", settings={SETTING: True},
        faults=Faults(api_hangs=True),  # the answer never comes
    )  # fmt: skip
    page = _open(browser, box, client)
    page.goto(box.base_url + PAGE)
    page.wait_for_timeout(800)
    radios = page.get_by_role("radio")
    assert radios.count() == 2  # the AI setting's Yes and No; the member lacks the other
    assert radios.evaluate_all("rs => rs.filter((r) => r.checked).length") == 0
    page.context.close()


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("honours", "asked", "still"),
    [(True, True, True), (True, False, False), (False, True, False)],
)
def test_browser_skeleton_stops_its_shimmer_only_where_the_page_honours_reduced_motion(
    box: Sandbox, browser: Any, honours: bool, asked: bool, still: bool
) -> None:
    # The page asks for its card 10 s after it loads: its loading skeleton stays that long.
    details = PageDetails(honours_reduced_motion=honours, ask_delay_s=10.0)
    _, client = new_member(box, details)
    motion = "reduce" if asked else "no-preference"
    page = signed_in_page(browser, box.base_url, client, reduced_motion=motion)
    page.goto(box.base_url + PAGE)
    skeleton = page.locator("[aria-busy=true]")
    running = skeleton.evaluate("s => s.getAnimations({ subtree: true }).length")
    assert running == (0 if still else 3)  # one shimmer a bar
    page.context.close()


@pytest.mark.e2e
@pytest.mark.parametrize("path", ["/feed/", PAGE])
def test_browser_signed_in_pages_keep_voyager_keys_in_local_storage(
    box: Sandbox, browser: Any, path: str
) -> None:
    _, client = new_member(box, PageDetails(), settings={SETTING: True})
    page = signed_in_page(browser, box.base_url, client)
    page.goto(box.base_url + path)
    keys = page.evaluate("Object.keys(localStorage)")
    assert keys
    assert all(key.startswith("voyager") for key in keys)
    page.context.close()


@pytest.mark.parametrize(
    ("sense", "declared"), [("switch", ("false", "true")), ("key", ("true", "false"))]
)
def test_a_key_that_says_no_declares_its_values_in_either_sense(
    box: Sandbox, sense: str, declared: tuple[str, str]
) -> None:
    # The member's switch is on: the key (opted out) is false, whichever sense onValue is in.
    key = INVERTED_KEYS[1]
    details = PageDetails(
        answer_key=key, value_words="true/false", declares_values=True, declared_sense=sense
    )
    _, client = new_member(box, details, lang="en")
    status, answer = client.call("GET", CARDS + details.card)
    assert status == 200
    entry = ai_entry(answer, key)
    assert (entry["onValue"], entry["offValue"]) == declared
    assert [v["value"] for v in entry["settingDisplayValues"] if v["selected"]] == ["false"]
    with pytest.raises(ValueError, match="declared_sense"):
        PageDetails(declared_sense="neither")
