"""How the sandbox misbehaves on purpose: per-account faults, and seeded chaos.

Faults imitate what LinkedIn really does to a tool: slow pages, a switch drawn
before its state is known, saves that fail or silently do not stick, sessions
that end mid-way, refusals (999/429/5xx) and requests that never answer.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, fields
from typing import Literal

# "neighbour": the AI page also holds another setting of its own, whose switch is the
# only one there for a member who lacks the AI setting.
PAGE_VARIANTS = (
    "current", "psettings", "newer-wording", "multi-switch", "redesigned", "neighbour",
)  # fmt: skip


@dataclass(frozen=True)
class Faults:
    render_delay_s: float = 0.0  # skeleton shown this long before the card is requested
    hydration_delay_s: float = 0.0  # switch drawn unchecked; real state applied this much later
    save_fails: bool = False  # PUT answered 500, nothing stored; the page flips back
    save_lost: bool = False  # PUT answered 200, nothing stored
    save_fails_once: bool = False  # one-shot: the next PUT is answered 500, nothing stored
    expire_before_save: bool = False  # one-shot: the next PUT finds the session ended (401)
    page_status: int | None = None  # the setting page is answered with this status
    page_hangs: bool = False  # the setting page is never answered
    api_status: int | None = None  # the settings card request is answered with this status
    api_hangs: bool = False  # the settings card request is never answered
    # The card is answered without the AI setting, and the page says it is "not available
    # right now; try again later": a failure, whatever the member has.
    soft_failure: bool = False

    @classmethod
    def from_json(cls, data: object) -> Faults:
        """From an admin request body; ValueError names a field that does not fit."""
        if not isinstance(data, dict):
            raise ValueError("faults must be a JSON object")
        known = {f.name: f for f in fields(cls)}
        values: dict[str, object] = {}
        for name, value in data.items():
            if name not in known:
                raise ValueError(f"unknown fault {name!r}")
            kind = str(known[name].type)
            number = isinstance(value, int | float) and not isinstance(value, bool)
            if kind == "bool":
                ok = isinstance(value, bool)
            elif kind == "float":
                ok = number and float(value) >= 0
            else:
                ok = value is None or (number and isinstance(value, int))
            if not ok:
                raise ValueError(f"fault {name!r} has a value of the wrong type")
            values[name] = float(value) if kind == "float" else value
        return cls(**values)  # type: ignore[arg-type]


SaveOutcome = Literal["stored", "failed", "lost"]


class Chaos:
    """Seeded random trouble: the same seed and request order give the same decisions."""

    def __init__(self, seed: int, rate: float) -> None:
        if not 0 <= rate <= 1:
            raise ValueError("chaos rate must be between 0 and 1")
        self._random = random.Random(seed)  # noqa: S311 - test scenarios, not secrets
        self._lock = threading.Lock()
        self.rate = rate

    def _roll(self, probability: float) -> bool:
        with self._lock:
            return self._random.random() < probability

    def delay_s(self) -> float:
        with self._lock:
            if self._random.random() >= self.rate:
                return 0.0
            return self._random.uniform(0, 1.5)

    def error_status(self) -> int | None:
        with self._lock:
            if self._random.random() >= self.rate / 4:
                return None
            return self._random.choice((500, 503, 429, 999))

    def save_outcome(self) -> SaveOutcome:
        with self._lock:
            roll = self._random.random()
        if roll < self.rate / 3:
            return "failed"
        if roll < 2 * self.rate / 3:
            return "lost"
        return "stored"

    def hydration_delay_s(self) -> float:
        with self._lock:
            if self._random.random() >= self.rate:
                return 0.0
            return self._random.uniform(0.2, 2.5)
