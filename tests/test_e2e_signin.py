"""Sign-in end to end: both sign-in pages, the account chooser, every checkpoint kind,
with and without a terminal, cool-downs after refusals. Real Chromium, the real
keyring, and the sandbox's own record of what happened."""

from __future__ import annotations

import secrets
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pexpect
import pyotp
import pytest
from conftest import SETTING, Account, Optout, one_line_error

from optout.sandbox import Sandbox

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@pytest.fixture
def own_sandbox() -> Iterator[Sandbox]:
    """A sandbox of this test's own: these tests change sandbox-wide sign-in behaviour."""
    with Sandbox(readable_draws=True) as server:
        yield server


@pytest.fixture
def run(tmp_path: Path, own_sandbox: Sandbox) -> Optout:
    return Optout(tmp_path / "home", own_sandbox.base_url)


@pytest.fixture
def new_account(own_sandbox: Sandbox, real_keyring: str) -> Iterator[Callable[..., Account]]:
    from optout.storage import credentials

    made: list[Account] = []

    def make(**options: object) -> Account:
        account = Account(f"m-{secrets.token_hex(4)}@example.com", secrets.token_urlsafe(12))
        own_sandbox.add_account(
            account.email,
            account.password,
            settings={SETTING: True},
            **options,  # type: ignore[arg-type]
        )
        made.append(account)
        return account

    yield make
    for account in made:
        credentials.forget_account(account.email, origin=own_sandbox.base_url)


def on_terminal(run: Optout, *args: str) -> pexpect.spawn:
    """optout on a real terminal (a pty), the way a person runs it."""
    return pexpect.spawn(
        sys.executable,
        ["-m", "optout", *args],
        env=run.env,
        encoding="utf-8",
        timeout=90,
        dimensions=(40, 200),
    )


def finished(child: pexpect.spawn) -> int:
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus is not None, child.before
    return int(child.exitstatus)


def when(condition: Callable[[], bool], then: Callable[[], object], limit_s: float = 60) -> None:
    """In the background: once `condition` holds, do `then` (a person acting elsewhere)."""

    def watch() -> None:
        deadline = time.monotonic() + limit_s
        while time.monotonic() < deadline:
            if condition():
                then()
                return
            time.sleep(0.2)

    threading.Thread(target=watch, daemon=True).start()


def challenge_shown(sandbox: Sandbox, email: str) -> Callable[[], bool]:
    return lambda: sandbox.stats(email)["challenges_shown"] >= 1


# --- sign-in pages -----------------------------------------------------------------


def test_newer_flagship_sign_in_page(
    run: Optout, own_sandbox: Sandbox, new_account: Callable[..., Account]
) -> None:
    own_sandbox.set_signin_page("flagship")
    account = new_account()
    ran = run.login(account)
    assert ran.code == 0, ran.stderr
    assert own_sandbox.stats(account.email)["logins"] == 1
    ran = run("off", "--json")
    assert ran.code == 0, ran.stderr
    assert own_sandbox.setting(account.email, SETTING) is False


def test_flagship_wrong_password_is_exit_3_and_never_retried(
    run: Optout, own_sandbox: Sandbox, new_account: Callable[..., Account]
) -> None:
    own_sandbox.set_signin_page("flagship")
    account = new_account()
    ran = run.login(Account(account.email, "not-the-password"))
    assert ran.code == 3
    assert ran.json["error"]["kind"] == "login_required"
    assert own_sandbox.stats(account.email)["login_attempts"] == 1


@pytest.mark.parametrize("shown_after_s", [0.0, 1.2])
def test_account_chooser_on_a_remembered_browser(
    run: Optout, own_sandbox: Sandbox, new_account: Callable[..., Account], shown_after_s: float
) -> None:
    account = new_account()
    assert run.login(account).code == 0
    own_sandbox.expire_sessions(account.email)
    # The chooser as served, or drawn by its script a moment after the page loaded.
    own_sandbox.set_chooser(True, shown_after_s=shown_after_s)
    # The saved browser still carries LinkedIn's remember-me cookie: "Welcome back".
    ran = run("check", "--json")
    assert ran.code == 1, ran.stderr
    assert ran.json["settings"][0]["state"] == "on"
    stats = own_sandbox.stats(account.email)
    assert stats["logins"] == 2
    assert stats["login_attempts"] == 2


