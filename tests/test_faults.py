"""Faults of the machine optout runs on: damaged files, a run killed mid-way, two runs
at once, a full disk, a keyring that locks. Each ends in one clear line and its
documented exit code, the history keeps every run it already held, and no setting is
ever switched on. Each test prints what it measured (FAULT lines)."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import fault_kit as kit
import pytest
from conftest import SETTING, Account, Optout, one_line_error

from optout.core.config import paths
from optout.core.private_files import safe_name
from optout.sandbox import Sandbox
from optout.sandbox.faults import Faults
from optout.storage import credentials

pytestmark = [pytest.mark.e2e, pytest.mark.keyring, pytest.mark.slow]

Figures = Callable[..., None]


@pytest.fixture
def figures(capsys: pytest.CaptureFixture[str], request: pytest.FixtureRequest) -> Figures:
    """Print a test's measurements even when output is captured."""

    def show(**measured: object) -> None:
        line = " ".join(f"{key}={value}" for key, value in measured.items())
        with capsys.disabled():
            print(f"\nFAULT {request.node.name}: {line}")

    return show


# --- a damaged session file ------------------------------------------------------------


def _wrong_shape(path: Path, key: str) -> None:
    """A token this key opens, holding what no browser takes for a session."""
    from cryptography.fernet import Fernet

    bad = {"cookies": [{"name": "li_at", "value": 7, "sameSite": "sometimes"}]}
    path.write_bytes(Fernet(key.encode()).encrypt(json.dumps(bad).encode()))


