"""The command line: parse, call, render. Work happens in the modules it calls."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar, cast

import click

from optout import __version__
from optout.core.errors import ExitStatus, OptoutError
from optout.core.results import Mode
from optout.core.setting_choice import DEFAULT_SETTING, GROUPS, SettingChoice

F = TypeVar("F", bound=Callable[..., Any])


def _known_settings(
    _ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]
) -> tuple[str, ...]:
    from optout.core.config import load_settings
    from optout.core.selector_pack import load_pack

    try:
        known = load_pack(load_settings().paths.config_dir).settings
    except OptoutError:
        return tuple(dict.fromkeys(values))  # the command reports the broken file itself
    for value in values:
        if value not in known:
            raise click.BadParameter(
                f"unknown setting {value!r} (known: {', '.join(sorted(known))})"
            )
    return tuple(dict.fromkeys(values))


def account_option(f: F) -> F:
    return click.option(
        "--account",
        envvar="OPTOUT_ACCOUNT",
        metavar="EMAIL",
        help="LinkedIn account (env OPTOUT_ACCOUNT); may be left out when only one is known.",
    )(f)


def output_options(f: F) -> F:
    f = click.option("--verbose", is_flag=True, help="Show details and tracebacks on stderr.")(f)
    return click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")(f)


def setting_options(f: F) -> F:
    """--setting, --group and --all, handed to the command as one `choice`."""

    @wraps(f)
    def with_choice(
        *args: Any, setting_ids: tuple[str, ...], groups: tuple[str, ...], all_settings: bool,
        **kwargs: Any,
    ) -> Any:  # fmt: skip
        if all_settings and (setting_ids or groups):
            raise click.UsageError("Give --all alone, or --setting/--group, not both.")
        choice = SettingChoice(tuple(setting_ids), tuple(dict.fromkeys(groups)), all_settings)
        return f(*args, choice=choice, **kwargs)

    decorated: Callable[..., Any] = with_choice
    decorated = click.option(
        "--all", "all_settings", is_flag=True, help="Every setting optout knows (README)."
    )(decorated)
    decorated = click.option(
        "--group",
        "groups",
        multiple=True,
        type=click.Choice(GROUPS),
        help="Every setting of a group (repeatable; README: Settings).",
    )(decorated)
    decorated = click.option(
        "--setting",
        "setting_ids",
        multiple=True,
        metavar="ID",
        callback=_known_settings,
        help=f"Setting to act on (repeatable; default {DEFAULT_SETTING}).",
    )(decorated)
    return cast("F", decorated)


def browser_options(f: F) -> F:
    f = click.option(
        "--evidence", is_flag=True, help="Keep a screenshot of every reading (for `report`)."
    )(f)
    f = click.option(
        "--all-accounts", is_flag=True, help="Every known account, one after the other."
    )(f)
    f = click.option("--headed", is_flag=True, help="Show the browser window while optout works.")(
        f
    )
    return setting_options(f)


def reports_errors(f: F) -> F:
    """Turn a domain error into its one line and exit code: the only place that does."""

    @wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from optout.output.terminal import Ui

        try:
            return f(*args, **kwargs)
        except OptoutError as exc:
            ui = Ui(as_json=kwargs.get("as_json", False), verbose=kwargs.get("verbose", False))
            ui.error(exc)
            if ui.as_json:
                from optout.output.render import error_object, to_json

                ui.print_json(to_json({"error": error_object(exc)}))
            return exc.exit_status

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="optout")
def cli() -> None:
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


@cli.command()
@account_option
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option(
    "--totp-secret-stdin",
    is_flag=True,
    help="Also store your authenticator app's secret (next line of stdin) for two-step codes.",
)
@click.option(
    "--headed",
    is_flag=True,
    help="Sign in in a visible browser: finish captchas, app approvals, Google/Apple sign-in.",
)
@output_options
@reports_errors
def login(
    account: str | None,
    password_stdin: bool,
    totp_secret_stdin: bool,
    headed: bool,
    as_json: bool,
    verbose: bool,
) -> int:
    """Sign in, keep the password in the OS keyring and save the session (encrypted).

    Codes LinkedIn sends (email, SMS) are asked for on the terminal.

    \b
    optout login --account you@example.com
    pass show linkedin | optout login --account you@example.com --password-stdin
    printf '%s\\n%s\\n' "$PW" "$SECRET" | optout login --password-stdin --totp-secret-stdin
    optout login --headed      (a window: captcha, Google/Apple sign-in, passkeys)
    """
    from optout.commands.login import login_command

    return login_command(
        account, password_stdin, totp_secret_stdin, headed, as_json=as_json, verbose=verbose
    )


@cli.command()
@account_option
@browser_options
@output_options
def check(
    account: str | None,
    choice: SettingChoice,
    headed: bool,
    all_accounts: bool,
    evidence: bool,
    as_json: bool,
    verbose: bool,
) -> int:
    """Read the settings and change nothing.

    Exit 0 when every setting is off, 1 when one is on (see README: Exit codes).
    """
    from optout.commands.settings import Target, settings_command

    target = Target(account, all_accounts, choice, headed, evidence)
    return settings_command(Mode.CHECK, target, as_json, verbose)


@cli.command()
@account_option
@browser_options
@click.option("--dry-run", is_flag=True, help="Only say what would be switched off.")
@output_options
def off(
    account: str | None,
    choice: SettingChoice,
    headed: bool,
    all_accounts: bool,
    evidence: bool,
    dry_run: bool,
    as_json: bool,
    verbose: bool,
) -> int:
    """Switch the settings off, then reload the page and read them back.

    A switch is clicked only when it is known to be on. A screenshot of each change
    is kept for `optout report`.
    """
    from optout.commands.settings import Target, settings_command

    mode = Mode.DRY_RUN if dry_run else Mode.OFF
    target = Target(account, all_accounts, choice, headed, evidence)
    return settings_command(mode, target, as_json, verbose)


@cli.command("object")
@account_option
@click.option("--name", metavar="NAME", help="Your full name, as on LinkedIn (else asked).")
@click.option(
    "--type",
    "kind",
    default="ai-training",
    show_default=True,
    type=click.Choice(["ai-training", "research", "advertising", "other"]),
    help="What you object to.",
)
@click.option(
    "--text-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Your own objection text (default: optout's template, shown in the README).",
)
@click.option("--submit", is_flag=True, help="Send it; otherwise you press Submit yourself.")
@output_options
@reports_errors
def object_(
    account: str | None,
    name: str | None,
    kind: str,
    text_file: Path | None,
    submit: bool,
    as_json: bool,
    verbose: bool,
) -> int:
    """Fill LinkedIn's Data Processing Objection Form in a browser window.

    It covers what the switches do not: any other processing of your data.
    """
    from optout.commands.objection import ObjectionRequest, object_command

    request = ObjectionRequest(account, name, kind, text_file, submit)
    return object_command(request, as_json=as_json, verbose=verbose)


@cli.command()
@account_option
@click.option(
    "--html",
    "html_file",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the report (one self-contained file).",
)
@click.option(
    "--pdf", "pdf_file", type=click.Path(dir_okay=False, path_type=Path), help="Also a PDF."
)
@output_options
@reports_errors
def report(
    account: str | None, html_file: Path, pdf_file: Path | None, as_json: bool, verbose: bool
) -> int:
    """The evidence report of one account: states, timeline, screenshots, objections."""
    from optout.commands.report import report_command

    return report_command(account, html_file, pdf_file, as_json=as_json, verbose=verbose)


@cli.command()
@account_option
@click.option("--forget", is_flag=True, help="Also remove the password and key from the keyring.")
@output_options
@reports_errors
def logout(account: str | None, forget: bool, as_json: bool, verbose: bool) -> int:
    """Drop the saved session (and with --forget, the stored password)."""
    from optout.commands.logout import logout_command

    return logout_command(account, forget, as_json=as_json, verbose=verbose)


@cli.command()
@output_options
@reports_errors
def accounts(as_json: bool, verbose: bool) -> int:
    """List the known accounts: keyring, saved session, last result, cool-down."""
    from optout.commands.accounts import accounts_command

    return accounts_command(as_json=as_json, verbose=verbose)


@cli.command()
@account_option
@output_options
@reports_errors
def doctor(account: str | None, as_json: bool, verbose: bool) -> int:
    """Check the browser, the keyring, the selector pack and the saved sessions."""
    from optout.commands.doctor import doctor_command

    return doctor_command(account, as_json=as_json, verbose=verbose)


@cli.command()
@click.option("--account", metavar="EMAIL", help="Only this account.")
@click.option("--setting", "setting_id", metavar="ID", help="Only this setting.")
@click.option(
    "--limit", default=30, show_default=True, type=click.IntRange(1), help="Rows in the table."
)
@output_options
@reports_errors
def history(
    account: str | None, setting_id: str | None, limit: int, as_json: bool, verbose: bool
) -> int:
    """What every check and off found, newest first, with a timeline per setting."""
    from optout.commands.history import history_command

    return history_command(account, setting_id, limit, as_json=as_json, verbose=verbose)


@cli.group()
def schedule() -> None:
    """Periodic verification run by the OS scheduler (systemd, launchd, cron, schtasks)."""


@schedule.command("install")
@click.option(
    "--every",
    default="daily",
    show_default=True,
    help="daily, weekly, or an interval such as 12h or 2d (at least 1h).",
)
@click.option("--at", "at", metavar="HH:MM", help="Time of day (24-hour clock, local time).")
@click.option("--fix", is_flag=True, help="Switch a setting found on back off, and verify.")
@click.option(
    "--notify",
    "notify_urls",
    multiple=True,
    metavar="URL",
    help="Where notices go (apprise URL; repeatable); kept in the OS keyring. Other "
    "processes can read a command line: prefer --notify-stdin.",
)
@click.option(
    "--notify-stdin",
    is_flag=True,
    help="Read notice targets from standard input, one URL per line, until EOF.",
)
@click.option("--notify-every-run", is_flag=True, help="Send a notice after every run.")
@click.option(
    "--scheduler",
    default="auto",
    show_default=True,
    type=click.Choice(["auto", "systemd", "launchd", "cron", "schtasks"]),
    help="Which OS scheduler runs the job.",
)
@setting_options
@output_options
@reports_errors
def schedule_install(
    every: str,
    at: str | None,
    fix: bool,
    notify_urls: tuple[str, ...],
    notify_stdin: bool,
    notify_every_run: bool,
    scheduler: str,
    choice: SettingChoice,
    as_json: bool,
    verbose: bool,
) -> int:
    """Have the OS run `optout schedule run` periodically.

    \b
    echo 'ntfy://ntfy.sh/my-topic' | optout schedule install --at 09:30 --notify-stdin
    optout schedule install --every 12h --fix
    """
    from optout.commands.schedule import InstallRequest, install_command

    request = InstallRequest(
        every, at, fix, list(notify_urls), notify_every_run, choice, scheduler, notify_stdin
    )
    return install_command(request, as_json=as_json, verbose=verbose)


@schedule.command("remove")
@output_options
@reports_errors
def schedule_remove(as_json: bool, verbose: bool) -> int:
    """Remove optout's job from every scheduler."""
    from optout.commands.schedule import remove_command

    return remove_command(as_json=as_json, verbose=verbose)


