"""The history's tables, and how a database of an earlier schema is brought to this one."""

from __future__ import annotations

import sqlite3

SCHEMA_VERSION = 3
_SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,            -- ISO 8601, UTC
    account TEXT NOT NULL,
    setting TEXT,                -- NULL: the run failed before reading any setting
    mode TEXT NOT NULL,          -- check | off
    state TEXT,                  -- on | off | unavailable | unknown | NULL (error)
    changed INTEGER NOT NULL,
    drift INTEGER NOT NULL,      -- found on after being off, or new and on
    error_kind TEXT,
    duration_s REAL NOT NULL,
    scheduled INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS entries_by_setting ON entries (account, setting, at);
-- Screenshots kept as evidence: before and after every change, and on checks with
-- --evidence. A before and its after share a change_id; readings have none.
CREATE TABLE IF NOT EXISTS screenshots (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    account TEXT NOT NULL,
    setting TEXT NOT NULL,
    state TEXT NOT NULL,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    phase TEXT,                  -- before | after | reading (schema 3 on)
    change_id TEXT
);
-- What the member sent with LinkedIn's Data Processing Objection Form.
CREATE TABLE IF NOT EXISTS objections (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    account TEXT NOT NULL,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    objection_type TEXT NOT NULL,
    text TEXT NOT NULL,
    reference TEXT
);
-- Problems the member has been told about and that still last: one notice each.
CREATE TABLE IF NOT EXISTS problems (
    account TEXT NOT NULL,
    problem TEXT NOT NULL,
    since TEXT NOT NULL,
    PRIMARY KEY (account, problem)
);
"""


# Screenshots kept before schema 3 carry no phase, and by its own columns one taken at
# a change looks just like a --evidence reading of a setting already off. So an old
# shot counts as an "after" only when it shows the setting off and the run it belongs
# to (the setting's latest run started before the shot, at most 30 minutes before)
# switched that setting off; every other old shot is a "reading". Calling every old
# "off" shot an after would show each off reading as a change the member never made.
# An old after has no before and no change_id: the report says so.
_UPGRADE_SCREENSHOTS = """
UPDATE screenshots SET phase = CASE
    WHEN state = 'off' AND EXISTS (
        SELECT 1 FROM entries AS run
        WHERE run.account = screenshots.account AND run.setting = screenshots.setting
          AND run.changed = 1
          AND julianday(screenshots.at) - julianday(run.at) BETWEEN 0 AND 30 / 1440.0
          AND NOT EXISTS (
              SELECT 1 FROM entries AS later
              WHERE later.account = run.account AND later.setting = run.setting
                AND julianday(later.at) > julianday(run.at)
                AND julianday(later.at) <= julianday(screenshots.at)
          )
    ) THEN 'after'
    ELSE 'reading'
END
WHERE phase IS NULL
"""


def upgrade(db: sqlite3.Connection) -> None:
    """Bring a database of any earlier schema to this one, keeping every row. Several
    processes may open an old database at once: the columns are added under the write
    lock, after looking again, so only one of them does it."""
    db.executescript(_SCHEMA)  # every statement is IF NOT EXISTS: safe to repeat
    with db:
        db.execute("BEGIN IMMEDIATE")
        if db.execute("PRAGMA user_version").fetchone()[0] >= SCHEMA_VERSION:
            return
        columns = {row[1] for row in db.execute("PRAGMA table_info(screenshots)")}
        for column in ("phase", "change_id"):
            if column not in columns:
                db.execute(f"ALTER TABLE screenshots ADD COLUMN {column} TEXT")
        db.execute(_UPGRADE_SCREENSHOTS)
        db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
