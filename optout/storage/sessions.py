"""The saved browser session (Playwright storage state), encrypted at rest.

The storage state holds the `li_at` cookie, which is as good as a password, so
it is encrypted with Fernet under a per-account key kept in the OS keyring.

A session is its cookies. The site's local storage (LinkedIn's web app keeps its
caches there, under keys that start with `voyager`) is neither kept nor given back:
to restore it, Playwright would first open a page of its own in each account's
context and load every origin there (answered by Playwright itself), about a third
of a second an account on the sandbox, for caches the app writes again. So less of
the member's data lies on disk, too.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken

from optout.core.config import Paths
from optout.core.private_files import (
    adopt_legacy,
    ensure_private_dir,
    legacy_path,
    read_file,
    remove_file,
    safe_name,
    write_private_file,
)
from optout.storage import credentials

_SUFFIX = ".session"
_SAME_SITE = {"Strict", "Lax", "None"}


@dataclass(frozen=True)
class SessionInfo:
    path: Path
    saved_at: datetime | None


class SessionStore:
    """The sessions of one LinkedIn origin: files in its folder, keys in its keyring service."""

    def __init__(self, sessions_dir: Path, origin: str) -> None:
        self.sessions_dir = sessions_dir
        self.origin = origin

    @classmethod
    def of(cls, paths: Paths) -> SessionStore:
        return cls(paths.sessions_dir, paths.origin)

    def path_for(self, account: str) -> Path:
        return self.sessions_dir / f"{safe_name(account)}{_SUFFIX}"

    def save(self, account: str, storage_state: Mapping[str, object]) -> Path:
        """Keep the state's cookies (a storage state without local storage)."""
        key = credentials.get_session_key(account, origin=self.origin)
        if key is None:
            key = Fernet.generate_key().decode("ascii")
            credentials.set_session_key(account, key, origin=self.origin)
        kept = cookies_only(storage_state)
        token = Fernet(key.encode("ascii")).encrypt(json.dumps(kept).encode("utf-8"))
        path = self.path_for(account)
        ensure_private_dir(self.sessions_dir)
        write_private_file(path, token)
        # A copy an earlier version kept under the old name would only be a stale secret.
        old = legacy_path(self.sessions_dir, account, _SUFFIX)
        if old is not None and _decrypt(read_file(old), key) is not None:
            remove_file(old)
        return path

    def load(self, account: str) -> dict[str, Any] | None:
        """The saved state, cookies only, or None when there is none that this keyring can
        open (a damaged file included: the next sign-in replaces it)."""
        path = self.path_for(account)
        old = legacy_path(self.sessions_dir, account, _SUFFIX)
        if not path.exists():
            if old is None or not old.exists():
                return None
            opener = credentials.get_session_key(account, origin=self.origin)
            if opener is None:
                return None
            known: str = opener
            # The old name may have been shared by two accounts: only the one whose key
            # opens the file takes it.
            path = adopt_legacy(
                self.sessions_dir, account, _SUFFIX,
                belongs=lambda found: _decrypt(read_file(found), known) is not None,
            )  # fmt: skip
        token = read_file(path)
        if token is None:
            return None
        key = credentials.get_session_key(account, origin=self.origin)
        if key is None:
            return None  # the key was removed (e.g. `logout --forget` elsewhere): sign in anew
        state = _decrypt(token, key)
        return None if state is None else cookies_only(state)  # as an older version kept it

    def info(self, account: str) -> SessionInfo | None:
        path = self.path_for(account)
        old = legacy_path(self.sessions_dir, account, _SUFFIX)
        if not path.exists() and old is not None and old.exists():
            path = old  # not moved yet: that needs the key, which `load` asks for
        try:
            mtime = path.stat().st_mtime
        except FileNotFoundError:
            return None
        return SessionInfo(path=path, saved_at=datetime.fromtimestamp(mtime, UTC))

    def delete(self, account: str) -> bool:
        removed = remove_file(self.path_for(account))
        old = legacy_path(self.sessions_dir, account, _SUFFIX)
        if old is not None and old.exists():
            key = credentials.get_session_key(account, origin=self.origin)
            if key is not None and _decrypt(read_file(old), key) is not None:
                removed = remove_file(old) or removed
        return removed


def cookies_only(storage_state: Mapping[str, object]) -> dict[str, Any]:
    """The storage state with its cookies alone."""
    cookies = storage_state.get("cookies")
    return {"cookies": list(cookies) if isinstance(cookies, list) else [], "origins": []}


def _decrypt(token: bytes | None, key: str) -> dict[str, Any] | None:
    """The storage state in `token`, or None when the key does not open it or what it
    holds is not a storage state a browser would take."""
    if token is None:
        return None
    try:
        data = json.loads(Fernet(key.encode("ascii")).decrypt(token))
    except (InvalidToken, ValueError):
        return None
    return data if _is_storage_state(data) else None


def _is_storage_state(data: object) -> bool:
    """The shape Playwright accepts; anything else would stop the browser's context
    from opening at all, where no session only means signing in again."""
    if not isinstance(data, dict):
        return False
    cookies, origins = data.get("cookies", []), data.get("origins", [])
    return (
        isinstance(cookies, list)
        and isinstance(origins, list)
        and all(_is_cookie(cookie) for cookie in cookies)
        and all(_is_origin(origin) for origin in origins)
    )


def _is_cookie(cookie: object) -> bool:
    if not isinstance(cookie, dict):
        return False
    expires = cookie.get("expires", -1)
    return (
        all(isinstance(cookie.get(k), str) for k in ("name", "value"))
        and all(isinstance(cookie.get(k, ""), str) for k in ("domain", "path", "url"))
        and cookie.get("sameSite", "Lax") in _SAME_SITE
        and isinstance(expires, int | float)
        and not isinstance(expires, bool)
    )


def _is_origin(origin: object) -> bool:
    if not isinstance(origin, dict) or not isinstance(origin.get("origin"), str):
        return False
    storage = origin.get("localStorage", [])
    return isinstance(storage, list) and all(
        isinstance(item, dict)
        and isinstance(item.get("name"), str)
        and isinstance(item.get("value"), str)
        for item in storage
    )
