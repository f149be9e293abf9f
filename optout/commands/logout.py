"""`optout logout`."""

from __future__ import annotations

import click
from rich.markup import escape

from optout.core.config import AccountRegistry, load_settings
from optout.output.terminal import Ui


def logout_command(account: str | None, forget: bool, *, as_json: bool, verbose: bool) -> int:
    from optout.commands.common import resolve_account
    from optout.output.render import to_json
    from optout.storage import credentials
    from optout.storage.locks import held
    from optout.storage.sessions import SessionStore

    ui = Ui(as_json=as_json, verbose=verbose)
    settings = load_settings()
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
    if as_json:
        ui.print_json(to_json({"account": resolved, "removed": removed, "error": None}))
    elif removed:
        ui.out.print(f"Signed out {escape(resolved)}: removed the {', '.join(removed)}.")
    else:
        ui.out.print(f"Nothing to remove for {escape(resolved)}.")
    return 0
