"""How a page gets its value: the cookie page, which may carry it inside itself or ask
for it late; the AI page served whole; the older page drawn by script; a card asked for
at another address; a switch drawn anew long after an answer optout cannot read.

Whether it asks the settings API, or is served with its value inside, is unconfirmed.
A switch drawn long before a request that comes late is a placeholder, however long it
holds still: never read as the member's setting. A value the page carries inside itself
(a JSON script, as LinkedIn's `<code>` blocks of embedded answers) is a source of its own.
"""

from __future__ import annotations

from typing import Any

import pytest
from all_settings_kit import COOKIES, details_where
from conftest import SETTING, Account, MakeAccount, Optout, signed_in, state_of

from optout.sandbox import PageDetails, Sandbox
from optout.sandbox.details import ASKS_WITHIN_S

pytestmark = pytest.mark.e2e

COOKIE_SETTING = "non-essential-cookies"
KNOWN_KEY = "nonEssentialCookieConsent"  # the pack's key for it


# The page asks for its card 3.5 s or more after it loads, its switch drawn at once,
# unchecked, meanwhile. The member's cookies are on: `off` switches them off, once the
# page has its answer, and never says off before.
def test_a_placeholder_drawn_long_before_a_late_request_is_never_read(
    optout: Optout, sandbox: Sandbox, make_account: MakeAccount
) -> None:
    details = details_where(COOKIES, lambda f: (
        f.card_request and f.details.switch_drawn == "before_answer"
        and 3.5 <= f.details.ask_delay_s <= ASKS_WITHIN_S and f.key(COOKIE_SETTING) == KNOWN_KEY
    ))  # fmt: skip
    account = make_account(details=details, settings={COOKIE_SETTING: True})
    signed_in(optout, sandbox, account)
    ran = optout("off", "--setting", COOKIE_SETTING, "--json")
    assert ran.code == 0, ran.stdout + ran.stderr
    assert state_of(ran, COOKIE_SETTING) == "off"
    assert sandbox.setting(account.email, COOKIE_SETTING) is False
    assert sandbox.stats(account.email)["writes_off"] == 1


# The page is served with its value inside and asks for nothing: read by that value,
# whichever it is.
@pytest.mark.parametrize("truth", [True, False])
def test_a_value_the_page_carries_inside_itself_is_read(
    optout: Optout, sandbox: Sandbox, make_account: MakeAccount, truth: bool
) -> None:
    details = details_where(
        COOKIES, lambda f: not f.card_request and f.key(COOKIE_SETTING) == KNOWN_KEY
    )
    account = make_account(details=details, settings={COOKIE_SETTING: truth})
    signed_in(optout, sandbox, account)
    ran = optout("check", "--setting", COOKIE_SETTING, "--json")
    assert ran.code == (1 if truth else 0), ran.stdout + ran.stderr
    assert state_of(ran, COOKIE_SETTING) == ("on" if truth else "off")
    assert sandbox.setting(account.email, COOKIE_SETTING) is truth
    # Data with no request has no card name: nothing for calibration to note or suggest.
    notes = [p.read_text("utf-8") for p in optout.home.rglob("calibration.json")]
    assert not any("own data" in text for text in notes)


_CARD = (
    '{"settings": [{"key": "nonEssentialCookieConsent", "settingDisplayType": "TOGGLE", '
    '"settingDisplayValues": [{"value": "ON", "selected": true}, {"value": "OFF"}]}]}'
)


# What counts as the page's own data: JSON in a script of type application/json, or in
# a `<code>` block (where LinkedIn's server-drawn pages embed API answers); not text
# that is no JSON, nor JSON that lists no setting.
@pytest.mark.asyncio(loop_scope="module")
async def test_the_data_a_page_carries_is_read_from_json_scripts_and_code_blocks(
    page: Any,
) -> None:
    from optout.linkedin.settings_pages.embedded_data import embedded_answers

    html = (
        f'<script type="application/json">{_CARD}</script>'
        f'<code style="display: none">{_CARD}</code>'
        "<code>settingDisplayValues, but no JSON</code>"
        '<code>{"settingDisplayValues": "not a setting"}</code>'
        f"<script>const notData = {_CARD};</script>"
    )
    await page.set_content(html)
    found = await embedded_answers(page)
    assert len(found) == 2  # the script's and the first code block's
    assert all([e.key for e in entries] == [KNOWN_KEY] for _, entries in found)
    assert all(entries[0].selected == "ON" for _, entries in found)


# The AI page served whole: its switch drawn from data inside the page in no form the
# pack reads, and no settings request. The Data privacy index can confirm it: an `on`
# it shows too is switched off (and proved after the reload); in words no pack lists,
# the page says nothing optout can know, and nothing is clicked, even where the HTML as
# sent already held the switch as it shows (a server may draw a placeholder too).
@pytest.mark.parametrize(
    ("index_words", "switch_served", "said"),
    [("pack", False, "off"), ("unlisted", False, "unknown"), ("unlisted", True, "unknown")],
)
def test_an_ai_page_served_whole_stands_only_where_the_index_agrees(
    optout: Optout, sandbox: Sandbox, make_account: MakeAccount,
    index_words: str, switch_served: bool, said: str,
) -> None:  # fmt: skip
    details = PageDetails(
        served_whole=True, switch_served=switch_served, index_words=index_words,
        label_id="generated",
    )  # fmt: skip
    account = make_account(details=details)
    signed_in(optout, sandbox, account)
    ran = optout("off", "--json")
    assert (state_of(ran), ran.code) == (said, 0 if said == "off" else 4), ran.stdout
    assert sandbox.setting(account.email, SETTING) is (said != "off")
    assert sandbox.stats(account.email)["writes_on"] == 0