@schedule.command("status")
@output_options
@reports_errors
def schedule_status(as_json: bool, verbose: bool) -> int:
    """What is installed, when it runs next, and how the last run went."""
    from optout.commands.schedule import status_command

    return status_command(as_json=as_json, verbose=verbose)


@schedule.command("run")
@setting_options
@click.option("--fix", is_flag=True, help="Switch a setting found on back off, and verify.")
@click.option("--notify-every-run", is_flag=True, help="Send a notice after every run.")
@output_options
@reports_errors
def schedule_run(
    choice: SettingChoice, fix: bool, notify_every_run: bool, as_json: bool, verbose: bool
) -> int:
    """What the scheduler runs: check every known account, record, notify once per problem.

    Exit 1 when a setting was found on (even if --fix switched it off).
    """
    from optout.commands.schedule import run_command

    return run_command(choice, fix, notify_every_run, as_json=as_json, verbose=verbose)


@cli.group()
def notify() -> None:
    """Notices (mail, ntfy, Slack, Discord, webhooks...) when a setting comes back on."""


@notify.command("test")
@output_options
@reports_errors
def notify_test(as_json: bool, verbose: bool) -> int:
    """Send a test notice to every configured target."""
    from optout.commands.notify import notify_test_command

    return notify_test_command(as_json=as_json, verbose=verbose)


