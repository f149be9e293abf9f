"""Files an earlier version named after an account (sessions, locks, screenshots) are
still found under the one-to-one names; folders the member chose keep their mode; a
damaged history is set aside and a new one goes on with what could be read."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from optout.core.errors import EnvironmentProblem
from optout.core.private_files import (
    Rescued,
    ensure_private_dir,
    legacy_path,
    safe_name,
    set_aside,
    write_private_file,
)
from optout.core.results import Mode, RunResult, SettingResult, State
from optout.storage.history import History, Screenshot
from optout.storage.locks import held
from optout.storage.sessions import SessionStore

STATE = {"cookies": [{"name": "li_at", "value": "v", "domain": "x", "path": "/"}], "origins": []}


def _saved_the_old_way(store: SessionStore, account: str, *, key_of: str | None = None) -> Path:
    """A session file as an earlier version left it: under the old name, encrypted with
    the key of `key_of` (the account itself unless said)."""
    written = store.save(key_of or account, STATE)
    old = legacy_path(store.sessions_dir, account, ".session")
    assert old is not None
    written.rename(old)
    return old


def test_old_session_file_is_found_and_moved(tmp_path: Path, memory_keyring: None) -> None:
    store = SessionStore(tmp_path / "sessions", "https://www.linkedin.com")
    old = _saved_the_old_way(store, "A+b@x.com")
    assert store.info("A+b@x.com") is not None  # seen before it moves
    assert store.load("A+b@x.com") == STATE
    assert not old.exists()
    assert store.path_for("A+b@x.com").exists()
    assert store.load("A+b@x.com") == STATE  # and found again at its new name


def test_shared_old_session_goes_only_to_the_account_whose_key_opens_it(
    tmp_path: Path, memory_keyring: None
) -> None:
    store = SessionStore(tmp_path / "sessions", "https://www.linkedin.com")
    store.save("a_b@x.com", STATE)  # both accounts have a key
    store.delete("a_b@x.com")
    old = _saved_the_old_way(store, "a_b@x.com", key_of="a+b@x.com")  # a+b saved last
    assert store.load("a_b@x.com") is None
    assert old.exists()  # not taken by the wrong account
    assert store.load("a+b@x.com") == STATE
    assert not old.exists()


def test_save_and_delete_leave_no_old_copy(tmp_path: Path, memory_keyring: None) -> None:
    store = SessionStore(tmp_path / "sessions", "https://www.linkedin.com")
    old = _saved_the_old_way(store, "a@x.com")
    store.save("a@x.com", STATE)
    assert not old.exists()  # a stale secret is no use to anyone
    old = _saved_the_old_way(store, "a@x.com")
    assert store.delete("a@x.com")
    assert not old.exists()
    assert store.load("a@x.com") is None  # logged out stays logged out


def test_old_lock_is_taken_over_and_still_excludes(tmp_path: Path) -> None:
    locks = tmp_path / "locks"
    locks.mkdir()
    old = locks / "a@x.com.lock"
    # A run of the earlier version holding its lock, under the old name.
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time, filelock\n"
         f"with filelock.FileLock({str(old)!r}):\n"
         "    print('held', flush=True); time.sleep(60)\n"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        with (
            pytest.raises(EnvironmentProblem, match="still going"),
            held(locks, "a@x.com", wait_s=0.5),
        ):
            pass
        assert (locks / f"{safe_name('a@x.com')}.lock").exists()
        assert not old.exists()
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()
    with held(locks, "a@x.com", wait_s=0.5):
        pass


def _shot(state_dir: Path, account: str, folder: str, name: str) -> Screenshot:
    path = state_dir / "evidence" / folder / name
    write_private_file(path, b"png")
    return Screenshot(datetime.now(UTC), account, "s", "off", str(path), "00", "after")


def test_old_screenshot_folder_moves_with_its_rows(tmp_path: Path) -> None:
    history = History(tmp_path / "history.sqlite3")
    account = "A+b@x.com"
    history.record_screenshot(_shot(tmp_path, account, "a_b@x.com", "old.png"))
    history.record_screenshot(_shot(tmp_path, account, safe_name(account), "new.png"))
    paths = [Path(shot.path) for shot in history.screenshots(account)]
    assert [p.parent.name for p in paths] == [safe_name(account)] * 2
    assert all(p.read_bytes() == b"png" for p in paths)
    assert not (tmp_path / "evidence" / "a_b@x.com").exists()


def test_old_screenshot_folder_of_two_accounts_stays(tmp_path: Path) -> None:
    history = History(tmp_path / "history.sqlite3")
    history.record_screenshot(_shot(tmp_path, "a+b@x.com", "a_b@x.com", "one.png"))
    history.record_screenshot(_shot(tmp_path, "a_b@x.com", "a_b@x.com", "two.png"))
    history.record_screenshot(_shot(tmp_path, "a+b@x.com", safe_name("a+b@x.com"), "3.png"))
    kept = [Path(s.path) for s in history.screenshots("a+b@x.com")]
    assert kept[0] == tmp_path / "evidence" / "a_b@x.com" / "one.png"
    assert kept[0].exists()


def test_old_name_that_was_the_parent_is_never_used(tmp_path: Path) -> None:
    assert legacy_path(tmp_path, "..") is None
    assert legacy_path(tmp_path, ".") is None
    assert legacy_path(tmp_path, "..", ".session") == tmp_path / "...session"


def test_existing_parent_keeps_its_mode_new_ones_are_private(tmp_path: Path) -> None:
    chosen = tmp_path / "chosen"
    chosen.mkdir(mode=0o755)
    chosen.chmod(0o755)
    write_private_file(chosen / "report.html", b"x")
    assert stat.S_IMODE(chosen.stat().st_mode) == 0o755
    assert stat.S_IMODE((chosen / "report.html").stat().st_mode) == 0o600
    write_private_file(chosen / "new" / "deeper" / "report.html", b"x")
    for made in (chosen / "new", chosen / "new" / "deeper"):
        assert stat.S_IMODE(made.stat().st_mode) == 0o700
    own = tmp_path / "state"
    own.mkdir(mode=0o755)
    ensure_private_dir(own)  # optout's own folder holds secrets: it is made private
    assert stat.S_IMODE(own.stat().st_mode) == 0o700


def test_report_leaves_the_members_folder_alone(tmp_path: Path) -> None:
    chosen = tmp_path / "Documents"
    chosen.mkdir()
    chosen.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPTOUT_")}
    env["OPTOUT_HOME"] = str(tmp_path / "home")
    done = subprocess.run(
        [sys.executable, "-m", "optout", "report", "--account", "a@example.com",
         "--html", str(chosen / "report.html")],
        capture_output=True, text=True, env=env, check=False, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(chosen.stat().st_mode) == 0o755
    assert stat.S_IMODE((chosen / "report.html").stat().st_mode) == 0o600


# --- a damaged history ---------------------------------------------------------------


def _run(state: State, changed: bool = False) -> RunResult:
    result = RunResult(account="a@x.com", mode=Mode.OFF if changed else Mode.CHECK)
    result.settings.append(SettingResult("s", "S", state, changed))
    return result


def _damage(history: History) -> bytes:
    data = os.urandom(200) + history.path.read_bytes()[200:]
    history.path.write_bytes(data)
    return data


def test_damage_found_by_a_screenshot_is_told_by_the_runs_record(tmp_path: Path) -> None:
    history = History(tmp_path / "history.sqlite3")
    history.record(_run(State.OFF), duration_s=1)
    damaged = _damage(history)
    history.record_screenshot(_shot(tmp_path, "a@x.com", safe_name("a@x.com"), "x.png"))
    with pytest.raises(Rescued, match="kept as") as told:
        history.record(_run(State.OFF, changed=True), duration_s=1)
    assert told.value.value == ["s"]  # what record returned: the drift found
    assert told.value.exit_status == 6
    assert len(history.screenshots("a@x.com")) == 1
    assert [entry.mode for entry in history.entries()] == ["off"]
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("history.sqlite3.damaged-")]
    assert [p.read_bytes() for p in kept if p.name.count("-") == 1] == [damaged]
    assert history.entries()  # told once: the next call is quiet


def test_damage_found_by_another_run_first_is_not_set_aside_twice(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    History(path).record(_run(State.ON), duration_s=1)
    _damage(History(path))
    first, second = History(path), History(path)
    with pytest.raises(Rescued):
        first.entries()
    first.record(_run(State.OFF), duration_s=1)
    assert len(second.entries()) == 1  # a sound history now: nothing to set aside
    assert len(list(tmp_path.glob("history.sqlite3.damaged-*"))) <= 3  # one file, its journals


def test_rows_on_readable_pages_are_kept(tmp_path: Path) -> None:
    history = History(tmp_path / "history.sqlite3")
    for _ in range(300):
        history.record(_run(State.ON), duration_s=1)
    data = history.path.read_bytes()
    page = 4096
    middle = len(data) // page // 2 * page
    history.path.write_bytes(data[:middle] + os.urandom(page) + data[middle + page :])
    with pytest.raises(Rescued) as told:
        history.record(_run(State.OFF), duration_s=1)
    kept = len(history.entries())
    assert f"{kept - 1} rows" in str(told.value)
    assert 150 < kept <= 301  # both ends of the table, short of the damaged page


def test_set_aside_never_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "file"
    asides = []
    for number in range(3):
        path.write_bytes(str(number).encode())
        asides.append(set_aside(path))
    assert sorted(p.read_bytes() for p in asides) == [b"0", b"1", b"2"]
