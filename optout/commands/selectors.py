"""`optout selectors show|validate|path|suggest`: the pack in use and the member's override."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.markup import escape
from rich.table import Table

from optout.core.config import load_settings
from optout.core.selector_pack import Pack, builtin_pack_path, load_pack, override_path
from optout.output.terminal import Ui


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


def show_command(*, as_json: bool, verbose: bool) -> int:
    from optout.output.render import to_json

    ui = Ui(as_json=as_json, verbose=verbose)
    pack = load_pack(load_settings().paths.config_dir)
    if as_json:
        ui.print_json(to_json(_pack_object(pack)))
        return 0
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
    return 0


def validate_command(file: Path | None, *, as_json: bool, verbose: bool) -> int:
    """Validate FILE as an override merged over the built-in pack, or else the pack in use."""
    from optout.output.render import to_json

    ui = Ui(as_json=as_json, verbose=verbose)
    if file is not None:
        pack = load_pack(override=file)
    else:
        pack = load_pack(load_settings().paths.config_dir)
    if as_json:
        ui.print_json(to_json({"valid": True, "version": pack.version, "source": pack.source}))
    else:
        ui.out.print(
            f"[green]valid[/]: {escape(pack.source)} (version {escape(pack.version)}, "
            f"{len(pack.settings)} settings)"
        )
    return 0


def path_command(*, as_json: bool, verbose: bool) -> int:
    from optout.output.render import to_json

    ui = Ui(as_json=as_json, verbose=verbose)
    builtin = builtin_pack_path()
    user = override_path(load_settings().paths.config_dir)
    if as_json:
        ui.print_json(
            to_json(
                {"builtin": str(builtin), "override": str(user), "override_exists": user.is_file()}
            )
        )
        return 0
    ui.out.print(f"built-in pack: {escape(str(builtin))}")
    state = "in use" if user.is_file() else "not present; create it to override"
    ui.out.print(f"override:      {escape(str(user))} ({state})")
    return 0


def suggest_command(*, as_json: bool, verbose: bool) -> int:
    """The override that fits the pages seen; says so when every hint held."""
    from optout.linkedin.calibration import Calibration, suggest
    from optout.linkedin.calibration import as_json as notes_json
    from optout.output.render import to_json

    ui = Ui(as_json=as_json, verbose=verbose)
    settings = load_settings()
    pack = load_pack(settings.paths.config_dir)
    notes = Calibration(settings.paths.state_dir).load()
    override = suggest(pack, notes)
    if as_json:
        ui.print_json(to_json({"observations": notes_json(notes), "override": override}))
        return 0
    if not override:
        ui.err.print(
            "Every hint of the pack held on the pages optout has read: nothing to suggest."
        )
        return 0
    # Plain text on stdout, so it can be saved as the override file as it is.
    target = override_path(settings.paths.config_dir)
    click.echo(f"# optout selectors suggest: pack {pack.version}, override for {target}")
    click.echo(override, nl=False)
    return 0
