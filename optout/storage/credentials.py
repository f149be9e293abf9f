"""The OS keyring: the one module that imports `keyring`.

An account's secrets belong to the LinkedIn origin they were stored for: under
the keyring service of that origin ("optout" for https://www.linkedin.com,
"optout@<origin>" for any other, such as a sandbox), each account has its
password (username = the account), the key that encrypts its saved browser
session (username = "<account>#session-key") and, if the member chose to store
it, the secret of their authenticator app (username = "<account>#totp"). So a
test or sandbox origin never reads or overwrites a real account's entries, and
a password is only looked up for the origin it is about to be sent to.
The notification URLs belong to an optout home, not to an origin: service
"optout", username "#notify-urls@<home id>".
"""

from __future__ import annotations

import json
import os
import secrets
import sys
import threading
from collections.abc import Callable
from importlib.metadata import entry_points
from importlib.util import find_spec
from typing import Any, TypeVar

import keyring
import keyring.backend
import keyring.errors
from jaraco.classes import properties
from keyring.backends import fail
from keyring.util import platform_

from optout.core import scrubber
from optout.core.config import DEFAULT_ORIGIN, origin_of
from optout.core.errors import EnvironmentProblem

SERVICE = "optout"
_SESSION_KEY_SUFFIX = "#session-key"
_TOTP_SUFFIX = "#totp"
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


# keyring's own backends, by entry-point name: where no other is installed, its
# discovery on Linux can only end with the Secret Service (see _secret_service_alone).
_KEYRING_OWN = {"KWallet", "SecretService", "Windows", "chainer", "libsecret", "macOS"}
_choice = threading.Lock()
_chosen = False  # a backend was chosen (or set through this module) for this process


def use_memory_keyring() -> None:
    global _chosen
    with _choice:
        _chosen = True
        keyring.set_keyring(MemoryKeyring())


def _secret_service_on_one_connection() -> keyring.backend.KeyringBackend:
    """keyring's Secret Service backend, its reads and writes over one connection and one
    session per process (optout.storage.secret_service says why). Made here, as it is
    chosen: keyring's Secret Service module, and the D-Bus libraries, load only then."""
    from keyring.backends import SecretService

    from optout.storage import secret_service

    class OnOneConnection(SecretService.Keyring):
        builds_on = SecretService.Keyring  # what `backend_name` and `optout doctor` name
        name = SecretService.Keyring.name

        def __init__(self) -> None:
            super().__init__()  # type: ignore[no-untyped-call]
            self._one = secret_service.OneConnection(getattr(self, "preferred_collection", None))

        def _attributes(self, service: str, username: str, **more: str) -> dict[str, str]:
            names = self.schemes[self.scheme]  # keyring's own names for the two
            return {names["username"]: username, names["service"]: service, **more}

        def _run(self, operation: Callable[[Any], T]) -> T:
            try:
                return self._one.run(operation)
            except secret_service.CollectionLocked as exc:
                raise keyring.errors.KeyringLocked(str(exc)) from exc

        def get_password(self, service: str, username: str) -> str | None:
            found = self._attributes(service, username)
            return self._run(lambda collection: secret_service.read_secret(collection, found))

        def set_password(self, service: str, username: str, password: str) -> None:
            attributes = self._attributes(service, username, application=self.appid)
            label = f"Password for '{username}' on '{service}'"
            self._run(lambda c: secret_service.write_secret(c, label, attributes, password))

        def delete_password(self, service: str, username: str) -> None:
            found = self._attributes(service, username)
            if not self._run(lambda collection: secret_service.delete_secret(collection, found)):
                raise keyring.errors.PasswordDeleteError("No such password!")

    return OnOneConnection()


def _secret_service_alone() -> keyring.backend.KeyringBackend | None:
    """The Secret Service backend, where keyring's discovery could pick nothing else.

    Discovery imports every backend, and on Linux the macOS one runs ldconfig, gcc
    and ld looking for its library: about 0.1 s of every run. So on Linux, when
    nothing names a backend (PYTHON_KEYRING_BACKEND, keyringrc.cfg), only keyring's
    own backends are installed, and neither KWallet's bindings (dbus) nor libsecret's
    (gi) can be imported, the one backend discovery could choose is taken directly,
    on one connection (_secret_service_on_one_connection). Anywhere else (None)
    discovery decides, as before."""
    if not sys.platform.startswith("linux") or os.environ.get("PYTHON_KEYRING_BACKEND"):
        return None
    if (platform_.config_root() / "keyringrc.cfg").exists():
        return None
    if {ep.name for ep in entry_points(group="keyring.backends")} - _KEYRING_OWN:
        return None
    if find_spec("dbus") is not None or find_spec("gi") is not None:
        return None
    from keyring.backends import SecretService

    try:
        SecretService.Keyring.priority  # noqa: B018  (raises where it cannot work)
    except Exception:  # any reason it is not viable: discovery then says why
        return None
    return _secret_service_on_one_connection()


def _backend() -> keyring.backend.KeyringBackend:
    """The keyring backend of this process, chosen once (see _secret_service_alone)."""
    global _chosen
    with _choice:
        if not _chosen:
            _chosen = True
            alone = _secret_service_alone()
            if alone is not None:
                keyring.set_keyring(alone)
    return keyring.get_keyring()


def backend_name() -> str:
    """The backend's class: for optout's Secret Service on one connection, keyring's own."""
    backend = _backend()
    kind = getattr(backend, "builds_on", type(backend))
    return f"{kind.__module__}.{kind.__name__}"


