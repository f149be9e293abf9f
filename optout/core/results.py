"""What a run found: per-setting results, the overall status, and its exit code."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import Enum, StrEnum

from optout.core.errors import ExitStatus, OptoutError


class State(StrEnum):
    ON = "on"
    OFF = "off"
    UNAVAILABLE = "unavailable"
    UNKNOWN = "unknown"


class Mode(Enum):
    CHECK = "check"
    OFF = "off"
    DRY_RUN = "dry-run"


@dataclass
class SettingResult:
    id: str
    label: str
    state: State
    changed: bool = False


@dataclass
class RunResult:
    account: str
    mode: Mode
    checked_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    settings: list[SettingResult] = field(default_factory=list)
    error: OptoutError | None = None
    duration_s: float = 0.0
    # Settings found on after being off, or new and on (from the history).
    drifted: list[str] = field(default_factory=list)
    # Settings now unavailable that were last seen on or off: LinkedIn may have moved them.
    vanished: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.error is not None:
            return "error"
        if any(s.state is State.ON for s in self.settings):
            return "drift"
        return "compliant"

    @property
    def exit_status(self) -> ExitStatus:
        """The one place a run's outcome becomes an exit code (README: Exit codes)."""
        if self.error is not None:
            return self.error.exit_status
        if any(s.state is State.ON for s in self.settings):
            return ExitStatus.SETTING_ON
        if any(s.state is State.UNKNOWN for s in self.settings):
            return ExitStatus.PAGE_NOT_UNDERSTOOD
        return ExitStatus.OK
