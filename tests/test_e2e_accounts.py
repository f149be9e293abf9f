"""Many accounts in one browser, one run per account at a time, and no secret anywhere
outside the keyring."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pyotp
import pytest
from conftest import SETTING, Account, Optout, one_line_error, signed_in

from optout.sandbox import Sandbox

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@pytest.fixture
def three(sandbox: Sandbox, real_keyring: str) -> Iterator[list[Account]]:
    from optout.storage import credentials

    made = [
        Account(f"multi-{os.urandom(4).hex()}@example.com", os.urandom(9).hex()) for _ in range(3)
    ]
    for account in made:
        sandbox.add_account(account.email, account.password, settings={SETTING: True})
    yield made
    for account in made:
        credentials.forget_account(account.email, origin=sandbox.base_url)


def test_all_accounts_in_one_run(optout: Optout, sandbox: Sandbox, three: list[Account]) -> None:
    for account in three:
        signed_in(optout, sandbox, account)
    ran = optout("check", "--all-accounts", "--json")
    assert ran.code == 1, ran.stderr
    assert ran.json["status"] == "drift"
    seen = {entry["account"]: entry["settings"][0]["state"] for entry in ran.json["accounts"]}
    assert seen == {account.email: "on" for account in three}
    sandbox.set_setting(three[1].email, SETTING, False)
    ran = optout("off", "--all-accounts", "--json")
    assert ran.code == 0, ran.stderr
    changed = {entry["account"]: entry["settings"][0]["changed"] for entry in ran.json["accounts"]}
    assert changed == {three[0].email: True, three[1].email: False, three[2].email: True}
    assert all(sandbox.setting(account.email, SETTING) is False for account in three)
    assert sandbox.stats(three[1].email)["writes_off"] == 0  # already off: never clicked
    listed = optout("accounts", "--json").json
    assert "SecretService" in listed["keyring"]
    rows = {row["account"]: row for row in listed["accounts"]}
    assert set(rows) == {account.email for account in three}
    for row in rows.values():
        assert row["password_stored"] is True
        assert row["session_saved_at"] is not None
        assert row["last_result"]["status"] == "compliant"


def test_a_browser_error_in_one_account_never_ends_the_others(
    optout: Optout, sandbox: Sandbox, three: list[Account]
) -> None:
    """A selector the browser cannot parse, on the page only one member is served, makes
    Playwright throw in that account's run: the other accounts are read all the same."""
    for account in three:
        signed_in(optout, sandbox, account)
    broken = three[1]
    sandbox.set_variant(broken.email, "psettings")
    override = optout.home / "config" / "selectors.toml"
    pack = (Path(__file__).resolve().parents[1] / "selectors" / "linkedin.toml").read_text()
    start = pack.index("[[settings.generative-ai-improvement.variants]]")
    end = pack.index("# --- AI creation tools")
    variants = pack[start:end].replace(
        'switch = ["input.a11y-text[role=switch]", "input[type=checkbox][role=switch]"]',
        'switch = ["input[[[not css"]',
    )
    assert "not css" in variants
    override.parent.mkdir(parents=True, exist_ok=True)
    override.write_text(variants)
    ran = optout("check", "--all-accounts", "--json")
    by_account = {entry["account"]: entry for entry in ran.json["accounts"]}
    assert by_account[broken.email]["error"]["kind"] == "environment"
    for account in (three[0], three[2]):
        assert by_account[account.email]["error"] is None
        assert by_account[account.email]["settings"][0]["state"] == "on"
    assert ran.code == 6  # the worst of the accounts' codes
    assert "Traceback" not in ran.stderr
    history = optout("history", "--json").json["entries"]
    assert {run["account"] for run in history} >= {a.email for a in three}  # all recorded


def test_all_accounts_with_account_is_a_usage_error(optout: Optout) -> None:
    ran = optout("check", "--all-accounts", "--account", "a@example.com")
    assert ran.code == 2
    assert "--all-accounts" in one_line_error(ran)


def _hold_lock(home: Path, account: str) -> subprocess.Popen[str]:
    """Another process holding the account's run lock, as a run in progress does."""
    code = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from optout.storage.locks import held\n"
        f"with held(Path({str(home / 'state' / 'locks')!r}), {account!r}):\n"
        "    print('held', flush=True)\n"
        "    time.sleep(600)\n"
    )
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "held"
    return holder


