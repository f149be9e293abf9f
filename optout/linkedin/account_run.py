"""Runs for accounts: every account a command names, a few side by side.

Each account's own run is `AccountRun` (optout.linkedin.one_account); `optout
login` signs in with `sign_in_and_save` (optout.linkedin.login.login_and_save).

The accounts of a run share one browser, each in a context of its own, a few at
once (optout.linkedin.chromium.side_by_side), on one event loop: `run_accounts` is where the
rest of optout enters it. While the browser starts, a thread makes the account
runs (their modules take a while to load) and others read the saved sessions
(keyring, decryption). The person at the terminal is spoken to by one account at
a time (PersonTurns).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import TYPE_CHECKING

from optout.core.config import Settings
from optout.core.errors import OptoutError
from optout.core.results import Mode, RunResult
from optout.core.selector_pack import Pack
from optout.linkedin.chromium.browser import BrowserSession, launched
from optout.linkedin.chromium.side_by_side import side_by_side
from optout.linkedin.person_turns import PersonTurns
from optout.output.person import Person

if TYPE_CHECKING:
    from optout.linkedin.one_account import AccountRun, Progress, SavedSession

# Accounts checked at once in the run's browser: enough to hide each page's waits,
# few enough that a small machine is not swamped (each page wants its renderer's CPU
# and memory): two per CPU, from 2 to 6.
ACCOUNTS_AT_ONCE = max(2, min(6, 2 * (os.cpu_count() or 1)))
# Saved sessions read at once: each is a keyring read and a decryption.
SESSIONS_READ_AT_ONCE = 2


def _quiet(_: str) -> None:
    return None


def run_accounts(
    settings: Settings,
    pack: Pack,
    accounts: list[str],
    setting_ids: list[str],
    mode: Mode,
    *,
    headed: bool = False,
    person: Person | None = None,
    progress: Progress = _quiet,
    scheduled: bool = False,
    evidence: bool = False,
    meanwhile: Callable[[], object] | None = None,
) -> list[RunResult]:
    """Every account, each in a context of its own, a few side by side; the results in
    the order of `accounts`. One account's failure is that account's result only.
    `meanwhile`: the caller's own work for after the run (loading what shows the
    results, say), done in a thread while the browser starts."""
    plan = _Plan(settings, pack, accounts, person, progress, scheduled, evidence, meanwhile)
    try:
        return asyncio.run(_run_accounts(plan, setting_ids, mode, headed=headed))
    except OptoutError as exc:  # no browser started: every account shares that
        return [RunResult(account=account, mode=mode, error=exc) for account in accounts]


class _Plan:
    """What the account runs are made of; made into `AccountRun`s in a thread while the
    browser starts (their modules, the keyring and the saved sessions take a while)."""

    def __init__(
        self, settings: Settings, pack: Pack, accounts: list[str], person: Person | None,
        progress: Progress, scheduled: bool, evidence: bool,
        meanwhile: Callable[[], object] | None,
    ) -> None:  # fmt: skip
        self.settings, self.pack, self.accounts = settings, pack, accounts
        self.turns = PersonTurns(person)
        self.progress, self.scheduled, self.evidence = progress, scheduled, evidence
        self.meanwhile = meanwhile

    def runs(self, saved: list[asyncio.Future[SavedSession]]) -> list[AccountRun]:
        from optout.linkedin.one_account import AccountRun

        runs = [
            AccountRun(
                self.settings, self.pack, account, person=self.turns, progress=self.progress,
                scheduled=self.scheduled, evidence=self.evidence, saved_session=session,
            )
            for account, session in zip(self.accounts, saved, strict=True)
        ]  # fmt: skip
        if self.meanwhile is not None:
            self.meanwhile()
        return runs

    def saved_session(self, account: str) -> SavedSession:
        from optout.linkedin.one_account import read_early
        from optout.storage.sessions import SessionStore

        return read_early(SessionStore.of(self.settings.paths), account)


async def _run_accounts(
    plan: _Plan, setting_ids: list[str], mode: Mode, *, headed: bool
) -> list[RunResult]:
    # Playwright's own modules first, here: the threads below load optout's while the
    # browser starts, and would slow this import down (and the start with it).
    import playwright.async_api  # noqa: F401

    loop = asyncio.get_running_loop()
    with (
        ThreadPoolExecutor(1, thread_name_prefix="optout-prepare") as preparing,
        ThreadPoolExecutor(SESSIONS_READ_AT_ONCE, thread_name_prefix="optout-session") as reading,
    ):
        saved = [loop.run_in_executor(reading, plan.saved_session, a) for a in plan.accounts]
        runs = loop.run_in_executor(preparing, plan.runs, saved)
        return await side_by_side(
            [partial(_run_nth, runs, n, setting_ids, mode) for n in range(len(plan.accounts))],
            limit=ACCOUNTS_AT_ONCE,
            launch=partial(
                launched, plan.settings.browser, headed=headed, block=plan.pack.network,
                cache_dir=plan.settings.paths.cache_dir,
            ),
        )  # fmt: skip


async def _run_nth(
    runs: asyncio.Future[list[AccountRun]],
    n: int,
    setting_ids: list[str],
    mode: Mode,
    session: BrowserSession,
) -> RunResult:
    return await (await runs)[n].run(setting_ids, mode, session)
