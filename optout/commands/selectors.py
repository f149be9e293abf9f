"""`optout selectors show|validate|path|suggest`: the pack in use and the member's override."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.markup import escape
from rich.table import Table

from optout.core.errors import ExitStatus
from optout.core.selector_pack import Pack, builtin_pack_path, load_pack, override_path

if TYPE_CHECKING:
    from optout.commands.context import CommandContext


def _pack_object(pack: Pack) -> dict[str, Any]:
    return {
        "version": pack.version,
        "source": pack.source,
        "settings": {
            spec.id: {
                "label": spec.label,
                "on_when_checked": spec.on_when_checked,
                "variants": [
                    {"name": v.name, "path": v.path, "switch": list(v.switch)}
                    for v in spec.variants
                ],
                "aria_keys": list(spec.aria_keys),
                "languages": sorted(spec.labels),
                "second_sources": [
                    name
                    for name, present in (("settings request", spec.api), ("index", spec.index))
                    if present
                ],
            }
            for spec in pack.settings.values()
        },
    }


def show_command(cmd: CommandContext) -> ExitStatus:
    from optout.output.json_output import to_json

    ui, pack = cmd.ui, cmd.pack
    if cmd.as_json:
        ui.print_json(to_json(_pack_object(pack)))
        return ExitStatus.OK
    ui.out.print(f"Selector pack version {escape(pack.version)} from {escape(pack.source)}")
    table = Table("Setting", "Page variants (path)", "Second source", "Languages")
    for spec in pack.settings.values():
        table.add_row(
            f"{spec.id}\n[dim]{escape(spec.label)}[/]",
            "\n".join(f"{v.name}: {v.path}" for v in spec.variants),
            ", ".join(_pack_object(pack)["settings"][spec.id]["second_sources"]) or "-",
            ", ".join(sorted(spec.labels)) or "-",
        )
    ui.out.print(table)
    return ExitStatus.OK


def validate_command(cmd: CommandContext, file: Path | None) -> ExitStatus:
    """Validate FILE as an override merged over the built-in pack, or else the pack in use."""
    from optout.output.json_output import to_json

    ui = cmd.ui
    # FILE is what is being checked, not the pack in use: it is read for this alone.
    pack = cmd.pack if file is None else load_pack(override=file)
    if cmd.as_json:
        ui.print_json(to_json({"valid": True, "version": pack.version, "source": pack.source}))
    else:
        ui.out.print(
            f"[green]valid[/]: {escape(pack.source)} (version {escape(pack.version)}, "
            f"{len(pack.settings)} settings)"
        )
    return ExitStatus.OK


def path_command(cmd: CommandContext) -> ExitStatus:
    from optout.output.json_output import to_json

    ui = cmd.ui
    builtin = builtin_pack_path()
    user = override_path(cmd.settings.paths.config_dir)
    if cmd.as_json:
        ui.print_json(
            to_json(
                {"builtin": str(builtin), "override": str(user), "override_exists": user.is_file()}
            )
        )
        return ExitStatus.OK
    ui.out.print(f"built-in pack: {escape(str(builtin))}")
    state = "in use" if user.is_file() else "not present; create it to override"
    ui.out.print(f"override:      {escape(str(user))} ({state})")
    return ExitStatus.OK


def suggest_command(cmd: CommandContext) -> ExitStatus:
    """The override that fits the pages seen; says so when every hint held."""
    from optout.linkedin.settings_pages.calibration import Calibration, suggest
    from optout.linkedin.settings_pages.calibration import as_json as notes_json
    from optout.output.json_output import to_json

    ui, settings, pack = cmd.ui, cmd.settings, cmd.pack
    notes = Calibration(settings.paths.state_dir).load()
    override = suggest(pack, notes)
    if cmd.as_json:
        ui.print_json(to_json({"observations": notes_json(notes), "override": override}))
        return ExitStatus.OK
    if not override:
        ui.err.print(
            "Every hint of the pack held on the pages optout has read: nothing to suggest."
        )
        return ExitStatus.OK
    # Plain text on stdout, so it can be saved as the override file as it is.
    target = override_path(settings.paths.config_dir)
    click.echo(f"# optout selectors suggest: pack {pack.version}, override for {target}")
    click.echo(override, nl=False)
    return ExitStatus.OK
