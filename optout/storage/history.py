"""Every check and off, per account and setting, in SQLite under the state dir.

Two runs (a scheduled one and one by hand) may write at once: SQLite's own
locking (WAL, a busy timeout, one short transaction per run) keeps every row
and never a half-written one. The history holds states and error kinds only,
never a message that could quote a page, so no secret can land in it.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import asdict, astuple, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from optout.core.config import Settings
from optout.core.errors import EnvironmentProblem
from optout.core.private_files import (
    SQLITE_COMPANIONS,
    DamagedDatabase,
    ensure_private_dir,
    legacy_path,
    rescuing,
    safe_name,
    set_aside,
)
from optout.core.results import Mode, RunResult, State
from optout.storage.history_schema import SCHEMA_VERSION, upgrade
from optout.storage.locks import held
from optout.storage.sqlite_salvage import (
    salvage_sqlite,
    sqlite_damaged,
    sqlite_sound,
    sqlite_trouble,
)

DEFAULT_RETENTION_DAYS = 400
BUSY_TIMEOUT_S = 30


@dataclass(frozen=True)
class Entry:
    at: datetime
    account: str
    setting: str | None
    mode: str
    state: str | None
    changed: bool
    drift: bool
    error_kind: str | None
    duration_s: float
    scheduled: bool

    @property
    def mark(self) -> str:
        """What a run amounts to at a glance: a state, "switched" (off) or "error"."""
        return "switched" if self.changed else (self.state or "error")

    def as_json(self) -> dict[str, object]:
        at, took = self.at.isoformat(timespec="seconds"), round(self.duration_s, 2)
        data = {**asdict(self), "at": at, "duration_s": took}  # the fields keep their order
        return {("error" if key == "error_kind" else key): value for key, value in data.items()}


@dataclass(frozen=True)
class Screenshot:
    at: datetime
    account: str
    setting: str
    state: str
    path: str
    sha256: str
    phase: str = "reading"  # before | after | reading
    change_id: str | None = None  # shared by a change's before and after


@dataclass(frozen=True)
class Objection:
    at: datetime
    account: str
    name: str
    email: str
    objection_type: str
    text: str
    reference: str | None

    def as_json(self) -> dict[str, object]:
        data = {**asdict(self), "at": _iso(self.at)}
        return {("type" if key == "objection_type" else key): value for key, value in data.items()}


_TABLES = ("entries", "screenshots", "objections", "problems")


class History:
    def __init__(self, path: Path, *, retention_days: int = DEFAULT_RETENTION_DAYS) -> None:
        self.path = path
        self.retention = timedelta(days=retention_days)
        self.untold: list[str] = []

    @classmethod
    def of(cls, settings: Settings) -> History:
        """The history of this optout home, kept as long as its settings say."""
        return cls(settings.paths.history_file, retention_days=settings.history_days)

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        ensure_private_dir(self.path.parent)
        try:
            with closing(sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S)) as db:
                self.path.chmod(0o600)
                db.execute("PRAGMA journal_mode=WAL")
                if db.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
                    upgrade(db)
                yield db
        except sqlite3.Error as exc:
            if sqlite_damaged(exc):
                raise DamagedDatabase(f"The history at {self.path} is damaged: {exc}") from exc
            raise EnvironmentProblem(sqlite_trouble(f"the history at {self.path}", exc)) from exc
        except OSError as exc:
            raise EnvironmentProblem(f"Cannot open the history at {self.path}: {exc}.") from exc

    def rescue(self, why: str) -> str | None:
        """Set the damaged history aside (kept: a tool may recover more of it) and start
        a new one with every row that can still be read; what to tell the member, or
        None when another run has just done it."""
        with held(self.path.parent / "locks", self.path.name, wait_s=BUSY_TIMEOUT_S):
            if sqlite_sound(self.path):
                return None
            aside = set_aside(self.path, SQLITE_COMPANIONS)
            with self._connection() as db, db:
                kept = salvage_sqlite(aside, db, _TABLES)
        return (
            f"{why}; it is kept as {aside}, and a new history goes on from the {kept} rows "
            "that could still be read (nothing else to do; `sqlite3 .recover` may find more "
            "in the kept file)."
        )

    @rescuing(tell=True)
    def record(self, result: RunResult, *, duration_s: float, scheduled: bool = False) -> list[str]:
        """Add the run's rows; the ids of the settings that drifted (found on after
        being off, or new and on). Settings now unavailable that were last seen on or
        off (LinkedIn may have moved them) go to `result.vanished`."""
        if result.mode is Mode.DRY_RUN:
            return []
        at = result.checked_at.astimezone(UTC).isoformat(timespec="seconds")
        error_kind = result.error.kind if result.error is not None else None
        drifted: list[str] = []
        vanished: list[str] = []
        rows: list[tuple[object, ...]] = []
        with self._connection() as db, db:  # one transaction: all rows or none
            db.execute("BEGIN IMMEDIATE")
            for setting in result.settings:
                last = _last_known(db, result.account, setting.id)
                # Found on now (or on until this run switched it off) after being off.
                drift = (setting.state is State.ON or setting.changed) and last != "on"
                if drift:
                    drifted.append(setting.id)
                if setting.state is State.UNAVAILABLE and last in ("on", "off"):
                    vanished.append(setting.id)
                rows.append((setting.id, setting.state.value, int(setting.changed), int(drift)))
            db.executemany(
                "INSERT INTO entries (at, account, mode, error_kind, duration_s, scheduled, "
                "setting, state, changed, drift) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (at, result.account, result.mode.value, error_kind, duration_s,
                     int(scheduled), *row)
                    for row in rows or [(None, None, 0, 0)]
                ],
            )  # fmt: skip
            cutoff = (datetime.now(UTC) - self.retention).isoformat(timespec="seconds")
            db.execute("DELETE FROM entries WHERE at < ?", (cutoff,))
        result.vanished.extend(vanished)
        return drifted

    @rescuing(tell=True)
    def entries(
        self,
        *,
        account: str | None = None,
        setting: str | None = None,
        limit: int | None = None,
    ) -> list[Entry]:
        """Newest first."""
        if not self.path.exists():
            return []
        asked = {"account": account, "setting": setting}
        where = [f"{column} = ?" for column, value in asked.items() if value is not None]
        args = [value for value in asked.values() if value is not None]
        query = "SELECT at, account, setting, mode, state, changed, drift, error_kind, "
        query += "duration_s, scheduled FROM entries"
        if where:
            query += " WHERE " + " AND ".join(where)
        query += " ORDER BY at DESC, id DESC"
        if limit is not None:
            query += f" LIMIT {int(limit)}"
        with self._connection() as db:
            rows = db.execute(query, args).fetchall()
        return [
            Entry(datetime.fromisoformat(at), acc, sid, mode, state, bool(changed), bool(drift),
                  kind, float(took), bool(scheduled))
            for at, acc, sid, mode, state, changed, drift, kind, took, scheduled in rows
        ]  # fmt: skip

    @rescuing(tell=True)
    def unread_since(self, account: str, setting: str | None = None) -> datetime | None:
        """When the account's runs began to read none of its settings (or not
        `setting`): the first run after the last that read it (on, off or
        unavailable), runs that failed before reading any setting included. None: the
        latest run read it, or there is no run."""
        if not self.path.exists():
            return None
        ours = "1" if setting is None else "(setting = :setting OR setting IS NULL)"
        read = "1" if setting is None else "setting = :setting"
        with self._connection() as db:
            row = db.execute(
                f"SELECT MIN(at) FROM entries WHERE account = :account AND {ours} AND at > "  # noqa: S608 (no input in it)
                f"COALESCE((SELECT MAX(at) FROM entries WHERE account = :account AND {read} "
                "AND state IN ('on', 'off', 'unavailable')), '')",
                {"account": account, "setting": setting},
            ).fetchone()
        return None if row is None or row[0] is None else datetime.fromisoformat(row[0])

    @rescuing(tell=True)
    def open_problems(self, account: str) -> set[str]:
        with self._connection() as db:
            rows = db.execute("SELECT problem FROM problems WHERE account = ?", (account,))
            return {str(row[0]) for row in rows.fetchall()}

    @rescuing(tell=True)
    def set_open_problems(self, account: str, problems: set[str]) -> None:
        """The account's lasting problems are now exactly `problems`."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._connection() as db, db:
            db.execute("BEGIN IMMEDIATE")
            rows = db.execute("SELECT problem, since FROM problems WHERE account = ?", (account,))
            since = {str(problem): str(when) for problem, when in rows.fetchall()}
            db.execute("DELETE FROM problems WHERE account = ?", (account,))
            db.executemany(
                "INSERT INTO problems (account, problem, since) VALUES (?, ?, ?)",
                [(account, problem, since.get(problem, now)) for problem in sorted(problems)],
            )

    @rescuing(tell=False)
    def record_screenshot(self, shot: Screenshot) -> None:
        with self._connection() as db, db:
            _gather_shots(db, shot)
            db.execute(
                "INSERT INTO screenshots (at, account, setting, state, path, sha256, phase, "
                "change_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (_iso(shot.at), *astuple(shot)[1:]),
            )

    @rescuing(tell=True)
    def screenshots(self, account: str) -> list[Screenshot]:
        """Oldest first."""
        if not self.path.exists():
            return []
        with self._connection() as db:
            rows = db.execute(
                "SELECT at, account, setting, state, path, sha256, COALESCE(phase, 'reading'), "
                "change_id FROM screenshots WHERE account = ? ORDER BY at, id",
                (account,),
            ).fetchall()
        return [Screenshot(datetime.fromisoformat(row[0]), *row[1:]) for row in rows]

    @rescuing(tell=True)
    def record_objection(self, objection: Objection) -> None:
        with self._connection() as db, db:
            db.execute(
                "INSERT INTO objections (at, account, name, email, objection_type, text, "
                "reference) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (_iso(objection.at), *astuple(objection)[1:]),
            )

    @rescuing(tell=True)
    def objections(self, account: str) -> list[Objection]:
        """Oldest first."""
        if not self.path.exists():
            return []
        with self._connection() as db:
            rows = db.execute(
                "SELECT at, account, name, email, objection_type, text, reference "
                "FROM objections WHERE account = ? ORDER BY at, id",
                (account,),
            ).fetchall()
        return [Objection(datetime.fromisoformat(row[0]), *row[1:]) for row in rows]


