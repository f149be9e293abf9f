"""The command line: parse, make the context once, call. Work happens in optout/commands."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from optout import __version__
from optout.commands import options as opt
from optout.commands.context import CommandContext, uses_context

if TYPE_CHECKING:
    from optout.core.errors import ExitStatus
    from optout.core.setting_choice import SettingChoice


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="optout")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Keep LinkedIn from training AI on your data.

    optout signs in to your own LinkedIn account in a real browser, reads the
    "Data for Generative AI Improvement" setting, and switches it off on
    request, proving the result by reading it back.

    \b
    First time:   optout demo            (try it against a local imitation)
    Real account: optout login --account you@example.com
                  optout check
                  optout off
    """
    ctx.ensure_object(CommandContext)


@cli.command()
@opt.login_options
@uses_context
def login(
    cmd: CommandContext,
    account: str | None,
    password_stdin: bool,
    totp_secret_stdin: bool,
    headed: bool,
) -> ExitStatus:
    """Sign in, keep the password in the OS keyring and save the session (encrypted).

    Codes LinkedIn sends (email, SMS) are asked for on the terminal.

    \b
    optout login --account you@example.com
    pass show linkedin | optout login --account you@example.com --password-stdin
    printf '%s\\n%s\\n' "$PW" "$SECRET" | optout login --password-stdin --totp-secret-stdin
    optout login --headed      (a window: captcha, Google/Apple sign-in, passkeys)
    """
    from optout.commands.login import LoginRequest, login_command

    return login_command(cmd, LoginRequest(account, password_stdin, totp_secret_stdin, headed))


@cli.command()
@opt.account_option
@opt.browser_options
@opt.output_options
@uses_context
def check(
    cmd: CommandContext,
    account: str | None,
    choice: SettingChoice,
    headed: bool,
    all_accounts: bool,
    evidence: bool,
) -> ExitStatus:
    """Read the settings and change nothing.

    Exit 0 when every setting is off, 1 when one is on (see README: Exit codes).
    """
    from optout.commands.settings import Target, settings_command
    from optout.core.results import Mode

    target = Target(account, all_accounts, choice, headed, evidence)
    return settings_command(cmd, Mode.CHECK, target)


@cli.command()
@opt.account_option
@opt.browser_options
@click.option("--dry-run", is_flag=True, help="Only say what would be switched off.")
@opt.output_options
@uses_context
def off(
    cmd: CommandContext,
    account: str | None,
    choice: SettingChoice,
    headed: bool,
    all_accounts: bool,
    evidence: bool,
    dry_run: bool,
) -> ExitStatus:
    """Switch the settings off, then reload the page and read them back.

    A switch is clicked only when it is known to be on. A screenshot of each change
    is kept for `optout report`.
    """
    from optout.commands.settings import Target, settings_command
    from optout.core.results import Mode

    target = Target(account, all_accounts, choice, headed, evidence)
    return settings_command(cmd, Mode.DRY_RUN if dry_run else Mode.OFF, target)


@cli.command("object")
@opt.object_options
@uses_context
def object_(
    cmd: CommandContext,
    account: str | None,
    name: str | None,
    kind: str,
    text_file: Path | None,
    submit: bool,
) -> ExitStatus:
    """Fill LinkedIn's Data Processing Objection Form in a browser window.

    It covers what the switches do not: any other processing of your data.
    """
    from optout.commands.objection import ObjectionRequest, object_command

    return object_command(cmd, ObjectionRequest(account, name, kind, text_file, submit))


@cli.command()
@opt.report_options
@uses_context
def report(
    cmd: CommandContext, account: str | None, html_file: Path, pdf_file: Path | None
) -> ExitStatus:
    """The evidence report of one account: states, timeline, screenshots, objections."""
    from optout.commands.report import report_command

    return report_command(cmd, account, html_file, pdf_file)


@cli.command()
@opt.account_option
@click.option("--forget", is_flag=True, help="Also remove the password and key from the keyring.")
@opt.output_options
@uses_context
def logout(cmd: CommandContext, account: str | None, forget: bool) -> ExitStatus:
    """Drop the saved session (and with --forget, the stored password)."""
    from optout.commands.logout import logout_command

    return logout_command(cmd, account, forget)


@cli.command()
@opt.output_options
@uses_context
def accounts(cmd: CommandContext) -> ExitStatus:
    """List the known accounts: keyring, saved session, last result, cool-down."""
    from optout.commands.accounts import accounts_command

    return accounts_command(cmd)


@cli.command()
@opt.account_option
@opt.output_options
@uses_context
def doctor(cmd: CommandContext, account: str | None) -> ExitStatus:
    """Check the browser, the keyring, the selector pack and the saved sessions."""
    from optout.commands.doctor import doctor_command

    return doctor_command(cmd, account)


@cli.command()
@opt.history_options
@uses_context
def history(
    cmd: CommandContext, account: str | None, setting_id: str | None, limit: int
) -> ExitStatus:
    """What every check and off found, newest first, with a timeline per setting."""
    from optout.commands.history import history_command

    return history_command(cmd, account, setting_id, limit)


@cli.group()
def schedule() -> None:
    """Periodic verification run by the OS scheduler (systemd, launchd, cron, schtasks)."""


@schedule.command("install")
@opt.install_options
@uses_context
def schedule_install(
    cmd: CommandContext,
    every: str,
    at: str | None,
    fix: bool,
    notify_urls: tuple[str, ...],
    notify_stdin: bool,
    notify_every_run: bool,
    scheduler: str,
    choice: SettingChoice,
) -> ExitStatus:
    """Have the OS run `optout schedule run` periodically.

    \b
    echo 'ntfy://ntfy.sh/my-topic' | optout schedule install --at 09:30 --notify-stdin
    optout schedule install --every 12h --fix
    """
    from optout.commands.schedule_install import InstallRequest, install_command

    request = InstallRequest(
        every, at, fix, list(notify_urls), notify_every_run, choice, scheduler, notify_stdin
    )
    return install_command(cmd, request)


