"""What several commands share: which account is meant."""

from __future__ import annotations

import click

from optout.core.config import Settings, normalize_account
from optout.core.errors import LoginRequired
from optout.storage.accounts import AccountRegistry

NO_ACCOUNT = "No LinkedIn account yet: run `optout login --account EMAIL`."


def resolve_account(explicit: str | None, settings: Settings) -> str | None:
    """--account / OPTOUT_ACCOUNT, then the config file, then the only known account."""
    chosen = explicit or settings.account
    if chosen:
        account = normalize_account(chosen)
        if not account or any(ch.isspace() for ch in account):
            raise click.BadParameter(
                f"{chosen!r} is not an email address or phone number", param_hint="--account"
            )
        return account
    known = AccountRegistry(settings.paths.accounts_file).names()
    if len(known) == 1:
        return known[0]
    if len(known) > 1:
        raise click.UsageError(
            f"Several accounts are known ({', '.join(known)}): choose one with --account."
        )
    return None


def require_account(explicit: str | None, settings: Settings) -> str:
    """The account meant, as `resolve_account`; LoginRequired when none is known."""
    resolved = resolve_account(explicit, settings)
    if resolved is None:
        raise LoginRequired(NO_ACCOUNT)
    return resolved