# --- codes asked on the terminal ----------------------------------------------------


def test_email_pin_is_asked_on_the_terminal(
    run: Optout, own_sandbox: Sandbox, new_account: Callable[..., Account]
) -> None:
    account = new_account(challenge="email_pin")
    child = on_terminal(run, "login", "--account", account.email)
    child.expect("LinkedIn password")
    child.sendline(account.password)
    child.expect("code LinkedIn emailed you")
    pin = own_sandbox.pending_pin(account.email)
    assert pin is not None
    child.sendline(pin)
    assert finished(child) == 0
    stats = own_sandbox.stats(account.email)
    assert stats["challenges_passed"] == 1
    assert stats["logins"] == 1
    # The saved session is used from now on: no second sign-in, no second challenge.
    ran = run("check", "--json")
    assert ran.code == 1, ran.stderr
    assert own_sandbox.stats(account.email)["login_attempts"] == 1


def test_sms_code_typed_wrong_once_then_right(
    run: Optout, own_sandbox: Sandbox, new_account: Callable[..., Account]
) -> None:
    account = new_account(challenge="sms")
    child = on_terminal(run, "login", "--account", account.email, "--password-stdin")
    child.sendline(account.password)
    child.expect("code sent to you")
    child.sendline("000000" if own_sandbox.pending_pin(account.email) != "000000" else "111111")
    child.expect("did not accept that code")
    child.expect("code sent to you")
    child.sendline(str(own_sandbox.pending_pin(account.email)))
    assert finished(child) == 0
    stats = own_sandbox.stats(account.email)
    assert stats["wrong_pins"] == 1
    assert stats["logins"] == 1


@pytest.mark.parametrize("kind", ["email_pin", "sms", "app"])
def test_without_a_terminal_a_person_challenge_is_exit_3_at_once(
    run: Optout, own_sandbox: Sandbox, new_account: Callable[..., Account], kind: str
) -> None:
    account = new_account(challenge=kind)
    started = time.monotonic()
    ran = run.login(account)
    assert ran.code == 3
    assert ran.json["error"]["kind"] == "challenge"
    assert "terminal" in one_line_error(ran)
    # Never waited for a person: far below the 120 s an app approval may take.
    assert time.monotonic() - started < 60
    assert own_sandbox.stats(account.email)["logins"] == 0
    assert not (run.home / "state" / "sessions").exists() or not any(
        (run.home / "state" / "sessions").iterdir()
    )


# --- authenticator ----------------------------------------------------------------------


def test_authenticator_code_computed_from_the_stored_secret(
    run: Optout, own_sandbox: Sandbox, new_account: Callable[..., Account]
) -> None:
    secret = pyotp.random_base32()
    account = new_account(challenge="totp", totp_secret=secret)
    ran = run(
        "login", "--account", account.email, "--password-stdin", "--totp-secret-stdin", "--json",
        stdin=f"{account.password}\n{secret}\n",
    )  # fmt: skip
    assert ran.code == 0, ran.stderr
    assert "beside the password" in ran.stderr  # the warning
    assert own_sandbox.stats(account.email)["challenges_passed"] == 1
    # Unattended (no terminal) re-login after the session ends: the code is computed again.
    own_sandbox.expire_sessions(account.email)
    ran = run("off", "--json")
    assert ran.code == 0, ran.stderr
    assert own_sandbox.setting(account.email, SETTING) is False
    assert own_sandbox.stats(account.email)["challenges_passed"] == 2


def test_authenticator_secret_as_otpauth_link(
    run: Optout, own_sandbox: Sandbox, new_account: Callable[..., Account]
) -> None:
    secret = pyotp.random_base32()
    account = new_account(challenge="totp", totp_secret=secret)
    link = pyotp.TOTP(secret).provisioning_uri(name=account.email, issuer_name="LinkedIn")
    ran = run(
        "login", "--account", account.email, "--password-stdin", "--totp-secret-stdin",
        stdin=f"{account.password}\n{link}\n",
    )  # fmt: skip
    assert ran.code == 0, ran.stderr


