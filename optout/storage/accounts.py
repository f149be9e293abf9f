"""The accounts optout knows, in one JSON file under the state directory (no secrets):
when each signed in, its last result, and its cool-down after LinkedIn refused it."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from optout.core.errors import EnvironmentProblem
from optout.core.private_files import read_file, write_private_file

# After LinkedIn refuses an account, leave it alone this long, doubling with each
# refusal in a row, up to a day.
FIRST_COOLDOWN = timedelta(hours=1)
LONGEST_COOLDOWN = timedelta(hours=24)


class AccountRegistry:
    """The accounts optout knows (no secrets): sign-in times, last results, cool-downs.

    Runs for different accounts may write at once: every change re-reads the file
    under a lock, so none is lost."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _load(self) -> dict[str, dict[str, Any]]:
        raw = read_file(self.path)
        if raw is None:
            return {}
        try:
            data = json.loads(raw)
            accounts = data["accounts"]
            if not isinstance(accounts, dict):
                raise TypeError
        except (ValueError, KeyError, TypeError) as exc:
            raise EnvironmentProblem(
                f"{self.path} is damaged; move it away and run `optout login` again."
            ) from exc
        return accounts

    def names(self) -> list[str]:
        return sorted(self._load())

    def entry(self, account: str) -> dict[str, Any]:
        return dict(self._load().get(account, {}))

    def _update(self, mutate: Callable[[dict[str, dict[str, Any]]], object]) -> None:
        # Imported here: the lock's module loads asyncio, which reading the file never needs
        # (`optout accounts` only reads).
        from optout.storage.locks import held

        with held(self.path.parent / "locks", "accounts.json", wait_s=30):
            accounts = self._load()
            mutate(accounts)
            payload = json.dumps({"accounts": accounts}, indent=2, sort_keys=True) + "\n"
            write_private_file(self.path, payload.encode("utf-8"))

    def _change(self, account: str, change: Callable[[dict[str, Any]], None]) -> None:
        self._update(lambda accounts: change(accounts.setdefault(account, {})))

    def record_login(self, account: str) -> None:
        def change(entry: dict[str, Any]) -> None:
            entry["last_login"] = _now()
            entry.pop("cooldown_until", None)
            entry.pop("refusals", None)

        self._change(account, change)

    def record_result(self, account: str, status: str, exit_code: int) -> None:
        def change(entry: dict[str, Any]) -> None:
            entry["last_result"] = {"at": _now(), "status": status, "exit": exit_code}

        self._change(account, change)

    def record_refusal(self, account: str) -> datetime:
        """Start (or lengthen) the account's cool-down; when it ends."""
        until = datetime.now(UTC)

        def change(entry: dict[str, Any]) -> None:
            nonlocal until
            refusals = int(entry.get("refusals", 0)) + 1
            pause = min(FIRST_COOLDOWN * 2 ** (refusals - 1), LONGEST_COOLDOWN)
            until = datetime.now(UTC) + pause
            entry["refusals"] = refusals
            entry["cooldown_until"] = until.isoformat(timespec="seconds")

        self._change(account, change)
        return until

    def cooldown_until(self, account: str) -> datetime | None:
        """When the account's cool-down ends, if one is running now."""
        raw = self.entry(account).get("cooldown_until")
        try:
            until = datetime.fromisoformat(str(raw)) if raw else None
        except ValueError:
            return None
        return until if until is not None and until > datetime.now(UTC) else None

    def forget(self, account: str) -> bool:
        if account not in self._load():
            return False
        self._update(lambda accounts: accounts.pop(account, None))
        return True


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
