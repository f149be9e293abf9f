"""Windows: a Task Scheduler task, created from XML with `schtasks /create /xml`.

The task runs as the member, only when they are logged on, so the Credential
Locker (the keyring) is open. Task Scheduler has no environment block: the
variables optout needs are set by `cmd /c` in front of the command."""

from __future__ import annotations

import os
import subprocess
import tempfile
from datetime import datetime
from xml.etree import ElementTree as ET

from optout.core.errors import EnvironmentProblem
from optout.scheduled.backends.base import (
    Installed,
    Job,
    Removal,
    Unreachable,
    first_line,
    run_tool,
)

_NS = "http://schemas.microsoft.com/windows/2004/02/mit/task"


def _sub(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, tag)
    if text is not None:
        element.text = text
    return element


def _command(job: Job) -> tuple[str, str]:
    """(program, arguments) for the task's Exec action."""
    program = subprocess.list2cmdline(job.argv)
    env = {"OPTOUT_NO_PROMPT": "1", "NO_COLOR": "1", **job.environment}
    sets = " && ".join(f'set "{key}={value}"' for key, value in env.items())
    return "cmd.exe", f"/d /c {sets} && {program}"


def render_task_xml(job: Job) -> str:
    cadence = job.cadence
    task = ET.Element("Task", {"version": "1.2", "xmlns": _NS})
    _sub(_sub(task, "RegistrationInfo"), "Description", f"optout: {cadence.describe()}")
    triggers = _sub(task, "Triggers")
    start = f"2026-01-01T{cadence.hour:02d}:{cadence.minute:02d}:00"
    if cadence.kind == "interval":
        trigger = _sub(triggers, "TimeTrigger")
        repetition = _sub(trigger, "Repetition")
        _sub(repetition, "Interval", f"PT{cadence.hours}H")
        _sub(repetition, "StopAtDurationEnd", "false")
        _sub(trigger, "StartBoundary", start)
    else:
        trigger = _sub(triggers, "CalendarTrigger")
        _sub(trigger, "StartBoundary", start)
        if cadence.kind == "daily":
            _sub(_sub(trigger, "ScheduleByDay"), "DaysInterval", "1")
        else:
            weekly = _sub(trigger, "ScheduleByWeek")
            _sub(weekly, "WeeksInterval", "1")
            _sub(_sub(weekly, "DaysOfWeek"), "Monday")
    _sub(trigger, "RandomDelay", "PT15M")
    _sub(trigger, "Enabled", "true")
    principal = _sub(_sub(task, "Principals"), "Principal", None)
    principal.set("id", "Author")
    _sub(principal, "LogonType", "InteractiveToken")
    _sub(principal, "RunLevel", "LeastPrivilege")
    settings = _sub(task, "Settings")
    _sub(settings, "StartWhenAvailable", "true")  # a missed run happens when it can
    _sub(settings, "MultipleInstancesPolicy", "IgnoreNew")
    _sub(settings, "ExecutionTimeLimit", "PT1H")
    _sub(settings, "Hidden", "true")
    actions = _sub(task, "Actions", None)
    actions.set("Context", "Author")
    program, arguments = _command(job)
    exec_ = _sub(actions, "Exec")
    _sub(exec_, "Command", program)
    _sub(exec_, "Arguments", arguments)
    return ET.tostring(task, encoding="unicode")


class Schtasks:
    name = "schtasks"

    def available(self) -> bool:
        done = run_tool("schtasks", "/query", "/fo", "LIST")
        return done is not None and done.returncode == 0

    def install(self, job: Job) -> str:
        handle, path = tempfile.mkstemp(suffix=".xml")
        try:
            # Task Scheduler reads UTF-16 XML most reliably.
            with os.fdopen(handle, "w", encoding="utf-16") as out:
                out.write('<?xml version="1.0" encoding="UTF-16"?>\n' + render_task_xml(job))
            done = run_tool("schtasks", "/create", "/tn", job.name, "/xml", path, "/f")
        finally:
            os.unlink(path)
        if done is None or done.returncode != 0:
            raise EnvironmentProblem(f"`schtasks /create` failed: {first_line(done)}.")
        return f"the task {job.name}"

    def remove(self, job_id: str) -> Removal:
        if self.status(job_id) is None:
            return Removal(False)
        done = run_tool("schtasks", "/delete", "/tn", f"optout-{job_id}", "/f")
        if done is None or done.returncode != 0:
            raise EnvironmentProblem(f"`schtasks /delete` failed: {first_line(done)}.")
        return Removal(True)

    def status(self, job_id: str) -> Installed | None:
        done = run_tool("schtasks", "/query", "/tn", f"optout-{job_id}", "/fo", "LIST", "/v")
        if done is None:
            raise Unreachable("`schtasks` is not available.")
        if done.returncode != 0:
            return None
        next_run = None
        for line in done.stdout.splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "Next Run Time":
                next_run = _parse_time(value.strip())
        return Installed(self.name, f"the task optout-{job_id}", next_run)


def _parse_time(text: str) -> datetime | None:
    for layout in ("%m/%d/%Y %I:%M:%S %p", "%d/%m/%Y %H:%M:%S", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(text, layout).astimezone()
        except ValueError:
            continue
    return None
