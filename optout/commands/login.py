"""`optout login`."""

from __future__ import annotations

import sys

import click
from rich.markup import escape

from optout.config import load_settings
from optout.ui import Ui


def read_password(from_stdin: bool) -> str:
    """From stdin for scripts, else a hidden prompt; never from argv."""
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise click.UsageError("The password on standard input is empty.")
        return password
    if not sys.stdin.isatty():
        raise click.UsageError(
            "No terminal to ask for the password: pipe it in with --password-stdin."
        )
    password = click.prompt("LinkedIn password", hide_input=True, err=True)
    if not password:
        raise click.UsageError("The password is empty.")
    return str(password)


def login_command(
    account: str | None, password_stdin: bool, headed: bool, *, as_json: bool, verbose: bool
) -> int:
    from optout.commands.common import resolve_account
    from optout.packs import load_pack
    from optout.report import to_json
    from optout.runner import sign_in_and_save

    ui = Ui(as_json=as_json, verbose=verbose)
    settings = load_settings()
    resolved = resolve_account(account, settings)
    if resolved is None:
        if not sys.stdin.isatty() or password_stdin:
            raise click.UsageError("Say which account with --account EMAIL.")
        resolved = resolve_account(str(click.prompt("LinkedIn email", err=True)), settings)
    assert resolved is not None
    password = read_password(password_stdin)
    pack = load_pack(settings.paths.config_dir)
    with ui.activity("Starting the browser"):
        sign_in_and_save(settings, pack, resolved, password, headed=headed, progress=ui.progress)
    if as_json:
        ui.print_json(to_json({"account": resolved, "signed_in": True, "error": None}))
    else:
        ui.out.print(
            f"[green]Signed in as {escape(resolved)}.[/] Password kept in the OS keyring; "
            "session saved encrypted. Next: [bold]optout check[/]"
        )
    return 0
