"""How results look to people: rich tables (the JSON objects: json_output.py)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from optout.core.results import Mode, RunResult, SettingResult, State

_STATE_STYLE = {
    State.ON: ("ON", "bold red"),
    State.OFF: ("off", "bold green"),
    State.UNAVAILABLE: ("unavailable", "dim"),
    State.UNKNOWN: ("unknown", "yellow"),
}


def _change_text(setting: SettingResult, mode: Mode) -> Text:
    if setting.changed:
        return Text("switched off (read back: off)", style="green")
    if setting.state is State.ON and mode is Mode.OFF:
        return Text("could not switch off", style="bold red")
    if setting.state is State.ON and mode is Mode.DRY_RUN:
        return Text("would switch off", style="yellow")
    return Text("-", style="dim")


def results_table(result: RunResult) -> Table:
    table = Table(title=f"LinkedIn data settings of {result.account}", title_justify="left")
    table.add_column("Setting")
    table.add_column("State")
    table.add_column("Change")
    for setting in result.settings:
        word, style = _STATE_STYLE[setting.state]
        table.add_row(setting.label, Text(word, style=style), _change_text(setting, result.mode))
    return table


def summary_line(result: RunResult) -> Text:
    on = [s for s in result.settings if s.state is State.ON]
    if on and result.mode is Mode.OFF:
        return Text(
            "LinkedIn still shows the setting on after the change; nothing was confirmed. "
            "Try again later, or switch it off by hand.",
            style="bold red",
        )
    if on:
        return Text(
            "LinkedIn may use your data to train AI: run `optout off` to switch it off.",
            style="bold red",
        )
    return Text("All good: LinkedIn may not use your data for these purposes.", style="green")


def render_result(out: Console, result: RunResult) -> None:
    """The table, and a closing line unless the run ended in an error (reported apart)."""
    if result.settings:
        out.print(results_table(result))
    if result.error is None:
        out.print(summary_line(result))
