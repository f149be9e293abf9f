"""Options several commands share, as decorators; what they parse lands on the run's
`CommandContext` (--json, --verbose) or reaches the command as one value (`choice`)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar, cast

import click

from optout.commands.context import CommandContext
from optout.core.errors import OptoutError
from optout.core.setting_choice import DEFAULT_SETTING, GROUPS, SettingChoice

F = TypeVar("F", bound=Callable[..., Any])


def _stack(*options: Callable[[F], F]) -> Callable[[F], F]:
    """Apply `options` so that --help lists them in the order given."""

    def decorate(f: F) -> F:
        for option in reversed(options):
            f = option(f)
        return f

    return decorate


def _known_settings(
    ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]
) -> tuple[str, ...]:
    if not values:
        return ()  # nothing to check: the pack is not loaded for it
    try:
        known = CommandContext.of(ctx).pack.settings
    except OptoutError:
        return tuple(dict.fromkeys(values))  # the command reports the broken file itself
    for value in values:
        if value not in known:
            raise click.BadParameter(
                f"unknown setting {value!r} (known: {', '.join(sorted(known))})"
            )
    return tuple(dict.fromkeys(values))


def _set_json(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    CommandContext.of(ctx).as_json = value


def _set_verbose(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:  # main may have set it from argv already, for errors met while parsing
        CommandContext.of(ctx).verbose = True


def account_option(f: F) -> F:
    return click.option(
        "--account",
        envvar="OPTOUT_ACCOUNT",
        metavar="EMAIL",
        help="LinkedIn account (env OPTOUT_ACCOUNT); may be left out when only one is known.",
    )(f)


def verbose_option(help_text: str = "Show details and tracebacks on stderr.") -> Callable[[F], F]:
    return click.option(
        "--verbose", is_flag=True, expose_value=False, callback=_set_verbose, help=help_text
    )


def output_options(f: F) -> F:
    """--json and --verbose: they decide how the run's output object shows."""
    f = verbose_option()(f)
    return click.option(
        "--json", is_flag=True, expose_value=False, callback=_set_json,
        help="Print one JSON object.",
    )(f)  # fmt: skip


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


# What `schedule install` and `schedule run` share beyond the settings.
fix_option = click.option(
    "--fix", is_flag=True, help="Switch a setting found on back off, and verify."
)
every_run_option = click.option(
    "--notify-every-run", is_flag=True, help="Send a notice after every run."
)

# The options of one command each, kept here so the click tree in cli.py reads as a
# list of commands.

login_options = _stack(
    account_option,
    click.option("--password-stdin", is_flag=True, help="Read the password from standard input."),
    click.option(
        "--totp-secret-stdin",
        is_flag=True,
        help="Also store your authenticator app's secret (next line of stdin) for two-step codes.",
    ),
    click.option(
        "--headed",
        is_flag=True,
        help="Sign in in a visible browser: finish captchas, app approvals, Google/Apple sign-in.",
    ),
    output_options,
)

object_options = _stack(
    account_option,
    click.option("--name", metavar="NAME", help="Your full name, as on LinkedIn (else asked)."),
    click.option(
        "--type",
        "kind",
        default="ai-training",
        show_default=True,
        type=click.Choice(["ai-training", "research", "advertising", "other"]),
        help="What you object to.",
    ),
    click.option(
        "--text-file",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Your own objection text (default: optout's template, shown in the README).",
    ),
    click.option("--submit", is_flag=True, help="Send it; otherwise you press Submit yourself."),
    output_options,
)

report_options = _stack(
    account_option,
    click.option(
        "--html",
        "html_file",
        required=True,
        type=click.Path(dir_okay=False, path_type=Path),
        help="Where to write the report (one self-contained file).",
    ),
    click.option(
        "--pdf", "pdf_file", type=click.Path(dir_okay=False, path_type=Path), help="Also a PDF."
    ),
    output_options,
)

history_options = _stack(
    click.option("--account", metavar="EMAIL", help="Only this account."),
    click.option("--setting", "setting_id", metavar="ID", help="Only this setting."),
    click.option(
        "--limit", default=30, show_default=True, type=click.IntRange(1), help="Rows in the table."
    ),
    output_options,
)

install_options = _stack(
    click.option(
        "--every",
        default="daily",
        show_default=True,
        help="daily, weekly, or an interval such as 12h or 2d (at least 1h).",
    ),
    click.option("--at", "at", metavar="HH:MM", help="Time of day (24-hour clock, local time)."),
    fix_option,
    click.option(
        "--notify",
        "notify_urls",
        multiple=True,
        metavar="URL",
        help="Where notices go (apprise URL; repeatable); kept in the OS keyring. Other "
        "processes can read a command line: prefer --notify-stdin.",
    ),
    click.option(
        "--notify-stdin",
        is_flag=True,
        help="Read notice targets from standard input, one URL per line, until EOF.",
    ),
    every_run_option,
    click.option(
        "--scheduler",
        default="auto",
        show_default=True,
        type=click.Choice(["auto", "systemd", "launchd", "cron", "schtasks"]),
        help="Which OS scheduler runs the job.",
    ),
    setting_options,
    output_options,
)

sandbox_options = _stack(
    click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on."),
    click.option(
        "--allow-remote",
        is_flag=True,
        help="Listen on an address other machines can reach (its admin API has no password).",
    ),
    click.option("--port", default=8765, show_default=True, type=click.IntRange(0, 65535)),
    click.option(
        "--variant",
        default="current",
        show_default=True,
        type=click.Choice(["current", "psettings", "newer-wording", "multi-switch", "redesigned"]),
        help="Which settings page the member account gets.",
    ),
    click.option(
        "--lang",
        default="en",
        show_default=True,
        type=click.Choice(["en", "fr", "de", "es"]),
        help="The language of its settings pages.",
    ),
    click.option("--chaos-seed", type=int, help="Random delays, failures and lost saves, seeded."),
    click.option("--chaos-rate", default=0.3, show_default=True, type=click.FloatRange(0, 1)),
    click.option(
        "--details-seed",
        type=int,
        help="Draw the unconfirmed details of each account's setting pages from this seed.",
    ),
    click.option(
        "--heavy", is_flag=True, help="Setting pages as heavy as LinkedIn's (scripts, images...)."
    ),
    verbose_option("Log requests (never passwords or cookies)."),
)
