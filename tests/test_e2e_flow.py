"""End to end: real Chromium against the sandbox; every test asserts the sandbox's own truth."""

from __future__ import annotations

import pytest
from conftest import SETTING, Account, Optout, one_line_error, saved_session_file, signed_in

from optout.sandbox import Sandbox
from optout.storage import credentials

pytestmark = [pytest.mark.e2e, pytest.mark.keyring]


def test_login_check_off_then_off_again_changes_nothing(
    optout: Optout, sandbox: Sandbox, account: Account
) -> None:
    ran = optout.login(account)
    assert ran.code == 0, ran.stderr
    assert ran.json == {"account": account.email, "signed_in": True, "error": None}
    assert sandbox.stats(account.email)["logins"] == 1
    # The session is its cookies: not the local storage the signed-in page wrote, which
    # every run would first restore by a visit of its own.
    saved = saved_session_file(optout, account.email)
    assert "li_at" in {cookie["name"] for cookie in saved["cookies"]}
    assert saved["origins"] == []

    ran = optout("check", "--json")
    assert ran.code == 1, ran.stderr
    assert ran.json["status"] == "drift"
    assert ran.json["settings"] == [
        {
            "id": SETTING,
            "label": "Data for Generative AI Improvement",
            "state": "on",
            "changed": False,
        }
    ]
    assert sandbox.setting(account.email, SETTING) is True

    ran = optout("off", "--json")
    assert ran.code == 0, ran.stderr
    assert ran.json["status"] == "compliant"
    assert ran.json["settings"][0]["state"] == "off"
    assert ran.json["settings"][0]["changed"] is True
    assert sandbox.setting(account.email, SETTING) is False
    writes = sandbox.stats(account.email)["setting_writes"]
    assert writes == 1

    ran = optout("off", "--json")
    assert ran.code == 0, ran.stderr
    assert ran.json["settings"][0] == {
        "id": SETTING,
        "label": "Data for Generative AI Improvement",
        "state": "off",
        "changed": False,
    }
    assert sandbox.stats(account.email)["setting_writes"] == writes  # no click at all

    ran = optout("check")
    assert ran.code == 0, ran.stderr
    assert "off" in ran.stdout
    assert sandbox.setting(account.email, SETTING) is False
    # The saved session carried every run after the one sign-in.
    assert sandbox.stats(account.email)["logins"] == 1
    assert saved_session_file(optout, account.email)["origins"] == []


def test_check_reads_off_when_the_member_already_switched_it_off(
    optout: Optout, sandbox: Sandbox, account: Account
) -> None:
    signed_in(optout, sandbox, account)
    sandbox.set_setting(account.email, SETTING, False)
    # Python names every module it loads on stderr: a --json run that goes well never
    # loads rich (CPU the browser's start would share).
    ran = optout("check", "--json", "--account", account.email, PYTHONPROFILEIMPORTTIME="1")
    assert ran.code == 0, ran.stderr
    assert ran.json["settings"][0]["state"] == "off"
    assert ran.json["status"] == "compliant"
    loaded = {line.rsplit("|", 1)[-1].strip() for line in ran.stderr.splitlines()}
    assert "optout.linkedin.one_account" in loaded
    assert not {module for module in loaded if module.split(".")[0] == "rich"}


def test_dry_run_reports_but_never_clicks(
    optout: Optout, sandbox: Sandbox, account: Account
) -> None:
    signed_in(optout, sandbox, account)
    ran = optout("off", "--dry-run", "--json")
    assert ran.code == 1, ran.stderr
    assert ran.json["settings"][0]["state"] == "on"
    assert sandbox.setting(account.email, SETTING) is True
    assert sandbox.stats(account.email)["setting_writes"] == 0


def test_expired_session_signs_in_again_once_and_carries_on(
    optout: Optout, sandbox: Sandbox, account: Account
) -> None:
    signed_in(optout, sandbox, account)
    sandbox.expire_sessions(account.email)

    ran = optout("off", "--json")
    assert ran.code == 0, ran.stderr
    assert ran.json["settings"][0]["changed"] is True
    assert sandbox.setting(account.email, SETTING) is False
    assert sandbox.stats(account.email)["logins"] == 2

    # The new session was saved: the next run needs no sign-in.
    assert optout("check").code == 0
    assert sandbox.stats(account.email)["logins"] == 2


def test_expired_session_without_stored_password_asks_for_login(
    optout: Optout, sandbox: Sandbox, account: Account
) -> None:
    signed_in(optout, sandbox, account)
    credentials.delete_password(account.email, origin=sandbox.base_url)
    sandbox.expire_sessions(account.email)

    ran = optout("check", "--json")
    assert ran.code == 3
    assert ran.json["status"] == "error"
    assert ran.json["error"]["kind"] == "login_required"
    assert sandbox.stats(account.email)["logins"] == 1
    assert sandbox.setting(account.email, SETTING) is True


def test_wrong_password_exits_3_saves_nothing_and_never_retries(
    optout: Optout, sandbox: Sandbox, account: Account
) -> None:
    wrong = Account(account.email, account.password + "-wrong")
    ran = optout.login(wrong)
    assert ran.code == 3
    assert ran.json["error"]["kind"] == "login_required"
    assert "password" in one_line_error(ran)
    assert sandbox.stats(account.email)["failed_logins"] == 1
    assert sandbox.stats(account.email)["logins"] == 0
    assert credentials.get_password(account.email, origin=sandbox.base_url) is None
    assert credentials.get_session_key(account.email, origin=sandbox.base_url) is None
    assert not list((optout.home).rglob("*.session"))

    # Nothing was kept, so a check cannot sign in behind the member's back.
    ran = optout("check", "--account", account.email, "--json")
    assert ran.code == 3
    assert sandbox.stats(account.email)["failed_logins"] == 1


def test_checkpoint_is_a_challenge_exit_3(
    optout: Optout, sandbox: Sandbox, real_keyring: str
) -> None:
    email = "checkpointed@example.com"
    sandbox.add_account(email, "right-password", checkpoint=True)
    ran = optout.login(Account(email, "right-password"))
    assert ran.code == 3
    assert ran.json["error"]["kind"] == "challenge"
    assert "/checkpoint/" in one_line_error(ran)
    assert sandbox.stats(email)["logins"] == 0
    assert credentials.get_password(email, origin=sandbox.base_url) is None
    assert sandbox.setting(email, SETTING) is True


def test_demo_runs_whole_flow(optout: Optout, real_keyring: str) -> None:
    ran = optout("demo")
    assert ran.code == 0, ran.stderr
    assert "switched off" in ran.stdout
    assert "Demo finished" in ran.stdout