@cli.group()
def selectors() -> None:
    """The selector pack: how optout finds each setting on LinkedIn's pages.

    A file `selectors.toml` in the config directory is merged over the
    built-in pack, so a LinkedIn change can be followed without a new release.
    """


@selectors.command("show")
@output_options
@reports_errors
def selectors_show(as_json: bool, verbose: bool) -> int:
    """Show the pack in use: settings, page variants, second sources."""
    from optout.commands.selectors import show_command

    return show_command(as_json=as_json, verbose=verbose)


@selectors.command("validate")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@output_options
@reports_errors
def selectors_validate(file: Path | None, as_json: bool, verbose: bool) -> int:
    """Validate FILE (an override, merged over the built-in pack) or the pack in use."""
    from optout.commands.selectors import validate_command

    return validate_command(file, as_json=as_json, verbose=verbose)


@selectors.command("path")
@output_options
@reports_errors
def selectors_path(as_json: bool, verbose: bool) -> int:
    """Where the built-in pack and the member's override file are."""
    from optout.commands.selectors import path_command

    return path_command(as_json=as_json, verbose=verbose)


@selectors.command("suggest")
@output_options
@reports_errors
def selectors_suggest(as_json: bool, verbose: bool) -> int:
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

    return suggest_command(as_json=as_json, verbose=verbose)


