"""Which sign-in page the sandbox's /login is, and the draws that vary the script-drawn ones."""

from __future__ import annotations

import random
import threading

SIGNIN_PAGES = ("classic", "flagship", "2026", "email-first")
RANDOM_SIGNIN = "random"  # a page from SIGNIN_PAGES drawn per render
_KEPT_RENDERS = 50


class SigninChoice:
    """Sandbox-wide: the sign-in page, how the email-first page shows its password
    field, and a record of what each render drew (for tests)."""

    def __init__(self) -> None:
        self.page = "classic"  # one of SIGNIN_PAGES, or RANDOM_SIGNIN
        # Seeded, it serves the same pages again.
        self.rng = random.Random()  # noqa: S311 - page variety, not secrets
        self.password_delay_s: float | None = 0.5  # None: the field never shows
        self._renders: list[dict[str, object]] = []
        self._lock = threading.Lock()

    def choose(self, name: str, seed: int | None = None) -> None:
        """ValueError for an unknown page; `seed` restarts the draws."""
        known = (*SIGNIN_PAGES, RANDOM_SIGNIN)
        if name not in known:
            raise ValueError(f"unknown sign-in page {name!r} (known: {', '.join(known)})")
        if seed is not None:
            self.rng = random.Random(seed)  # noqa: S311 - page variety, not secrets
        self.page = name

    def now(self) -> str:
        """The page this render of /login is."""
        return self.rng.choice(SIGNIN_PAGES) if self.page == RANDOM_SIGNIN else self.page

    def note(self, drawn: dict[str, object]) -> None:
        with self._lock:
            self._renders = [*self._renders[1 - _KEPT_RENDERS :], dict(drawn)]

    def renders(self) -> list[dict[str, object]]:
        with self._lock:
            return [dict(r) for r in self._renders]
