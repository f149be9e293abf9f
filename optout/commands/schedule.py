"""`optout schedule install|remove|status|run`: periodic verification by the OS scheduler."""

from __future__ import annotations

import sys

from optout.config import AccountRegistry, load_settings
from optout.errors import LoginRequired, OptoutError
from optout.results import Mode, RunResult
from optout.ui import Ui


def run_command(
    setting_ids: list[str], fix: bool, every_run: bool, *, as_json: bool, verbose: bool
) -> int:
    """What the scheduler starts: every known account, no prompts, quiet, logged."""
    from optout.commands.settings import all_accounts_object
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
            raise LoginRequired("No LinkedIn account yet: run `optout login --account EMAIL`.")
        pack = load_pack(settings.paths.config_dir)
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


def _python_command() -> list[str]:
    """The absolute command that runs this optout, for the scheduler to start."""
    import shutil
    from pathlib import Path

    name = "optout.exe" if sys.platform.startswith("win") else "optout"
    beside = Path(sys.executable).with_name(name)  # the venv's or pipx's console script
    if beside.is_file():
        return [str(beside)]
    found = shutil.which("optout")
    if found:
        return [str(Path(found).resolve())]
    return [sys.executable, "-m", "optout"]
