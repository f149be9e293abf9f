"""The sandbox on its own: its setting pages and API, its truth, its admin API; one
browser test."""

from __future__ import annotations

import random
import re
import secrets
import shutil
from dataclasses import replace

import pytest
from sandbox_http import CHROMIUM, Client

from optout.sandbox import PageDetails, Sandbox, SandboxAccount
from optout.sandbox.details import INVERTED_KEY, VALUE_WORDS
from optout.sandbox.i18n import index_words

SETTING = "generative-ai-improvement"
PAGE = "/mypreferences/d/settings/data-for-ai-improvement"
# Any card and key: without a session the API answers 401 before looking at them.
CARD = "/mysettings-api/settingsApiSettingCards/dataForGenerativeAiImprovement"
PUT = "/mysettings-api/settingsApiSettings/allowDataForGenerativeAi"
CARDS = "/mysettings-api/settingsApiSettingCards/"
PUTS = "/mysettings-api/settingsApiSettings/"


def _says_no() -> PageDetails:
    """Drawn details whose AI setting is listed under a key that says no, so its words
    are swapped: a test that used the page's plain words would fail here every time."""
    rng = random.Random("says-no")
    drawn = next(
        d for d in iter(lambda: PageDetails.random(rng), None) if d.value_words in VALUE_WORDS
    )
    return replace(drawn, answer_key=INVERTED_KEY)


@pytest.fixture(params=["drawn", "key-says-no"])
def email(box: Sandbox, request: pytest.FixtureRequest) -> str:
    made = f"jane.doe.{secrets.token_hex(3)}@example.com"
    details = _says_no() if request.param == "key-says-no" else None  # else drawn from the email
    box.add_account(made, "correct horse", details=details)
    return made


@pytest.fixture
def member(client: Client, email: str) -> Client:
    assert client.sign_in(email, "correct horse").status == 302
    return client


def test_pages_and_api_without_a_session(client: Client) -> None:
    reply = client.get(PAGE)
    assert reply.status == 302
    assert reply.location == (
        "/login?session_redirect=%2Fmypreferences%2Fd%2Fsettings%2Fdata-for-ai-improvement"
    )
    assert client.get("/feed/").location == "/login?session_redirect=%2Ffeed%2F"
    assert client.get("/mypreferences/d/").location == (
        "/login?session_redirect=%2Fmypreferences%2Fd%2F"
    )
    card = client.get(CARD)
    assert card.status == 401
    assert card.json()["status"] == 401
    assert client.send_json("PUT", PUT, {"value": "false"}).status == 401
    assert client.get("/").location == "/login"


def test_settings_index_shows_the_server_side_value(
    box: Sandbox, member: Client, email: str
) -> None:
    assert member.get("/mypreferences/d/").location == "/mypreferences/d/categories/account"
    page = member.get("/mypreferences/d/categories/privacy").text
    row = re.search(rf'<a class="[^"]*" href="{PAGE}">(.*?)</a>', page, re.S)
    assert row is not None
    # In the pack's words or in words no pack lists, as the member's details draw them.
    said = index_words("en", box.details(email).index_words)
    assert said.title in row.group(1)
    assert _row_value(row.group(1), box.details(email).index_values) == said.on
    assert "data-setting-value" not in page
    box.set_setting(email, SETTING, False)
    page = member.get("/mypreferences/d/categories/privacy").text
    row = re.search(rf'<a class="[^"]*" href="{PAGE}">(.*?)</a>', page, re.S)
    assert row is not None
    assert _row_value(row.group(1), box.details(email).index_values) == said.off
    assert member.get("/mypreferences/d/categories/nope").status == 404


def _row_value(row: str, index_values: str) -> str:
    """The value an index row shows: as served, or as its script draws it later."""
    shown = re.search(r'<span class="_rowValue_c47d02"(?: data-value="(\w+)")?>(\w*)</span>', row)
    assert shown is not None
    later, served = shown.groups()
    assert (later is None) == (index_values == "in_page")
    if index_values == "placeholder":
        assert served not in ("", later)  # the other value, until the script runs
    return str(later or served)


def test_setting_page_is_a_shell_and_counts_views(box: Sandbox, member: Client, email: str) -> None:
    reply = member.get(PAGE)
    assert reply.status == 200
    assert reply.headers["Cache-Control"] == "no-store"
    # The content's element is drawn too (details.MAIN_ELEMENTS); its id never varies.
    main = {"main": "<main", "div_role": '<div id="main" role="main"', "div": '<div id="main"'}
    assert main[box.details(email).main_element] in reply.text
    assert 'id="main"' in reply.text
    assert 'role="switch"' not in reply.text  # the switch is drawn by the page's script
    assert box.stats(email)["settings_page_views"] == 1


def test_settings_card_reflects_set_setting(box: Sandbox, member: Client, email: str) -> None:
    details = box.details(email)  # drawn from the email: card, key and words vary

    def selected() -> str:
        reply = member.get(CARDS + details.card)
        assert reply.status == 200
        assert reply.headers["Cache-Control"] == "no-store"
        setting = next(s for s in reply.json()["settings"] if s["key"] == details.answer_key)
        return str(next(v["value"] for v in setting["settingDisplayValues"] if v["selected"]))

    on, off = details.words_of(details.answer_key)  # swapped under a key that says no
    assert selected() == on
    box.set_setting(email, SETTING, False)
    assert selected() == off
    assert box.stats(email)["setting_writes"] == 0