def _last_known(db: sqlite3.Connection, account: str, setting_id: str) -> str | None:
    """The setting's last on/off state before this run."""
    row = db.execute(
        "SELECT state FROM entries WHERE account = ? AND setting = ? "
        "AND state IN ('on', 'off') ORDER BY at DESC, id DESC LIMIT 1",
        (account, setting_id),
    ).fetchone()
    return None if row is None else str(row[0])


def _iso(when: datetime) -> str:
    return when.astimezone(UTC).isoformat(timespec="seconds")


def _gather_shots(db: sqlite3.Connection, shot: Screenshot) -> None:
    """Screenshots an earlier version kept in a folder of the account's old name move
    into its folder now, their rows with them, unless another account's are there too
    (the old name could stand for several accounts)."""
    folder = Path(shot.path).parent
    old = legacy_path(folder.parent, shot.account)
    if folder.name != safe_name(shot.account) or old is None or not old.is_dir():
        return
    inside = f"{old}{os.sep}"
    rows = db.execute(
        "SELECT id, account, path FROM screenshots WHERE substr(path, 1, ?) = ?",
        (len(inside), inside),
    ).fetchall()
    if any(account != shot.account for _, account, _ in rows):
        return
    for row_id, _, path in rows:
        moved = folder / Path(path).name
        with suppress(FileNotFoundError):  # moved by a run that stopped before its update
            os.replace(path, moved)
        db.execute("UPDATE screenshots SET path = ? WHERE id = ?", (str(moved), row_id))
    with suppress(OSError):
        old.rmdir()  # stays while it holds files the history does not know