DAMAGES: dict[str, Callable[[Path, str], object]] = {
    "truncated": lambda path, _: path.write_bytes(path.read_bytes()[: path.stat().st_size // 2]),
    "garbage": lambda path, _: path.write_bytes(os.urandom(path.stat().st_size)),
    "empty": lambda path, _: path.write_bytes(b""),
    "wrong-shape": _wrong_shape,
}


@pytest.mark.parametrize("damage", list(DAMAGES))
def test_damaged_session_file_signs_in_again(
    optout: Optout, sandbox: Sandbox, account: Account, figures: Figures, damage: str
) -> None:
    kit.signed_in_with_history(optout, sandbox, account)
    session = kit.session_file(optout, account)
    DAMAGES[damage](session, kit.session_key(optout, account))

    ran, took = kit.timed(lambda: optout("off"))
    assert ran.code == 0, ran.stderr
    assert "Traceback" not in ran.stderr
    assert sandbox.setting(account.email, SETTING) is False
    assert sandbox.stats(account.email)["logins"] == 2  # the stored password, once
    kit.never_on(sandbox, account)
    assert kit.session_store(optout).load(account.email) is not None  # replaced, whole
    modes = [entry["mode"] for entry in kit.history_of(optout)]
    assert modes == ["off", "check"]
    figures(damage=damage, seconds_to_done=took, history_rows=len(modes))


# --- a damaged history -----------------------------------------------------------------


def _truncate(path: Path) -> None:
    """Only the first two pages left: the header, and the table of runs (small yet)."""
    path.write_bytes(path.read_bytes()[:8192])


def _garbage_head(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(os.urandom(100) + data[100:])


HISTORY_DAMAGES: dict[str, Callable[[Path], object]] = {
    "truncated": _truncate,
    "garbage-header": _garbage_head,
    "all-garbage": lambda path: path.write_bytes(os.urandom(path.stat().st_size)),
}


@pytest.mark.parametrize("damage", list(HISTORY_DAMAGES))
def test_damaged_history_is_set_aside_and_a_new_one_goes_on(
    optout: Optout, sandbox: Sandbox, account: Account, figures: Figures, damage: str
) -> None:
    kit.signed_in_with_history(optout, sandbox, account, checks=3)
    before = kit.history_of(optout)
    history_file = paths({"OPTOUT_HOME": str(optout.home)}).history_file
    HISTORY_DAMAGES[damage](history_file)
    for companion in ("-wal", "-shm"):  # as a copy of the file alone would come back
        Path(f"{history_file}{companion}").unlink(missing_ok=True)
    damaged = history_file.read_bytes()

    ran, took = kit.timed(lambda: optout("off"))
    assert ran.code == 6, ran.stderr
    line = one_line_error(ran)
    assert "damaged" in line
    assert "kept as" in line
    assert sandbox.setting(account.email, SETTING) is False  # the run did its work
    kit.never_on(sandbox, account)
    kept = [p for p in history_file.parent.iterdir() if p.name.startswith("history.sqlite3.dam")]
    assert [p.read_bytes() for p in kept if not p.name.endswith(("-wal", "-shm"))] == [damaged]

    after = kit.history_of(optout)
    assert after[0]["mode"] == "off"
    assert after[0]["changed"] is True
    salvaged = after[1:]
    assert all(entry in before for entry in salvaged)  # nothing made up
    if damage == "truncated":
        assert salvaged == before  # a small history's rows sit on its first pages
    again = optout("check", "--json")
    assert again.code == 0, again.stderr  # no more complaint: the new history works
    figures(
        damage=damage,
        seconds_to_clear_line=took,
        rows_before=len(before),
        rows_kept=len(salvaged),
        line=repr(line.replace(str(optout.home), "~")),
    )


# --- a run killed mid-off ----------------------------------------------------------------


# Every load of the page is held (the read-back's too): a window before the save and
# one between the save and its read-back, when the run has not recorded anything yet.
@pytest.mark.parametrize(
    ("moment", "reached"),
    [("page-held", "settings_page_views"), ("save-done-read-back-held", "writes_off")],
)
def test_run_killed_mid_off_then_a_second_run(
    optout: Optout,
    sandbox: Sandbox,
    account: Account,
    figures: Figures,
    moment: str,
    reached: str,
) -> None:
    kit.signed_in_with_history(optout, sandbox, account)
    session = kit.session_file(optout, account)
    seen_before = sandbox.stats(account.email)[reached]
    sandbox.set_faults(account.email, Faults(render_delay_s=4))
    process = kit.start(optout, "off")
    try:
        waited = kit.wait_for(lambda: sandbox.stats(account.email)[reached] > seen_before, process)
        process.send_signal(signal.SIGKILL)
        process.wait(10)
        leftovers_gone_s = kit.group_gone(process.pid)
    finally:
        if kit.group_gone(process.pid, 0) is None:
            os.killpg(process.pid, signal.SIGKILL)  # our own group, whatever is left of it
        process.communicate(timeout=10)  # reaps it and closes its pipes
    sandbox.set_faults(account.email, Faults())

    ran, took = kit.timed(lambda: optout("off", "--json"))
    assert ran.code == 0, ran.stderr
    assert "Traceback" not in ran.stderr
    assert sandbox.setting(account.email, SETTING) is False
    kit.never_on(sandbox, account)
    assert kit.session_store(optout).load(account.email) is not None
    assert not [p for p in session.parent.iterdir() if p.name.startswith(".")]  # no half file
    history = kit.history_of(optout)
    assert [entry["mode"] for entry in history] == ["off", "check"]
    assert history[1]["state"] == "on"
    figures(
        moment=moment,
        killed_after_s=round(waited, 1),
        browser_gone_after_s=leftovers_gone_s,
        second_run_s=took,
        changed_by_second=history[0]["changed"],
        history_rows=len(history),
    )
    assert leftovers_gone_s is not None, "the killed run's browser outlived it"


# --- two runs at once ---------------------------------------------------------------------


# --- Ctrl-C ------------------------------------------------------------------------------


@pytest.mark.parametrize("whom", ["the terminal's group", "optout alone"])
def test_ctrl_c_mid_run_is_130_and_leaves_no_browser(
    optout: Optout, sandbox: Sandbox, account: Account, figures: Figures, whom: str
) -> None:
    kit.signed_in_with_history(optout, sandbox, account)
    views = sandbox.stats(account.email)["settings_page_views"]
    sandbox.set_faults(account.email, Faults(render_delay_s=10))
    process = kit.start(optout, "check", "--all-accounts", preexec=kit.as_from_a_terminal)
    try:
        kit.wait_for(lambda: sandbox.stats(account.email)["settings_page_views"] > views, process)
        if whom == "optout alone":
            process.send_signal(signal.SIGINT)
        else:  # as a terminal does: the browser gets it too
            os.killpg(process.pid, signal.SIGINT)
        ran, took = kit.timed(lambda: kit.finish(process))
        gone_s = kit.group_gone(process.pid)
    finally:
        if kit.group_gone(process.pid, 0) is None:
            os.killpg(process.pid, signal.SIGKILL)  # our own group, whatever is left of it
            process.communicate(timeout=10)
        sandbox.set_faults(account.email, Faults())
    assert ran.code == 130, ran.stderr
    assert "interrupted" in ran.stderr
    assert "Traceback" not in ran.stderr
    assert gone_s is not None  # no browser left behind
    kit.never_on(sandbox, account)
    figures(whom=whom, exit_after_s=took, group_gone_after_s=gone_s)


def test_two_off_runs_at_once_on_one_account(
    optout: Optout, sandbox: Sandbox, account: Account, figures: Figures
) -> None:
    kit.signed_in_with_history(optout, sandbox, account)
    # The first run holds the account for longer than the second waits for it.
    sandbox.set_faults(account.email, Faults(render_delay_s=7))
    started = time.monotonic()
    first, second = kit.start(optout, "off"), kit.start(optout, "off")
    runs = [kit.finish(first), kit.finish(second)]
    took = round(time.monotonic() - started, 1)
    sandbox.set_faults(account.email, Faults())

    codes = sorted(ran.code for ran in runs)
    assert codes == [0, 6], [ran.stderr for ran in runs]
    loser = next(ran for ran in runs if ran.code == 6)
    line = one_line_error(loser)
    assert "still going" in line
    assert sandbox.setting(account.email, SETTING) is False
    assert sandbox.stats(account.email)["writes_off"] == 1  # one click, by one run
    kit.never_on(sandbox, account)
    history = kit.history_of(optout)
    assert sorted(str(entry["error"]) for entry in history[:2]) == ["None", "environment"]
    assert history[2]["mode"] == "check"
    figures(both_done_s=took, codes=codes, history_rows=len(history), line=repr(line[:80]))


# --- a full disk ----------------------------------------------------------------------------


@pytest.mark.parametrize("failing", ["session", "history"])
def test_full_disk_while_saving(
    optout: Optout,
    sandbox: Sandbox,
    account: Account,
    figures: Figures,
    tmp_path: Path,
    failing: str,
) -> None:
    kit.signed_in_with_history(optout, sandbox, account)
    before = kit.history_of(optout)
    session = kit.session_file(optout, account)
    saved = session.read_bytes()
    if failing == "session":
        sandbox.expire_sessions(account.email)  # the run signs in again and saves anew
    browser = kit.browser_with_room(tmp_path)

    process = kit.start(optout, "off", preexec=kit.little_room, OPTOUT_BROWSER=browser)
    ran, took = kit.timed(lambda: kit.finish(process))
    assert ran.code == 6, ran.stderr
    line = one_line_error(ran)
    assert "free some space" in line
    assert ("session" in line) == (failing == "session")
    kit.never_on(sandbox, account)
    # Nothing half-written, nothing lost: the old session and every earlier run remain.
    assert session.read_bytes() == saved
    assert not [p for p in session.parent.iterdir() if p.name.startswith(".")]
    after = kit.history_of(optout)
    assert after[-len(before) :] == before
    db = sqlite3.connect(paths({"OPTOUT_HOME": str(optout.home)}).history_file)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()
    turned_off = not sandbox.setting(account.email, SETTING)
    assert turned_off == (failing == "history")  # a run that cannot sign in clicks nothing

    again = optout("off", "--json")  # room again: all is well
    assert again.code == 0, again.stderr
    figures(
        failing=failing,
        seconds_to_clear_line=took,
        switched_off_in_faulty_run=turned_off,
        rows_before=len(before),
        rows_after=len(after),
        line=repr(line.replace(str(optout.home), "~")),
    )


# --- a keyring that locks -------------------------------------------------------------------


@pytest.fixture
def own_keyring(tmp_path: Path) -> Iterator[dict[str, str]]:
    with kit.own_keyring(tmp_path) as bus:
        yield bus


def test_keyring_locked_mid_run(
    optout: Optout, sandbox: Sandbox, own_keyring: dict[str, str], figures: Figures
) -> None:
    optout.env.update(own_keyring)
    account = Account(f"locked-{os.urandom(4).hex()}@example.com", os.urandom(9).hex())
    sandbox.add_account(account.email, account.password, settings={SETTING: True})
    assert optout.login(account).code == 0  # into the test's own keyring
    kit.checks_in_history(optout, account)
    # The session ends before the save: the run must read the password once more.
    sandbox.set_faults(account.email, Faults(render_delay_s=3, expire_before_save=True))
    views = sandbox.stats(account.email)["settings_page_views"]
    process = kit.start(optout, "off")
    kit.wait_for(lambda: sandbox.stats(account.email)["settings_page_views"] > views, process)
    kit.lock(own_keyring)  # while the page is still being drawn
    ran, took = kit.timed(lambda: kit.finish(process))
    assert ran.code == 6, ran.stderr
    line = one_line_error(ran)
    assert "locked" in line
    assert sandbox.setting(account.email, SETTING) is True  # the save never went through
    kit.never_on(sandbox, account)

    sandbox.set_faults(account.email, Faults())
    still_locked, took_locked = kit.timed(lambda: optout("off"))
    assert still_locked.code == 6
    assert "locked" in one_line_error(still_locked)
    no_keyring, took_none = kit.timed(
        lambda: optout("off", PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    )
    assert no_keyring.code == 6
    assert "No usable keyring" in one_line_error(no_keyring)
    kit.never_on(sandbox, account)
    history = kit.history_of(optout)
    assert [entry["error"] for entry in history] == ["environment"] * 3 + [None]
    assert history[-1]["mode"] == "check"
    figures(
        mid_run_s=took,
        locked_from_start_s=took_locked,
        no_backend_s=took_none,
        history_rows=len(history),
        line=repr(line.replace(str(optout.home), "~")),
    )


# --- names that read alike --------------------------------------------------------------------


def test_accounts_whose_old_names_met_keep_apart(
    optout: Optout, sandbox: Sandbox, real_keyring: str, figures: Figures
) -> None:
    tag = os.urandom(3).hex()
    twins = [Account(f"a{sep}{tag}@example.com", os.urandom(9).hex()) for sep in "+_"]
    for twin in twins:
        sandbox.add_account(twin.email, twin.password, settings={SETTING: True})
    try:
        for twin in twins:
            assert optout.login(twin).code == 0
        sessions = kit.session_store(optout).sessions_dir
        names = sorted(p.name for p in sessions.iterdir())
        assert names == sorted(f"{safe_name(t.email)}.session" for t in twins)
        ran = optout("off", "--all-accounts", "--json")
        assert ran.code == 0, ran.stderr
        assert all(sandbox.stats(t.email)["logins"] == 1 for t in twins)  # own sessions
        figures(files=names)
    finally:
        for twin in twins:
            credentials.forget_account(twin.email, origin=sandbox.base_url)
