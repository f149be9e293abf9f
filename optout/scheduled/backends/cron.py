"""The user's crontab, where systemd user timers are missing (or asked for).

optout's line carries a marker comment with the job id; only that line is ever
added or removed. Other entries stay (python-crontab rewrites the crontab whole,
and may respace their time fields).
"""

from __future__ import annotations

import shlex
import shutil
from typing import Any

from optout.core.errors import EnvironmentProblem
from optout.scheduled.backends.base import Installed, Job, Removal, Unreachable, run_tool, tool
from optout.scheduled.backends.cadence import cron_schedule


def _marker(job_id: str) -> str:
    return f"optout:{job_id}"


def render_cron_line(job: Job) -> str:
    """The command part: environment, then the absolute command, all shell-quoted."""
    env = ["OPTOUT_NO_PROMPT=1", "NO_COLOR=1"]
    env += [f"{key}={shlex.quote(value)}" for key, value in job.environment.items()]
    return " ".join([*env, *(shlex.quote(word) for word in job.argv)])


def _crontab() -> Any:
    from crontab import CronTab

    command = tool("crontab")
    if shutil.which(command) is None:
        raise Unreachable(f"There is no `crontab` program ({command}).")
    table = CronTab()  # nothing read yet: the command may be replaced first
    table.cron_command = command
    table._user = True  # python-crontab keeps "whose crontab" here
    try:
        table.read()
    except OSError as exc:
        raise Unreachable(f"Cannot read your crontab: {_one_line(exc)}.") from exc
    return table


def _one_line(exc: OSError) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def _write(table: Any) -> None:
    try:
        table.write()
    except OSError as exc:
        raise EnvironmentProblem(f"Cannot write your crontab: {_one_line(exc)}.") from exc


class Cron:
    name = "cron"

    def available(self) -> bool:
        done = run_tool("crontab", "-l")
        return done is not None and (done.returncode == 0 or "no crontab" in done.stderr)

    def install(self, job: Job) -> str:
        schedule = cron_schedule(job.cadence)  # ValueError before anything is touched
        table = _crontab()
        table.remove_all(comment=_marker(job.job_id))
        entry = table.new(command=render_cron_line(job), comment=_marker(job.job_id))
        entry.setall(schedule)
        _write(table)
        return f"your crontab: {schedule} (marked {_marker(job.job_id)})"

    def remove(self, job_id: str) -> Removal:
        table = _crontab()
        found = list(table.find_comment(_marker(job_id)))
        if not found:
            return Removal(False)
        table.remove_all(comment=_marker(job_id))
        _write(table)
        return Removal(True)

    def status(self, job_id: str) -> Installed | None:
        found = list(_crontab().find_comment(_marker(job_id)))
        if not found:
            return None
        return Installed(self.name, f"your crontab: {found[0].slices} ({_marker(job_id)})")
