"""`optout notify test`: send a test notice to every configured target."""

from __future__ import annotations

from rich.markup import escape

from optout.config import load_settings
from optout.errors import ExitStatus
from optout.ui import Ui


def notify_test_command(*, as_json: bool, verbose: bool) -> int:
    import click

    from optout.notify import Notice, configured_urls, send
    from optout.report import to_json

    ui = Ui(as_json=as_json, verbose=verbose)
    settings = load_settings()
    urls = configured_urls(settings)
    if not urls:
        raise click.UsageError(
            "No notification target yet: add one with `optout schedule install --notify URL`, "
            "or `notify = [...]` in config.toml."
        )
    notice = Notice(
        "optout: test notice",
        "optout can reach you here. It will write when a LinkedIn setting is found back on, "
        "or when it needs you to sign in again.",
    )
    deliveries = send(urls, notice)
    if as_json:
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
    return 0 if all(d.ok for d in deliveries) else int(ExitStatus.SITE_UNAVAILABLE)
