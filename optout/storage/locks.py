"""One optout run per account at a time, across processes.

An OS file lock (flock on Unix, LockFileEx on Windows): the OS lets go of it when
its process dies, so a lock left by a killed run is simply taken over.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from optout.core.errors import EnvironmentProblem
from optout.core.private_files import (
    adopt_legacy,
    ensure_private_dir,
    read_file,
    write_private_file,
)

if TYPE_CHECKING:
    from filelock import BaseFileLock

# How long a second run waits for the first before it gives up.
LOCK_WAIT_S = 5.0
LOCK_POLL_S = 0.05


def _lock_path(locks_dir: Path, name: str) -> Path:
    """The lock's file. One an earlier version made under the old name (a run of that
    version may still hold it) is taken over when that name is this one unchanged. A
    lock holds nothing: were the old file another account's, a run would only wait."""
    return adopt_legacy(locks_dir, name, ".lock", belongs=lambda old: old.name == name + ".lock")


@contextmanager
def held(locks_dir: Path, name: str, *, wait_s: float = LOCK_WAIT_S) -> Iterator[None]:
    """Hold the lock called `name` for the block, or say who holds it (exit 6)."""
    import filelock

    lock, owner_file = _lock(locks_dir, name)
    try:
        lock.acquire(timeout=wait_s, poll_interval=LOCK_POLL_S)
    except filelock.Timeout:
        raise _busy(name, owner_file) from None
    with _owning(lock, owner_file):
        yield


@asynccontextmanager
async def held_meanwhile(
    locks_dir: Path, name: str, *, wait_s: float = LOCK_WAIT_S
) -> AsyncIterator[None]:
    """`held`, for a task of an event loop: while it waits for the lock, the loop's
    other tasks (other accounts) go on."""
    import filelock

    lock, owner_file = _lock(locks_dir, name)
    deadline = time.monotonic() + wait_s
    while True:
        try:
            lock.acquire(timeout=0)
            break
        except filelock.Timeout:
            if time.monotonic() >= deadline:
                raise _busy(name, owner_file) from None
        await asyncio.sleep(LOCK_POLL_S)
    with _owning(lock, owner_file):
        yield


def _lock(locks_dir: Path, name: str) -> tuple[BaseFileLock, Path]:
    import filelock

    path = _lock_path(ensure_private_dir(locks_dir), name)
    return filelock.FileLock(path, mode=0o600), path.with_suffix(".owner")


@contextmanager
def _owning(lock: BaseFileLock, owner_file: Path) -> Iterator[None]:
    """Say who holds the lock while the block runs; let go of it after, however it ends."""
    try:
        owner = {"pid": os.getpid(), "since": datetime.now(UTC).isoformat(timespec="seconds")}
        # Only says who holds the lock: no wait for the disk.
        write_private_file(owner_file, json.dumps(owner).encode("utf-8"), durable=False)
        yield
    finally:
        with suppress(OSError):
            owner_file.unlink()
        lock.release()


def _busy(name: str, owner_file: Path) -> EnvironmentProblem:
    return EnvironmentProblem(
        f"Another optout run for {name} is still going{_describe_owner(owner_file)}; "
        "try again when it has finished."
    )


def _describe_owner(owner_file: Path) -> str:
    try:
        owner = json.loads(read_file(owner_file) or b"{}")
        return f" (process {int(owner['pid'])}, since {owner['since']})"
    except (ValueError, KeyError, TypeError, EnvironmentProblem):
        return ""
