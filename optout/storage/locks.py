"""One optout run per account at a time, across processes.

An OS file lock (flock on Unix, LockFileEx on Windows): the OS lets go of it when
its process dies, so a lock left by a killed run is simply taken over.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path

from optout.core.errors import EnvironmentProblem
from optout.storage.private_files import (
    adopt_legacy,
    ensure_private_dir,
    read_file,
    write_private_file,
)

# How long a second run waits for the first before it gives up.
LOCK_WAIT_S = 5.0


def _lock_path(locks_dir: Path, name: str) -> Path:
    """The lock's file. One an earlier version made under the old name (a run of that
    version may still hold it) is taken over when that name is this one unchanged. A
    lock holds nothing: were the old file another account's, a run would only wait."""
    return adopt_legacy(locks_dir, name, ".lock", belongs=lambda old: old.name == name + ".lock")


@contextmanager
def held(locks_dir: Path, name: str, *, wait_s: float = LOCK_WAIT_S) -> Iterator[None]:
    """Hold the lock called `name` for the block, or say who holds it (exit 6)."""
    import filelock

    path = _lock_path(ensure_private_dir(locks_dir), name)
    owner_file = path.with_suffix(".owner")
    lock = filelock.FileLock(path, timeout=wait_s, mode=0o600)
    try:
        lock.acquire()
    except filelock.Timeout:
        raise EnvironmentProblem(
            f"Another optout run for {name} is still going{_describe_owner(owner_file)}; "
            "try again when it has finished."
        ) from None
    try:
        owner = {"pid": os.getpid(), "since": datetime.now(UTC).isoformat(timespec="seconds")}
        write_private_file(owner_file, json.dumps(owner).encode("utf-8"))
        yield
    finally:
        with suppress(OSError):
            owner_file.unlink()
        lock.release()


def _describe_owner(owner_file: Path) -> str:
    try:
        owner = json.loads(read_file(owner_file) or b"{}")
        return f" (process {int(owner['pid'])}, since {owner['since']})"
    except (ValueError, KeyError, TypeError, EnvironmentProblem):
        return ""
