"""The history: drift as it is recorded, retention, problems told once, and several
processes writing at once without losing or corrupting a row."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from optout.core.errors import ChallengeRequired
from optout.core.results import Mode, RunResult, SettingResult, State
from optout.storage.history import History

SETTING = "generative-ai-improvement"


def _run(
    state: State | None,
    *,
    mode: Mode = Mode.CHECK,
    changed: bool = False,
    at: datetime | None = None,
    account: str = "a@example.com",
) -> RunResult:
    result = RunResult(account=account, mode=mode, checked_at=at or datetime.now(UTC))
    if state is None:
        result.error = ChallengeRequired("a checkpoint")
    else:
        result.settings.append(SettingResult(SETTING, "AI", state, changed))
    return result


def test_drift_is_on_after_off_or_new_and_on(tmp_path: Path) -> None:
    history = History(tmp_path / "h.sqlite3")
    assert history.record(_run(State.ON), duration_s=1) == [SETTING]  # new, and on
    assert history.record(_run(State.ON), duration_s=1) == []  # still on: not new
    assert history.record(_run(State.OFF, mode=Mode.OFF, changed=True), duration_s=1) == []
    assert history.record(_run(None), duration_s=1) == []  # an error in between
    assert history.record(_run(State.UNKNOWN), duration_s=1) == []
    assert history.record(_run(State.ON), duration_s=1) == [SETTING]  # back on after off
    # Found on and switched off in the same run (`--fix`) is drift too.
    history.record(_run(State.OFF), duration_s=1)
    assert history.record(_run(State.OFF, mode=Mode.OFF, changed=True), duration_s=1) == [SETTING]
    entries = history.entries(account="a@example.com")
    assert len(entries) == 8
    assert entries[-1].drift is True
    assert entries[0].changed is True
    assert [e.error_kind for e in entries].count("challenge") == 1
    assert history.entries(account="b@example.com") == []


def test_dry_runs_are_not_recorded(tmp_path: Path) -> None:
    history = History(tmp_path / "h.sqlite3")
    history.record(_run(State.ON, mode=Mode.DRY_RUN), duration_s=1)
    assert history.entries() == []


def test_old_rows_go_after_the_retention(tmp_path: Path) -> None:
    history = History(tmp_path / "h.sqlite3", retention_days=30)
    history.record(_run(State.OFF, at=datetime.now(UTC) - timedelta(days=31)), duration_s=1)
    history.record(_run(State.OFF, at=datetime.now(UTC) - timedelta(days=29)), duration_s=1)
    history.record(_run(State.OFF), duration_s=1)
    assert len(history.entries()) == 2


def test_problems_are_remembered_per_account(tmp_path: Path) -> None:
    history = History(tmp_path / "h.sqlite3")
    history.set_open_problems("a@example.com", {"on:x", "error:challenge"})
    history.set_open_problems("b@example.com", {"on:x"})
    history.set_open_problems("a@example.com", {"on:x"})
    assert history.open_problems("a@example.com") == {"on:x"}
    assert history.open_problems("b@example.com") == {"on:x"}
    history.set_open_problems("b@example.com", set())
    assert history.open_problems("b@example.com") == set()


def test_unread_since_is_the_first_run_after_the_last_reading(tmp_path: Path) -> None:
    history = History(tmp_path / "h.sqlite3")
    assert history.unread_since("a@example.com") is None  # no history yet
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(days=5)
    days = [start + timedelta(days=n) for n in range(5)]
    history.record(_run(State.UNKNOWN, at=days[0]), duration_s=1)
    assert history.unread_since("a@example.com") == days[0]  # never read
    history.record(_run(State.UNAVAILABLE, at=days[1]), duration_s=1)  # a reading
    assert history.unread_since("a@example.com") is None
    history.record(_run(None, at=days[2]), duration_s=1)
    history.record(_run(State.UNKNOWN, at=days[3]), duration_s=1)
    assert history.unread_since("a@example.com") == days[2]
    assert history.unread_since("b@example.com") is None
    history.record(_run(State.OFF, at=days[4]), duration_s=1)
    assert history.unread_since("a@example.com") is None


def test_the_file_is_private(tmp_path: Path) -> None:
    path = tmp_path / "state" / "h.sqlite3"
    History(path).record(_run(State.OFF), duration_s=1)
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700


_WRITER = """
import sys
from datetime import UTC, datetime
from pathlib import Path
from optout.storage.history import History
from optout.core.results import Mode, RunResult, SettingResult, State

history = History(Path(sys.argv[1]))
for i in range(int(sys.argv[3])):
    result = RunResult(account=sys.argv[2], mode=Mode.CHECK)
    result.settings.append(SettingResult("s", "S", State.OFF if i % 2 else State.ON))
    history.record(result, duration_s=0.1)
"""


def test_concurrent_writers_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    writers, rows = 6, 40
    processes = [
        subprocess.Popen([sys.executable, "-c", _WRITER, str(path), f"w{n}@example.com", str(rows)])
        for n in range(writers)
    ]
    assert [p.wait(timeout=120) for p in processes] == [0] * writers
    history = History(path)
    for n in range(writers):
        assert len(history.entries(account=f"w{n}@example.com")) == rows
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_the_timeline_keeps_runs_of_the_same_second_in_their_order(tmp_path: Path) -> None:
    """A check that found the setting off, then an `off` that switched it off again in
    the same second: the timeline shows them in that order, oldest on the left."""
    from conftest import Optout

    from optout.core.config import load_settings

    optout = Optout(tmp_path / "home", "http://127.0.0.1:9")
    history = History.of(load_settings(optout.env))
    second = datetime.now(UTC).replace(microsecond=0)
    history.record(_run(State.OFF, at=second), duration_s=1)
    history.record(_run(State.ON, at=second), duration_s=1)
    history.record(_run(State.OFF, mode=Mode.OFF, changed=True, at=second), duration_s=1)
    ran = optout("history")
    assert ran.code == 0, ran.stderr
    line = next(row for row in ran.stdout.splitlines() if row.startswith("a@example.com"))
    assert line.replace(" ", "").endswith("●●▼"), line
    marks = [e.mark for e in history.entries()]
    assert marks == ["switched", "on", "off"]  # newest first, as recorded
