"""`optout schedule install|remove|status|run`: periodic verification by the OS scheduler."""

from __future__ import annotations

import json
import os
import shlex
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.markup import escape

from optout.config import AccountRegistry, Settings, load_settings
from optout.errors import LoginRequired, OptoutError
from optout.fsutil import read_file, write_private_file
from optout.results import Mode, RunResult
from optout.setting_choice import SettingChoice
from optout.ui import Ui


def run_command(
    choice: SettingChoice, fix: bool, every_run: bool, *, as_json: bool, verbose: bool
) -> int:
    """What the scheduler starts: every known account, no prompts, quiet, logged."""
    from optout.commands.common import NO_ACCOUNT
    from optout.commands.settings import all_accounts_object, known_settings
    from optout.packs import load_pack
    from optout.person import Person
    from optout.report import to_json
    from optout.runner import run_accounts
    from optout.watch import follow_up, log, log_to_file

    ui = Ui(as_json=as_json, verbose=verbose, colour=False)
    settings = load_settings()
    log_to_file(settings)
    mode = Mode.OFF if fix else Mode.CHECK
    log.info("scheduled run started (%s)", mode.value)
    accounts = AccountRegistry(settings.paths.accounts_file).names()
    try:
        if not accounts:
            raise LoginRequired(NO_ACCOUNT)
        pack = load_pack(settings.paths.config_dir)
        setting_ids = known_settings(choice, pack)
        results = run_accounts(
            settings, pack, accounts, setting_ids, mode, person=Person(None), scheduled=True
        )
    except OptoutError as exc:
        results = [RunResult(account=account, mode=mode, error=exc) for account in accounts]
        if not results:
            results = [RunResult(account="", mode=mode, error=exc)]
    outcomes = follow_up(settings, results, every_run=every_run)
    for outcome in outcomes:
        for delivery in outcome.deliveries:
            if not delivery.ok:
                ui.err.print(
                    f"optout: the notice to {delivery.target} failed "
                    f"({delivery.reason}); see {settings.paths.log_file}",
                    markup=False,
                )
        result = outcome.result
        if result.error is not None:
            ui.error(result.error)
        elif not as_json:
            changes = ", ".join(
                f"{s.id} {s.state.value}" + (" (switched off)" if s.changed else "")
                for s in result.settings
            )
            ui.out.print(f"{result.account}: {result.status}: {changes}", markup=False)
    code = max(outcome.exit_status for outcome in outcomes)
    log.info("scheduled run finished: exit %d", code)
    if as_json:
        ui.print_json(to_json(all_accounts_object(results)))
    return code


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


def _record_path(settings: Settings) -> Path:
    return settings.paths.config_dir / "schedule.json"