def _describe(backend: Any) -> str:
    name = getattr(backend, "name", None)
    return str(name) if name else type(backend).__name__


def _call(action: Callable[[], T]) -> T:
    """Run one keyring operation; turn every backend failure into one clear line."""
    backend = _backend()
    if isinstance(backend, fail.Keyring):
        raise EnvironmentProblem("No usable keyring backend: " + _why_no_backend())
    try:
        return action()
    except keyring.errors.KeyringLocked as exc:
        raise EnvironmentProblem(
            f"The keyring ({_describe(backend)}) is locked: {_how_to_unlock()}; {_FIX}."
        ) from exc
    except keyring.errors.PasswordDeleteError:
        raise
    except Exception as exc:  # backends raise their own types (dbus, secretstorage...)
        raise EnvironmentProblem(
            f"The keyring ({_describe(backend)}) failed: {type(exc).__name__}: "
            f"{str(exc).splitlines()[0] if str(exc) else 'no details'}; {_FIX}."
        ) from exc


def _how_to_unlock() -> str:
    if sys.platform == "darwin":
        # cron jobs run outside the login session, where the login keychain stays locked.
        return (
            "macOS opens the login keychain only to your logged-in session, so run scheduled "
            "checks as a LaunchAgent (`optout schedule install`), not from cron, or unlock it "
            "with `security unlock-keychain`"
        )
    return (
        "unlock it (sign in to your desktop session, or `gnome-keyring-daemon --unlock`) "
        "and try again"
    )


def _why_no_backend() -> str:
    if sys.platform.startswith("linux") and not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        # The usual case of a scheduled job: cron and system services get no session bus.
        bus = f"/run/user/{os.getuid()}/bus"
        return (
            "this process has no D-Bus session bus, so the Secret Service cannot be reached "
            "(as under cron or a system service); run it from a systemd user timer "
            f"(`optout schedule install`), or set DBUS_SESSION_BUS_ADDRESS=unix:path={bus} "
            "while you are logged in (`loginctl enable-linger` keeps it up); " + _FIX + "."
        )
    return (
        "optout keeps passwords only in the OS keyring. On Linux start a Secret Service "
        "(e.g. gnome-keyring) in your session; " + _FIX + "."
    )


def _secret(value: str | None) -> str | None:
    """A secret read from or given to the keyring: never written whole from now on."""
    scrubber.remember(value)
    return value


def service_for(origin: str) -> str:
    """The keyring service holding the accounts of this LinkedIn origin (or base URL)."""
    own = origin_of(origin)
    # The real site keeps the plain name, so entries stored by earlier versions stay found.
    return SERVICE if own == DEFAULT_ORIGIN else f"{SERVICE}@{own}"


def _get(origin: str, username: str) -> str | None:
    return _secret(_call(lambda: keyring.get_password(service_for(origin), username)))


def _set(origin: str, username: str, value: str) -> None:
    _secret(value)
    _call(lambda: keyring.set_password(service_for(origin), username, value))


def _delete(service: str, username: str) -> bool:
    def action() -> bool:
        try:
            keyring.delete_password(service, username)
        except keyring.errors.PasswordDeleteError:
            return False
        return True

    return _call(action)


def get_password(account: str, *, origin: str) -> str | None:
    return _get(origin, account)


def set_password(account: str, password: str, *, origin: str) -> None:
    _set(origin, account, password)


def delete_password(account: str, *, origin: str) -> bool:
    return _delete(service_for(origin), account)


def get_session_key(account: str, *, origin: str) -> str | None:
    return _get(origin, account + _SESSION_KEY_SUFFIX)


def set_session_key(account: str, key: str, *, origin: str) -> None:
    _set(origin, account + _SESSION_KEY_SUFFIX, key)


def delete_session_key(account: str, *, origin: str) -> bool:
    return _delete(service_for(origin), account + _SESSION_KEY_SUFFIX)


def get_totp_secret(account: str, *, origin: str) -> str | None:
    return _get(origin, account + _TOTP_SUFFIX)


def set_totp_secret(account: str, secret: str, *, origin: str) -> None:
    _set(origin, account + _TOTP_SUFFIX, secret)


def forget_account(account: str, *, origin: str) -> list[str]:
    """Remove every secret of `account` at `origin`; the names of those that existed."""
    removed = []
    for what, suffix in (("password", ""), ("session key", _SESSION_KEY_SUFFIX),
                         ("authenticator secret", _TOTP_SUFFIX)):  # fmt: skip
        if _delete(service_for(origin), account + suffix):
            removed.append(what)
    return removed


# Notification URLs often carry a token or a mail password: they live here too,
# one list per optout home (`scope`), so two homes on one machine stay apart.
_NOTIFY_PREFIX = "#notify-urls@"


def get_notify_urls(scope: str) -> list[str]:
    raw = _call(lambda: keyring.get_password(SERVICE, _NOTIFY_PREFIX + scope))
    if not raw:
        return []
    try:
        urls = json.loads(raw)
    except ValueError:
        return []
    found = [str(url) for url in urls] if isinstance(urls, list) else []
    for url in found:
        scrubber.remember_url(url)
    return found


def set_notify_urls(scope: str, urls: list[str]) -> None:
    for url in urls:
        scrubber.remember_url(url)
    if urls:
        _call(lambda: keyring.set_password(SERVICE, _NOTIFY_PREFIX + scope, json.dumps(urls)))
    else:
        _delete(SERVICE, _NOTIFY_PREFIX + scope)


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
    return _describe(_backend())
