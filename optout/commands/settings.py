"""`optout check` and `optout off`."""

from __future__ import annotations

import click

from optout.config import load_settings
from optout.errors import LoginRequired, OptoutError
from optout.results import Mode, RunResult
from optout.ui import Ui


def settings_command(
    mode: Mode,
    account: str | None,
    setting_ids: list[str],
    headed: bool,
    as_json: bool,
    verbose: bool,
) -> int:
    from optout.commands.common import resolve_account
    from optout.packs import load_pack
    from optout.report import render_result, result_object, to_json
    from optout.runner import AccountRun

    ui = Ui(as_json=as_json, verbose=verbose)
    result = RunResult(account=account or "", mode=mode)
    try:
        settings = load_settings()
        resolved = resolve_account(account, settings)
        if resolved is None:
            raise LoginRequired("No LinkedIn account yet: run `optout login --account EMAIL`.")
        result.account = resolved
        pack = load_pack(settings.paths.config_dir)
        unknown = [sid for sid in setting_ids if sid not in pack.settings]
        if unknown:
            raise click.BadParameter(
                f"unknown setting {unknown[0]!r} (known: {', '.join(sorted(pack.settings))})",
                param_hint="--setting",
            )
        with ui.activity("Starting the browser"):
            run = AccountRun(settings, pack, resolved, progress=ui.progress)
            result = run.run(setting_ids, mode, headed=headed)
    except OptoutError as exc:
        result.error = exc
    if as_json:
        ui.print_json(to_json(result_object(result)))
    else:
        if result.error is not None:
            ui.error(result.error)
        render_result(ui.out, result)
    return int(result.exit_status)
