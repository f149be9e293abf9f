"""Each change kept as a pair of screenshots (before the click, after the read-back),
paired in the history, shown side by side in the evidence report; a database made
before screenshots had a phase opens and keeps every row."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import pytest_asyncio

from optout.evidence.report import ReportData, render
from optout.evidence.screenshots import Change, keep_screenshot, pair_up, shots_dir
from optout.storage.history import History, Screenshot

if TYPE_CHECKING:
    from playwright.async_api import Page

ACCOUNT = "a@example.com"
SETTING = "generative-ai-improvement"
LABELS = {SETTING: "Data for Generative AI Improvement"}

_SWITCH = """<!DOCTYPE html><html><body style="font: 16px sans-serif">
<h1>Data for Generative AI Improvement</h1>
<button role="switch" aria-checked="{checked}">{word}</button></body></html>"""


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def page() -> AsyncIterator[Page]:
    from optout.linkedin.chromium.browser import launched

    async with launched(None) as session:
        context = await session.new_context()
        yield await context.new_page()
        await context.close()


async def _show(page: Page, *, on: bool) -> None:
    await page.set_content(_SWITCH.format(checked=str(on).lower(), word="On" if on else "Off"))


async def _keep(page: Page, tmp_path: Path, history: History, **kwargs: object) -> Screenshot:
    return await keep_screenshot(
        page,
        tmp_path / "state",
        history,
        account=ACCOUNT,
        setting=SETTING,
        **kwargs,  # type: ignore[arg-type]
    )


def _report(history: History) -> str:
    return render(
        ReportData(
            account=ACCOUNT,
            labels=LABELS,
            entries=history.entries(account=ACCOUNT),
            screenshots=history.screenshots(ACCOUNT),
            objections=[],
        )
    )


def _sha(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@pytest.mark.asyncio(loop_scope="module")
async def test_a_change_is_kept_as_a_pair_and_shown_side_by_side(
    page: Page, tmp_path: Path
) -> None:
    history = History(tmp_path / "state" / "history.sqlite3")
    await _show(page, on=True)
    before = await _keep(page, tmp_path, history, state="on", phase="before")
    await _show(page, on=False)
    after = await _keep(page, tmp_path, history, state="off", phase="after", pair=before)

    assert before.change_id is not None
    assert after.change_id == before.change_id
    assert Path(before.path).name.endswith(f"-{SETTING}-before.png")
    assert Path(after.path).name.endswith(f"-{SETTING}-after.png")
    for shot in (before, after):
        assert Path(shot.path).parent == shots_dir(tmp_path / "state", ACCOUNT)
        assert Path(shot.path).stat().st_mode & 0o777 == 0o600
        assert Path(shot.path).read_bytes().startswith(b"\x89PNG")
        assert shot.sha256 == _sha(shot.path)  # the hash is of the file's own bytes
    assert _sha(before.path) != _sha(after.path)  # the page changed between them
    stored = history.screenshots(ACCOUNT)
    assert [(s.phase, s.change_id, s.sha256, s.path) for s in stored] == [
        ("before", before.change_id, before.sha256, before.path),
        ("after", before.change_id, after.sha256, after.path),
    ]

    await page.set_content(_report(history))
    change = page.locator(".change")
    assert await change.count() == 1
    assert await change.get_attribute("class") == "change confirmed"
    assert await change.get_attribute("data-change") == before.change_id
    assert "switched off and read back off" in await change.locator("h3").inner_text()
    assert await change.locator(".before code.sha").inner_text() == before.sha256
    assert await change.locator(".after code.sha").inner_text() == after.sha256
    assert await change.locator(".before code.file").inner_text() == Path(before.path).name
    assert await change.locator(".after code.file").inner_text() == Path(after.path).name
    assert await change.locator(".before").get_attribute("data-state") == "on"
    assert await change.locator(".after").get_attribute("data-state") == "off"
    images = change.locator(".shot img")
    assert await images.count() == 2
    assert all([await img.evaluate("el => el.naturalWidth > 0") for img in await images.all()])
    left, right = [await change.locator(f".{side}").bounding_box() for side in ("before", "after")]
    assert left is not None
    assert right is not None
    assert left["y"] == right["y"]  # side by side
    assert left["x"] + left["width"] <= right["x"]


@pytest.mark.asyncio(loop_scope="module")
async def test_a_lone_before_shows_as_not_confirmed(page: Page, tmp_path: Path) -> None:
    history = History(tmp_path / "state" / "history.sqlite3")
    await _show(page, on=True)
    before = await _keep(page, tmp_path, history, state="on", phase="before")
    await page.set_content(_report(history))
    change = page.locator(".change")
    assert await change.get_attribute("class") == "change unconfirmed"
    assert "not confirmed" in await change.locator("h3").inner_text()
    assert await change.locator(".before code.sha").inner_text() == before.sha256
    assert await change.locator(".after.missing").count() == 1
    assert "not read back" in await change.locator(".after").inner_text()
    assert await change.locator(".after img, .after code.sha").count() == 0


@pytest.mark.asyncio(loop_scope="module")
async def test_an_after_still_on_is_not_confirmed(page: Page, tmp_path: Path) -> None:
    history = History(tmp_path / "state" / "history.sqlite3")
    await _show(page, on=True)
    before = await _keep(page, tmp_path, history, state="on", phase="before")
    await _keep(page, tmp_path, history, state="on", phase="after", pair=before)
    await page.set_content(_report(history))
    change = page.locator(".change")
    assert await change.get_attribute("class") == "change unconfirmed"
    assert "not confirmed (read back ON)" in await change.locator("h3").inner_text()


@pytest.mark.asyncio(loop_scope="module")
async def test_an_after_whose_before_failed_is_a_change_of_its_own(
    page: Page, tmp_path: Path
) -> None:
    history = History(tmp_path / "state" / "history.sqlite3")
    await _show(page, on=False)
    first = await _keep(page, tmp_path, history, state="off", phase="after")
    second = await _keep(page, tmp_path, history, state="off", phase="after")
    assert first.change_id is not None
    assert second.change_id not in (None, first.change_id)
    items = pair_up(history.screenshots(ACCOUNT))
    assert [(c.before, c.after) for c in items if isinstance(c, Change)] == [
        (None, history.screenshots(ACCOUNT)[0]),
        (None, history.screenshots(ACCOUNT)[1]),
    ]
    await page.set_content(_report(history))
    assert await page.locator(".change.confirmed").count() == 2
    assert await page.locator(".change .before.missing").count() == 2


@pytest.mark.asyncio(loop_scope="module")
async def test_readings_stay_as_they_were_and_a_changed_file_is_flagged(
    page: Page, tmp_path: Path
) -> None:
    history = History(tmp_path / "state" / "history.sqlite3")
    await _show(page, on=False)
    reading = await _keep(page, tmp_path, history, state="off")  # the default phase
    assert (reading.phase, reading.change_id) == ("reading", None)
    assert Path(reading.path).name.endswith("-reading.png")
    await _show(page, on=True)
    before = await _keep(page, tmp_path, history, state="on", phase="before")
    await _show(page, on=False)
    after = await _keep(page, tmp_path, history, state="off", phase="after", pair=before)
    Path(after.path).write_bytes(b"not the screenshot that was kept")

    await page.set_content(_report(history))
    assert await page.locator(".change").count() == 1
    shown = page.locator("figure.shot:not(.before):not(.after)")
    assert await shown.count() == 1
    assert await shown.locator("code.sha").inner_text() == reading.sha256 == _sha(reading.path)
    assert await shown.locator("img").count() == 1
    # Newest first: the change comes before the older reading.
    order = page.locator(".change, figure.shot:not(.before):not(.after)")
    assert await order.first.get_attribute("class") == "change confirmed"
    assert await page.locator(".change .after img").count() == 0
    assert "missing or was changed" in await page.locator(".change .after").inner_text()
    assert await page.locator(".change .after code.sha").inner_text() == after.sha256


@pytest.mark.asyncio(loop_scope="module")
async def test_pairing_mistakes_are_refused_before_any_screenshot(
    page: Page, tmp_path: Path
) -> None:
    history = History(tmp_path / "state" / "history.sqlite3")
    await _show(page, on=True)
    reading = await _keep(page, tmp_path, history, state="on")
    before = await _keep(page, tmp_path, history, state="on", phase="before")
    mistakes: list[dict[str, object]] = [
        {"state": "on", "phase": "during"},
        {"state": "on", "phase": "reading", "pair": before},
        {"state": "on", "phase": "before", "pair": before},
        {"state": "off", "phase": "after", "pair": reading},
    ]
    for mistake in mistakes:
        with pytest.raises(ValueError, match=r"phase|pair"):
            await _keep(page, tmp_path, history, **mistake)
    with pytest.raises(ValueError, match="its own setting"):
        await keep_screenshot(
            page,
            tmp_path / "state",
            history,
            account=ACCOUNT,
            setting="ai-creation-tools",
            state="off",
            phase="after",
            pair=before,
        )
    assert len(history.screenshots(ACCOUNT)) == 2
    assert len(list(shots_dir(tmp_path / "state", ACCOUNT).iterdir())) == 2


def test_the_report_escapes_what_it_shows(tmp_path: Path) -> None:
    path = tmp_path / 'x"<b>bold.png'
    path.write_bytes(b"png")
    at = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
    evil = '"><script>alert(1)</script>'
    before = Screenshot(at, ACCOUNT, evil, "on", str(path), _sha(path), "before", evil)
    page = render(
        ReportData(ACCOUNT, {evil: f"<img src=x onerror=alert(2)>{evil}"}, [], [before], [])
    )
    for raw in ("<script>", "<img src=x", "<b>bold"):
        assert raw not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'data-change="&quot;&gt;&lt;script&gt;' in page
    assert "x&quot;&lt;b&gt;bold.png" in page


# The schema of optout's history before screenshots had a phase (user_version 2).
_OLD_SCHEMA = """
CREATE TABLE entries (
    id INTEGER PRIMARY KEY, at TEXT NOT NULL, account TEXT NOT NULL, setting TEXT,
    mode TEXT NOT NULL, state TEXT, changed INTEGER NOT NULL, drift INTEGER NOT NULL,
    error_kind TEXT, duration_s REAL NOT NULL, scheduled INTEGER NOT NULL
);
CREATE INDEX entries_by_setting ON entries (account, setting, at);
CREATE TABLE screenshots (
    id INTEGER PRIMARY KEY, at TEXT NOT NULL, account TEXT NOT NULL, setting TEXT NOT NULL,
    state TEXT NOT NULL, path TEXT NOT NULL, sha256 TEXT NOT NULL
);
CREATE TABLE objections (
    id INTEGER PRIMARY KEY, at TEXT NOT NULL, account TEXT NOT NULL, name TEXT NOT NULL,
    email TEXT NOT NULL, objection_type TEXT NOT NULL, text TEXT NOT NULL, reference TEXT
);
CREATE TABLE problems (
    account TEXT NOT NULL, problem TEXT NOT NULL, since TEXT NOT NULL,
    PRIMARY KEY (account, problem)
);
PRAGMA user_version=2;
"""
_T0 = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def _iso(minutes: float) -> str:
    return (_T0 + timedelta(minutes=minutes)).isoformat(timespec="seconds")


def _old_database(path: Path) -> None:
    """Runs and screenshots as the previous optout recorded them."""
    runs = [  # (minutes, setting, mode, state, changed)
        (0, SETTING, "off", "off", 1),  # switched off: its screenshot is an after
        (10, SETTING, "check", "off", 0),  # checked with --evidence 10 min later
        (60, SETTING, "check", "on", 0),  # found back on, with --evidence
        (61, "ai-creation-tools", "check", "off", 0),
    ]
    shots = [  # (minutes, setting, state)
        (0.3, SETTING, "off"),
        (10.1, SETTING, "off"),
        (60.1, SETTING, "on"),
        (61.1, "ai-creation-tools", "off"),
    ]
    with sqlite3.connect(path) as db:
        db.executescript(_OLD_SCHEMA)
        db.executemany(
            "INSERT INTO entries (at, account, setting, mode, state, changed, drift, "
            "error_kind, duration_s, scheduled) VALUES (?, ?, ?, ?, ?, ?, 0, NULL, 3.0, 0)",
            [(_iso(m), ACCOUNT, s, mode, st, ch) for m, s, mode, st, ch in runs],
        )
        db.executemany(
            "INSERT INTO screenshots (at, account, setting, state, path, sha256) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                (_iso(m), ACCOUNT, s, st, f"/old/{n}.png", f"{n:064x}")
                for n, (m, s, st) in enumerate(shots)
            ],
        )
        db.execute(
            "INSERT INTO objections (at, account, name, email, objection_type, text, "
            "reference) VALUES (?, ?, 'A', ?, 'Object to processing', 'No.', NULL)",
            (_iso(70), ACCOUNT, ACCOUNT),
        )
        db.execute("INSERT INTO problems VALUES (?, 'on:x', ?)", (ACCOUNT, _iso(60)))
    db.close()


def test_a_database_of_the_old_schema_opens_and_keeps_every_row(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    _old_database(path)
    history = History(path)
    shots = history.screenshots(ACCOUNT)
    assert [(s.path, s.state, s.phase, s.change_id) for s in shots] == [
        ("/old/0.png", "off", "after", None),  # the change its run made
        ("/old/1.png", "off", "reading", None),  # off, but its run changed nothing
        ("/old/2.png", "on", "reading", None),
        ("/old/3.png", "off", "reading", None),  # off, and that setting never changed
    ]
    assert [s.sha256 for s in shots] == [f"{n:064x}" for n in range(4)]
    assert len(history.entries(account=ACCOUNT)) == 4
    assert [o.text for o in history.objections(ACCOUNT)] == ["No."]
    assert history.open_problems(ACCOUNT) == {"on:x"}
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 3
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()

    # New shots go in next to the old ones, and opening again changes nothing.
    history.record_screenshot(
        Screenshot(
            _T0 + timedelta(hours=2), ACCOUNT, SETTING, "on", "/new.png", "0" * 64, "before", "c1"
        )
    )
    again = History(path).screenshots(ACCOUNT)
    assert again[:4] == shots
    assert (again[4].phase, again[4].change_id) == ("before", "c1")

    items = pair_up(again)
    assert [type(item).__name__ for item in items] == [
        "Change",
        "Screenshot",
        "Screenshot",
        "Screenshot",
        "Change",
    ]
    report = _report(History(path))
    assert report.count('class="change confirmed"') == 1  # the old after, with no before
    assert report.count('class="change unconfirmed"') == 1  # the new lone before
    assert "no screenshot from before the click" in report


_OPENER = """
import sys
from pathlib import Path
from optout.storage.history import History
print(len(History(Path(sys.argv[1])).screenshots(sys.argv[2])))
"""


def test_several_processes_upgrade_an_old_database_at_once(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    _old_database(path)
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", _OPENER, str(path), ACCOUNT], stdout=subprocess.PIPE, text=True
        )
        for _ in range(6)
    ]
    outputs = [p.communicate(timeout=60)[0].strip() for p in processes]
    assert [p.returncode for p in processes] == [0] * 6
    assert outputs == ["4"] * 6
    with sqlite3.connect(path) as db:
        columns = [row[1] for row in db.execute("PRAGMA table_info(screenshots)")]
    db.close()
    assert columns.count("phase") == columns.count("change_id") == 1
