"""The run the OS scheduler starts: check every account, switch drift off if asked,
record it all, and tell the member once about each new problem.

Nobody is at the terminal: no prompts (a challenge becomes a notice asking for
`optout login --headed`), no colour, and a log file with rotation.
"""

from __future__ import annotations

import logging
import logging.handlers
from dataclasses import dataclass, field

from optout.core.config import Settings
from optout.core.errors import ExitStatus, OptoutError
from optout.core.results import RunResult, State
from optout.scheduled.notices import Delivery, Notice, configured_urls, send
from optout.scheduled.unread import notice_after, unread_problems, unread_since
from optout.storage.history import History

log = logging.getLogger("optout.scheduled.run")

LOG_BYTES = 512 * 1024
LOG_BACKUPS = 3

# Errors a person has to act on; others (LinkedIn failing or refusing, kind
# "site_unavailable") pass by themselves, and are told only once they last
# (optout.scheduled.unread).
PERSON_NEEDED = {"login_required", "challenge", "layout_changed", "environment"}

_WHAT_TO_DO = {
    "login_required": "Run `optout login --account {account}` on a terminal.",
    "challenge": "Run `optout login --headed --account {account}` to answer LinkedIn.",
    "layout_changed": "Run `optout check --verbose`; the README says how to report it.",
    "environment": "Run `optout doctor` on this machine.",
}


@dataclass
class AccountOutcome:
    result: RunResult
    fixed: list[str] = field(default_factory=list)  # drift switched off and read back off
    new_problems: dict[str, str] = field(default_factory=dict)
    deliveries: list[Delivery] = field(default_factory=list)

    @property
    def exit_status(self) -> int:
        """Drift is exit 1 even when switched off: the member should know it happened."""
        if self.result.drifted:
            return max(int(ExitStatus.SETTING_ON), int(self.result.exit_status))
        return int(self.result.exit_status)


def log_to_file(settings: Settings) -> None:
    """Send optout's log to the rotating file in the state dir."""
    from optout.core.private_files import ensure_private_dir
    from optout.core.scrubber import ScrubbingFormatter

    ensure_private_dir(settings.paths.state_dir)
    handler = logging.handlers.RotatingFileHandler(
        settings.paths.log_file, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
    )
    handler.setFormatter(ScrubbingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("optout")
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    settings.paths.log_file.chmod(0o600)


def problems_of(result: RunResult) -> dict[str, str]:
    """What is wrong now and lasts until fixed, keyed so it is reported once."""
    found: dict[str, str] = {}
    # Settings LinkedIn failed to serve are not ones optout cannot read: that passes by
    # itself, and is told only once it lasts (optout.scheduled.unread).
    linkedin_failed = _linkedin_failed(result)
    for setting in result.settings:
        if setting.state is State.ON:
            found[f"on:{setting.id}"] = (
                f"{setting.label} is ON: LinkedIn may use your data to train AI. "
                f"Run `optout off --account {result.account}`."
            )
        elif setting.id in result.vanished:
            # Open while the page goes on saying so (the last on/off stays the same), so
            # the member is told once.
            found[f"vanished:{setting.id}"] = (
                f"{setting.label} was on or off before and now reads as not available for "
                "your account: LinkedIn may have moved or renamed it. Check it by hand, and "
                "run `optout check --all`."
            )
        elif setting.state is State.UNKNOWN and not linkedin_failed:
            found[f"unknown:{setting.id}"] = (
                f"{setting.label}: optout could not read the switch. "
                + _WHAT_TO_DO["layout_changed"]
            )
    error = result.error
    if error is not None and error.kind in PERSON_NEEDED:
        found[f"error:{error.kind}"] = f"{error.message} " + _WHAT_TO_DO[error.kind].format(
            account=result.account
        )
    return found


def _linkedin_failed(result: RunResult) -> bool:
    return result.error is not None and result.error.kind == "site_unavailable"


def _still_open(result: RunResult, already: set[str]) -> set[str]:
    """Problems told before that a run LinkedIn failed says nothing of: a page optout
    could not read and did not get to read now, a sign-in it did not get to. They stay
    open, so they are not told again when the next run finds them still there."""
    if not _linkedin_failed(result):
        return set()
    unread = {f"unknown:{s.id}" for s in result.settings if s.state is State.UNKNOWN}
    if unread:
        unread.add("error:layout_changed")
    if not result.settings:  # stopped before any page: the sign-in is as it was
        unread |= {"error:login_required", "error:challenge"}
    return already & unread


def _notice(outcome: AccountOutcome, every_run: bool) -> Notice | None:
    result = outcome.result
    lines = [
        f"{setting.label} was found ON and optout switched it off (read back: off)."
        for setting in result.settings
        if setting.id in outcome.fixed
    ]
    lines += outcome.new_problems.values()
    if not lines and not every_run:
        return None
    if outcome.new_problems:
        title = f"optout: action needed for {result.account}"
    elif outcome.fixed:
        title = f"optout: a LinkedIn setting came back on for {result.account}"
    else:
        title = f"optout: {result.account} is {result.status}"
        all_off = result.status == "compliant"
        lines.append("Every setting optout watches is off." if all_off else "Nothing new.")
    return Notice(title, "\n".join(lines))


def follow_up(
    settings: Settings, results: list[RunResult], *, every_run: bool = False
) -> list[AccountOutcome]:
    """Log the results, and notify once per new problem (or every run if asked)."""
    history = History.of(settings)
    urls = configured_urls(settings)
    after = notice_after(settings.history_days)
    outcomes = []
    for result in results:
        outcome = AccountOutcome(result)
        outcome.fixed = [s.id for s in result.settings if s.changed and s.id in result.drifted]
        problems = problems_of(result)
        problems |= unread_problems(result, unread_since(history, result), after)
        already = _open_problems(history, result.account)
        # Kept open, never told anew: they are in `already`.
        problems = {**dict.fromkeys(_still_open(result, already), ""), **problems}
        # A setting back on since a run read it off is news, whoever switched it off.
        back_on = {f"on:{setting}" for setting in result.drifted}
        outcome.new_problems = {
            key: text for key, text in problems.items() if key not in already or key in back_on
        }
        log.info(
            "%s: %s, %s%s",
            result.account,
            result.status,
            ", ".join(
                f"{s.id}={s.state.value}{' (switched off)' if s.changed else ''}"
                for s in result.settings
            )
            or "no setting read",
            f"; {result.error.kind}: {result.error.message}" if result.error else "",
        )
        notice = _notice(outcome, every_run)
        told = True
        if notice is not None and urls:
            outcome.deliveries = send(urls, notice)
            told = any(delivery.ok for delivery in outcome.deliveries)
        # A problem nobody could be told about stays new, so the next run tries again.
        kept = set(problems) if told else (set(problems) & already) - back_on
        _keep_open_problems(history, result.account, kept)
        outcomes.append(outcome)
    return outcomes


def _open_problems(history: History, account: str) -> set[str]:
    """The problems the member was told of; none when the history cannot say (every
    problem is then told again: better twice than never)."""
    try:
        return history.open_problems(account)
    except OptoutError as exc:
        log.warning("%s: the history cannot say what was told before: %s", account, exc.message)
        return set()


def _keep_open_problems(history: History, account: str, problems: set[str]) -> None:
    try:
        history.set_open_problems(account, problems)
    except OptoutError as exc:  # the notice went out; the next run tells it again
        log.warning("%s: could not note what was told: %s", account, exc.message)
