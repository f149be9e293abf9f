"""The OS keyring: the one module that imports `keyring`.

Under one keyring service, each account has its password (username = the
account) and the key that encrypts its saved browser session
(username = "<account>#session-key").
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from typing import Any, TypeVar

import keyring
import keyring.backend
import keyring.errors
from jaraco.classes import properties
from keyring.backends import fail

from optout.errors import EnvironmentProblem

SERVICE = "optout"
_SESSION_KEY_SUFFIX = "#session-key"
_FIX = (
    "see `python -m keyring --list-backends`, or choose one with PYTHON_KEYRING_BACKEND "
    "(README: Troubleshooting)"
)

T = TypeVar("T")


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A keyring that lives in this process only: for the demo's fallback and unit tests."""

    @properties.classproperty
    def priority(cls) -> float:
        # Not viable for keyring's own discovery: used only when set explicitly,
        # never as a silent stand-in for a missing OS keyring.
        raise RuntimeError("the in-memory keyring is never chosen automatically")

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self._items[(service, username)]
        except KeyError:
            raise keyring.errors.PasswordDeleteError(username) from None


def use_memory_keyring() -> None:
    keyring.set_keyring(MemoryKeyring())


def backend_name() -> str:
    backend = keyring.get_keyring()
    return f"{type(backend).__module__}.{type(backend).__name__}"


def _describe(backend: Any) -> str:
    name = getattr(backend, "name", None)
    return str(name) if name else type(backend).__name__


def _call(action: Callable[[], T]) -> T:
    """Run one keyring operation; turn every backend failure into one clear line."""
    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring):
        raise EnvironmentProblem(
            "No usable keyring backend: optout keeps passwords only in the OS keyring. "
            "On Linux start a Secret Service (e.g. gnome-keyring) in your session; " + _FIX + "."
        )
    try:
        return action()
    except keyring.errors.KeyringLocked as exc:
        raise EnvironmentProblem(
            f"The keyring ({_describe(backend)}) is locked: unlock it (sign in to your desktop "
            f"session, or `gnome-keyring-daemon --unlock`) and try again; {_FIX}."
        ) from exc
    except keyring.errors.PasswordDeleteError:
        raise
    except Exception as exc:  # backends raise their own types (dbus, secretstorage...)
        raise EnvironmentProblem(
            f"The keyring ({_describe(backend)}) failed: {type(exc).__name__}: "
            f"{str(exc).splitlines()[0] if str(exc) else 'no details'}; {_FIX}."
        ) from exc


def get_password(account: str) -> str | None:
    return _call(lambda: keyring.get_password(SERVICE, account))


def set_password(account: str, password: str) -> None:
    _call(lambda: keyring.set_password(SERVICE, account, password))


def _delete(username: str) -> bool:
    def action() -> bool:
        try:
            keyring.delete_password(SERVICE, username)
        except keyring.errors.PasswordDeleteError:
            return False
        return True

    return _call(action)


def delete_password(account: str) -> bool:
    return _delete(account)


def get_session_key(account: str) -> str | None:
    return _call(lambda: keyring.get_password(SERVICE, account + _SESSION_KEY_SUFFIX))


def set_session_key(account: str, key: str) -> None:
    _call(lambda: keyring.set_password(SERVICE, account + _SESSION_KEY_SUFFIX, key))


def delete_session_key(account: str) -> bool:
    return _delete(account + _SESSION_KEY_SUFFIX)


def probe() -> str:
    """Write, read back and remove a throwaway entry; the backend's name if all worked."""
    # Unique per call: two runs probing at once must not delete each other's entry.
    marker = f"#probe-{os.getpid()}-{secrets.token_hex(4)}"

    def action() -> None:
        keyring.set_password(SERVICE, marker, "probe")
        if keyring.get_password(SERVICE, marker) != "probe":
            raise RuntimeError("a value written could not be read back")
        keyring.delete_password(SERVICE, marker)

    _call(action)
    return _describe(keyring.get_keyring())
