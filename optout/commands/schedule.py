"""`optout schedule remove|status|run`: periodic verification by the OS scheduler (`install`:
schedule_install.py), and the record `install` writes."""

from __future__ import annotations

import json
import shlex
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.markup import escape

from optout.core.config import Settings
from optout.core.errors import EnvironmentProblem, ExitStatus, LoginRequired, OptoutError
from optout.core.private_files import read_file
from optout.core.results import Mode, RunResult
from optout.core.setting_choice import SettingChoice
from optout.storage.accounts import AccountRegistry

if TYPE_CHECKING:
    from optout.commands.context import CommandContext
    from optout.output.terminal import Ui
    from optout.scheduled.backends import Cleanup


def _scheduled_results(cmd: CommandContext, choice: SettingChoice, mode: Mode) -> list[RunResult]:
    """Every known account's run; an error that stopped them all lands on each."""
    from optout.commands.common import NO_ACCOUNT
    from optout.commands.settings import known_settings
    from optout.linkedin.account_run import run_accounts
    from optout.output.person import Person

    settings = cmd.settings
    accounts = AccountRegistry(settings.paths.accounts_file).names()
    try:
        if not accounts:
            raise LoginRequired(NO_ACCOUNT)
        setting_ids = known_settings(choice, cmd.pack)
        return run_accounts(
            settings, cmd.pack, accounts, setting_ids, mode, person=Person(None), scheduled=True
        )
    except OptoutError as exc:
        results = [RunResult(account=account, mode=mode, error=exc) for account in accounts]
        return results or [RunResult(account="", mode=mode, error=exc)]


def run_command(
    cmd: CommandContext, choice: SettingChoice, fix: bool, every_run: bool
) -> ExitStatus:
    """What the scheduler starts: every known account, no prompts, quiet, logged."""
    from optout.commands.settings import all_accounts_object
    from optout.output.json_output import to_json
    from optout.scheduled.run import follow_up, log, log_to_file

    cmd.colour = False  # a log file or a mail reads it, not a terminal
    ui, settings = cmd.ui, cmd.settings
    log_to_file(settings)
    mode = Mode.OFF if fix else Mode.CHECK
    log.info("scheduled run started (%s)", mode.value)
    results = _scheduled_results(cmd, choice, mode)
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
        elif not cmd.as_json:
            changes = ", ".join(
                f"{s.id} {s.state.value}" + (" (switched off)" if s.changed else "")
                for s in result.settings
            )
            ui.out.print(f"{result.account}: {result.status}: {changes}", markup=False)
    code = ExitStatus(max(outcome.exit_status for outcome in outcomes))
    log.info("scheduled run finished: exit %d", code)
    if cmd.as_json:
        ui.print_json(to_json(all_accounts_object(results)))
    return code


def record_path(settings: Settings) -> Path:
    return settings.paths.config_dir / "schedule.json"


def remove_command(cmd: CommandContext) -> ExitStatus:
    from optout.core.private_files import remove_file
    from optout.output.json_output import error_object, to_json
    from optout.scheduled.backends import remove_everywhere
    from optout.scheduled.notices import home_id

    ui, settings = cmd.ui, cmd.settings
    cleanup = remove_everywhere(home_id(settings))
    try:
        remove_file(record_path(settings))
    except OptoutError as exc:
        cleanup.left["record"] = exc.message
    _remove_notice_targets(home_id(settings), cleanup)
    problem = None
    if cleanup.left:
        parts = "; ".join(f"{what}: {why.rstrip('.')}" for what, why in cleanup.left.items())
        problem = EnvironmentProblem(f"Some of optout's schedule is still in place ({parts}).")
    if cmd.as_json:
        ui.print_json(
            to_json(
                {
                    "removed": cleanup.removed,
                    "unchecked": cleanup.unchecked,
                    "left": cleanup.left,
                    "error": error_object(problem),
                }
            )
        )
    else:
        _print_cleanup(ui, cleanup)
    if problem is not None:
        ui.error(problem)
        return problem.exit_status
    return ExitStatus.OK


def _remove_notice_targets(scope: str, cleanup: Cleanup) -> None:
    """The notice targets came with the schedule: they go with it."""
    from optout.storage import credentials

    what = "notice targets (keyring)"
    try:
        stored = credentials.get_notify_urls(scope)
    except OptoutError as exc:
        cleanup.unchecked[what] = exc.message
        return
    if not stored:
        return
    try:
        credentials.set_notify_urls(scope, [])
    except OptoutError as exc:
        cleanup.left[what] = exc.message
        return
    cleanup.removed.append(what)