# The card named in the query, or decorated after its name: the page's answer all the
# same. Only that answer can confirm the switch here: the index names the value in words
# no pack lists.
@pytest.mark.parametrize(
    ("drawn", "index_words"), [("script", "pack"), ("placeholder", "pack"), ("script", "unlisted")]
)
def test_the_older_page_drawn_by_script_stands_only_where_the_index_agrees(
    optout: Optout, sandbox: Sandbox, make_account: MakeAccount, drawn: str, index_words: str
) -> None:
    # The older page asks for nothing: its switch drawn by script 1.5 s after it loads,
    # or set so from an unchecked placeholder in its HTML as served. The switch then
    # shows on, and only the Data privacy index can confirm it; in words no pack lists,
    # it cannot, and the reading is `unknown`: nothing clicked.
    details = PageDetails(legacy_drawn=drawn, legacy_draw_s=1.5, index_words=index_words)
    account = make_account(variant="psettings", details=details)
    signed_in(optout, sandbox, account)
    if index_words == "pack":
        ran = optout("check", "--json")
        assert (ran.code, state_of(ran)) == (1, "on"), ran.stdout + ran.stderr
    _off_says(optout, sandbox, account, ("off",) if index_words == "pack" else ("unknown",))


@pytest.mark.parametrize("index_words", ["pack", "unlisted"])
def test_a_page_that_asks_later_than_any_hold_is_never_read_by_its_placeholder(
    optout: Optout, sandbox: Sandbox, make_account: MakeAccount, index_words: str
) -> None:
    # The AI page draws its switch unchecked at once and asks for its card 6.5 s later,
    # past optout's longest hold. The member's setting is on: `off` switches it off once
    # the answer has come (where the index, saying on, keeps the reading going), or says
    # `unknown`; where the index's words are no pack's, only `unknown` is right.
    details = PageDetails(switch_drawn="before_answer", ask_delay_s=6.5, index_words=index_words)
    account = make_account(details=details)
    signed_in(optout, sandbox, account)
    allowed = ("off", "unknown") if index_words == "pack" else ("unknown",)
    _off_says(optout, sandbox, account, allowed)


@pytest.mark.parametrize("index_words", ["pack", "unlisted"])
def test_a_placeholder_replaced_long_after_an_unreadable_answer_is_never_read(
    optout: Optout, sandbox: Sandbox, make_account: MakeAccount, index_words: str
) -> None:
    # The answer names the setting by the pack's key, in value words no list has, with no
    # onValue/offValue and no words shown; the page draws an unchecked placeholder first,
    # and the real switch 4 s after the answer, past any hold. The switch alone never
    # stands: the index tells where its words are the pack's, else nothing does.
    details = PageDetails(
        value_words="PERMITTED/FORBIDDEN", declares_values=False, shown_words="absent",
        switch_drawn="before_answer", draw_delay_s=4.0, index_words=index_words,
    )  # fmt: skip
    account = make_account(details=details)
    signed_in(optout, sandbox, account)
    ran = optout("check", "--json")
    said = "on" if index_words == "pack" else "unknown"
    assert (ran.code, state_of(ran)) == (1 if said == "on" else 4, said), ran.stdout + ran.stderr
    _off_says(optout, sandbox, account, ("off",) if index_words == "pack" else ("unknown",))


def _off_says(optout: Optout, sandbox: Sandbox, account: Account, allowed: tuple[str, ...]) -> None:
    """`off` says one of `allowed`: `off` (exit 0, the setting off at the server) or
    `unknown` (exit 4, still on); never a write that turns it on."""
    ran = optout("off", "--json")
    said = state_of(ran)
    assert said in allowed, ran.stdout + ran.stderr
    assert ran.code == (0 if said == "off" else 4), ran.stdout + ran.stderr
    assert sandbox.setting(account.email, SETTING) is (said == "unknown")
    assert sandbox.stats(account.email)["writes_on"] == 0


@pytest.mark.parametrize("address", ["query", "decorated"])
def test_a_card_asked_for_at_any_address_is_the_pages_answer(
    optout: Optout, sandbox: Sandbox, make_account: MakeAccount, address: str
) -> None:
    details = PageDetails(card_address=address, index_words="unlisted", label_id="generated")
    account = make_account(details=details)
    signed_in(optout, sandbox, account)
    ran = optout("off", "--json")
    assert (state_of(ran), ran.code) == ("off", 0), ran.stdout + ran.stderr
    assert sandbox.setting(account.email, SETTING) is False
    assert sandbox.stats(account.email)["writes_on"] == 0
