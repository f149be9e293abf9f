"""SQLite files of optout's (the history) that may be damaged: what a SQLite error
means for the member, whether a file still reads whole, and the rows a damaged
file still yields."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from contextlib import closing, suppress
from datetime import datetime
from pathlib import Path
from typing import Any


def _sqlite_code(exc: sqlite3.Error) -> int:
    return int(getattr(exc, "sqlite_errorcode", 0)) & 0xFF  # the primary code


def sqlite_damaged(exc: sqlite3.Error) -> bool:
    """SQLite finds the file is no database, or a malformed one."""
    return _sqlite_code(exc) in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)


def sqlite_trouble(what: str, exc: sqlite3.Error) -> str:
    """What went wrong with `what` (a SQLite file), and what to do, in one line."""
    code = _sqlite_code(exc)
    if code in (sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR):
        return (
            f"Cannot write {what}: {exc} (the disk is full, or a size limit was reached); "
            "free some space and try again."
        )
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return f"{_sentence(what)} stayed busy ({exc}): try again when other runs are done."
    if code in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM):
        return f"Cannot open {what} ({exc}): check who owns it and its folder."
    return f"{_sentence(what)} is not usable: {exc}."


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def sqlite_sound(path: Path) -> bool:
    """Whether the SQLite file at `path` reads whole, or is not there at all. Any other
    trouble (busy, say) counts as sound: only damage is a reason to set a file aside."""
    if not path.exists():
        return True
    try:
        with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as db:
            return bool(db.execute("PRAGMA quick_check").fetchone()[0] == "ok")
    except sqlite3.Error as exc:
        return not sqlite_damaged(exc)


def salvage_sqlite(aside: Path, db: sqlite3.Connection, tables: Iterable[str]) -> int:
    """Copy every row of `tables` in the damaged file `aside` that can still be read
    into `db` (same tables; columns the old file lacks stay empty; a column `at` holds
    ISO times, and a row whose time does not read is left out); how many."""
    try:
        source = sqlite3.connect(f"{aside.as_uri()}?mode=ro", uri=True)
        # Lets SQLite open a file shorter than its header says (a truncated one).
        source.execute("PRAGMA writable_schema=ON")
    except sqlite3.Error:
        return 0
    with closing(source):
        return sum(_copy_rows(source, db, table) for table in tables)


def _copy_rows(source: sqlite3.Connection, db: sqlite3.Connection, table: str) -> int:
    # Table and column names come from the caller's own schema, never from a file.
    ours = [str(row[1]) for row in db.execute(f"PRAGMA table_info({table})")]
    try:
        theirs = {str(row[1]) for row in source.execute(f"PRAGMA table_info({table})")}
    except sqlite3.Error:
        return 0
    columns = [column for column in ours if column in theirs]
    if not columns:
        return 0
    rows: dict[int, tuple[Any, ...]] = {}
    # The table itself, not an index: an index page may be the damaged one.
    select = f"SELECT rowid, {', '.join(columns)} FROM {table} NOT INDEXED ORDER BY rowid "  # noqa: S608
    # From both ends: a damaged page in the middle hides only the rows it held.
    for order in ("ASC", "DESC"):
        with suppress(sqlite3.Error):
            for rowid, *values in source.execute(select + order):
                if "at" not in columns or _is_time(values[columns.index("at")]):
                    rows[rowid] = tuple(values)
    marks = ", ".join("?" * len(columns))
    insert = f"INSERT OR IGNORE INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608
    db.executemany(insert, rows.values())
    return len(rows)


def _is_time(value: object) -> bool:
    """A row whose time cannot be read would break every listing it appears in."""
    try:
        return isinstance(value, str) and datetime.fromisoformat(value) is not None
    except ValueError:
        return False