def _print_cleanup(ui: Ui, cleanup: Cleanup) -> None:
    for what in cleanup.removed:
        ui.out.print(f"Removed: {escape(what)}")
    for what, why in cleanup.unchecked.items():
        ui.out.print(f"Not checked: {escape(what)}: {escape(why)}")
    if not (cleanup.removed or cleanup.unchecked or cleanup.left):
        ui.out.print("No optout schedule was installed.")
    elif not cleanup.removed and not cleanup.left:
        ui.out.print("Nothing of optout's schedule was found where it could be checked.")


def read_record(settings: Settings, unchecked: dict[str, str]) -> dict[str, Any] | None:
    """The record `schedule install` wrote, or None (a broken one is named, not fatal)."""
    path = record_path(settings)
    try:
        raw = read_file(path)
        record = json.loads(raw) if raw else None
    except (OptoutError, ValueError) as exc:
        why = exc.message if isinstance(exc, OptoutError) else f"{path} is not valid JSON."
        unchecked["record"] = why
        return None
    return record if isinstance(record, dict) else None


def _shown_targets(settings: Settings, unchecked: dict[str, str]) -> list[str]:
    """The notice targets, masked: the keyring's (if it answers), then the config file's."""
    from optout.scheduled.notices import home_id, masked
    from optout.storage import credentials

    try:
        stored = credentials.get_notify_urls(home_id(settings))
    except OptoutError as exc:
        stored = []
        unchecked["notice targets (keyring)"] = exc.message
    return [masked(url) for url in dict.fromkeys([*stored, *settings.notify_urls])]


def status_command(cmd: CommandContext) -> ExitStatus:
    from optout.output.json_output import to_json
    from optout.scheduled.backends import installed_everywhere
    from optout.scheduled.notices import home_id
    from optout.storage.history import History

    ui, settings = cmd.ui, cmd.settings
    survey = installed_everywhere(home_id(settings))
    unchecked = dict(survey.unchecked)
    record = read_record(settings, unchecked)
    targets = _shown_targets(settings, unchecked)
    history = History.of(settings)
    last = next((e for e in history.entries(limit=200) if e.scheduled), None)
    if cmd.as_json:
        payload = {
            "installed": [
                {**status.as_json(), "next_run": _iso(status.next_run or _estimate(record))}
                for status in survey.installed
            ],
            "schedule": record,
            "notify": targets,
            "unchecked": unchecked,
            "last_run": last.as_json() if last else None,
            "error": None,
        }
        ui.print_json(to_json(payload))
        return ExitStatus.OK
    if not survey.installed:
        ui.out.print("No optout schedule is installed: `optout schedule install --every daily`.")
    for status in survey.installed:
        ui.out.print(f"[green]Installed[/] ({escape(status.scheduler)}): {escape(status.detail)}")
        when = status.next_run or _estimate(record)
        shown = f"{when.astimezone():%Y-%m-%d %H:%M}" if when else "unknown"
        ui.out.print(f"Next run: {shown}")
    if record and isinstance(record.get("command"), list):
        every = str(record.get("every", "?"))
        ui.out.print(f"Runs {escape(every)}: {escape(shlex.join(map(str, record['command'])))}")
    nobody = "unknown" if "notice targets (keyring)" in unchecked else "nobody (add --notify-stdin)"
    ui.out.print(f"Notices to: {escape(', '.join(targets) or nobody)}")
    for what, why in unchecked.items():
        ui.out.print(f"Not checked: {escape(what)}: {escape(why)}")
    if last:
        ui.out.print(
            f"Last run: {last.at.astimezone():%Y-%m-%d %H:%M}, {escape(last.account)}: "
            f"{escape(last.state or last.error_kind or '-')}"
        )
    return ExitStatus.OK


def _estimate(record: dict[str, Any] | None) -> datetime | None:
    """The next run by the recorded cadence, when the scheduler cannot say."""
    from optout.scheduled.backends.cadence import estimate_next, parse_cadence

    try:
        cadence = parse_cadence(record["cadence"]["every"], record["cadence"]["at"])  # type: ignore[index]
    except (TypeError, KeyError, ValueError):
        return None
    return estimate_next(cadence, datetime.now().astimezone())


def _iso(when: datetime | None) -> str | None:
    return when.isoformat(timespec="seconds") if when else None
