"""`optout notify test`: send a test notice to every configured target."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING

from rich.markup import escape

from optout.core.errors import ExitStatus

if TYPE_CHECKING:
    from optout.commands.context import CommandContext
    from optout.output.terminal import Ui


def notice_targets(urls: Iterable[str], *, from_stdin: bool, ui: Ui) -> list[str]:
    """Notice targets from `--notify URL` and, with `--notify-stdin`, one per line on
    stdin (argv is visible to every process on the machine); each checked."""
    import click

    from optout.scheduled.notices import check_url, read_urls

    given = [(url, "--notify") for url in urls]
    if from_stdin:
        if sys.stdin is None:
            raise click.BadParameter("there is no standard input", param_hint="--notify-stdin")
        if sys.stdin.isatty():
            ui.info("Notice targets: one apprise URL per line, then Ctrl-D.")
        try:
            read = read_urls(sys.stdin)
        except (OSError, ValueError):  # not UTF-8 text, or closed
            raise click.BadParameter(
                "standard input could not be read as text", param_hint="--notify-stdin"
            ) from None
        if not read:
            raise click.BadParameter(
                "no URL on standard input (one per line)", param_hint="--notify-stdin"
            )
        given += [(url, "--notify-stdin") for url in read]
    for url, option in given:
        problem = check_url(url)
        if problem:
            raise click.BadParameter(problem, param_hint=option)
    return list(dict.fromkeys(url for url, _ in given))


def notify_test_command(cmd: CommandContext) -> ExitStatus:
    import click

    from optout.output.json_output import to_json
    from optout.scheduled.notices import Notice, configured_urls, send

    ui = cmd.ui
    urls = configured_urls(cmd.settings)
    if not urls:
        raise click.UsageError(
            "No notification target yet: add one with `optout schedule install --notify-stdin`, "
            "or `notify = [...]` in config.toml."
        )
    notice = Notice(
        "optout: test notice",
        "optout can reach you here. It will write when a LinkedIn setting is found back on, "
        "or when it needs you to sign in again.",
    )
    deliveries = send(urls, notice)
    if cmd.as_json:
        ui.print_json(
            to_json(
                {
                    "targets": [
                        {"target": d.target, "sent": d.ok, "reason": d.reason or None}
                        for d in deliveries
                    ]
                }
            )
        )
    else:
        for delivery in deliveries:
            if delivery.ok:
                ui.out.print(f"[green]sent[/]   {escape(delivery.target)}")
            else:
                ui.out.print(f"[red]FAILED[/] {escape(delivery.target)}: {escape(delivery.reason)}")
    return ExitStatus.OK if all(d.ok for d in deliveries) else ExitStatus.SITE_UNAVAILABLE
