"""The fault matrix: every page LinkedIn is known to serve, and the ways it fails.

Each test runs optout (real Chromium) against the sandbox and asserts the
sandbox's own truth: never `off` or exit 0 while the setting is on, and never a
write that asked for "on".
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import SETTING, Account, MakeAccount, Optout, signed_in, state_of
from cryptography.fernet import Fernet

from optout.core.private_files import safe_name
from optout.sandbox import Faults, PageDetails, Sandbox
from optout.sandbox.details import INVERTED_KEYS
from optout.storage import credentials

pytestmark = [pytest.mark.e2e, pytest.mark.keyring]


def _never_wrote_on(sandbox: Sandbox, account: Account) -> None:
    assert sandbox.stats(account.email)["writes_on"] == 0


def _read_on_then_switched_off(optout: Optout, sandbox: Sandbox, account: Account) -> None:
    """`check` reads the member's setting on, and `off` switches it off."""
    signed_in(optout, sandbox, account)
    ran = optout("check", "--json")
    assert ran.code == 1, ran.stdout + ran.stderr
    assert state_of(ran) == "on"
    ran = optout("off", "--json")
    assert ran.code == 0, ran.stdout + ran.stderr
    assert sandbox.setting(account.email, SETTING) is False
    _never_wrote_on(sandbox, account)


@pytest.mark.parametrize(
    ("variant", "lang"),
    [
        ("current", "en"),
        ("psettings", "en"),
        ("newer-wording", "en"),
        ("multi-switch", "en"),
        ("current", "fr"),
        ("current", "de"),
        ("current", "es"),
        ("multi-switch", "de"),
        ("neighbour", "fr"),
    ],
)
def test_each_known_page_is_read_and_switched_off(
    optout: Optout, sandbox: Sandbox, make_account: MakeAccount, variant: str, lang: str
) -> None:
    account = make_account(variant=variant, lang=lang)
    signed_in(optout, sandbox, account)

    # Read as on (optout clicks only a switch it has read so), switched off once, and
    # then read as off by a run of its own. `check` reading on: test_e2e_flow.py.
    ran = optout("off", "--json")
    assert ran.code == 0, ran.stderr
    assert ran.json["settings"][0]["changed"] is True
    assert sandbox.setting(account.email, SETTING) is False

    ran = optout("check", "--json")
    assert ran.code == 0, ran.stderr
    assert state_of(ran) == "off"
    _never_wrote_on(sandbox, account)
    assert sandbox.stats(account.email)["writes_off"] == 1


def test_newer_wording_switches_both_ai_settings(
    optout: Optout, sandbox: Sandbox, make_account: MakeAccount
) -> None:
    account = make_account(
        variant="newer-wording", settings={SETTING: True, "ai-creation-tools": True}
    )
    signed_in(optout, sandbox, account)
    both = ("--setting", SETTING, "--setting", "ai-creation-tools")
    ran = optout("off", *both, "--json")
    assert ran.code == 0, ran.stderr
    assert {s["id"]: s["state"] for s in ran.json["settings"]} == {
        SETTING: "off",
        "ai-creation-tools": "off",
    }
    assert sandbox.setting(account.email, SETTING) is False
    assert sandbox.setting(account.email, "ai-creation-tools") is False
    _never_wrote_on(sandbox, account)


@pytest.mark.parametrize(
    ("control", "on_first", "switch_drawn", "label_id", "main_element", "lang"),
    # Three of the combinations; the property rounds (test_property_details.py) draw the rest.
    [
        ("radiogroup", False, "before_answer", "generated", "div_role", "en"),
        ("fieldset", True, "after_answer", "key", "div", "de"),
        ("switch", False, "after_answer", "generated", "main", "fr"),
    ],
)
def test_newer_wording_yes_no_in_any_control_language_or_main_is_read_and_switched_off(
    optout: Optout, sandbox: Sandbox, make_account: MakeAccount, control: str,
    on_first: bool, switch_drawn: str, label_id: str, main_element: str, lang: str,
) -> None:  # fmt: skip
    # Yes/No as two radios (or switches), in either order, drawn before or after the
    # answer (an unselected placeholder), labelled by the key or by a generated id (then
    # known by its label, in the member's language), in a page whose `#main` may be no
    # <main> element.
    details = PageDetails(
        yes_no_control=control, on_first=on_first, switch_drawn=switch_drawn,
        label_id=label_id, value_words="OPTED_IN/OPTED_OUT", declares_values=False,
        main_element=main_element,
    )  # fmt: skip
    truths = {SETTING: True, "ai-creation-tools": False}
    account = make_account(variant="newer-wording", settings=truths, details=details, lang=lang)
    signed_in(optout, sandbox, account)
    both = ("--setting", SETTING, "--setting", "ai-creation-tools")

    ran = optout("check", *both, "--json")
    assert ran.code == 1, ran.stdout + ran.stderr
    assert {s["id"]: s["state"] for s in ran.json["settings"]} == {
        SETTING: "on",
        "ai-creation-tools": "off",
    }

    ran = optout("off", *both, "--json")
    assert ran.code == 0, ran.stdout + ran.stderr
    assert sandbox.setting(account.email, SETTING) is False
    assert sandbox.setting(account.email, "ai-creation-tools") is False
    _never_wrote_on(sandbox, account)
    assert sandbox.stats(account.email)["writes_off"] == 1