@pytest.mark.parametrize("secret", ["not base32 at all!", "JBSWY3DPEHPK3PXP"])
def test_bad_authenticator_secret_is_a_usage_error(run: Optout, secret: str) -> None:
    # The second is base32 but 80 bits: pyotp refuses it, so it is refused when stored.
    ran = run(
        "login", "--account", "a@example.com", "--password-stdin", "--totp-secret-stdin",
        stdin=f"pw\n{secret}\n",
    )  # fmt: skip
    assert ran.code == 2
    assert "base32" in one_line_error(ran)


# --- app approval ---------------------------------------------------------------------


def test_app_approval_waits_with_a_countdown(
    run: Optout, own_sandbox: Sandbox, new_account: Callable[..., Account]
) -> None:
    account = new_account(challenge="app")
    child = on_terminal(run, "login", "--account", account.email, "--password-stdin")
    child.sendline(account.password)
    child.expect(r"Approve this sign-in in your LinkedIn app \(\s*\d+ s left\)")
    # Approved once the countdown is on the terminal: approved sooner, the sign-in could
    # end before the countdown was ever drawn.
    assert own_sandbox.approve(account.email)
    assert finished(child) == 0
    assert own_sandbox.stats(account.email)["logins"] == 1


# --- only a person can: captcha, restriction -----------------------------------------


@pytest.mark.parametrize("kind", ["captcha", "restricted"])
def test_captcha_and_restriction_say_to_sign_in_headed(
    run: Optout, own_sandbox: Sandbox, new_account: Callable[..., Account], kind: str
) -> None:
    account = new_account(challenge=kind)
    ran = run.login(account)
    assert ran.code == 3
    assert ran.json["error"]["kind"] == "challenge"
    assert "optout login --headed" in ran.json["error"]["message"]
    assert own_sandbox.stats(account.email)["logins"] == 0


# --- refusals and cool-down -----------------------------------------------------------


@pytest.mark.parametrize("kind", ["refused", "rate_limited"])
def test_a_refusal_starts_a_cool_down_that_spares_the_account(
    run: Optout, own_sandbox: Sandbox, new_account: Callable[..., Account], kind: str
) -> None:
    account = new_account()
    assert run.login(account).code == 0
    own_sandbox.set_challenge(account.email, kind)
    own_sandbox.expire_sessions(account.email)
    ran = run("check", "--json")
    assert ran.code == 5, ran.stderr
    assert ran.json["error"]["kind"] == "site_unavailable"
    assert "leaves" in ran.json["error"]["message"]
    attempts = own_sandbox.stats(account.email)["login_attempts"]
    assert attempts == 2
    paused_until = run("accounts", "--json").json["accounts"][0]["cooldown_until"]
    assert paused_until is not None
    # The next (e.g. scheduled) runs do not touch LinkedIn at all, nor lengthen the pause.
    for _ in range(2):
        ran = run("check", "--json")
        assert ran.code == 5
    assert own_sandbox.stats(account.email)["login_attempts"] == attempts
    listed = run("accounts", "--json").json["accounts"]
    assert listed[0]["cooldown_until"] == paused_until
    # A sign-in by the member ends the pause.
    own_sandbox.set_challenge(account.email, None)
    assert run.login(account).code == 0
    assert run("check", "--json").code == 1


# --- a person in a visible browser ----------------------------------------------------


def test_headed_hand_off_lets_a_person_finish_a_captcha(
    run: Optout, own_sandbox: Sandbox, new_account: Callable[..., Account], display: str
) -> None:
    account = new_account(challenge="captcha")
    # The person solves the captcha in the window once it shows.
    when(challenge_shown(own_sandbox, account.email), lambda: own_sandbox.solve(account.email))
    ran = run(
        "login", "--account", account.email, "--password-stdin", "--headed", "--json",
        stdin=account.password + "\n", DISPLAY=display,
    )  # fmt: skip
    assert ran.code == 0, ran.stderr
    assert own_sandbox.stats(account.email)["challenges_passed"] == 1
    ran = run("off", "--json")
    assert ran.code == 0, ran.stderr
    assert own_sandbox.setting(account.email, SETTING) is False
    assert own_sandbox.stats(account.email)["login_attempts"] == 1
