"""Runs that read nothing of a setting, or of an account (LinkedIn failing or refusing,
a page not understood, a sign-in that waits for the member): since when, and when that
has lasted long enough to tell. A member who is told nothing believes the account
watched."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from optout.core.errors import OptoutError
from optout.core.results import RunResult, State
from optout.storage.history import History

log = logging.getLogger("optout.scheduled.unread")

UNREAD_NOTICE_AFTER = timedelta(days=1)  # longer than LinkedIn's outages and a cool-down
ACCOUNT = ""  # the key of a run that read no setting at all


def unread_since(history: History, result: RunResult) -> dict[str, datetime]:
    """For each setting the run could not read (ACCOUNT when it has none to show), since
    when runs have not read it; nothing where the history cannot say."""
    if result.error is None:
        return {}
    unread = [s.id for s in result.settings if s.state is State.UNKNOWN]
    since: dict[str, datetime] = {}
    try:
        for key in unread or ([] if result.settings else [ACCOUNT]):
            when = history.unread_since(result.account, key or None)
            if when is not None:
                since[key] = when
    except OptoutError as exc:
        log.warning("%s: the history cannot say when settings were last read: %s",
                    result.account, exc.message)  # fmt: skip
    return since


def notice_after(history_days: int) -> timedelta:
    """How long before it is told: within the history's reach, since the first unread
    run must still be in it (OPTOUT_HISTORY_DAYS=1 keeps runs for no longer than the
    wait)."""
    return min(UNREAD_NOTICE_AFTER, timedelta(days=history_days) / 2)


def unread_problems(
    result: RunResult, since: dict[str, datetime], after: timedelta
) -> dict[str, str]:
    """The problem of settings (or the account) unread for `after` or longer: one per
    account, so that runs which fail in different ways do not tell it anew."""
    lasting = {key: when for key, when in since.items() if result.checked_at - when >= after}
    if not lasting:
        return {}
    labels = {s.id: s.label for s in result.settings}
    what = ", ".join(labels.get(key, key) for key in lasting if key) or "any of the settings"
    error = result.error.message if result.error is not None else ""
    return {
        "unread": (
            f"optout has not read {what} of {result.account} since "
            f"{min(lasting.values()):%Y-%m-%d %H:%M} UTC; this time: {error} It tries again "
            f"at each scheduled run. If this goes on, run `optout check --account "
            f"{result.account} --verbose`."
        )
    }
