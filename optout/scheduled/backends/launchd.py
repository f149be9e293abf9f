"""macOS: a LaunchAgent in ~/Library/LaunchAgents, loaded with `launchctl bootstrap`.

A LaunchAgent runs in the member's login session, where the login keychain is
open (cron jobs run outside it)."""

from __future__ import annotations

import os
import plistlib
from pathlib import Path
from typing import Any

from optout.core.errors import EnvironmentProblem
from optout.core.private_files import remove_file
from optout.scheduled.backends.base import (
    Installed,
    Job,
    Removal,
    Snapshot,
    first_line,
    raise_if_left,
    run_tool,
)


def label(job_id: str) -> str:
    return f"io.github.optout.{job_id}"


def plist_path(job_id: str) -> Path:
    return Path.home() / "Library" / "LaunchAgents" / f"{label(job_id)}.plist"


def render_plist(job: Job) -> bytes:
    cadence = job.cadence
    agent: dict[str, Any] = {
        "Label": label(job.job_id),
        "ProgramArguments": list(job.argv),
        "EnvironmentVariables": {"OPTOUT_NO_PROMPT": "1", "NO_COLOR": "1", **job.environment},
        "RunAtLoad": False,
        "ProcessType": "Background",
        "LowPriorityIO": True,
    }
    if cadence.kind == "interval":
        agent["StartInterval"] = cadence.hours * 3600
    else:
        when = {"Hour": cadence.hour, "Minute": cadence.minute}
        if cadence.kind == "weekly":
            when["Weekday"] = 1  # Monday
        agent["StartCalendarInterval"] = when
    return plistlib.dumps(agent)


def _domain() -> str:
    return f"gui/{os.getuid()}" if hasattr(os, "getuid") else "gui"


class Launchd:
    name = "launchd"

    def available(self) -> bool:
        done = run_tool("launchctl", "version")
        return done is not None and done.returncode == 0

    def install(self, job: Job) -> str:
        path = plist_path(job.job_id)
        before = Snapshot(path)
        try:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(render_plist(job))
            except OSError as exc:
                raise EnvironmentProblem(f"Cannot write {path}: {exc.strerror}.") from exc
            run_tool("launchctl", "bootout", f"{_domain()}/{label(job.job_id)}")  # if loaded
            done = run_tool("launchctl", "bootstrap", _domain(), str(path))
            if done is None or done.returncode != 0:
                raise EnvironmentProblem(f"`launchctl bootstrap` failed: {first_line(done)}.")
        except BaseException as exc:
            left = before.restore()
            if path.exists():  # the agent installed before was booted out: load it again
                run_tool("launchctl", "bootstrap", _domain(), str(path))
            raise_if_left(exc, left)
            raise
        return str(path)

    def remove(self, job_id: str) -> Removal:
        path = plist_path(job_id)
        if not path.exists():
            return Removal(False)
        done = run_tool("launchctl", "bootout", f"{_domain()}/{label(job_id)}")
        remove_file(path)
        if done is None:  # not loaded is no failure; no launchctl at all leaves it unknown
            return Removal(True, "`launchctl` is not available: a loaded agent runs until logout")
        return Removal(True)

    def status(self, job_id: str) -> Installed | None:
        path = plist_path(job_id)
        return Installed(self.name, str(path), None, [str(path)]) if path.exists() else None