def test_put_without_the_right_csrf_token_is_refused(
    box: Sandbox, member: Client, email: str
) -> None:
    restli = {"X-RestLi-Protocol-Version": "2.0.0"}
    details = box.details(email)
    put, off = PUTS + details.answer_key, {"value": details.word(False, details.answer_key)}
    assert member.send_json("PUT", put, off, **restli).status == 403
    wrong = {"csrf-token": "ajax:0000000000000000000", **restli}
    assert member.send_json("PUT", put, off, **wrong).status == 403
    assert box.setting(email, SETTING) is True
    assert box.stats(email)["setting_writes"] == 0


def test_put_with_the_csrf_token_changes_truth_and_counts(
    box: Sandbox, member: Client, email: str
) -> None:
    headers = {"csrf-token": member.csrf_token(), "X-RestLi-Protocol-Version": "2.0.0"}
    details = box.details(email)
    put = PUTS + details.answer_key
    off = {"value": details.word(False, details.answer_key)}
    reply = member.send_json("PUT", put, off, **headers)
    assert reply.status == 200
    assert reply.json() == off
    assert box.setting(email, SETTING) is False
    assert box.stats(email)["setting_writes"] == 1
    assert member.send_json("PUT", put, {"value": "maybe"}, **headers).status == 400
    assert box.stats(email)["setting_writes"] == 1


def test_expired_sessions_are_like_no_session(box: Sandbox, member: Client, email: str) -> None:
    assert member.get("/feed/").status == 200
    box.expire_sessions(email)
    reply = member.get("/feed/")
    assert reply.status == 302
    assert reply.location == "/login?session_redirect=%2Ffeed%2F"
    assert member.get("/login").status == 200
    assert member.get(CARD).status == 401


def test_admin_endpoints_round_trip(box: Sandbox, client: Client) -> None:
    new = {"email": "Admin.Made@Example.com", "password": "pw", "settings": {SETTING: True}}
    created = client.send_json("POST", "/__sandbox/accounts", new)
    assert created.status == 201
    assert client.send_json("POST", "/__sandbox/accounts", new).status == 409

    shown = client.get("/__sandbox/accounts/admin.made%40example.com")
    assert shown.status == 200
    data = shown.json()
    assert data["email"] == "admin.made@example.com"
    assert data["settings"] == {SETTING: True}
    assert data["stats"]["logins"] == 0
    assert "password" not in shown.text

    path = f"/__sandbox/accounts/admin.made@example.com/settings/{SETTING}"
    assert client.send_json("PUT", path, {"value": False}).status == 200
    assert box.setting("ADMIN.MADE@example.com", SETTING) is False

    member = Client(box.base_url)
    assert member.sign_in("admin.made@example.com", "pw").status == 302
    expired = client.request("POST", "/__sandbox/accounts/admin.made@example.com/expire")
    assert expired.status == 200
    assert member.get("/feed/").status == 302

    missing = client.get("/__sandbox/accounts/nobody@example.com")
    assert missing.status == 404
    assert "error" in missing.json()
    unknown = f"/__sandbox/accounts/x@y.z/settings/{SETTING}"
    assert client.send_json("PUT", unknown, {"value": True}).status == 404
    assert client.request("POST", "/__sandbox/accounts/nobody@example.com/expire").status == 404


def test_python_api_unknown_account_and_snapshot(box: Sandbox, email: str) -> None:
    with pytest.raises(KeyError):
        box.setting("nobody@example.com", SETTING)
    with pytest.raises(KeyError):
        box.stats("nobody@example.com")
    with pytest.raises(ValueError, match="unknown setting"):
        box.add_account("typo@example.com", "pw", settings={"generative-ai": False})
    account = box.account(email.upper())
    assert isinstance(account, SandboxAccount)
    # A new member's defaults: the AI setting and every related data use, all on; the AI
    # creation tools only on the newer wording.
    related = (
        "social-economic-research", "linkedin-marketing", "marketing-emails",
        "ads-data-sharing-affiliates", "ads-by-age", "ads-by-gender", "ads-outside-linkedin",
        "ads-from-business-data", "ads-conversion-tracking", "ads-by-location",
        "ads-by-interests", "non-essential-cookies",
    )  # fmt: skip
    assert account.settings == {SETTING: True, **dict.fromkeys(related, True)}


def test_unknown_paths_and_methods(client: Client) -> None:
    missing = client.get("/no/such/page")
    assert missing.status == 404
    assert "This page doesn't exist" in missing.text
    assert client.request("DELETE", "/login").status == 405
    assert client.request("POST", "/feed/").status == 405
    assert client.get("/authwall").status == 200


@pytest.mark.e2e
@pytest.mark.skipif(shutil.which(CHROMIUM) is None, reason="Debian chromium is not installed")
def test_browser_signs_in_and_switches_the_setting_off(box: Sandbox) -> None:
    from playwright.sync_api import sync_playwright

    email = f"browser-{secrets.token_hex(3)}@example.com"
    # The plainest page (switch drawn once, after the answer); the varied ones are
    # tested in test_sandbox_details.py.
    box.add_account(email, "browser pw", details=PageDetails())
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        try:
            page = browser.new_page()
            page.goto(box.base_url + "/login")
            page.fill("#username", email)
            page.fill("#password", "browser pw")
            page.click("button[type=submit]")
            page.wait_for_url("**/feed/")
            page.goto(box.base_url + PAGE)
            switch = page.locator("input[role=switch]")
            switch.wait_for()
            assert switch.is_checked()
            switch.click()
            toast = page.locator(".artdeco-toast-item__message")
            toast.wait_for()
            assert toast.inner_text() == "Your setting has been updated"
            assert not switch.is_checked()
        finally:
            browser.close()
    assert box.setting(email, SETTING) is False
    assert box.stats(email)["setting_writes"] == 1
