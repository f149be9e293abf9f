"""Server-side truth of the sandbox: accounts, their settings and counters, sessions.

The HTTP server answers from several threads at once, so every read and write of
this state goes through one lock.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field, replace
from typing import Literal

from optout.sandbox.catalog import OTHER_SWITCHES, default_settings, setting_by_id
from optout.sandbox.faults import PAGE_VARIANTS, Chaos, Faults
from optout.sandbox.i18n import LANGUAGES

STAT_NAMES = (
    "logins",
    "failed_logins",
    "setting_writes",  # writes stored
    "settings_page_views",
    "writes_on",  # writes that asked for "on", stored or not: optout must never send one
    "writes_off",
)


def normalize_email(email: str) -> str:
    """LinkedIn treats sign-in emails case-insensitively; so does the sandbox."""
    return email.strip().lower()


def _check_setting_ids(settings: dict[str, bool]) -> None:
    # A misspelt id would silently make the setting look unavailable; refuse it instead.
    unknown = sorted(sid for sid in settings if setting_by_id(sid) is None)
    if unknown:
        raise ValueError(f"unknown setting id(s): {', '.join(unknown)}")


def _check_variant(variant: str, lang: str) -> None:
    if variant not in PAGE_VARIANTS:
        raise ValueError(f"unknown page variant {variant!r} (known: {', '.join(PAGE_VARIANTS)})")
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r} (known: {', '.join(LANGUAGES)})")


def _new_stats() -> dict[str, int]:
    return dict.fromkeys(STAT_NAMES, 0)


@dataclass
class _Account:
    email: str
    password: str
    checkpoint: bool
    # A setting missing here is one LinkedIn does not offer this member (e.g. by region).
    settings: dict[str, bool]
    variant: str = "current"
    lang: str = "en"
    faults: Faults = field(default_factory=Faults)
    # Page-local switches of the multi-switch page: not settings optout acts on.
    others: dict[str, bool] = field(default_factory=dict)
    stats: dict[str, int] = field(default_factory=_new_stats)


@dataclass(frozen=True)
class Session:
    """A signed-in browser: `li_at` names it, `jsessionid` is its CSRF token."""

    email: str
    li_at: str
    jsessionid: str  # "ajax:<19 digits>", without the quotes the cookie carries


@dataclass(frozen=True)
class SandboxAccount:
    """What the sandbox shows about an account: everything but the password."""

    email: str
    checkpoint: bool
    settings: dict[str, bool]
    stats: dict[str, int]
    variant: str
    lang: str
    faults: Faults
    others: dict[str, bool]


@dataclass(frozen=True)
class SignedIn:
    session: Session


@dataclass(frozen=True)
class Challenged:
    challenge_id: str


@dataclass(frozen=True)
class Refused:
    reason: Literal["unknown_email", "wrong_password"]


SignInOutcome = SignedIn | Challenged | Refused


def _new_li_at() -> str:
    # Real li_at tokens are long opaque strings starting "AQED"; only the randomness matters.
    return "AQEDA" + secrets.token_urlsafe(96)


def _new_jsessionid() -> str:
    return f"ajax:{secrets.randbelow(9 * 10**18) + 10**18}"


class SandboxState:
    """Accounts by normalised email, sessions by li_at, open checkpoint challenges."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._accounts: dict[str, _Account] = {}
        self._sessions: dict[str, Session] = {}
        self._challenges: dict[str, str] = {}  # challenge id -> email
        self.chaos: Chaos | None = None

    def _account(self, email: str) -> _Account:
        # Caller holds the lock. KeyError for an unknown account is part of the API.
        key = normalize_email(email)
        if key not in self._accounts:
            raise KeyError(email)
        return self._accounts[key]

    # --- accounts and settings -------------------------------------------------

    def add_account(
        self,
        email: str,
        password: str,
        *,
        settings: dict[str, bool] | None = None,
        checkpoint: bool = False,
        variant: str = "current",
        lang: str = "en",
        faults: Faults | None = None,
    ) -> None:
        key = normalize_email(email)
        if not key:
            raise ValueError("email must not be empty")
        _check_variant(variant, lang)
        chosen = default_settings(variant) if settings is None else dict(settings)
        _check_setting_ids(chosen)
        with self._lock:
            if key in self._accounts:
                raise ValueError(f"account already exists: {key}")
            self._accounts[key] = _Account(
                key, password, checkpoint, chosen, variant, lang, faults or Faults(),
                others=dict(OTHER_SWITCHES),
            )  # fmt: skip

    def set_variant(self, email: str, variant: str | None, lang: str | None) -> None:
        with self._lock:
            acc = self._account(email)
            _check_variant(variant or acc.variant, lang or acc.lang)
            acc.variant, acc.lang = variant or acc.variant, lang or acc.lang

    def set_faults(self, email: str, faults: Faults) -> None:
        with self._lock:
            self._account(email).faults = faults

    def take_expiry_fault(self, email: str) -> bool:
        """True once after `expire_before_save` was set: that account's sessions end now."""
        with self._lock:
            acc = self._account(email)
            if not acc.faults.expire_before_save:
                return False
            acc.faults = replace(acc.faults, expire_before_save=False)
            for li_at in [t for t, s in self._sessions.items() if s.email == acc.email]:
                del self._sessions[li_at]
            return True

    def account(self, email: str) -> SandboxAccount:
        with self._lock:
            acc = self._account(email)
            return SandboxAccount(
                acc.email, acc.checkpoint, dict(acc.settings), dict(acc.stats),
                acc.variant, acc.lang, acc.faults, dict(acc.others),
            )  # fmt: skip

    def setting(self, email: str, setting_id: str) -> bool:
        """The stored value; KeyError if the account or the setting (for it) is unknown."""
        with self._lock:
            return self._account(email).settings[setting_id]

    def offered(self, email: str, setting_id: str) -> bool:
        with self._lock:
            return setting_id in self._account(email).settings

    def set_setting(self, email: str, setting_id: str, value: bool) -> None:
        """Change a value from outside (tests, admin); not counted as a member's write."""
        _check_setting_ids({setting_id: value})
        with self._lock:
            self._account(email).settings[setting_id] = value

    def write_setting(
        self, email: str, setting_id: str, value: bool, *, store: bool = True
    ) -> None:
        """The member's own change through the page; KeyError if not offered to them.
        Every attempt is counted by the value it asked for; `store=False` drops it."""
        with self._lock:
            acc = self._account(email)
            if setting_id not in acc.settings:
                raise KeyError(setting_id)
            acc.stats["writes_on" if value else "writes_off"] += 1
            if store:
                acc.settings[setting_id] = value
                acc.stats["setting_writes"] += 1

    def write_other(self, email: str, key: str, value: bool) -> None:
        with self._lock:
            acc = self._account(email)
            if key not in acc.others:
                raise KeyError(key)
            acc.others[key] = value

    def count_settings_page_view(self, email: str) -> None:
        with self._lock:
            self._account(email).stats["settings_page_views"] += 1

    def stats(self, email: str) -> dict[str, int]:
        with self._lock:
            return dict(self._account(email).stats)

    # --- signing in --------------------------------------------------------------

    def sign_in(self, email: str, password: str) -> SignInOutcome:
        with self._lock:
            acc = self._accounts.get(normalize_email(email))
            if acc is None:
                return Refused("unknown_email")
            if not secrets.compare_digest(acc.password.encode(), password.encode()):
                acc.stats["failed_logins"] += 1
                return Refused("wrong_password")
            if acc.checkpoint:
                # Such accounts never get past the challenge: no session, no login counted.
                challenge_id = "AQ" + secrets.token_urlsafe(48)
                self._challenges[challenge_id] = acc.email
                return Challenged(challenge_id)
            session = Session(acc.email, _new_li_at(), _new_jsessionid())
            self._sessions[session.li_at] = session
            acc.stats["logins"] += 1
            return SignedIn(session)

    def has_challenge(self, challenge_id: str) -> bool:
        with self._lock:
            return challenge_id in self._challenges

    def session(self, li_at: str | None) -> Session | None:
        """The live session for a li_at cookie; None when absent, unknown or expired."""
        if not li_at:
            return None
        with self._lock:
            return self._sessions.get(li_at)

    def end_session(self, li_at: str) -> None:
        with self._lock:
            self._sessions.pop(li_at, None)

    def expire_sessions(self, email: str | None = None) -> None:
        with self._lock:
            if email is None:
                self._sessions.clear()
                return
            key = self._account(email).email
            for li_at in [t for t, s in self._sessions.items() if s.email == key]:
                del self._sessions[li_at]
