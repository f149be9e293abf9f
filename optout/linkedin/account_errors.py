"""What a failed run tells about its account: a browser error or a bug as that
account's own error, and a refusal with how long the account is left alone."""

from __future__ import annotations

import logging

from optout.core.errors import (
    EnvironmentProblem,
    InternalError,
    OptoutError,
    Refused,
    SiteUnavailable,
)
from optout.storage.accounts import AccountRegistry

log = logging.getLogger(__name__)


def as_account_error(exc: Exception) -> OptoutError:
    """A browser error, or a bug, that hit one account, as that account's error."""
    from playwright.async_api import Error as PlaywrightError
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    log.debug("account run failed", exc_info=exc)
    first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    if isinstance(exc, PlaywrightTimeout):
        return SiteUnavailable(f"LinkedIn did not answer in time ({first_line}); try again later.")
    if isinstance(exc, PlaywrightError):
        if "closed" in first_line.lower():
            return EnvironmentProblem(f"The browser stopped during the run ({first_line}).")
        return EnvironmentProblem(f"The browser failed: {first_line}.")
    return InternalError(
        f"unexpected error: {type(exc).__name__}: {first_line}; run again with --verbose "
        "for details, and please report it."
    )


def with_cooldown(registry: AccountRegistry, account: str, exc: Refused) -> Refused:
    """Record the refusal; the same error, saying how long the account is left alone."""
    until = registry.record_refusal(account)
    return Refused(
        f"{exc.message} optout leaves {account} alone until "
        f"{until.astimezone():%Y-%m-%d %H:%M %Z} (a sign-in with `optout login` ends it sooner)."
    )