@pytest.mark.parametrize(
    ("address", "ai", "creation_tools", "lang"),
    # None: the member lacks it. "redirect": the Yes/No tests above.
    [("gone", True, True, "de"), ("moved", True, False, "en"), ("moved", None, True, "fr")],
)
def test_newer_wording_is_found_wherever_its_page_is(
    optout: Optout, sandbox: Sandbox, make_account: MakeAccount,
    address: str, ai: bool | None, creation_tools: bool, lang: str,
) -> None:  # fmt: skip
    # The newer page's address is unconfirmed: the AI setting's address may answer 404,
    # or redirect to an address the pack does not know; the index then links to it by
    # its name, in the member's language. Never "unavailable" for a setting the member has.
    truths = {"ai-creation-tools": creation_tools} | ({} if ai is None else {SETTING: ai})
    details = PageDetails(newer_address=address)
    account = make_account(variant="newer-wording", settings=truths, details=details, lang=lang)
    signed_in(optout, sandbox, account)
    both = ("--setting", SETTING, "--setting", "ai-creation-tools")
    shown = {True: "on", False: "off", None: "unavailable"}

    ran = optout("check", *both, "--json")
    assert ran.code == 1, ran.stdout + ran.stderr
    said = {s["id"]: s["state"] for s in ran.json["settings"]}
    assert said == {SETTING: shown[ai], "ai-creation-tools": shown[creation_tools]}

    ran = optout("off", *both, "--json")
    assert ran.code == 0, ran.stdout + ran.stderr
    assert sandbox.setting(account.email, "ai-creation-tools") is False
    if ai is not None:
        assert sandbox.setting(account.email, SETTING) is False
    _never_wrote_on(sandbox, account)


@pytest.mark.parametrize("others_first", [False, True])
def test_a_switch_drawn_long_before_the_page_asks_for_its_value_is_not_believed(
    optout: Optout, sandbox: Sandbox, make_account: MakeAccount, others_first: bool
) -> None:
    # The page draws its switch unchecked at once and asks for its card 4 s later: a
    # placeholder that holds still longer than any hold; `others_first`, after another
    # card's answer came, its only toggle off as the placeholder is. The index's words are
    # no pack's, so nothing but the page's own answer tells the state.
    details = PageDetails(
        switch_drawn="before_answer", ask_delay_s=4.0, index_words="unlisted",
        extra_cards=2 if others_first else 0, others_first=others_first,
        others_flipped=others_first,
    )  # fmt: skip
    _read_on_then_switched_off(optout, sandbox, make_account(details=details))


@pytest.mark.parametrize("sense", ["switch", "key"])
def test_a_key_that_says_no_with_declared_values_is_never_read_as_off_while_on(
    optout: Optout, sandbox: Sandbox, make_account: MakeAccount, sense: str
) -> None:
    # The answer lists the setting under a key that says no (`...OptedOut`), with onValue
    # and offValue in the switch's sense or in the key's own, and shows no words; the page
    # draws an unchecked placeholder first and sets the switch half a second after the
    # answer. Read in the key's sense, the member's value ("false": not opted out) would
    # say off, as the placeholder does.
    details = PageDetails(
        answer_key=INVERTED_KEYS[1], value_words="true/false", declares_values=True,
        declared_sense=sense, shown_words="absent", switch_drawn="before_answer",
        draw_delay_s=0.5,
    )  # fmt: skip
    _read_on_then_switched_off(optout, sandbox, make_account(details=details))


def test_slow_render_waits_for_the_switch(
    optout: Optout, sandbox: Sandbox, make_account: MakeAccount
) -> None:
    account = make_account(faults=Faults(render_delay_s=3))
    signed_in(optout, sandbox, account)
    ran = optout("off", "--json")
    assert ran.code == 0, ran.stderr
    assert sandbox.setting(account.email, SETTING) is False


