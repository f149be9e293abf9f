"""The one place where what a command returned, or the error it ended with, becomes an
exit status and, for an error, the one line (and with --json the error object) saying so."""

from __future__ import annotations

import click

from optout.commands.context import CommandContext
from optout.core.errors import ExitStatus, OptoutError

# A bare `optout` or `optout schedule`: click (8.2 on) raises this with the help as message.
_NO_ARGS_IS_HELP = getattr(click.exceptions, "NoArgsIsHelpError", ())


def returned_status(returned: object) -> ExitStatus:
    """A command's ExitStatus; click's own exits (--help, --version) give plain ints."""
    if returned is None:
        return ExitStatus.OK
    if isinstance(returned, int):
        try:
            return ExitStatus(returned)
        except ValueError:
            pass
    # A command that returned something else is a bug, not a setting found on.
    return ExitStatus.INTERNAL_ERROR


def failure_status(error: BaseException, cmd: CommandContext) -> ExitStatus:
    """Say what went wrong in one line on stderr, and give its exit status."""
    if isinstance(error, _NO_ARGS_IS_HELP):
        click.echo(error.format_message(), err=True)  # the help as it is, not as an error
        return ExitStatus.USAGE
    if isinstance(error, click.UsageError):
        hint = f" (see `{error.ctx.command_path} --help`)" if error.ctx else ""
        click.echo(f"optout: {error.format_message()}{hint}", err=True)
        return ExitStatus.USAGE
    if isinstance(error, click.ClickException):  # e.g. a file click could not open
        click.echo(f"optout: {error.format_message()}", err=True)
        return ExitStatus.ENVIRONMENT
    if isinstance(error, click.Abort | KeyboardInterrupt):
        click.echo("optout: interrupted.", err=True)
        return ExitStatus.INTERRUPTED
    cmd.ui.error(error)
    if not isinstance(error, OptoutError):
        return ExitStatus.INTERNAL_ERROR  # a bug: never 1, so a monitor tells it from drift
    if cmd.as_json:
        from optout.output.json_output import error_object, to_json

        cmd.ui.print_json(to_json({"error": error_object(error)}))
    return error.exit_status
