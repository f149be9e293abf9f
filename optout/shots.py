"""Screenshots kept as evidence of what a setting page showed: at every change, and on
checks with --evidence. Each is recorded in the history with its SHA-256."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from optout.fsutil import safe_name, write_private_file
from optout.history import History, Screenshot

if TYPE_CHECKING:
    from playwright.sync_api import Page


def shots_dir(state_dir: Path, account: str) -> Path:
    return state_dir / "evidence" / safe_name(account)


def keep_screenshot(
    page: Page, state_dir: Path, history: History, *, account: str, setting: str, state: str
) -> Screenshot:
    at = datetime.now(UTC)
    image = page.screenshot(full_page=True, animations="disabled")
    path = shots_dir(state_dir, account) / f"{at:%Y%m%dT%H%M%S%fZ}-{setting}.png"
    write_private_file(path, image)
    shot = Screenshot(at, account, setting, state, str(path), hashlib.sha256(image).hexdigest())
    history.record_screenshot(shot)
    return shot
