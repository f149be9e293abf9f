"""Installing optout's periodic check in the OS scheduler, modelled on
`git maintenance start`: systemd user timers (or cron) on Linux, launchd on
macOS, Task Scheduler on Windows. Tests replace the schedulers' commands with
recorders through OPTOUT_SCHEDULER_COMMANDS."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

from optout.core.errors import EnvironmentProblem
from optout.scheduled.backends.base import Installed, Job, Scheduler, Unreachable
from optout.scheduled.backends.cron import Cron
from optout.scheduled.backends.launchd import Launchd
from optout.scheduled.backends.schtasks import Schtasks
from optout.scheduled.backends.systemd import Systemd

__all__ = ["SCHEDULERS", "Cleanup", "Installed", "Job", "Scheduler", "Survey", "backend", "choose"]

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


@dataclass
class Survey:
    """Where optout's job is installed, and which schedulers could not be asked."""

    installed: list[Installed] = field(default_factory=list)
    unchecked: dict[str, str] = field(default_factory=dict)  # scheduler: why not


def installed_everywhere(job_id: str, platform: str = sys.platform) -> Survey:
    survey = Survey()
    for name in native(platform):
        try:
            status = backend(name).status(job_id)
        except Unreachable as exc:
            survey.unchecked[name] = exc.message
            continue
        if status is not None:
            survey.installed.append(status)
    return survey


@dataclass
class Cleanup:
    """What `remove_everywhere` removed, could not check, and could not remove."""

    removed: list[str] = field(default_factory=list)
    unchecked: dict[str, str] = field(default_factory=dict)  # what: why it is not known
    left: dict[str, str] = field(default_factory=dict)  # what: why it stays


def remove_everywhere(
    job_id: str, platform: str = sys.platform, *, keep: str | None = None
) -> Cleanup:
    """Remove the job from every scheduler of this platform (but `keep`), each on its
    own: one that cannot be asked must not keep the others' parts in place."""
    cleanup = Cleanup()
    for name in native(platform):
        if name == keep:
            continue
        try:
            removal = backend(name).remove(job_id)
        except Unreachable as exc:
            cleanup.unchecked[name] = exc.message
            continue
        except EnvironmentProblem as exc:
            cleanup.left[name] = exc.message
            continue
        if removal.found:
            cleanup.removed.append(name)
        if removal.unchecked:
            cleanup.unchecked[name] = removal.unchecked
    return cleanup
