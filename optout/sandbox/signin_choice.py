"""Which sign-in page the sandbox's /login is, and the draws that vary the script-drawn ones."""

from __future__ import annotations

import random
import threading

SIGNIN_PAGES = ("classic", "flagship", "2026", "email-first")
RANDOM_SIGNIN = "random"  # a page from SIGNIN_PAGES drawn per render
_KEPT_RENDERS = 50
CHOOSER_MAX_DELAY_S = 1.5


class SigninChoice:
    """Sandbox-wide: the sign-in page, how the email-first page shows its password
    field, and a record of what each render drew (for tests)."""

    def __init__(self) -> None:
        self.page = "classic"  # one of SIGNIN_PAGES, or RANDOM_SIGNIN
        # Seeded, it serves the same pages again.
        self.rng = random.Random()  # noqa: S311 - page variety, not secrets
        self.password_delay_s: float | None = 0.5  # None: the field never shows
        # How long "Welcome back" takes to show its accounts (drawn by script: unconfirmed);
        # None draws it per render, from a draw of its own so the pages' stay as they were.
        self.chooser_delay_s: float | None = None
        self._chooser_rng = random.Random()  # noqa: S311 - page variety, not secrets
        self._renders: list[dict[str, object]] = []
        self._lock = threading.Lock()

    def choose(self, name: str, seed: int | None = None) -> None:
        """ValueError for an unknown page; `seed` restarts the draws."""
        known = (*SIGNIN_PAGES, RANDOM_SIGNIN)
        if name not in known:
            raise ValueError(f"unknown sign-in page {name!r} (known: {', '.join(known)})")
        if seed is not None:
            self.rng = random.Random(seed)  # noqa: S311 - page variety, not secrets
            self._chooser_rng = random.Random(seed + 1)  # noqa: S311 - as above
        self.page = name

    def chooser_delay(self) -> float:
        """How long this render of the chooser keeps its accounts hidden: none on half
        the renders, else up to CHOOSER_MAX_DELAY_S."""
        if self.chooser_delay_s is not None:
            return self.chooser_delay_s
        if self._chooser_rng.random() < 0.5:
            return 0.0
        return round(self._chooser_rng.uniform(0.2, CHOOSER_MAX_DELAY_S), 1)

    def now(self) -> str:
        """The page this render of /login is."""
        return self.rng.choice(SIGNIN_PAGES) if self.page == RANDOM_SIGNIN else self.page

    def note(self, drawn: dict[str, object]) -> None:
        with self._lock:
            self._renders = [*self._renders[1 - _KEPT_RENDERS :], dict(drawn)]

    def renders(self) -> list[dict[str, object]]:
        with self._lock:
            return [dict(r) for r in self._renders]
