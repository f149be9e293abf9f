"""Screenshots kept as evidence of what a setting page showed: just before a change
("before", the setting on), at its read-back ("after") and on checks with --evidence
("reading"). Each is recorded in the history with its SHA-256; a before and its after
share a change_id, so the report can show the change as a pair."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal, get_args

from optout.core.private_files import safe_name, write_private_file
from optout.storage.history import History, Screenshot

if TYPE_CHECKING:
    from playwright.async_api import Page

Phase = Literal["before", "after", "reading"]
PHASES: tuple[str, ...] = get_args(Phase)


def shots_dir(state_dir: Path, account: str) -> Path:
    return state_dir / "evidence" / safe_name(account)


async def keep_screenshot(
    page: Page,
    state_dir: Path,
    history: History,
    *,
    account: str,
    setting: str,
    state: str,
    phase: Phase = "reading",
    pair: Screenshot | None = None,
) -> Screenshot:
    """Keep a full-page screenshot (a private file) and record it. An "after" names the
    before it belongs to as `pair` (what the before's call returned); an after without
    one (its before could not be kept) still gets a change of its own."""
    change_id = _change_id(phase, pair, account=account, setting=setting)
    at = datetime.now(UTC)
    image = await page.screenshot(full_page=True, animations="disabled")
    path = shots_dir(state_dir, account) / f"{at:%Y%m%dT%H%M%S%fZ}-{setting}-{phase}.png"
    write_private_file(path, image)
    digest = hashlib.sha256(image).hexdigest()
    shot = Screenshot(at, account, setting, state, str(path), digest, phase, change_id)
    history.record_screenshot(shot)
    return shot


def _change_id(phase: str, pair: Screenshot | None, *, account: str, setting: str) -> str | None:
    """Checked before the screenshot is taken: a wrong pairing is a bug, and evidence
    filed under the wrong change would be worse than none."""
    if phase not in PHASES:
        raise ValueError(f"phase must be one of {', '.join(PHASES)}, not {phase!r}")
    if pair is not None:
        if phase != "after":
            raise ValueError(f"only an after screenshot has a pair, not a {phase}")
        if pair.phase != "before" or pair.change_id is None:
            raise ValueError("an after screenshot pairs with a before screenshot")
        if (pair.account, pair.setting) != (account, setting):
            raise ValueError("an after screenshot pairs with the before of its own setting")
        return pair.change_id
    return None if phase == "reading" else uuid.uuid4().hex


@dataclass(frozen=True)
class Change:
    """One change as the screenshots show it: `before` is None for a change whose before
    was never kept (or kept by an optout that did not keep befores), `after` is None
    when nothing was read back after the click."""

    setting: str
    change_id: str | None
    before: Screenshot | None
    after: Screenshot | None

    @property
    def confirmed(self) -> bool:
        """Switched off and read back off."""
        return self.after is not None and self.after.state == "off"


def pair_up(shots: list[Screenshot]) -> list[Change | Screenshot]:
    """Changes and readings in the order of their first screenshot (as `shots` are)."""
    order: list[Screenshot | str] = []  # a reading, or the key of a change
    phases: dict[str, dict[str, Screenshot]] = {}
    for shot in shots:
        if shot.phase == "reading":
            order.append(shot)
            continue
        # An old after has no change_id: a change of its own.
        key = shot.change_id or f"row:{len(order)}"
        if key not in phases:
            phases[key] = {}
            order.append(key)
        phases[key][shot.phase] = shot
    return [_change(phases[item]) if isinstance(item, str) else item for item in order]


def _change(phases: dict[str, Screenshot]) -> Change:
    first = next(iter(phases.values()))
    return Change(first.setting, first.change_id, phases.get("before"), phases.get("after"))
