"""Server-side truth of the sandbox: accounts, their settings and counters, sessions.

The HTTP server answers from several threads at once, so every read and write of
this state goes through one lock.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, replace
from typing import Literal

import pyotp

from optout.sandbox.details import PageDetails
from optout.sandbox.faults import Chaos, Faults
from optout.sandbox.settings_catalog import default_settings
from optout.sandbox.signin_choice import SigninChoice
from optout.sandbox.truth import (
    STAT_NAMES,
    SandboxAccount,
    SettingsRecord,
    _Account,
    _check_setting_ids,
    _check_variant,
    normalize_email,
)

# Moved to truth.py; still importable from here.
__all__ = ["STAT_NAMES", "SandboxAccount", "SandboxState", "normalize_email"]


# What a correct password leads to, besides a session. The first five are checkpoint
# challenges a person can answer; the last three refuse the sign-in outright.
CHALLENGE_KINDS = (
    "email_pin",
    "sms",
    "totp",
    "app",
    "captcha",
    "restricted",
    "refused",
    "rate_limited",
)
_PIN_KINDS = frozenset({"email_pin", "sms"})
_WAITING_KINDS = frozenset({"app", "captcha"})  # answered elsewhere; the page polls
MAX_WRONG_PINS = 3


def _check_challenge(challenge: str | None, totp_secret: str | None) -> str | None:
    """The TOTP secret to keep (generated when a "totp" account has none); ValueError."""
    if challenge is not None and challenge not in CHALLENGE_KINDS:
        raise ValueError(f"unknown challenge {challenge!r} (known: {', '.join(CHALLENGE_KINDS)})")
    if totp_secret is not None:
        try:
            pyotp.TOTP(totp_secret).now()
        except (ValueError, TypeError) as exc:  # binascii.Error is a ValueError
            raise ValueError("totp_secret must be base32") from exc
        return totp_secret
    return pyotp.random_base32() if challenge == "totp" else None


@dataclass
class _Challenge:
    challenge_id: str
    email: str
    kind: str
    redirect: str  # where to continue once passed; "" means the feed
    created: float  # time.monotonic()
    pin: str | None = None
    solved: bool = False
    wrong: int = 0


@dataclass(frozen=True)
class Session:
    """A signed-in browser: `li_at` names it, `jsessionid` is its CSRF token."""

    email: str
    li_at: str
    jsessionid: str  # "ajax:<19 digits>", without the quotes the cookie carries


@dataclass(frozen=True)
class SignedIn:
    session: Session


@dataclass(frozen=True)
class Challenged:
    challenge_id: str


@dataclass(frozen=True)
class Refused:
    reason: Literal["unknown_email", "wrong_password"]


@dataclass(frozen=True)
class Blocked:
    """LinkedIn refuses the sign-in outright: no challenge to answer, no session."""

    reason: Literal["restricted", "refused", "rate_limited"]


SignInOutcome = SignedIn | Challenged | Refused | Blocked

ChallengeStatus = Literal["PENDING", "SOLVED", "EXPIRED"]


@dataclass(frozen=True)
class ChallengeView:
    """What the pages may know about an open challenge (never its PIN)."""

    challenge_id: str
    email: str
    kind: str
    status: ChallengeStatus


@dataclass(frozen=True)
class Verdict:
    """The answer to a challenge: `passed` carries the new session."""

    result: Literal["passed", "wrong", "dead", "pending", "expired"]
    session: Session | None = None
    redirect: str = ""


def _new_li_at() -> str:
    # Real li_at tokens are long opaque strings starting "AQED"; only the randomness matters.
    return "AQEDA" + secrets.token_urlsafe(96)


def _new_jsessionid() -> str:
    return f"ajax:{secrets.randbelow(9 * 10**18) + 10**18}"


def _new_pin() -> str:
    return f"{secrets.randbelow(10**6):06d}"


class SandboxState(SettingsRecord):
    """Accounts by normalised email, sessions by li_at, open checkpoint challenges."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._accounts: dict[str, _Account] = {}
        self._sessions: dict[str, Session] = {}
        self._challenges: dict[str, _Challenge] = {}
        self._remembered: dict[str, list[str]] = {}  # li_rm token -> emails, newest first
        self.chaos: Chaos | None = None
        # Sandbox-wide switches, each read and replaced whole (no lock needed).
        self.signin = SigninChoice()
        self.chooser = True
        self.app_timeout_s = 120.0
        self.heavy = False  # setting pages carry the weight of the real ones (heavy.py)
        self._heavy_requests: dict[str, int] = {}  # what of that weight browsers asked for
        self._objections: list[dict[str, str]] = []  # what the objection form received
        self.details_seed: int | None = None  # draws the details of accounts not set
        self.readable_draws = False  # ... always readable ones (PageDetails.readable)

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
        challenge: str | None = None,
        totp_secret: str | None = None,
        details: PageDetails | None = None,
    ) -> None:
        key = normalize_email(email)
        if not key:
            raise ValueError("email must not be empty")
        if checkpoint:
            if challenge not in (None, "email_pin"):
                raise ValueError("checkpoint=True means challenge='email_pin'")
            challenge = "email_pin"
        secret = _check_challenge(challenge, totp_secret)
        _check_variant(variant, lang)
        chosen = default_settings(variant) if settings is None else dict(settings)
        _check_setting_ids(chosen)
        with self._lock:
            if key in self._accounts:
                raise ValueError(f"account already exists: {key}")
            self._accounts[key] = _Account(
                key, password, challenge, chosen, variant, lang, faults or Faults(),
                totp_secret=secret, details=details,
            )  # fmt: skip

    def set_challenge(self, email: str, challenge: str | None, totp_secret: str | None) -> None:
        """Change what a correct password leads to; a TOTP secret is kept unless replaced."""
        with self._lock:
            acc = self._account(email)
            if challenge == "totp" and totp_secret is None and acc.totp_secret is not None:
                totp_secret = acc.totp_secret
            acc.totp_secret = _check_challenge(challenge, totp_secret) or acc.totp_secret
            acc.challenge = challenge

    def totp_secret(self, email: str) -> str | None:
        with self._lock:
            return self._account(email).totp_secret

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

    # --- signing in --------------------------------------------------------------

    def sign_in(self, email: str, password: str, redirect: str = "") -> SignInOutcome:
        """Check a submitted password; `redirect` is kept for after a challenge."""
        with self._lock:
            acc = self._accounts.get(normalize_email(email))
            if acc is None:
                return Refused("unknown_email")
            acc.stats["login_attempts"] += 1
            if acc.challenge == "rate_limited":
                # The bot block answers before any password is checked.
                return Blocked("rate_limited")
            if not secrets.compare_digest(acc.password.encode(), password.encode()):
                acc.stats["failed_logins"] += 1
                return Refused("wrong_password")
            if acc.challenge in ("restricted", "refused"):
                return Blocked("restricted" if acc.challenge == "restricted" else "refused")
            if acc.challenge is not None:
                challenge = _Challenge(
                    "AQ" + secrets.token_urlsafe(48), acc.email, acc.challenge, redirect,
                    time.monotonic(), pin=_new_pin() if acc.challenge in _PIN_KINDS else None,
                )  # fmt: skip
                self._challenges[challenge.challenge_id] = challenge
                acc.stats["challenges_shown"] += 1
                return Challenged(challenge.challenge_id)
            return SignedIn(self._new_session(acc))

    def _new_session(self, acc: _Account) -> Session:
        # Caller holds the lock.
        session = Session(acc.email, _new_li_at(), _new_jsessionid())
        self._sessions[session.li_at] = session
        acc.stats["logins"] += 1
        return session

    def _status(self, challenge: _Challenge) -> ChallengeStatus:
        # Caller holds the lock.
        if challenge.solved:
            return "SOLVED"
        if challenge.kind in _WAITING_KINDS and (
            time.monotonic() - challenge.created > self.app_timeout_s
        ):
            return "EXPIRED"
        return "PENDING"

    def has_challenge(self, challenge_id: str) -> bool:
        with self._lock:
            return challenge_id in self._challenges

    def challenge(self, challenge_id: str) -> ChallengeView | None:
        """The open challenge with this id; None once passed, dead or never issued."""
        with self._lock:
            found = self._challenges.get(challenge_id)
            if found is None:
                return None
            return ChallengeView(found.challenge_id, found.email, found.kind, self._status(found))

    def verify(self, challenge_id: str, pin: str) -> Verdict:
        """Answer a challenge: a PIN or code, or (app, captcha) just "is it solved yet"."""
        with self._lock:
            found = self._challenges.get(challenge_id)
            if found is None:
                return Verdict("dead")
            acc = self._accounts[found.email]
            if found.kind in _WAITING_KINDS:
                status = self._status(found)
                if status != "SOLVED":
                    return Verdict("expired" if status == "EXPIRED" else "pending")
            else:
                if found.kind == "totp":
                    secret = acc.totp_secret or ""
                    right = bool(pin) and pyotp.TOTP(secret).verify(pin, valid_window=1)
                else:
                    right = secrets.compare_digest((found.pin or "").encode(), pin.encode())
                if not right:
                    acc.stats["wrong_pins"] += 1
                    found.wrong += 1
                    if found.wrong >= MAX_WRONG_PINS:
                        del self._challenges[challenge_id]
                    return Verdict("wrong")
            del self._challenges[challenge_id]
            acc.stats["challenges_passed"] += 1
            return Verdict("passed", self._new_session(acc), found.redirect)

    def solve(self, email: str) -> bool:
        """Approve the account's waiting app or captcha challenges; False if none waits."""
        with self._lock:
            key = self._account(email).email
            waiting = [
                c
                for c in self._challenges.values()
                if c.email == key and c.kind in _WAITING_KINDS and self._status(c) == "PENDING"
            ]
            for challenge in waiting:
                challenge.solved = True
            return bool(waiting)

    def solve_captcha(self, challenge_id: str) -> bool:
        """The person ticked the captcha box in the frame."""
        with self._lock:
            found = self._challenges.get(challenge_id)
            if found is None or found.kind != "captcha" or self._status(found) != "PENDING":
                return False
            found.solved = True
            return True

    def try_another_way(self, challenge_id: str) -> bool:
        """Swap a waiting challenge for an email PIN, as "Try another way" offers."""
        with self._lock:
            found = self._challenges.get(challenge_id)
            if found is None or found.kind not in _WAITING_KINDS or found.solved:
                return False
            found.kind, found.pin, found.created = "email_pin", _new_pin(), time.monotonic()
            return True

    def _newest_challenge(self, email: str) -> _Challenge | None:
        # Caller holds the lock.
        key = self._account(email).email
        mine = [c for c in self._challenges.values() if c.email == key]
        return max(mine, key=lambda c: c.created, default=None)

    def pending_pin(self, email: str) -> str | None:
        with self._lock:
            newest = self._newest_challenge(email)
            return newest.pin if newest is not None else None

    def pending_challenge(self, email: str) -> str | None:
        """The kind of the account's newest open challenge, if any."""
        with self._lock:
            newest = self._newest_challenge(email)
            return newest.kind if newest is not None else None

    # --- remembered accounts (the "Welcome back" chooser) -----------------------------

    def remember(self, token: str | None, email: str) -> str:
        """Add the account to this browser's remembered ones; returns the (new) token."""
        with self._lock:
            key = normalize_email(email)
            if token is None or token not in self._remembered:
                token = "AQ" + secrets.token_urlsafe(32)
            emails = [e for e in self._remembered.get(token, []) if e != key]
            self._remembered[token] = [key, *emails]
            return token

    def remembered(self, token: str | None) -> list[str]:
        if not token:
            return []
        with self._lock:
            return list(self._remembered.get(token, []))

    # --- sessions -------------------------------------------------------------------

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

    def session_tokens(self, email: str) -> list[str]:
        with self._lock:
            key = self._account(email).email
            return [t for t, s in self._sessions.items() if s.email == key]
