"""The sandbox's checkpoint challenges over HTTP: email PIN, SMS, authenticator app,
app approval and captcha; one browser test."""

from __future__ import annotations

import re
import secrets
import time

import pyotp
import pytest
from sandbox_http import CHROMIUM, PAGE, Client, needs_chromium
from signin_kit import (
    PW,
    assert_no_session,
    assert_signed_in,
    challenge_id,
    new_account,
    poll,
    verify,
    visible,
)

from optout.sandbox import Sandbox

# --- email PIN -------------------------------------------------------------------


def test_email_pin_right_pin_signs_in_and_the_challenge_dies(box: Sandbox, client: Client) -> None:
    email = new_account(box, challenge="email_pin")
    cid = challenge_id(client.sign_in(email, PW, PAGE))
    assert client.cookie("li_at") is None
    page = client.get(f"/checkpoint/challenge/{cid}").text
    assert '<form id="email-pin-challenge" method="post" action="/checkpoint/challenge/verify"' in (
        page
    )
    assert 'type="hidden" name="csrfToken" value="ajax:' in page
    assert f'type="hidden" name="challengeId" value="{cid}"' in page
    assert 'id="input__email_verification_pin" name="pin" maxlength="6"' in page
    assert 'id="email-pin-submit-button"' in page
    assert "Enter the code we've sent to j***@example.com" in page
    assert email not in page
    assert 'class="form__label--error hidden__imp"' in page

    pin = box.pending_pin(email)
    assert pin is not None
    assert re.fullmatch(r"\d{6}", pin)
    assert pin not in page
    assert box.pending_challenge(email) == "email_pin"
    assert_signed_in(box, client, email, verify(client, cid, pin), PAGE)
    stats = box.stats(email)
    assert stats["logins"] == 1
    assert stats["login_attempts"] == 1
    assert stats["challenges_shown"] == 1
    assert stats["challenges_passed"] == 1
    assert box.pending_pin(email) is None
    # Passed once, gone: neither the page nor the same PIN works again.
    assert client.get(f"/checkpoint/challenge/{cid}").location == "/login"
    assert verify(client, cid, pin).location == "/login"
    assert box.stats(email)["logins"] == 1


def test_checkpoint_true_means_email_pin_and_asks_every_time(box: Sandbox) -> None:
    email = new_account(box)
    box.set_challenge(email, "email_pin")
    other = f"cp-{secrets.token_hex(3)}@example.com"
    box.add_account(other, PW, checkpoint=True)
    assert box.account(other).challenge == "email_pin"
    assert box.account(other).checkpoint is True
    with pytest.raises(ValueError, match="checkpoint"):
        box.add_account("both@example.com", PW, checkpoint=True, challenge="sms")
    with pytest.raises(ValueError, match="unknown challenge"):
        box.add_account("typo@example.com", PW, challenge="emailpin")
    for _ in range(2):
        client = Client(box.base_url)
        cid = challenge_id(client.sign_in(other, PW))
        assert_signed_in(
            box, client, other, verify(client, cid, box.pending_pin(other) or ""), "/feed/"
        )
        box.expire_sessions(other)
    assert box.stats(other)["challenges_shown"] == 2


def test_wrong_pins_show_the_error_count_and_three_kill_the_challenge(
    box: Sandbox, client: Client
) -> None:
    email = new_account(box, challenge="email_pin")
    cid = challenge_id(client.sign_in(email, PW))
    pin = box.pending_pin(email)
    assert pin is not None
    wrong = f"{(int(pin) + 1) % 10**6:06d}"
    for attempt in range(1, 4):
        reply = verify(client, cid, wrong)
        assert reply.status == 200
        assert visible(reply.text, "email-pin-error").startswith(
            "The verification code you entered isn&#x27;t valid"
        )
        assert box.stats(email)["wrong_pins"] == attempt
    assert verify(client, cid, pin).location == "/login"
    assert client.get(f"/checkpoint/challenge/{cid}").location == "/login"
    assert box.pending_pin(email) is None
    assert_no_session(box, client, email)
    assert box.stats(email)["challenges_passed"] == 0


def test_wrong_password_never_reaches_the_challenge(box: Sandbox, client: Client) -> None:
    email = new_account(box, challenge="email_pin")
    reply = client.sign_in(email, "wrong")
    assert reply.status == 200
    assert "Wrong email or password" in visible(reply.text, "error-for-password")
    assert box.pending_pin(email) is None
    stats = box.stats(email)
    assert (stats["failed_logins"], stats["login_attempts"], stats["challenges_shown"]) == (1, 1, 0)