@pytest.mark.parametrize("truth", [True, False])
def test_hydration_placeholder_is_never_taken_for_thestate_of(
    optout: Optout, sandbox: Sandbox, make_account: MakeAccount, truth: bool
) -> None:
    # The page first draws the switch unchecked, and sets the real state 2 s later.
    account = make_account(settings={SETTING: truth}, faults=Faults(hydration_delay_s=2))
    signed_in(optout, sandbox, account)
    ran = optout("check", "--json")
    assert state_of(ran) == ("on" if truth else "off")
    assert ran.code == (1 if truth else 0)
    assert sandbox.setting(account.email, SETTING) is truth


# A page that draws the switch's state at once but whose script takes clicks only later
# (a late hydration), drawing the state it knows again then. 2.5 s: the first click is
# lost, no save is made, and optout clicks again once the page has drawn the switch on
# again, on the same load; one reload reads it back. 10 s: three clicks, each lost, on
# three loads (the first waited 3 s for the page to draw the switch again by itself,
# the others 2.5 s and 5 s after a reload); a fourth load reads it back, still on.
# A page that POSTs its own events all the while (`beacons`) is no different: those
# writes are not a save.
@pytest.mark.parametrize(
    ("listens_after_s", "beacons", "code", "state", "writes_off", "loads"),
    [(2.5, False, 0, "off", 1, 2), (2.5, True, 0, "off", 1, 2), (10, False, 1, "on", 0, 4)],
)
def test_a_click_the_page_takes_no_notice_of_is_made_again_or_honestly_fails(
    optout: Optout, sandbox: Sandbox, make_account: MakeAccount, listens_after_s: float,
    beacons: bool, code: int, state: str, writes_off: int, loads: int,
) -> None:  # fmt: skip
    account = make_account(details=PageDetails(listens_after_s=listens_after_s, beacons=beacons))
    signed_in(optout, sandbox, account)
    ran = optout("off", "--json")
    assert ran.code == code, ran.stdout + ran.stderr
    assert (state_of(ran), ran.json["settings"][0]["changed"]) == (state, state == "off")
    assert sandbox.setting(account.email, SETTING) is (state == "on")
    stats = sandbox.stats(account.email)
    assert (stats["writes_off"], stats["settings_page_views"]) == (writes_off, loads)
    _never_wrote_on(sandbox, account)


# Value words optout cannot read, and a Data privacy index that still shows the value
# from before the change for a minute: the first reading stands on the index, and the
# word the answer held then ("on") says that the different word after the click is
# "off" (learned_words.py). With `check` alone, or an index that lags with words optout
# reads, the index is not needed after the click.
@pytest.mark.parametrize("lag_s", [0.0, 60.0])
def test_a_change_is_read_back_though_the_index_lags_behind_it(
    optout: Optout, sandbox: Sandbox, make_account: MakeAccount, lag_s: float
) -> None:
    unread = PageDetails(
        value_words="NOT_OPTED_OUT/OPTED_OUT", declares_values=False, shown_words="absent"
    )
    account = make_account(details=replace(unread, index_lag_s=lag_s))
    signed_in(optout, sandbox, account)
    ran = optout("off", "--json")
    assert ran.code == 0, ran.stdout + ran.stderr
    assert (state_of(ran), ran.json["settings"][0]["changed"]) == ("off", True)
    assert sandbox.setting(account.email, SETTING) is False
    assert sandbox.stats(account.email)["writes_off"] == 1
    _never_wrote_on(sandbox, account)


# Loads of the setting's page: the first, then after each of two clicks the read-backs.
# A save LinkedIn refused is read back once; one it answered OK and lost, up to three
# times, as a change may take a moment to show.
@pytest.mark.parametrize(("fault", "loads"), [("save_fails", 1 + 1 + 1), ("save_lost", 1 + 3 + 3)])
def test_a_save_that_did_not_stick_is_reported_as_failure(
    optout: Optout, sandbox: Sandbox, make_account: MakeAccount, fault: str, loads: int
) -> None:
    account = make_account(faults=Faults(**{fault: True}))
    signed_in(optout, sandbox, account)
    ran = optout("off", "--json")
    assert ran.code == 1, ran.stderr
    assert state_of(ran) == "on"
    assert ran.json["settings"][0]["changed"] is False
    assert sandbox.setting(account.email, SETTING) is True
    assert sandbox.stats(account.email)["writes_off"] == 2
    assert sandbox.stats(account.email)["settings_page_views"] == loads
    _never_wrote_on(sandbox, account)


def test_a_save_refused_once_is_tried_again_and_proven_off(
    optout: Optout, sandbox: Sandbox, make_account: MakeAccount
) -> None:
    account = make_account(faults=Faults(save_fails_once=True))
    signed_in(optout, sandbox, account)
    ran = optout("off", "--json")
    assert ran.code == 0, ran.stderr
    assert (state_of(ran), ran.json["settings"][0]["changed"]) == ("off", True)
    assert sandbox.setting(account.email, SETTING) is False
    assert sandbox.stats(account.email)["writes_off"] == 2
    _never_wrote_on(sandbox, account)


