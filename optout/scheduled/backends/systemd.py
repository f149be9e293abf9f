"""Linux: a systemd user timer and the service it starts.

`Persistent=true` runs a check missed while the machine was off at the next
boot; `RandomizedDelaySec` keeps many machines from reaching LinkedIn at once.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

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
from optout.scheduled.backends.cadence import Cadence, systemd_calendar


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
        before = Snapshot(service, timer, _wants(timer))
        reloaded = False
        try:
            try:
                service.parent.mkdir(parents=True, exist_ok=True)
                service.write_text(render_service(job), encoding="utf-8")
                timer.write_text(render_timer(job), encoding="utf-8")
            except OSError as exc:
                raise EnvironmentProblem(f"Cannot write {service.parent}: {exc.strerror}.") from exc
            _systemctl("daemon-reload")
            reloaded = True
            _systemctl("enable", "--now", timer.name)
        except BaseException as exc:
            # All or nothing: a half-written job would look installed to `schedule status`.
            left = before.restore()
            if reloaded:
                run_tool("systemctl", "--user", "daemon-reload")
            raise_if_left(exc, left)
            raise
        return f"{timer} and {service.name}"

    def remove(self, job_id: str) -> Removal:
        service, timer = self._files(job_id)
        wants = _wants(timer)
        if not any(path.exists() or path.is_symlink() for path in (service, timer, wants)):
            return Removal(False)
        disabled = run_tool("systemctl", "--user", "disable", "--now", timer.name)
        # Without a user manager `disable` cannot drop the link that starts the timer.
        for path in (wants, timer, service):
            remove_file(path)
        run_tool("systemctl", "--user", "daemon-reload")
        if disabled is not None and disabled.returncode == 0:
            return Removal(True)
        return Removal(
            True,
            f"`systemctl --user disable` failed ({first_line(disabled)}); the unit files are "
            "removed, and a timer your user manager had loaded stops when it reloads "
            "(`systemctl --user daemon-reload` in your session)",
        )

    def status(self, job_id: str) -> Installed | None:
        service, timer = self._files(job_id)
        if not timer.exists():
            return None
        paths = [str(timer), str(service)]
        return Installed(self.name, str(timer), _next_elapse(timer.name), paths)


def _wants(timer: Path) -> Path:
    """The link `systemctl enable` makes so the timer starts with the user manager."""
    return timer.parent / "timers.target.wants" / timer.name


def _systemctl(*args: str) -> None:
    done = run_tool("systemctl", "--user", *args)
    if done is None or done.returncode != 0:
        raise EnvironmentProblem(
            f"`systemctl --user {' '.join(args)}` failed ({first_line(done)}); is a systemd "
            "user manager running for you? Use `--scheduler cron`, or start a user session "
            "(log in, or `loginctl enable-linger $USER`) and try again."
        )


def _next_elapse(timer: str) -> datetime | None:
    done = run_tool(
        "systemctl", "--user", "show", timer, "--property=NextElapseUSecRealtime", "--value",
        "--timestamp=unix",
    )  # fmt: skip
    text = done.stdout.strip() if done is not None and done.returncode == 0 else ""
    if text.startswith("@") and text[1:].isdigit():
        return datetime.fromtimestamp(int(text[1:]), UTC)
    return None