# --- SMS and authenticator app -----------------------------------------------------


def test_sms_challenge_markup_recovery_code_and_pin(box: Sandbox, client: Client) -> None:
    email = new_account(box, challenge="sms")
    cid = challenge_id(client.sign_in(email, PW))
    page = client.get(f"/checkpoint/challenge/{cid}").text
    assert (
        '<form id="two-step-challenge" method="post" action="/checkpoint/challenge/verify"' in page
    )
    assert 'id="input__phone_verification_pin" name="pin" maxlength="6"' in page
    assert 'id="two-step-submit-button"' in page
    assert 'type="checkbox" id="recognizedDevice" name="recognizedDevice"' in page
    assert "Enter the code we sent to your phone number ending in 42" in page
    assert 'action="/checkpoint/challenge/verifyCode"' in page
    assert "Use a recovery code" in page

    code = client.post_form(
        "/checkpoint/challenge/verifyCode", {"challengeId": cid, "recoveryCode": "abcd-efgh"}
    )
    assert code.status == 200
    assert "recovery code you entered isn&#x27;t valid" in visible(code.text, "two-step-error")
    assert client.cookie("li_at") is None

    wrong = verify(client, cid, "000000" if box.pending_pin(email) != "000000" else "111111")
    assert "isn&#x27;t valid" in visible(wrong.text, "two-step-error")
    pin = box.pending_pin(email)
    assert pin is not None
    reply = client.post_form(
        "/checkpoint/challenge/verify",
        {"challengeId": cid, "pin": pin, "recognizedDevice": "true", "csrfToken": "ajax:1"},
    )
    assert_signed_in(box, client, email, reply, "/feed/")
    assert box.stats(email)["wrong_pins"] == 1


def test_totp_challenge_checks_codes_with_the_secret(box: Sandbox, client: Client) -> None:
    email = new_account(box, challenge="totp")
    secret = box.totp_secret(email)
    assert secret is not None
    assert box.pending_pin(email) is None
    cid = challenge_id(client.sign_in(email, PW))
    assert box.pending_pin(email) is None  # nothing is sent: the code comes from the app
    page = client.get(f"/checkpoint/challenge/{cid}").text
    assert '<form id="two-step-challenge"' in page
    assert 'id="input__phone_verification_pin"' in page
    assert "Enter the 6-digit code from your authenticator app" in page
    assert secret not in page

    totp = pyotp.TOTP(secret)
    stale = totp.at(time.time() - 600)
    assert "isn&#x27;t valid" in visible(verify(client, cid, stale).text, "two-step-error")
    assert box.stats(email)["wrong_pins"] == 1
    assert_signed_in(box, client, email, verify(client, cid, totp.now()), "/feed/")

    chosen = pyotp.random_base32()
    given = new_account(box, challenge="totp", totp_secret=chosen)
    assert box.totp_secret(given) == chosen
    with pytest.raises(ValueError, match="base32"):
        box.set_challenge(given, "totp", totp_secret="not base32!")


# --- waiting challenges: app approval, captcha --------------------------------------


def test_app_challenge_waits_for_approval(box: Sandbox, client: Client) -> None:
    email = new_account(box, challenge="app")
    assert box.approve(email) is False  # nothing is waiting yet
    cid = challenge_id(client.sign_in(email, PW))
    page = client.get(f"/checkpoint/challenge/{cid}").text
    assert '<form id="in-app-challenge" method="post" action="/checkpoint/challenge/verify"' in page
    assert "Check your LinkedIn app" in page
    assert (
        "We sent a notification to your signed-in devices. Open your LinkedIn app and tap Yes "
        "to confirm." in page
    )
    assert 'id="try-another-way"' in page
    assert f"/checkpoint/challengesV2/poll/{cid}" in page
    assert poll(client, cid) == "PENDING"

    early = verify(client, cid)
    assert early.status == 200
    assert "Check your LinkedIn app" in early.text
    assert client.cookie("li_at") is None

    assert box.pending_challenge(email) == "app"
    assert box.approve(email) is True
    assert poll(client, cid) == "SOLVED"
    assert_signed_in(box, client, email, verify(client, cid), "/feed/")
    assert client.get(f"/checkpoint/challengesV2/poll/{cid}").status == 404
    assert box.stats(email)["challenges_passed"] == 1


