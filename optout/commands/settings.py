"""`optout check` and `optout off`, for one account or all of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import click

from optout.core.config import Settings
from optout.core.errors import ExitStatus, LoginRequired, OptoutError
from optout.core.results import Mode, RunResult
from optout.core.selector_pack import Pack
from optout.core.setting_choice import SettingChoice
from optout.output.person import Person
from optout.storage.accounts import AccountRegistry

if TYPE_CHECKING:
    from optout.commands.context import CommandContext
    from optout.output.terminal import Ui


@dataclass(frozen=True)
class Target:
    """Which accounts and settings a command acts on, and how the browser shows."""

    account: str | None
    all_accounts: bool
    choice: SettingChoice
    headed: bool
    evidence: bool = False  # a screenshot of every reading


def known_settings(choice: SettingChoice, pack: Pack) -> list[str]:
    """The chosen setting ids; a usage error for one the pack (with its override) lacks."""
    setting_ids = choice.resolve(pack)
    unknown = [sid for sid in setting_ids if sid not in pack.settings]
    if unknown:
        raise click.BadParameter(
            f"unknown setting {unknown[0]!r} (known: {', '.join(sorted(pack.settings))})",
            param_hint="--setting",
        )
    return setting_ids


def _accounts(target: Target, settings: Settings) -> list[str]:
    from optout.commands.common import NO_ACCOUNT, require_account

    if target.all_accounts:
        if target.account:
            raise click.UsageError("Give either --account or --all-accounts, not both.")
        known = AccountRegistry(settings.paths.accounts_file).names()
        if not known:
            raise LoginRequired(NO_ACCOUNT)
        return known
    return [require_account(target.account, settings)]


def settings_command(cmd: CommandContext, mode: Mode, target: Target) -> ExitStatus:
    """Run `mode` on the target's accounts; an error lands on every result it stopped."""
    from optout.linkedin.account_run import run_accounts

    ui = cmd.ui
    results = [RunResult(account=target.account or "", mode=mode)]
    try:
        accounts = _accounts(target, cmd.settings)
        results = [RunResult(account=account, mode=mode) for account in accounts]
        setting_ids = known_settings(target.choice, cmd.pack)
        with ui.activity("Starting the browser"):
            results = run_accounts(
                cmd.settings, cmd.pack, accounts, setting_ids, mode, headed=target.headed,
                person=Person.at_terminal(pause=ui.paused), progress=ui.progress,
                evidence=target.evidence, meanwhile=None if cmd.as_json else _load_output,
            )  # fmt: skip
    except OptoutError as exc:
        for result in results:
            result.error = exc
    from optout.output.json_output import result_object, to_json

    if not target.all_accounts:
        if cmd.as_json:
            ui.print_json(to_json(result_object(results[0])))
        else:
            _render_one(ui, results[0])
        return results[0].exit_status
    if cmd.as_json:
        ui.print_json(to_json(all_accounts_object(results)))
    else:
        for result in results:
            _render_one(ui, result)
    return max(result.exit_status for result in results)


def _load_output() -> None:
    """What shows the results, loaded while the browser starts (rich, the tables)."""
    import optout.output.render  # noqa: F401


def _render_one(ui: Ui, result: RunResult) -> None:
    from optout.output.render import render_result

    if result.error is not None:
        ui.error(result.error)
    render_result(ui.out, result)


def all_accounts_object(results: list[RunResult]) -> dict[str, object]:
    from optout.output.json_output import result_object

    statuses = {result.status for result in results}
    status = next(s for s in ("error", "drift", "compliant") if s in statuses)
    return {
        "checked_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "status": status,
        "accounts": [result_object(result) for result in results],
        "error": None,
    }
