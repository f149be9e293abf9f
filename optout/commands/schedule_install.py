"""`optout schedule install`: the job in the OS scheduler, its record and notice
targets, all of them or none; and an earlier job in another scheduler removed."""

from __future__ import annotations

import json
import os
import shlex
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.markup import escape

from optout.commands.schedule import read_record, record_path
from optout.core.config import Settings
from optout.core.errors import EnvironmentProblem, ExitStatus, OptoutError
from optout.core.private_files import read_file, write_private_file
from optout.core.setting_choice import SettingChoice
from optout.storage.accounts import AccountRegistry

if TYPE_CHECKING:
    from optout.commands.context import CommandContext
    from optout.output.terminal import Ui
    from optout.scheduled.backends import Job, Scheduler


def _optout_command() -> list[str]:
    """The absolute command that runs this optout, for the scheduler to start."""
    import shutil

    name = "optout.exe" if sys.platform.startswith("win") else "optout"
    beside = Path(sys.executable).with_name(name)  # the venv's or pipx's console script
    if beside.is_file():
        return [str(beside)]
    found = shutil.which("optout")
    if found:
        return [str(Path(found).resolve())]
    return [sys.executable, "-m", "optout"]


# Carried into the scheduled job when set at install time: where optout's files are and
# which LinkedIn, browser and keyring it uses. Never a secret.
CARRIED_ENV = (
    "OPTOUT_HOME",
    "OPTOUT_BASE_URL",
    "OPTOUT_BROWSER",
    "OPTOUT_TIMEOUT",
    "OPTOUT_HISTORY_DAYS",
    "PYTHON_KEYRING_BACKEND",
)


@dataclass(frozen=True)
class InstallRequest:
    every: str
    at: str | None
    fix: bool
    notify_urls: list[str]
    notify_every_run: bool
    choice: SettingChoice
    scheduler: str
    notify_stdin: bool = False  # also read targets from stdin: argv is visible to all


def install_command(cmd: CommandContext, request: InstallRequest) -> ExitStatus:
    import click

    from optout.commands.notify import notice_targets
    from optout.output.json_output import to_json
    from optout.scheduled.backends import choose
    from optout.scheduled.backends.base import Job
    from optout.scheduled.backends.cadence import parse_cadence
    from optout.scheduled.notices import home_id

    ui, settings = cmd.ui, cmd.settings
    try:
        cadence = parse_cadence(request.every, request.at)
        backend = choose(request.scheduler)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    urls = notice_targets(request.notify_urls, from_stdin=request.notify_stdin, ui=ui)
    argv = [*_optout_command(), "schedule", "run"]
    argv += request.choice.argv()
    argv += ["--fix"] * request.fix + ["--notify-every-run"] * request.notify_every_run
    env = {name: os.environ[name] for name in CARRIED_ENV if os.environ.get(name)}
    job = Job(argv=argv, environment=env, cadence=cadence, job_id=home_id(settings))
    record = {
        "scheduler": backend.name,
        "every": cadence.describe(),
        "cadence": {"every": request.every, "at": request.at},
        "command": argv,
        "installed_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    earlier = (read_record(settings, {}) or {}).get("scheduler")
    where = _install_whole(settings, backend, job, urls, record)
    _remove_earlier_elsewhere(ui, job.job_id, backend.name, earlier)
    accounts = AccountRegistry(settings.paths.accounts_file).names()
    if cmd.as_json:
        ui.print_json(to_json({**record, "installed": where, "error": None}))
        return ExitStatus.OK
    ui.out.print(f"[green]Installed[/] ({escape(backend.name)}): {escape(where)}")
    ui.out.print(f"Runs {escape(cadence.describe())}: {escape(shlex.join(argv))}")
    if backend.name == "systemd":
        ui.info("The timer runs while you are logged in; `loginctl enable-linger` keeps it going.")
    if not accounts:
        ui.info("No account yet: run `optout login --account EMAIL` before the first run.")
    return ExitStatus.OK


def _install_whole(
    settings: Settings, backend: Scheduler, job: Job, urls: list[str], record: dict[str, Any]
) -> str:
    """Notice targets, the record, then the job: all of them, or none (as before)."""
    import click

    from optout.scheduled.backends.base import NotUndone
    from optout.storage import credentials

    path = record_path(settings)
    urls_before = credentials.get_notify_urls(job.job_id) if urls else None
    record_before = read_file(path)
    try:
        if urls:
            credentials.set_notify_urls(job.job_id, urls)
        write_private_file(path, json.dumps(record, indent=2).encode("utf-8"))
        return backend.install(job)
    except BaseException as exc:
        left = _undo_install(job.job_id, urls_before, path, record_before)
        cause = exc.cause if isinstance(exc, NotUndone) else exc
        left = (exc.left if isinstance(exc, NotUndone) else []) + left
        message = cause.message if isinstance(cause, OptoutError) else str(cause)
        if left:
            message = f"{message} Not undone, remove by hand: {'; '.join(left)}."
        elif isinstance(cause, OptoutError):
            message = f"{message.rstrip('.')}. Nothing was changed."
        if isinstance(cause, ValueError):
            raise click.UsageError(message) from None
        if isinstance(cause, OptoutError):
            raise EnvironmentProblem(message) from exc
        raise


def _remove_earlier_elsewhere(ui: Ui, job_id: str, installed_in: str, earlier: object) -> None:
    """The job an earlier install put in another scheduler goes: it would run too. What
    is said goes to stderr, with --json too: the member must hear of a job left."""
    from optout.scheduled.backends import remove_everywhere

    cleanup = remove_everywhere(job_id, keep=installed_in)
    said = []
    for name in cleanup.removed:
        why = cleanup.unchecked.get(name)
        said.append(
            f"optout: removed the earlier job from {name}, but {why.rstrip('.')}: until then "
            "it may run too."
            if why
            else f"optout: removed the earlier job from {name}; it runs from {installed_in} now."
        )
    for name, why in cleanup.left.items():
        said.append(
            f"optout: the earlier job in {name} is still in place ({why.rstrip('.')}): it "
            "would run too; remove it by hand."
        )
    if earlier in cleanup.unchecked and earlier not in cleanup.removed:
        why = cleanup.unchecked[str(earlier)]
        said.append(
            f"optout: could not look for the earlier job in {earlier} ({why.rstrip('.')}); "
            "if it is there, it would run too: remove it by hand."
        )
    for line in said:
        ui.err.print(line, markup=False, highlight=False)


def _undo_install(
    scope: str, urls_before: list[str] | None, path: Path, record_before: bytes | None
) -> list[str]:
    """Put the keyring's notice targets and the record back; what could not be."""
    from optout.core.private_files import remove_file
    from optout.storage import credentials

    left = []
    if urls_before is not None:
        try:
            credentials.set_notify_urls(scope, urls_before)
        except OptoutError as exc:
            left.append(f"the notice targets stored in the keyring ({exc.message})")
    try:
        if record_before is None:
            remove_file(path)
        else:
            write_private_file(path, record_before)
    except OptoutError as exc:
        left.append(exc.message)
    return left