def test_one_run_per_account_and_a_stale_lock_is_taken_over(
    optout: Optout, sandbox: Sandbox, account: Account
) -> None:
    signed_in(optout, sandbox, account)
    holder = _hold_lock(optout.home, account.email)
    try:
        ran = optout("check", "--json")
        assert ran.code == 6
        assert f"process {holder.pid}" in ran.json["error"]["message"]
        assert sandbox.stats(account.email)["settings_page_views"] == 0
    finally:
        holder.send_signal(signal.SIGKILL)  # a run killed while holding it
        holder.communicate(timeout=10)  # reaps it and closes its pipe
    ran = optout("check", "--json")
    assert ran.code == 1, ran.stderr
    assert sandbox.stats(account.email)["settings_page_views"] >= 1


def test_no_session_bus_says_how_to_reach_the_keyring(optout: Optout) -> None:
    optout.env = {k: v for k, v in optout.env.items() if k != "DBUS_SESSION_BUS_ADDRESS"}
    ran = optout("check", "--account", "a@example.com")
    assert ran.code == 6
    line = one_line_error(ran)
    assert "D-Bus session bus" in line
    assert "DBUS_SESSION_BUS_ADDRESS" in line


class _ProcessWatch:
    """Samples every process's command line while a run goes on."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            done = subprocess.run(
                ["ps", "-eo", "args"], capture_output=True, text=True, check=False
            )
            self.seen.append(done.stdout)
            time.sleep(0.2)

    def __enter__(self) -> _ProcessWatch:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def test_no_secret_leaks_anywhere(optout: Optout, sandbox: Sandbox, real_keyring: str) -> None:
    from optout.storage import credentials

    secret = pyotp.random_base32()
    account = Account(f"leak-{os.urandom(4).hex()}@example.com", "Pw-" + os.urandom(12).hex())
    sandbox.add_account(
        account.email,
        account.password,
        settings={SETTING: True},
        challenge="totp",
        totp_secret=secret,
    )
    outputs: list[str] = []
    tokens: set[str] = set()
    try:
        with _ProcessWatch() as processes:
            ran = optout(
                "login", "--account", account.email, "--password-stdin", "--totp-secret-stdin",
                "--verbose", stdin=f"{account.password}\n{secret}\n",
            )  # fmt: skip
            outputs += [ran.stdout, ran.stderr]
            assert ran.code == 0, ran.stderr
            tokens.update(sandbox.session_tokens(account.email))
            for args in (("check", "--verbose"), ("off", "--json", "--verbose")):
                ran = optout(*args)
                outputs += [ran.stdout, ran.stderr]
            sandbox.expire_sessions(account.email)
            ran = optout("check", "--json", "--verbose")  # signs in again with the stored secret
            outputs += [ran.stdout, ran.stderr]
            tokens.update(sandbox.session_tokens(account.email))
            # A page not understood leaves evidence: it must hold no secret either.
            sandbox.set_variant(account.email, "redesigned")
            ran = optout("check", "--json", "--verbose")
            outputs += [ran.stdout, ran.stderr]
            assert ran.code == 4, ran.stderr
            ran = optout("accounts", "--verbose")
            outputs += [ran.stdout, ran.stderr]
        assert sandbox.setting(account.email, SETTING) is False
        assert tokens, "the sandbox should have issued session tokens"
        secrets_to_find = {"password": account.password, "TOTP secret": secret}
        secrets_to_find.update({f"li_at #{i}": token for i, token in enumerate(tokens)})
        files = [p for p in optout.home.rglob("*") if p.is_file()]
        assert any(p.suffix == ".html" for p in files), "evidence should have been saved"
        for name, value in secrets_to_find.items():
            for text in outputs:
                assert value not in text, f"{name} in output"
            for snapshot in processes.seen:
                assert value not in snapshot, f"{name} in the process list"
            for path in files:
                assert value.encode() not in path.read_bytes(), f"{name} in {path}"
    finally:
        credentials.forget_account(account.email, origin=sandbox.base_url)