def test_app_challenge_expires(fresh: Sandbox) -> None:
    fresh.app_timeout_s = 0.2
    email = new_account(fresh, challenge="app")
    client = Client(fresh.base_url)
    cid = challenge_id(client.sign_in(email, PW))
    time.sleep(0.4)
    assert poll(client, cid) == "EXPIRED"
    assert "This request has expired" in visible(
        client.get(f"/checkpoint/challenge/{cid}").text, "app-challenge-expired"
    )
    assert fresh.approve(email) is False
    assert verify(client, cid).status == 200
    assert_no_session(fresh, client, email)


def test_try_another_way_swaps_the_app_for_an_email_pin(box: Sandbox, client: Client) -> None:
    email = new_account(box, challenge="app")
    cid = challenge_id(client.sign_in(email, PW))
    assert box.pending_pin(email) is None
    swap = client.get(f"/checkpoint/challenge/{cid}/try-another-way")
    assert swap.location == f"/checkpoint/challenge/{cid}"
    assert 'id="email-pin-challenge"' in client.get(swap.location).text
    assert_signed_in(
        box, client, email, verify(client, cid, box.pending_pin(email) or ""), "/feed/"
    )


def test_captcha_is_solved_in_its_frame_or_by_the_test(box: Sandbox, client: Client) -> None:
    email = new_account(box, challenge="captcha")
    cid = challenge_id(client.sign_in(email, PW))
    page = client.get(f"/checkpoint/challenge/{cid}").text
    assert "Let's do a quick security check" in page
    frame = f"/checkpoint/challenge/captcha-frame/{cid}"
    assert f'<iframe id="captcha-internal" title="Security check" src="{frame}">' in page
    drawn = client.get(frame).text
    assert "I'm not a robot" in drawn
    assert 'aria-checked="false"' in drawn
    assert poll(client, cid) == "PENDING"
    ticked = client.post_form(frame, {})
    assert ticked.status == 303
    assert 'aria-checked="true"' in client.get(frame).text
    assert poll(client, cid) == "SOLVED"
    assert_signed_in(box, client, email, verify(client, cid), "/feed/")

    again = Client(box.base_url)
    cid = challenge_id(again.sign_in(email, PW))
    assert box.solve(email) is True
    assert verify(again, cid).location == "/feed/"
    assert len(box.session_tokens(email)) == 2


def test_challenges_are_unguessable_and_belong_to_their_account(box: Sandbox) -> None:
    first, second = new_account(box, challenge="app"), new_account(box, challenge="app")
    a, b = Client(box.base_url), Client(box.base_url)
    ids = {challenge_id(a.sign_in(first, PW)), challenge_id(b.sign_in(second, PW))}
    assert len(ids) == 2
    assert all(len(i) >= 60 for i in ids)
    assert box.approve(first) is True
    statuses = sorted(poll(a, i) for i in ids)
    assert statuses == ["PENDING", "SOLVED"]
    solved = next(i for i in ids if poll(a, i) == "SOLVED")
    # Whoever posts the id, the session is the challenged account's own.
    assert verify(b, solved).location == "/feed/"
    assert box.session_tokens(first) == [b.cookie("li_at")]
    assert box.session_tokens(second) == []
    assert verify(a, "AQ" + secrets.token_urlsafe(48)).location == "/login"


# --- real browser ----------------------------------------------------------------------

_ARGS = ["--disable-background-networking", "--disable-component-update", "--no-first-run"]


@pytest.mark.e2e
@needs_chromium
def test_browser_waits_on_the_app_challenge_until_approved(box: Sandbox) -> None:
    from playwright.sync_api import sync_playwright

    email = new_account(box, challenge="app")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=[*_ARGS, "--disable-sync"])
        try:
            page = browser.new_page()
            page.goto(box.base_url + "/login")
            page.fill("#username", email)
            page.fill("#password", PW)
            page.click("button[type=submit]")
            page.wait_for_url("**/checkpoint/challenge/**")
            page.locator("form#in-app-challenge").wait_for()
            page.wait_for_timeout(1200)  # at least one poll answered PENDING
            assert "/checkpoint/challenge/" in page.url
            assert box.approve(email) is True
            page.wait_for_url("**/feed/", timeout=10_000)
            cookies = {c["name"]: c["value"] for c in page.context.cookies()}
            assert cookies["li_at"] == box.session_tokens(email)[0]
        finally:
            browser.close()
    assert box.stats(email)["challenges_passed"] == 1