def test_session_expiring_between_reading_and_clicking(
    optout: Optout, sandbox: Sandbox, make_account: MakeAccount
) -> None:
    account = make_account(faults=Faults(expire_before_save=True))
    signed_in(optout, sandbox, account)
    ran = optout("off", "--json")
    assert ran.code == 0, ran.stderr
    assert sandbox.setting(account.email, SETTING) is False
    assert sandbox.stats(account.email)["logins"] == 2
    _never_wrote_on(sandbox, account)


@pytest.mark.parametrize("status", [999, 429, 500])
def test_refused_or_failing_settings_page_is_exit_5(
    optout: Optout, sandbox: Sandbox, make_account: MakeAccount, status: int
) -> None:
    account = make_account(faults=Faults(page_status=status))
    signed_in(optout, sandbox, account)
    ran = optout("off", "--json")
    assert ran.code == 5, ran.stderr
    assert ran.json["error"]["kind"] == "site_unavailable"
    assert str(status) in ran.json["error"]["message"]
    assert sandbox.setting(account.email, SETTING) is True


@pytest.mark.parametrize("fault", ["page_hangs", "api_hangs"])
def test_a_request_that_hangs_is_exit_5(
    optout: Optout, sandbox: Sandbox, make_account: MakeAccount, fault: str
) -> None:
    account = make_account(faults=Faults(**{fault: True}))
    # The details drawn for the email, but a page that asks for its card at once: one
    # that asks seconds late (one detail drawn) and draws its switch only from the
    # answer has shown nothing and asked nothing by the short timeout's search for it.
    drawn = sandbox.details(account.email)
    sandbox.set_details(account.email, replace(drawn, ask_delay_s=0.0))
    signed_in(optout, sandbox, account)
    ran = optout("off", "--json", OPTOUT_TIMEOUT="5")
    assert ran.code == 5, ran.stdout
    assert ran.json["error"]["kind"] == "site_unavailable"
    assert sandbox.setting(account.email, SETTING) is True


def test_redesigned_page_is_layout_changed_with_clean_evidence(
    optout: Optout, sandbox: Sandbox, make_account: MakeAccount
) -> None:
    # The plain details: a page that waits seconds before it asks for its card (one
    # detail drawn) may not have drawn anything by the short timeout, and this test is
    # about what the evidence keeps of a page that was drawn.
    account = make_account(variant="redesigned", details=PageDetails())
    signed_in(optout, sandbox, account)
    ran = optout("off", "--json", OPTOUT_TIMEOUT="6")
    assert ran.code == 4, ran.stderr
    assert ran.json["error"]["kind"] == "layout_changed"
    assert sandbox.setting(account.email, SETTING) is True
    assert sandbox.stats(account.email)["setting_writes"] == 0

    message = ran.json["error"]["message"]
    assert "optout selectors path" in message
    # One folder per account, one folder per capture inside it.
    [account_dir] = [p for p in (optout.home / "state" / "debug").iterdir() if p.is_dir()]
    assert account_dir.name == safe_name(account.email)
    [folder] = [p for p in account_dir.iterdir() if p.is_dir()]
    assert re.fullmatch(rf"\d{{8}}T\d{{6}}\.\d{{6}}Z-{SETTING}-[0-9a-f]{{8}}", folder.name)
    assert str(folder) in message
    for private in (account_dir, folder):
        assert oct(private.stat().st_mode & 0o777) == "0o700"
    html = (folder / "page.html").read_text()
    assert "Generative AI data use" in html  # what the page showed is kept
    assert (folder / "page.png").read_bytes().startswith(b"\x89PNG")
    for path in folder.iterdir():
        assert oct(path.stat().st_mode & 0o777) == "0o600"
    _assert_no_secret_in(folder, optout, account)


def _assert_no_secret_in(folder: Path, optout: Optout, account: Account) -> None:
    """No cookie value, CSRF token or password in anything saved for debugging."""
    [session] = list(optout.home.rglob("*.session"))
    key = credentials.get_session_key(account.email, origin=optout.base_url)
    assert key is not None
    state = json.loads(Fernet(key.encode()).decrypt(session.read_bytes()))
    values = [c["value"].strip('"') for c in state["cookies"] if len(c["value"]) >= 6]
    assert values
    for path in folder.iterdir():
        data = path.read_bytes()
        assert account.password.encode() not in data
        for value in values:
            assert value.encode() not in data, (path.name, value[:8])