@cli.command()
@click.option("--headed", is_flag=True, help="Show the browser window.")
@click.option("--verbose", is_flag=True, help="Show details and tracebacks on stderr.")
@reports_errors
def demo(headed: bool, verbose: bool) -> int:
    """Watch optout work against a local imitation of LinkedIn (no account needed)."""
    from optout.commands.demo import demo_command

    return demo_command(headed=headed, verbose=verbose)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--allow-remote",
    is_flag=True,
    help="Listen on an address other machines can reach (its admin API has no password).",
)
@click.option("--port", default=8765, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--variant",
    default="current",
    show_default=True,
    type=click.Choice(["current", "psettings", "newer-wording", "multi-switch", "redesigned"]),
    help="Which settings page the member account gets.",
)
@click.option(
    "--lang",
    default="en",
    show_default=True,
    type=click.Choice(["en", "fr", "de", "es"]),
    help="The language of its settings pages.",
)
@click.option("--chaos-seed", type=int, help="Random delays, failures and lost saves, seeded.")
@click.option("--chaos-rate", default=0.3, show_default=True, type=click.FloatRange(0, 1))
@click.option(
    "--details-seed",
    type=int,
    help="Draw the unconfirmed details of each account's setting pages from this seed.",
)
@click.option(
    "--heavy", is_flag=True, help="Setting pages as heavy as LinkedIn's (scripts, images...)."
)
@click.option("--verbose", is_flag=True, help="Log requests (never passwords or cookies).")
@reports_errors
def sandbox(
    host: str,
    allow_remote: bool,
    port: int,
    variant: str,
    lang: str,
    chaos_seed: int | None,
    chaos_rate: float,
    details_seed: int | None,
    heavy: bool,
    verbose: bool,
) -> int:
    """Serve the local imitation of LinkedIn's sign-in and settings pages.

    \b
    optout sandbox --port 8765 &
    OPTOUT_BASE_URL=http://127.0.0.1:8765 optout login --account member@example.com
    More accounts, faults and chaos: the admin API under /__sandbox/ (README).
    """
    from optout.commands.sandbox import SandboxOptions, refuse_remote, sandbox_command

    if not allow_remote:
        refuse_remote(host)
    options = SandboxOptions(variant, lang, chaos_seed, chaos_rate, heavy, details_seed)
    return sandbox_command(host, port, options, verbose=verbose)


def main(argv: list[str] | None = None) -> None:
    """Entry point: click's usage errors become one line and exit 2."""
    from optout.core.scrubber import scrub_standard_streams

    scrub_standard_streams()  # before anything is written: no secret leaves whole
    try:
        code = cli.main(args=argv, prog_name="optout", standalone_mode=False)
    except click.UsageError as exc:
        hint = f" (see `{exc.ctx.command_path} --help`)" if exc.ctx else ""
        click.echo(f"optout: {exc.format_message()}{hint}", err=True)
        sys.exit(ExitStatus.USAGE)
    except click.ClickException as exc:
        click.echo(f"optout: {exc.format_message()}", err=True)
        sys.exit(exc.exit_code)
    except (click.Abort, KeyboardInterrupt):
        click.echo("optout: interrupted.", err=True)
        sys.exit(ExitStatus.INTERRUPTED)
    except Exception as exc:  # a bug: still one line, the traceback only on request
        from optout.output.terminal import Ui

        Ui(verbose="--verbose" in (argv if argv is not None else sys.argv)).error(exc)
        sys.exit(ExitStatus.INTERNAL_ERROR)
    sys.exit(int(code) if isinstance(code, int) else 0)
