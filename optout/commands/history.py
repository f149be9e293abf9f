"""`optout history`: what every check and off found, as a table and a timeline."""

from __future__ import annotations

from itertools import groupby
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text

from optout.core.errors import ExitStatus
from optout.storage.accounts import AccountRegistry
from optout.storage.history import Entry, History

if TYPE_CHECKING:
    from optout.commands.context import CommandContext

TIMELINE_LENGTH = 60  # runs shown per setting in the timeline

# One mark per run, oldest first: what a glance at the timeline needs to tell apart.
_MARKS = {
    "on": ("●", "bold red"),
    "off": ("●", "green"),
    "switched": ("▼", "bold green"),
    "unavailable": ("·", "dim"),
    "unknown": ("?", "yellow"),
    "error": ("✕", "yellow"),
}


def history_command(
    cmd: CommandContext, account: str | None, setting: str | None, limit: int
) -> ExitStatus:
    from optout.commands.common import resolve_account
    from optout.output.json_output import to_json

    ui, settings = cmd.ui, cmd.settings
    account = resolve_account(account, settings) if account else None
    history = History.of(settings)
    entries = history.entries(account=account, setting=setting, limit=limit)
    accounts = [account] if account else AccountRegistry(settings.paths.accounts_file).names()
    objections = [o for name in accounts for o in history.objections(name)]
    if cmd.as_json:
        ui.print_json(
            to_json(
                {
                    "entries": [e.as_json() for e in entries],
                    "objections": [o.as_json() for o in objections],
                    "error": None,
                }
            )
        )
        return ExitStatus.OK
    if not entries:
        ui.out.print("No history yet: it starts with the first `optout check`.")
        return ExitStatus.OK
    ui.out.print(_table(entries))
    timeline = history.entries(account=account, setting=setting, limit=None)
    ui.out.print(_timeline(timeline))
    for objection in objections:
        reference = f", case {objection.reference}" if objection.reference else ""
        ui.out.print(
            f"Objection form sent {objection.at.astimezone():%Y-%m-%d %H:%M} for "
            f"{objection.account} ({objection.objection_type}{reference})",
            markup=False,
        )
    return ExitStatus.OK


def _table(entries: list[Entry]) -> Table:
    table = Table(title="History (newest first)", title_justify="left")
    for column in ("When", "Account", "Setting", "Run", "State", "Changed", "Error", "Took"):
        table.add_column(column)
    for entry in entries:
        mark, style = _MARKS[entry.mark]
        state = entry.state or "-"
        table.add_row(
            entry.at.astimezone().strftime("%Y-%m-%d %H:%M"),
            entry.account,
            entry.setting or "-",
            entry.mode + (" (scheduled)" if entry.scheduled else ""),
            Text(f"{mark} {state}" + (" drift" if entry.drift else ""), style=style),
            "switched off" if entry.changed else "-",
            entry.error_kind or "-",
            f"{entry.duration_s:.1f} s",
        )
    return table


def _timeline(entries: list[Entry]) -> Text:
    """One line per account and setting: a mark per run, oldest on the left."""
    text = Text("Timeline (oldest → newest)\n", style="bold")
    key = lambda e: (e.account, e.setting or "(no setting read)")  # noqa: E731
    # The entries come newest first, runs of the same second in the order they were
    # recorded: reversed, and then grouped by a stable sort, each group is oldest first.
    recorded_order = list(reversed(entries))
    for (account, setting), group in groupby(sorted(recorded_order, key=key), key=key):
        runs = list(group)[-TIMELINE_LENGTH:]
        text.append(f"{account}  {setting}  ")
        for entry in runs:
            mark, style = _MARKS[entry.mark]
            text.append(mark, style=style)
        text.append("\n")
    text.append("● on  ", style="bold red")
    text.append("● off  ", style="green")
    text.append("▼ switched off  ", style="bold green")
    text.append("· unavailable  ", style="dim")
    text.append("? unknown  ✕ error", style="yellow")
    return text
