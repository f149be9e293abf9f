"""Linux: a systemd user timer and the service it starts.

`Persistent=true` runs a check missed while the machine was off at the next
boot; `RandomizedDelaySec` keeps many machines from reaching LinkedIn at once.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from optout.errors import EnvironmentProblem
from optout.fsutil import remove_file
from optout.scheduler.base import Installed, Job, first_line, run_tool
from optout.scheduler.cadence import Cadence, systemd_calendar


def unit_dir() -> Path:
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "systemd" / "user"


def _quote(word: str) -> str:
    """One argument of ExecStart=/Environment=, quoted the way systemd reads it."""
    escaped = word.replace("\\", "\\\\").replace('"', '\\"').replace("%", "%%")
    if escaped and not any(ch.isspace() or ch in "\"'\\;$%" for ch in word):
        return escaped
    return f'"{escaped}"'


def render_service(job: Job) -> str:
    lines = [
        "[Unit]",
        "Description=optout: check LinkedIn's AI-training settings",
        "",
        "[Service]",
        "Type=oneshot",
        "Environment=OPTOUT_NO_PROMPT=1",
        "Environment=NO_COLOR=1",
        *(f"Environment={_quote(f'{key}={value}')}" for key, value in job.environment.items()),
        "ExecStart=" + " ".join(_quote(word) for word in job.argv),
        "Nice=10",
        "",
    ]
    return "\n".join(lines)


def _random_delay(cadence: Cadence) -> str:
    """Spread the runs a little, never by more than a quarter of the interval."""
    minutes = min(60, cadence.hours * 60 // 4) if cadence.kind == "interval" else 60
    return f"{minutes}min"


def render_timer(job: Job) -> str:
    calendar = systemd_calendar(job.cadence)
    if calendar is not None:
        when = [f"OnCalendar={calendar}", "Persistent=true"]
    else:  # e.g. every 5h: counted from the last run, as no calendar can say it
        when = ["OnActiveSec=5min", f"OnUnitActiveSec={job.cadence.hours}h"]
    lines = [
        "[Unit]",
        f"Description=optout: {job.cadence.describe()}",
        "",
        "[Timer]",
        *when,
        f"RandomizedDelaySec={_random_delay(job.cadence)}",
        f"Unit={job.name}.service",
        "",
        "[Install]",
        "WantedBy=timers.target",
        "",
    ]
    return "\n".join(lines)


class Systemd:
    name = "systemd"

    def available(self) -> bool:
        done = run_tool("systemctl", "--user", "show-environment")
        return done is not None and done.returncode == 0

    def _files(self, job_id: str) -> tuple[Path, Path]:
        base = unit_dir() / f"optout-{job_id}"
        return base.with_suffix(".service"), base.with_suffix(".timer")

    def install(self, job: Job) -> str:
        service, timer = self._files(job.job_id)
        try:
            service.parent.mkdir(parents=True, exist_ok=True)
            service.write_text(render_service(job), encoding="utf-8")
            timer.write_text(render_timer(job), encoding="utf-8")
        except OSError as exc:
            raise EnvironmentProblem(f"Cannot write {service.parent}: {exc.strerror}.") from exc
        for args in (("daemon-reload",), ("enable", "--now", timer.name)):
            done = run_tool("systemctl", "--user", *args)
            if done is None or done.returncode != 0:
                raise EnvironmentProblem(
                    f"`systemctl --user {' '.join(args)}` failed ({first_line(done)}); "
                    "is a systemd user session running? Try `--scheduler cron`."
                )
        return f"{timer} and {service.name}"

    def remove(self, job_id: str) -> bool:
        service, timer = self._files(job_id)
        if not (service.exists() or timer.exists()):
            return False
        run_tool("systemctl", "--user", "disable", "--now", timer.name)
        remove_file(timer)
        remove_file(service)
        run_tool("systemctl", "--user", "daemon-reload")
        return True

    def status(self, job_id: str) -> Installed | None:
        service, timer = self._files(job_id)
        if not timer.exists():
            return None
        paths = [str(timer), str(service)]
        return Installed(self.name, str(timer), _next_elapse(timer.name), paths)


def _next_elapse(timer: str) -> datetime | None:
    done = run_tool(
        "systemctl", "--user", "show", timer, "--property=NextElapseUSecRealtime", "--value",
        "--timestamp=unix",
    )  # fmt: skip
    text = done.stdout.strip() if done is not None and done.returncode == 0 else ""
    if text.startswith("@") and text[1:].isdigit():
        return datetime.fromtimestamp(int(text[1:]), UTC)
    return None