@schedule.command("remove")
@opt.output_options
@uses_context
def schedule_remove(cmd: CommandContext) -> ExitStatus:
    """Remove optout's job from every scheduler."""
    from optout.commands.schedule import remove_command

    return remove_command(cmd)


@schedule.command("status")
@opt.output_options
@uses_context
def schedule_status(cmd: CommandContext) -> ExitStatus:
    """What is installed, when it runs next, and how the last run went."""
    from optout.commands.schedule import status_command

    return status_command(cmd)


@schedule.command("run")
@opt.setting_options
@opt.fix_option
@opt.every_run_option
@opt.output_options
@uses_context
def schedule_run(
    cmd: CommandContext, choice: SettingChoice, fix: bool, notify_every_run: bool
) -> ExitStatus:
    """What the scheduler runs: check every known account, record, notify once per problem.

    Exit 1 when a setting was found on (even if --fix switched it off).
    """
    from optout.commands.schedule import run_command

    return run_command(cmd, choice, fix, notify_every_run)


@cli.group()
def notify() -> None:
    """Notices (mail, ntfy, Slack, Discord, webhooks...) when a setting comes back on."""


@notify.command("test")
@opt.output_options
@uses_context
def notify_test(cmd: CommandContext) -> ExitStatus:
    """Send a test notice to every configured target."""
    from optout.commands.notify import notify_test_command

    return notify_test_command(cmd)


@cli.group()
def selectors() -> None:
    """The selector pack: how optout finds each setting on LinkedIn's pages.

    A file `selectors.toml` in the config directory is merged over the
    built-in pack, so a LinkedIn change can be followed without a new release.
    """


@selectors.command("show")
@opt.output_options
@uses_context
def selectors_show(cmd: CommandContext) -> ExitStatus:
    """Show the pack in use: settings, page variants, second sources."""
    from optout.commands.selectors import show_command

    return show_command(cmd)


@selectors.command("validate")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@opt.output_options
@uses_context
def selectors_validate(cmd: CommandContext, file: Path | None) -> ExitStatus:
    """Validate FILE (an override, merged over the built-in pack) or the pack in use."""
    from optout.commands.selectors import validate_command

    return validate_command(cmd, file)


@selectors.command("path")
@opt.output_options
@uses_context
def selectors_path(cmd: CommandContext) -> ExitStatus:
    """Where the built-in pack and the member's override file are."""
    from optout.commands.selectors import path_command

    return path_command(cmd)


@selectors.command("suggest")
@opt.output_options
@uses_context
def selectors_suggest(cmd: CommandContext) -> ExitStatus:
    """Print the pack override that fits what LinkedIn's pages showed.

    Where a page differed from the pack's hints (the settings request's key,
    card name or value words, the switch's aria key), optout noted the names it
    saw, never your data. Save the output as the override file
    (`optout selectors path`), or attach it to a report.

    \b
    Example:
      optout selectors suggest > "$(optout selectors path --json | jq -r .override)"
    """
    from optout.commands.selectors import suggest_command

    return suggest_command(cmd)


@cli.command()
@click.option("--headed", is_flag=True, help="Show the browser window.")
@opt.verbose_option()
@uses_context
def demo(cmd: CommandContext, headed: bool) -> ExitStatus:
    """Watch optout work against a local imitation of LinkedIn (no account needed)."""
    from optout.commands.demo import demo_command

    return demo_command(cmd, headed=headed)


@cli.command()
@opt.sandbox_options
@uses_context
def sandbox(
    cmd: CommandContext, host: str, allow_remote: bool, port: int, **page_options: Any
) -> ExitStatus:
    """Serve the local imitation of LinkedIn's sign-in and settings pages.

    \b
    optout sandbox --port 8765 &
    OPTOUT_BASE_URL=http://127.0.0.1:8765 optout login --account member@example.com
    More accounts, faults and chaos: the admin API under /__sandbox/ (README).
    """
    from optout.commands.sandbox import SandboxOptions, refuse_remote, sandbox_command

    if not allow_remote:
        refuse_remote(host)
    # The remaining options are named as SandboxOptions' fields (options.sandbox_options).
    return sandbox_command(cmd, host, port, SandboxOptions(**page_options))


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the command, then exit with its status; every error, whatever
    its kind, is turned into one line and a status in `optout.commands.outcome`."""
    from optout.commands.outcome import failure_status, returned_status
    from optout.core.scrubber import scrub_standard_streams

    scrub_standard_streams()  # before anything is written: no secret leaves whole
    args = sys.argv[1:] if argv is None else argv
    # --verbose as typed, until the parsed flag says so: a failure while parsing
    # still shows its traceback on request.
    cmd = CommandContext(verbose="--verbose" in args)
    try:
        returned = cli.main(args=args, prog_name="optout", standalone_mode=False, obj=cmd)
    except (Exception, KeyboardInterrupt) as exc:
        sys.exit(failure_status(exc, cmd))
    sys.exit(returned_status(returned))


def entry_point() -> None:
    """The `optout` program (and `python -m optout`): `main`, and the process ends."""
    try:
        main()
    finally:
        # Python's last garbage collection would walk every object of the run (about
        # 60,000 after a check, 0.05 s) only to free memory the exit frees anyway:
        # frozen, they are left to it. Files and the history are closed by now, with
        # `with`; atexit handlers (logging's flush) still run.
        import gc

        gc.freeze()
