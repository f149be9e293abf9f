"""`optout logout`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click
from rich.markup import escape

from optout.core.errors import ExitStatus
from optout.storage.accounts import AccountRegistry

if TYPE_CHECKING:
    from optout.commands.context import CommandContext


def logout_command(cmd: CommandContext, account: str | None, forget: bool) -> ExitStatus:
    from optout.commands.common import resolve_account
    from optout.output.json_output import to_json
    from optout.storage import credentials
    from optout.storage.locks import held
    from optout.storage.sessions import SessionStore

    ui, settings = cmd.ui, cmd.settings
    resolved = resolve_account(account, settings)
    if resolved is None:
        raise click.UsageError("No account is known; nothing to sign out.")
    removed = []
    # Under the account's lock: a run still going would save its session (and the
    # account) back after they were removed.
    with held(settings.paths.locks_dir, resolved):
        if SessionStore.of(settings.paths).delete(resolved):
            removed.append("saved session")
        if forget:
            removed += credentials.forget_account(resolved, origin=settings.base_url)
            AccountRegistry(settings.paths.accounts_file).forget(resolved)
    if cmd.as_json:
        ui.print_json(to_json({"account": resolved, "removed": removed, "error": None}))
    elif removed:
        ui.out.print(f"Signed out {escape(resolved)}: removed the {', '.join(removed)}.")
    else:
        ui.out.print(f"Nothing to remove for {escape(resolved)}.")
    return ExitStatus.OK
