"""What every scheduler backend shares: the job, what is installed, and how the
scheduler's own commands run (replaceable by recorders in tests, as git does)."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol

from optout.core.errors import EnvironmentProblem, OptoutError
from optout.scheduled.backends.cadence import Cadence

# `systemctl=/path/to/recorder,crontab=/other`: run these instead of the real tools.
COMMANDS_ENV = "OPTOUT_SCHEDULER_COMMANDS"
TOOL_TIMEOUT_S = 30


@dataclass(frozen=True)
class Job:
    """`argv` starts with the absolute path of optout; `environment` holds no secret."""

    argv: list[str]
    environment: dict[str, str]
    cadence: Cadence
    job_id: str  # a short id of the optout home, so two homes never clash

    @property
    def name(self) -> str:
        return f"optout-{self.job_id}"


@dataclass(frozen=True)
class Installed:
    scheduler: str
    detail: str  # where: files, a crontab line, a task name
    next_run: datetime | None = None
    paths: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return {
            "scheduler": self.scheduler,
            "detail": self.detail,
            "next_run": self.next_run.isoformat(timespec="seconds") if self.next_run else None,
        }


@dataclass(frozen=True)
class Removal:
    found: bool  # optout's job was there, and is gone
    unchecked: str = ""  # what could not be confirmed gone, and why


class Unreachable(EnvironmentProblem):
    """The scheduler could not be asked (its command is missing or nobody answers), so
    whether optout's job is there is not known."""


class NotUndone(EnvironmentProblem):
    """An install failed, and some of what it wrote could not be removed again."""

    def __init__(self, cause: OptoutError, left: list[str]) -> None:
        super().__init__(f"{cause.message} Not undone, remove by hand: {'; '.join(left)}.")
        self.cause = cause
        self.left = left


class Scheduler(Protocol):
    name: str

    def available(self) -> bool: ...

    def install(self, job: Job) -> str:
        """Install or replace the job; on failure what was there before is put back."""
        ...

    def remove(self, job_id: str) -> Removal:
        """Remove the job; Unreachable when it cannot look, EnvironmentProblem when
        something of the job stays."""
        ...

    def status(self, job_id: str) -> Installed | None:
        """The job as installed, None when it is not; Unreachable when it cannot look."""
        ...


_Saved = tuple[bool, bytes] | None  # (a symlink?, its target or the file's bytes)


class Snapshot:
    """Files (and symlinks) as they were before an install, to put back if it fails."""

    def __init__(self, *paths: Path) -> None:
        self._before: dict[Path, _Saved] = {path: self._save(path) for path in paths}

    @staticmethod
    def _save(path: Path) -> _Saved:
        if path.is_symlink():
            return (True, os.fsencode(os.readlink(path)))
        try:
            return (False, path.read_bytes())
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise EnvironmentProblem(f"Cannot read {path}: {exc.strerror}.") from exc

    def restore(self) -> list[str]:
        """Put every file back; what could not be (path: reason)."""
        problems = []
        for path, saved in self._before.items():
            try:
                path.unlink(missing_ok=True)
                if saved is not None and saved[0]:
                    path.symlink_to(os.fsdecode(saved[1]))
                elif saved is not None:
                    path.write_bytes(saved[1])
            except OSError as exc:
                problems.append(f"{path}: {exc.strerror}")
        return problems


def tool(name: str) -> str:
    """The command to run for scheduler tool `name`."""
    for pair in os.environ.get(COMMANDS_ENV, "").split(","):
        key, _, path = pair.partition("=")
        if key.strip() == name and path.strip():
            return path.strip()
    return shutil.which(name) or name


def run_tool(name: str, *args: str) -> subprocess.CompletedProcess[str] | None:
    """Run a scheduler tool; None when it is not installed or does not answer."""
    try:
        return subprocess.run(
            [tool(name), *args],
            capture_output=True,
            text=True,
            timeout=TOOL_TIMEOUT_S,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None


def first_line(done: subprocess.CompletedProcess[str] | None) -> str:
    if done is None:
        return "the command is not available"
    text = (done.stderr or done.stdout).strip()
    return text.splitlines()[0] if text else f"exit {done.returncode}"


def raise_if_left(exc: BaseException, left: list[str]) -> None:
    """After a failed install was undone: NotUndone when some files stayed."""
    if left and isinstance(exc, OptoutError):
        raise NotUndone(exc, left) from exc
