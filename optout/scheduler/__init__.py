"""Installing optout's periodic check in the OS scheduler, modelled on
`git maintenance start`: systemd user timers (or cron) on Linux, launchd on
macOS, Task Scheduler on Windows. Tests replace the schedulers' commands with
recorders through OPTOUT_SCHEDULER_COMMANDS."""

from __future__ import annotations

import sys

from optout.scheduler.base import Installed, Job, Scheduler
from optout.scheduler.cron import Cron
from optout.scheduler.launchd import Launchd
from optout.scheduler.schtasks import Schtasks
from optout.scheduler.systemd import Systemd

__all__ = ["SCHEDULERS", "Installed", "Job", "Scheduler", "backend", "choose"]

SCHEDULERS = ("systemd", "launchd", "cron", "schtasks")


def backend(name: str) -> Scheduler:
    backends: dict[str, Scheduler] = {
        "systemd": Systemd(),
        "launchd": Launchd(),
        "cron": Cron(),
        "schtasks": Schtasks(),
    }
    if name not in backends:
        raise ValueError(f"unknown scheduler {name!r} (known: auto, {', '.join(SCHEDULERS)})")
    return backends[name]


def native(platform: str = sys.platform) -> tuple[str, ...]:
    """The schedulers this platform has, the preferred first."""
    if platform.startswith("linux"):
        return ("systemd", "cron")
    if platform == "darwin":
        return ("launchd", "cron")
    if platform.startswith("win"):
        return ("schtasks",)
    return ("cron",)


def choose(name: str, platform: str = sys.platform) -> Scheduler:
    """`auto`: the platform's own scheduler, or on Linux cron where no systemd user
    instance answers (containers, WSL, servers without a user session)."""
    if name != "auto":
        return backend(name)
    candidates = native(platform)
    for candidate in candidates[:-1]:
        chosen = backend(candidate)
        if chosen.available():
            return chosen
    return backend(candidates[-1])


def installed_everywhere(job_id: str, platform: str = sys.platform) -> list[Installed]:
    found = (backend(name).status(job_id) for name in native(platform))
    return [status for status in found if status is not None]


def remove_everywhere(job_id: str, platform: str = sys.platform) -> list[str]:
    """Remove the job from every scheduler of this platform; what was removed."""
    removed = []
    for name in native(platform):
        if backend(name).remove(job_id):
            removed.append(name)
    return removed
