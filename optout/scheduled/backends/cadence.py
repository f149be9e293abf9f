"""How often the scheduled check runs: `--every` and `--at`, checked once, then told
to each scheduler in its own words."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta

LONGEST_HOURS = 30 * 24


@dataclass(frozen=True)
class Cadence:
    kind: str  # "daily" | "weekly" | "interval"
    hours: int = 24  # the interval, for kind "interval"
    at: time | None = None  # time of day; for an interval, when in the day it is anchored

    @property
    def minute(self) -> int:
        return self.at.minute if self.at else 0

    @property
    def hour(self) -> int:
        return self.at.hour if self.at else 0

    @property
    def divides_a_day(self) -> bool:
        """An interval that repeats the same way every day (1h, 2h, 3h, 4h, 6h, 8h, 12h)."""
        return self.kind == "interval" and 24 % self.hours == 0

    @property
    def whole_days(self) -> int | None:
        return self.hours // 24 if self.kind == "interval" and self.hours % 24 == 0 else None

    def describe(self) -> str:
        at = f" at {self.at:%H:%M}" if self.at else ""
        if self.kind == "interval":
            days = self.whole_days
            return (f"every {days}d" if days else f"every {self.hours}h") + (
                f" (from {self.at:%H:%M})" if self.at else ""
            )
        return f"{self.kind}{at}"


def parse_at(text: str) -> time:
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", text.strip())
    if match and int(match[1]) < 24 and int(match[2]) < 60:
        return time(int(match[1]), int(match[2]))
    raise ValueError(f"--at must be HH:MM on a 24-hour clock (got {text!r})")


def parse_cadence(every: str, at: str | None = None) -> Cadence:
    """`--every daily|weekly|<N>h|<N>d` and `--at HH:MM`; ValueError says what is wrong."""
    anchor = parse_at(at) if at is not None else None
    word = every.strip().lower()
    if word in ("daily", "weekly"):
        return Cadence(word, at=anchor)
    match = re.fullmatch(r"(\d+)\s*([hd])", word)
    if match is None:
        raise ValueError(
            f"--every must be daily, weekly, or an interval such as 12h or 2d (got {every!r})"
        )
    hours = int(match[1]) * (24 if match[2] == "d" else 1)
    if hours < 1:
        raise ValueError(f"--every must be at least 1h (got {every!r})")
    if hours > LONGEST_HOURS:
        raise ValueError(f"--every must be at most 30d (got {every!r})")
    return Cadence("interval", hours, anchor)


def systemd_calendar(cadence: Cadence) -> str | None:
    """An OnCalendar= expression, or None when only a monotonic timer can say it."""
    clock = f"{cadence.minute:02d}:00"
    if cadence.kind == "daily":
        return f"*-*-* {cadence.hour:02d}:{clock}"
    if cadence.kind == "weekly":
        return f"Mon *-*-* {cadence.hour:02d}:{clock}"
    if cadence.divides_a_day:
        return f"*-*-* {cadence.hour % cadence.hours:02d}/{cadence.hours}:{clock}"
    return None


def cron_schedule(cadence: Cadence) -> str:
    """The five time fields of a crontab line."""
    minute, hour = cadence.minute, cadence.hour
    if cadence.kind == "daily":
        return f"{minute} {hour} * * *"
    if cadence.kind == "weekly":
        return f"{minute} {hour} * * 1"
    if cadence.hours == 1:
        return f"{minute} * * * *"
    if cadence.divides_a_day:
        return f"{minute} {hour % cadence.hours}-23/{cadence.hours} * * *"
    days = cadence.whole_days
    if days:
        return f"{minute} {hour} */{days} * *"
    raise ValueError(
        f"cron cannot run every {cadence.hours}h: choose a divisor of 24h, whole days, "
        "or daily/weekly"
    )


def estimate_next(cadence: Cadence, now: datetime) -> datetime | None:
    """When a calendar-like cadence fires next after `now` (local time), for schedulers
    that cannot tell; None for intervals counted from the last run."""
    at_day = now.replace(hour=cadence.hour, minute=cadence.minute, second=0, microsecond=0)
    if cadence.kind == "daily":
        return at_day if at_day > now else at_day + timedelta(days=1)
    if cadence.kind == "weekly":
        monday = at_day - timedelta(days=at_day.weekday())
        return monday if monday > now else monday + timedelta(days=7)
    if cadence.divides_a_day:
        first = at_day.replace(hour=cadence.hour % cadence.hours)
        steps = max(0, int((now - first).total_seconds() // (cadence.hours * 3600)) + 1)
        return first + timedelta(hours=cadence.hours * steps)
    return None
