"""`optout login`."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

import click
from rich.markup import escape

from optout.core import scrubber
from optout.core.errors import ExitStatus
from optout.output.person import Person

if TYPE_CHECKING:
    from optout.commands.context import CommandContext

TOTP_WARNING = (
    "The authenticator secret is kept in the OS keyring beside the password: whoever can "
    "read that keyring can then pass LinkedIn's two-step check as you. Store it only for "
    "unattended sign-ins (`optout logout --forget` removes it)."
)


def _stdin_line(what: str) -> str:
    line = sys.stdin.readline().rstrip("\r\n")
    if not line:
        raise click.UsageError(f"The {what} on standard input is empty.")
    return line


def read_password(from_stdin: bool, person: Person, *, headed: bool) -> str | None:
    """From stdin for scripts, else a hidden prompt on the terminal; never from argv.
    None (headed only): the person signs in in the browser window instead."""
    if from_stdin:
        return _stdin_line("password")
    if not person.present:
        raise click.UsageError(
            "No terminal to ask for the password: pipe it in with --password-stdin."
        )
    question = "LinkedIn password"
    if headed:
        question += " (empty: type everything in the browser window, e.g. Google sign-in)"
    # click's hidden prompt reads the terminal itself (getpass), not stdin.
    password = click.prompt(question, hide_input=True, default="", show_default=False, err=True)
    if not password and not headed:
        raise click.UsageError("The password is empty.")
    return str(password) or None


def read_totp_secret() -> str:
    from optout.linkedin.login.sign_in import normalize_totp_secret

    secret = normalize_totp_secret(_stdin_line("authenticator secret"))
    if secret is None:
        raise click.UsageError(
            "The authenticator secret on standard input is not a base32 secret of at least "
            "112 bits (23 characters or more) or an otpauth:// link with one."
        )
    return secret


@dataclass(frozen=True)
class LoginRequest:
    account: str | None
    password_stdin: bool
    totp_secret_stdin: bool
    headed: bool


def login_command(cmd: CommandContext, request: LoginRequest) -> ExitStatus:
    from optout.commands.common import resolve_account
    from optout.linkedin.login.login_and_save import sign_in_and_save
    from optout.output.json_output import to_json

    ui, settings = cmd.ui, cmd.settings
    person = Person.at_terminal(pause=ui.paused)
    piped = request.password_stdin or request.totp_secret_stdin
    resolved = resolve_account(request.account, settings)
    if resolved is None and person.present and not piped:
        resolved = resolve_account(person.ask("LinkedIn email: "), settings)
    if resolved is None:
        raise click.UsageError("Say which account with --account EMAIL.")
    password = read_password(request.password_stdin, person, headed=request.headed)
    totp_secret = read_totp_secret() if request.totp_secret_stdin else None
    scrubber.remember(password, totp_secret)
    if totp_secret is not None:
        ui.err.print(TOTP_WARNING, style="yellow", markup=False)
    with ui.activity("Starting the browser"):
        sign_in_and_save(
            settings, cmd.pack, resolved, password, totp_secret=totp_secret,
            headed=request.headed, person=person, say=ui.info,
        )  # fmt: skip
    if cmd.as_json:
        ui.print_json(to_json({"account": resolved, "signed_in": True, "error": None}))
    else:
        kept = "Password kept in the OS keyring; " if password is not None else ""
        ui.out.print(
            f"[green]Signed in as {escape(resolved)}.[/] {kept}"
            "session saved encrypted. Next: [bold]optout check[/]"
        )
    return ExitStatus.OK
