"""`optout accounts`: every known account, where its secrets live, how it last went."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from rich.markup import escape
from rich.table import Table

from optout.core.config import Settings
from optout.core.errors import ExitStatus, OptoutError
from optout.storage.accounts import AccountRegistry

if TYPE_CHECKING:
    from optout.commands.context import CommandContext


def _age(saved_at: datetime | None) -> str:
    if saved_at is None:
        return "none"
    minutes = int((datetime.now(UTC) - saved_at).total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h"
    return f"{minutes // (24 * 60)} days"


def _describe(settings: Settings, registry: AccountRegistry, account: str) -> dict[str, Any]:
    from optout.storage import credentials
    from optout.storage.sessions import SessionStore

    entry = registry.entry(account)
    info = SessionStore.of(settings.paths).info(account)
    until = registry.cooldown_until(account)
    origin = settings.base_url
    return {
        "account": account,
        "password_stored": credentials.get_password(account, origin=origin) is not None,
        "authenticator_stored": credentials.get_totp_secret(account, origin=origin) is not None,
        "session_saved_at": info.saved_at.isoformat(timespec="seconds")
        if info and info.saved_at
        else None,
        "last_login": entry.get("last_login"),
        "last_result": entry.get("last_result"),
        "cooldown_until": until.isoformat(timespec="seconds") if until else None,
    }


def accounts_command(cmd: CommandContext) -> ExitStatus:
    from optout.output.json_output import to_json
    from optout.storage import credentials

    ui, settings = cmd.ui, cmd.settings
    registry = AccountRegistry(settings.paths.accounts_file)
    try:
        backend = credentials.probe()
    except OptoutError as exc:
        backend = None
        ui.error(exc)
    rows = [_describe(settings, registry, name) for name in registry.names()] if backend else []
    if cmd.as_json:
        ui.print_json(to_json({"keyring": backend, "accounts": rows}))
    elif backend is not None and not rows:
        ui.out.print("No account yet: run `optout login --account EMAIL`.")
    elif backend is not None:
        ui.out.print(_table(backend, rows))
    return ExitStatus.OK if backend else ExitStatus.ENVIRONMENT


def _table(backend: str, rows: list[dict[str, Any]]) -> Table:
    table = Table(title=f"Accounts (keyring: {escape(backend)})", title_justify="left")
    for column in ("Account", "Password", "Authenticator", "Session age", "Last result"):
        table.add_column(column)
    table.add_column("Cool-down until")
    for row in rows:
        saved = row["session_saved_at"]
        last = row["last_result"] or {}
        table.add_row(
            escape(row["account"]),
            "keyring" if row["password_stored"] else "-",
            "keyring" if row["authenticator_stored"] else "-",
            _age(datetime.fromisoformat(saved) if saved else None),
            escape(f"{last.get('status', '-')} ({last.get('at', '')})" if last else "-"),
            escape(row["cooldown_until"] or "-"),
        )
    return table
