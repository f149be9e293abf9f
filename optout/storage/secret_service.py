"""The Secret Service (gnome-keyring, KeePassXC ...) over one D-Bus connection per process.

keyring's own Secret Service backend opens a new D-Bus connection and a new
encrypted session (a Diffie-Hellman exchange) for every read and write. That is
slow (about 10 ms of CPU each), and worse, it can stop gnome-keyring-daemon:
requests on a connection the daemon has not yet registered make it abort (a race
in gnome-keyring, reported up to its version 50; the daemon comes back locked).
Connections opened two at a time, as optout read its accounts' session keys, hit
it within 1,000 to 5,000 reads. Here all of a process's reads and writes share one
connection and one session, one operation at a time.
"""

from __future__ import annotations

import atexit
import threading
from collections.abc import Callable
from typing import TypeVar

import secretstorage

T = TypeVar("T")


class CollectionLocked(Exception):
    """The collection stayed locked: its unlock prompt was dismissed, or none can show."""


class OneConnection:
    """One connection to the Secret Service and its collection, opened at first use,
    kept until the process ends, and opened anew once if it stops answering (the
    daemon restarted, say), or if the daemon went away in the middle of the first call."""

    def __init__(self, collection_path: str | None = None) -> None:
        """`collection_path`: a collection's D-Bus path; None for the default one."""
        self._collection_path = collection_path
        self._lock = threading.Lock()  # a connection carries one call at a time
        self._collection: secretstorage.Collection | None = None
        atexit.register(self.close)

    def run(self, operation: Callable[[secretstorage.Collection], T]) -> T:
        """`operation` on the unlocked collection, one at a time in this process."""
        with self._lock:
            kept = self._collection is not None
            try:
                return operation(self._unlocked())
            except CollectionLocked:
                raise
            except Exception as exc:
                if not kept and not _went_away(exc):
                    raise
                self._close()  # the kept connection may be what failed: once more, anew
            return operation(self._unlocked())

    def close(self) -> None:
        with self._lock:
            self._close()

    def _close(self) -> None:
        collection, self._collection = self._collection, None
        if collection is not None:
            collection.connection.close()

    def _unlocked(self) -> secretstorage.Collection:
        if self._collection is None:
            self._collection = self._opened()
        _unlock(self._collection, "collection")
        return self._collection

    def _opened(self) -> secretstorage.Collection:
        connection = secretstorage.dbus_init()
        try:
            if self._collection_path:
                return secretstorage.Collection(connection, self._collection_path)
            return secretstorage.get_default_collection(connection)
        except BaseException:
            connection.close()
            raise


def _went_away(exc: Exception) -> bool:
    """The daemon left the bus in the middle of the call (gnome-keyring aborting; D-Bus
    starts it again at the next request): worth asking once more, even on a connection
    just opened. Any other failure of a new connection is the answer."""
    return "disconnected from message bus" in str(exc)


def read_secret(collection: secretstorage.Collection, attributes: dict[str, str]) -> str | None:
    """The secret of the first item with these attributes, or None."""
    for item in collection.search_items(attributes):
        _unlock(item, "item")
        secret = item.get_secret()
        # The session the item opened serves every later item of the collection.
        collection.session = collection.session or item.session
        return secret.decode("utf-8")
    return None


def write_secret(
    collection: secretstorage.Collection, label: str, attributes: dict[str, str], secret: str
) -> None:
    """Store `secret` in the item with these attributes (made, or replaced)."""
    collection.create_item(label, attributes, secret.encode("utf-8"), replace=True)


def delete_secret(collection: secretstorage.Collection, attributes: dict[str, str]) -> bool:
    """Delete the first item with these attributes; whether there was one."""
    for item in collection.search_items(attributes):
        item.delete()
        return True
    return False


def _unlock(locked: secretstorage.Collection | secretstorage.Item, what: str) -> None:
    """Unlock a collection or an item that is locked (the desktop's prompt, where there
    is one); CollectionLocked if it stays locked."""
    if locked.is_locked():
        locked.unlock()
        if locked.is_locked():
            raise CollectionLocked(f"the {what} stayed locked")