def install_command(request: InstallRequest, *, as_json: bool, verbose: bool) -> int:
    import click

    from optout import credentials
    from optout.notify import check_url, home_id
    from optout.report import to_json
    from optout.scheduler import choose
    from optout.scheduler.base import Job
    from optout.scheduler.cadence import parse_cadence

    ui = Ui(as_json=as_json, verbose=verbose)
    settings = load_settings()
    try:
        cadence = parse_cadence(request.every, request.at)
        backend = choose(request.scheduler)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    for url in request.notify_urls:
        problem = check_url(url)
        if problem:
            raise click.BadParameter(problem, param_hint="--notify")
    if request.notify_urls:
        credentials.set_notify_urls(home_id(settings), request.notify_urls)
    argv = [*_optout_command(), "schedule", "run"]
    argv += request.choice.argv()
    argv += ["--fix"] * request.fix + ["--notify-every-run"] * request.notify_every_run
    env = {name: os.environ[name] for name in CARRIED_ENV if os.environ.get(name)}
    job = Job(argv=argv, environment=env, cadence=cadence, job_id=home_id(settings))
    try:
        where = backend.install(job)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    record = {
        "scheduler": backend.name,
        "every": cadence.describe(),
        "cadence": {"every": request.every, "at": request.at},
        "command": argv,
        "installed_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    write_private_file(_record_path(settings), json.dumps(record, indent=2).encode("utf-8"))
    accounts = AccountRegistry(settings.paths.accounts_file).names()
    if as_json:
        ui.print_json(to_json({**record, "installed": where, "error": None}))
        return 0
    ui.out.print(f"[green]Installed[/] ({escape(backend.name)}): {escape(where)}")
    ui.out.print(f"Runs {escape(cadence.describe())}: {escape(shlex.join(argv))}")
    if backend.name == "systemd":
        ui.info("The timer runs while you are logged in; `loginctl enable-linger` keeps it going.")
    if not accounts:
        ui.info("No account yet: run `optout login --account EMAIL` before the first run.")
    return 0


def remove_command(*, as_json: bool, verbose: bool) -> int:
    from optout import credentials
    from optout.fsutil import remove_file
    from optout.notify import home_id
    from optout.report import to_json
    from optout.scheduler import remove_everywhere

    ui = Ui(as_json=as_json, verbose=verbose)
    settings = load_settings()
    removed = remove_everywhere(home_id(settings))
    remove_file(_record_path(settings))
    # The notice targets came with the schedule: they go with it.
    if credentials.get_notify_urls(home_id(settings)):
        credentials.set_notify_urls(home_id(settings), [])
        removed.append("notice targets (keyring)")
    if as_json:
        ui.print_json(to_json({"removed": removed, "error": None}))
    elif removed:
        for what in removed:
            ui.out.print(f"Removed: {escape(what)}")
    else:
        ui.out.print("No optout schedule was installed.")
    return 0


def status_command(*, as_json: bool, verbose: bool) -> int:
    from optout.history import History
    from optout.notify import configured_urls, home_id, masked
    from optout.report import to_json
    from optout.scheduler import installed_everywhere

    ui = Ui(as_json=as_json, verbose=verbose)
    settings = load_settings()
    raw = read_file(_record_path(settings))
    record = json.loads(raw) if raw else None
    found = installed_everywhere(home_id(settings))
    history = History.of(settings)
    last = next((e for e in history.entries(limit=200) if e.scheduled), None)
    targets = [masked(url) for url in configured_urls(settings)]
    payload = {
        "installed": [
            {**status.as_json(), "next_run": _iso(status.next_run or _estimate(record))}
            for status in found
        ],
        "schedule": record,
        "notify": targets,
        "last_run": last.as_json() if last else None,
        "error": None,
    }
    if as_json:
        ui.print_json(to_json(payload))
        return 0
    if not found:
        ui.out.print("No optout schedule is installed: `optout schedule install --every daily`.")
    for status in found:
        ui.out.print(f"[green]Installed[/] ({escape(status.scheduler)}): {escape(status.detail)}")
        when = status.next_run or _estimate(record)
        shown = f"{when.astimezone():%Y-%m-%d %H:%M}" if when else "unknown"
        ui.out.print(f"Next run: {shown}")
    if record:
        ui.out.print(f"Runs {escape(record['every'])}: {escape(shlex.join(record['command']))}")
    ui.out.print(f"Notices to: {escape(', '.join(targets) or 'nobody (add --notify URL)')}")
    if last:
        ui.out.print(
            f"Last run: {last.at.astimezone():%Y-%m-%d %H:%M}, {escape(last.account)}: "
            f"{escape(last.state or last.error_kind or '-')}"
        )
    return 0


def _estimate(record: dict[str, Any] | None) -> datetime | None:
    """The next run by the recorded cadence, when the scheduler cannot say."""
    from optout.scheduler.cadence import estimate_next, parse_cadence

    try:
        cadence = parse_cadence(record["cadence"]["every"], record["cadence"]["at"])  # type: ignore[index]
    except (TypeError, KeyError, ValueError):
        return None
    return estimate_next(cadence, datetime.now().astimezone())


def _iso(when: datetime | None) -> str | None:
    return when.isoformat(timespec="seconds") if when else None
