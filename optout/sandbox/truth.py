"""What the sandbox records for tests to assert: each account's settings, page and
counters, the objections it sent, and what browsers asked of heavy mode.

`SandboxState` holds the data and its lock; the methods here are the part of it
that reads and writes this record.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field

from optout.sandbox.details import PageDetails
from optout.sandbox.faults import PAGE_VARIANTS, Faults
from optout.sandbox.i18n import LANGUAGES
from optout.sandbox.settings_catalog import INTEREST_CATEGORIES, OTHER_SWITCHES, setting_by_id

STAT_NAMES = (
    "logins",
    "failed_logins",
    "setting_writes",  # writes stored
    "settings_page_views",
    "writes_on",  # writes that asked for "on", stored or not: optout must never send one
    "writes_off",
    "other_writes",  # writes to page-local switches and checkboxes, not settings
    "login_attempts",  # every password submitted for the account, right or wrong
    "challenges_shown",  # checkpoint challenges a correct password led to
    "challenges_passed",
    "wrong_pins",  # wrong email/SMS PINs and authenticator codes
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


def _new_others() -> dict[str, bool]:
    return {**OTHER_SWITCHES, **dict.fromkeys(INTEREST_CATEGORIES, True)}


@dataclass
class _Account:
    email: str
    password: str
    challenge: str | None  # one of state.CHALLENGE_KINDS, asked after every correct password
    # A setting missing here is one LinkedIn does not offer this member (e.g. by region).
    settings: dict[str, bool]
    variant: str = "current"
    lang: str = "en"
    faults: Faults = field(default_factory=Faults)
    # Page-local switches and checkboxes (the multi-switch page's, the interest
    # categories): not settings optout acts on.
    others: dict[str, bool] = field(default_factory=_new_others)
    stats: dict[str, int] = field(default_factory=_new_stats)
    page_views: dict[str, int] = field(default_factory=dict)  # setting page path -> loads
    totp_secret: str | None = None
    details: PageDetails | None = None  # set explicitly; else drawn (details.py)
    # The member's latest change of each setting: the value before it, and when (the
    # index may lag behind it: PageDetails.index_lag_s).
    changed: dict[str, tuple[bool, float]] = field(default_factory=dict)


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
    challenge: str | None = None
    details: PageDetails = field(default_factory=PageDetails)
    page_views: dict[str, int] = field(default_factory=dict)


class SettingsRecord:
    """The accounts' settings, pages and counters: mixed into `SandboxState`."""

    _lock: threading.Lock
    _accounts: dict[str, _Account]
    _objections: list[dict[str, str]]
    _heavy_requests: dict[str, int]
    details_seed: int | None
    readable_draws: bool

    def _account(self, email: str) -> _Account:
        # Caller holds the lock. KeyError for an unknown account is part of the API.
        key = normalize_email(email)
        if key not in self._accounts:
            raise KeyError(email)
        return self._accounts[key]

    def record_objection(self, email: str, fields: dict[str, str]) -> str:
        """Keep a received objection form; its case number."""
        case = "DPRO-" + secrets.token_hex(4).upper()
        with self._lock:
            self._objections.append({"account": normalize_email(email), "case": case, **fields})
        return case

    def objections(self, email: str) -> list[dict[str, str]]:
        with self._lock:
            return [dict(o) for o in self._objections if o["account"] == normalize_email(email)]

    def count_heavy_request(self, kind: str) -> None:
        with self._lock:
            self._heavy_requests[kind] = self._heavy_requests.get(kind, 0) + 1

    def heavy_requests(self) -> dict[str, int]:
        with self._lock:
            return dict(self._heavy_requests)

    def reset_heavy_requests(self) -> None:
        with self._lock:
            self._heavy_requests.clear()

    def set_variant(self, email: str, variant: str | None, lang: str | None) -> None:
        with self._lock:
            acc = self._account(email)
            _check_variant(variant or acc.variant, lang or acc.lang)
            acc.variant, acc.lang = variant or acc.variant, lang or acc.lang

    def set_details(self, email: str, details: PageDetails | None) -> None:
        """Fix the account's page details; None draws them again (email, seed)."""
        with self._lock:
            self._account(email).details = details

    def details(self, email: str) -> PageDetails:
        with self._lock:
            return self._details(self._account(email))

    def _details(self, acc: _Account) -> PageDetails:
        # Caller holds the lock.
        return acc.details or self.drawn_details(acc.email)

    def drawn_details(self, email: str) -> PageDetails:
        """The details drawn for an account not given its own: from its email and the seed."""
        drawn = PageDetails.drawn(email, self.details_seed)
        return drawn.readable() if self.readable_draws else drawn

    def set_faults(self, email: str, faults: Faults) -> None:
        with self._lock:
            self._account(email).faults = faults

    def account(self, email: str) -> SandboxAccount:
        with self._lock:
            acc = self._account(email)
            return SandboxAccount(
                acc.email, acc.challenge == "email_pin", dict(acc.settings), dict(acc.stats),
                acc.variant, acc.lang, acc.faults, dict(acc.others), acc.challenge,
                self._details(acc), dict(acc.page_views),
            )  # fmt: skip

    def setting(self, email: str, setting_id: str) -> bool:
        """The stored value; KeyError if the account or the setting (for it) is unknown."""
        with self._lock:
            return self._account(email).settings[setting_id]

    def index_values(self, email: str) -> dict[str, bool]:
        """The member's settings as the Data privacy index shows them: a value changed
        less than the details' `index_lag_s` ago as it was before."""
        with self._lock:
            acc = self._account(email)
            lag_s, now = self._details(acc).index_lag_s, time.monotonic()
            shown = dict(acc.settings)
            for setting, (before, at) in acc.changed.items():
                if setting in shown and now - at < lag_s:
                    shown[setting] = before
            return shown

    def offered(self, email: str, setting_id: str) -> bool:
        with self._lock:
            return setting_id in self._account(email).settings

    def set_setting(self, email: str, setting_id: str, value: bool) -> None:
        """Change a value from outside (tests, admin); not counted as a member's write."""
        _check_setting_ids({setting_id: value})
        with self._lock:
            acc = self._account(email)
            acc.settings[setting_id] = value
            acc.changed.pop(setting_id, None)  # the index shows it at once

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
                if acc.settings[setting_id] != value:
                    acc.changed[setting_id] = (acc.settings[setting_id], time.monotonic())
                acc.settings[setting_id] = value
                acc.stats["setting_writes"] += 1

    def write_other(self, email: str, key: str, value: bool) -> None:
        with self._lock:
            acc = self._account(email)
            if key not in acc.others:
                raise KeyError(key)
            acc.others[key] = value
            acc.stats["other_writes"] += 1

    def count_settings_page_view(self, email: str, path: str) -> None:
        """One load of a setting page, however many switches it shows."""
        with self._lock:
            acc = self._account(email)
            acc.stats["settings_page_views"] += 1
            acc.page_views[path] = acc.page_views.get(path, 0) + 1

    def page_views(self, email: str, *, reset: bool = False) -> dict[str, int]:
        with self._lock:
            acc = self._account(email)
            views = dict(acc.page_views)
            if reset:
                acc.page_views.clear()
            return views

    def stats(self, email: str) -> dict[str, int]:
        with self._lock:
            return dict(self._account(email).stats)
