"""Domain errors and the one table that maps them to exit codes."""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    """Every exit code optout uses, as documented in README.md (Exit codes)."""

    OK = 0
    SETTING_ON = 1
    USAGE = 2
    SIGN_IN_NEEDED = 3
    PAGE_NOT_UNDERSTOOD = 4
    SITE_UNAVAILABLE = 5
    ENVIRONMENT = 6
    # A bug in optout (sysexits' EX_SOFTWARE): never 1, so a monitor tells a crash
    # from a setting found on.
    INTERNAL_ERROR = 70
    INTERRUPTED = 130  # Ctrl-C, as shells report SIGINT


class OptoutError(Exception):
    """A failure with a one-line message for the member and a documented exit code."""

    kind = "environment"
    exit_status = ExitStatus.ENVIRONMENT

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class LoginRequired(OptoutError):
    """No usable session or credentials, or LinkedIn refused the password."""

    kind = "login_required"
    exit_status = ExitStatus.SIGN_IN_NEEDED


class ChallengeRequired(OptoutError):
    """LinkedIn asked for something only a person can give (checkpoint, captcha...)."""

    kind = "challenge"
    exit_status = ExitStatus.SIGN_IN_NEEDED


class LayoutChanged(OptoutError):
    """The page did not look the way the selector pack expects."""

    kind = "layout_changed"
    exit_status = ExitStatus.PAGE_NOT_UNDERSTOOD


class SiteUnavailable(OptoutError):
    """LinkedIn or the network failed: timeout, refused connection, HTTP 429/999/5xx."""

    kind = "site_unavailable"
    exit_status = ExitStatus.SITE_UNAVAILABLE


class Refused(SiteUnavailable):
    """LinkedIn turned the account away (HTTP 999/429, an internal-error checkpoint):
    the account is left alone for a while so it is not flagged."""


class CoolingDown(Refused):
    """optout leaves the account alone after a refusal: no new refusal of LinkedIn's."""


class EnvironmentProblem(OptoutError):
    """Something on this machine: no browser, no usable keyring, unreadable files."""

    kind = "environment"
    exit_status = ExitStatus.ENVIRONMENT


class InternalError(OptoutError):
    """A bug in optout, caught where it hit one account so the others still run."""

    kind = "internal_error"
    exit_status = ExitStatus.INTERNAL_ERROR
