"""Runs for accounts: every account a command names, a few side by side.

Each account's own run is `AccountRun` (optout.linkedin.one_account), and
`optout login` signs in with `sign_in_and_save` (optout.linkedin.login_and_save);
both are importable from here as well.

Accounts side by side run in worker threads, each with a browser of its own
(optout.linkedin.side_by_side). What they share is made safe for that here: the
person at the terminal is spoken to by one account at a time, and progress is
told one line at a time.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from functools import partial

from optout.core.config import Settings
from optout.core.errors import OptoutError
from optout.core.results import Mode, RunResult
from optout.core.selector_pack import Pack
from optout.linkedin.account_errors import as_account_error as as_account_error
from optout.linkedin.browser import BrowserSession, launched
from optout.linkedin.login_and_save import sign_in_and_save as sign_in_and_save
from optout.linkedin.one_account import AccountRun as AccountRun
from optout.linkedin.one_account import Progress as Progress
from optout.linkedin.one_account import SavedSession as SavedSession
from optout.linkedin.one_account import file_stamp as file_stamp
from optout.linkedin.one_account import quiet, read_early
from optout.linkedin.side_by_side import checkpoint, side_by_side
from optout.output.person import Person
from optout.storage.sessions import SessionStore

# Accounts checked side by side, each with a browser of its own: enough to hide each
# page's waits, few enough that a small machine is not swamped (each browser wants
# its memory, and its renderers the CPUs): one per CPU, from 2 to 4.
ACCOUNTS_AT_ONCE = max(2, min(4, os.cpu_count() or 2))


def run_accounts(
    settings: Settings,
    pack: Pack,
    accounts: list[str],
    setting_ids: list[str],
    mode: Mode,
    *,
    headed: bool = False,
    person: Person | None = None,
    progress: Progress = quiet,
    scheduled: bool = False,
    evidence: bool = False,
) -> list[RunResult]:
    """Every account, each in a context of its own, a few side by side; the results in
    the order of `accounts`. One account's failure is that account's result only."""
    store = SessionStore.of(settings.paths)
    one_person = OneAtATime(person or Person(None))
    say = _one_line_at_a_time(progress)
    try:
        # The saved sessions are read (keyring, decryption) while the browsers start.
        with ThreadPoolExecutor(max_workers=2) as pool:
            saved = {account: pool.submit(read_early, store, account) for account in accounts}
            runs = [
                AccountRun(
                    settings, pack, account, person=one_person, progress=say,
                    scheduled=scheduled, saved_session=saved[account], evidence=evidence,
                )
                for account in accounts
            ]  # fmt: skip
            return side_by_side(
                [partial(_run_in, run, setting_ids, mode) for run in runs],
                limit=ACCOUNTS_AT_ONCE,
                launch=partial(launched, settings.browser, headed=headed, block=pack.network),
            )
    except OptoutError as exc:  # no browser started: every account shares that
        return [RunResult(account=account, mode=mode, error=exc) for account in accounts]


def _run_in(
    run: AccountRun, setting_ids: list[str], mode: Mode, session: BrowserSession
) -> RunResult:
    return run.run(setting_ids, mode, browser=session)


def _one_line_at_a_time(progress: Progress) -> Progress:
    lock = threading.Lock()

    def say(message: str) -> None:
        checkpoint()  # after Ctrl-C, an account stops before its next step
        with lock:
            progress(message)

    return say


class OneAtATime(Person):
    """The person at the terminal, spoken to by one account at a time: accounts side by
    side would otherwise ask at once, and their questions and answers would cross."""

    def __init__(self, person: Person) -> None:
        super().__init__(None)
        self._person = person
        self._turn = threading.RLock()  # a countdown's lines are said within its turn

    @property
    def present(self) -> bool:
        return self._person.present

    def tell(self, message: str) -> None:
        checkpoint()
        with self._turn:
            self._person.tell(message)

    def ask(self, question: str) -> str:
        checkpoint()
        with self._turn:
            return self._person.ask(question)

    @contextmanager
    def countdown(self, message: str) -> Iterator[None]:
        checkpoint()
        with self._turn, self._person.countdown(message):
            yield

    def show(self, message: str, seconds_left: float) -> None:
        checkpoint()  # the countdown of an app approval stops within a second
        with self._turn:
            self._person.show(message, seconds_left)

    def end_line(self) -> None:
        with self._turn:
            self._person.end_line()
