"""What every scheduler backend shares: the job, what is installed, and how the
scheduler's own commands run (replaceable by recorders in tests, as git does)."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from optout.scheduler.cadence import Cadence

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


class Scheduler(Protocol):
    name: str

    def available(self) -> bool: ...
    def install(self, job: Job) -> str: ...
    def remove(self, job_id: str) -> bool: ...
    def status(self, job_id: str) -> Installed | None: ...


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
