"""The saved browser session (Playwright storage state), encrypted at rest.

The storage state holds the `li_at` cookie, which is as good as a password, so
it is encrypted with Fernet under a per-account key kept in the OS keyring.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken

from optout import credentials
from optout.fsutil import read_file, remove_file, safe_name, write_private_file


@dataclass(frozen=True)
class SessionInfo:
    path: Path
    saved_at: datetime | None


class SessionStore:
    def __init__(self, sessions_dir: Path) -> None:
        self.sessions_dir = sessions_dir

    def path_for(self, account: str) -> Path:
        return self.sessions_dir / f"{safe_name(account)}.session"

    def save(self, account: str, storage_state: Mapping[str, object]) -> Path:
        key = credentials.get_session_key(account)
        if key is None:
            key = Fernet.generate_key().decode("ascii")
            credentials.set_session_key(account, key)
        token = Fernet(key.encode("ascii")).encrypt(json.dumps(storage_state).encode("utf-8"))
        path = self.path_for(account)
        write_private_file(path, token)
        return path

    def load(self, account: str) -> dict[str, Any] | None:
        """The saved state, or None when there is none that this keyring can open."""
        token = read_file(self.path_for(account))
        if token is None:
            return None
        key = credentials.get_session_key(account)
        if key is None:
            return None  # the key was removed (e.g. `logout --forget` elsewhere): sign in anew
        try:
            data = json.loads(Fernet(key.encode("ascii")).decrypt(token))
        except (InvalidToken, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def info(self, account: str) -> SessionInfo | None:
        path = self.path_for(account)
        try:
            mtime = path.stat().st_mtime
        except FileNotFoundError:
            return None
        return SessionInfo(path=path, saved_at=datetime.fromtimestamp(mtime, UTC))

    def delete(self, account: str) -> bool:
        return remove_file(self.path_for(account))
