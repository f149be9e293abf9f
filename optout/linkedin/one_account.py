"""One account's run: open its saved session, then read or switch each setting.

Sign in as rarely as possible: the saved session is reused; when LinkedIn has
ended it, optout signs in again once with the stored password, never more.
After LinkedIn refuses an account (999, 429), it is left alone for a cool-down.
One run per account at a time (a lock).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from optout.core import scrubber
from optout.core.config import Settings
from optout.core.errors import (
    CoolingDown,
    LayoutChanged,
    LoginRequired,
    OptoutError,
    Refused,
    SiteUnavailable,
)
from optout.core.private_files import Rescued
from optout.core.results import Mode, RunResult, SettingResult, State
from optout.core.selector_pack import Pack, SettingSpec
from optout.linkedin.account_errors import as_account_error, with_cooldown
from optout.linkedin.chromium.browser import BrowserSession
from optout.linkedin.login.sign_in import SignIn
from optout.linkedin.page_tools import close_page
from optout.linkedin.person_turns import PersonTurns
from optout.linkedin.reading_evidence import ReadingEvidence
from optout.linkedin.settings_pages.settings_page import (
    Reading,
    SessionExpired,
    SettingPage,
    settings_of_one_page,
)
from optout.storage import credentials
from optout.storage.accounts import AccountRegistry
from optout.storage.history import History
from optout.storage.locks import held_meanwhile
from optout.storage.sessions import SessionStore

if TYPE_CHECKING:
    from playwright.async_api import BrowserContext

Progress = Callable[[str], None]


def quiet(_: str) -> None:
    return None


# A saved session read ahead of the lock, and the stamp of its file before the read.
SavedSession = tuple[tuple[int, int] | None, dict[str, Any] | None]


def file_stamp(path: Path) -> tuple[int, int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_mtime_ns, status.st_size


def read_early(store: SessionStore, account: str) -> SavedSession:
    """The saved session and its file's stamp, for `AccountRun(saved_session=...)`."""
    stamp = file_stamp(store.path_for(account))
    return stamp, store.load(account)


# Pages LinkedIn failed to serve in one run before optout stops asking for more.
SITE_FAILURES_BEFORE_STOPPING = 2


def _not_read(specs: list[SettingSpec]) -> list[SettingResult]:
    return [SettingResult(id=spec.id, label=spec.label, state=State.UNKNOWN) for spec in specs]


def _by_page(specs: list[SettingSpec]) -> list[list[SettingSpec]]:
    """Settings grouped by the page they are on, in the order asked: one load each."""
    pages: dict[str, list[SettingSpec]] = {}
    for spec in specs:
        pages.setdefault(spec.path, []).append(spec)
    return list(pages.values())


class AccountRun:
    """`check` or `off` for one account, in a context of its own of the run's browser."""

    def __init__(
        self,
        settings: Settings,
        pack: Pack,
        account: str,
        *,
        person: PersonTurns | None = None,
        progress: Progress = quiet,
        scheduled: bool = False,
        saved_session: asyncio.Future[SavedSession] | None = None,
        evidence: bool = False,
    ) -> None:
        self.settings = settings
        self.pack = pack
        self.account = account
        self.person = person or PersonTurns()
        self.scheduled = scheduled
        self.evidence = evidence  # a screenshot of every reading, not only of changes
        self._saved_session = saved_session  # being read already, while the browser starts
        self.progress = progress
        self.store = SessionStore.of(settings.paths)
        self.registry = AccountRegistry(settings.paths.accounts_file)
        self.history = History.of(settings)
        self._signed_in_this_run = False
        self._session_usable = False  # save the context's cookies only once it is signed in
        self._cookies_on_disk: list[Any] | None = None  # as last loaded or saved
        self.unreadable: list[str] = []  # why a setting's state could not be known
        self.site_problems: list[str] = []  # settings LinkedIn failed to serve
        self.keeper = ReadingEvidence(settings, pack, account, self.history, progress)

    async def run(self, setting_ids: list[str], mode: Mode, browser: BrowserSession) -> RunResult:
        """Read or switch the settings, in a context of its own of `browser`."""
        result = RunResult(account=self.account, mode=mode)
        started = time.monotonic()
        try:
            async with held_meanwhile(self.settings.paths.locks_dir, self.account):
                self._refuse_during_cooldown()
                saved = await self._load_saved()
                if saved is None and await self._stored_password() is None:
                    raise LoginRequired(
                        f"No saved session or stored password for {self.account}: "
                        f"run `optout login --account {self.account}` first."
                    )
                await self._run_in_browser(browser, saved, setting_ids, mode, result)
        except CoolingDown as exc:  # optout's own pause: it must not lengthen itself
            result.error = exc
        except Refused as exc:
            result.error = with_cooldown(self.registry, self.account, exc)
        except OptoutError as exc:
            result.error = exc
        except Exception as exc:
            result.error = as_account_error(exc)
        result.duration_s = time.monotonic() - started
        if mode is not Mode.DRY_RUN:
            # Files and SQLite, each written in full: the other accounts go on meanwhile.
            await asyncio.to_thread(self._remember, result)
        return result

    async def _load_saved(self) -> dict[str, Any] | None:
        """The saved session as it is now that the lock is held: the copy read early
        (while the browser started) only if the file has not changed since."""
        if self._saved_session is not None:
            stamp, saved = await self._saved_session
            if stamp == file_stamp(self.store.path_for(self.account)):
                return saved
        return await asyncio.to_thread(self.store.load, self.account)

    async def _stored_password(self) -> str | None:
        return await asyncio.to_thread(
            credentials.get_password, self.account, origin=self.settings.base_url
        )

    def _refuse_during_cooldown(self) -> None:
        until = self.registry.cooldown_until(self.account)
        if until is not None:
            raise CoolingDown(
                f"LinkedIn refused {self.account} recently; optout leaves it alone until "
                f"{until.astimezone():%Y-%m-%d %H:%M %Z} so it is not flagged "
                "(`optout login` ends the pause sooner)."
            )

    def _remember(self, result: RunResult) -> None:
        """Keep the result for `optout accounts` and the history; never at the cost of
        the run's own."""
        try:
            self.registry.record_result(self.account, result.status, int(result.exit_status))
            result.drifted = self.history.record(
                result, duration_s=result.duration_s, scheduled=self.scheduled
            )
        except Rescued as exc:  # recorded in a new history; the member is told once
            drifted = exc.value if isinstance(exc.value, list) else []
            result.drifted = [str(setting) for setting in drifted]
            if result.error is None:
                result.error = exc
        except OptoutError as exc:
            if result.error is None:
                result.error = exc

    async def _run_in_browser(
        self,
        session: BrowserSession,
        saved: dict[str, Any] | None,
        setting_ids: list[str],
        mode: Mode,
        result: RunResult,
    ) -> None:
        session_cookies = self.pack.signin.session_cookies
        self._cookies_on_disk = (saved or {}).get("cookies")
        scrubber.remember_cookies(self._cookies_on_disk or [], session_cookies)
        context = await session.new_context(storage_state=saved)
        failed = False
        try:
            await self._settings_in_context(context, saved, setting_ids, mode, result)
        except BaseException:
            failed = True
            raise
        finally:
            try:
                await self._save_session(context)
            except OptoutError:
                if not failed:  # else the run's own error is the one to tell
                    raise
            finally:
                await context.close()

    async def _settings_in_context(
        self,
        context: BrowserContext,
        saved: dict[str, Any] | None,
        setting_ids: list[str],
        mode: Mode,
        result: RunResult,
    ) -> None:
        if saved is None:
            await self._sign_in_again(context, reason="no saved session")
        for specs in _by_page([self.pack.setting(sid) for sid in setting_ids]):
            if len(self.site_problems) >= SITE_FAILURES_BEFORE_STOPPING:
                # LinkedIn is failing, not one page: the rest would only time out too.
                result.settings.extend(_not_read(specs))
                continue
            result.settings.extend(await self._one_page(context, specs, mode))
        if self.unreadable:
            raise LayoutChanged("Could not know the state of " + "; ".join(self.unreadable))
        if self.site_problems:
            unread = [s.label for s in result.settings if s.state is State.UNKNOWN]
            raise SiteUnavailable(
                " ".join(self.site_problems) + f" Not known now: {', '.join(unread)}."
            )

    async def _save_session(self, context: BrowserContext) -> None:
        """Keep the cookies LinkedIn refreshed during the run (the session lives longer),
        unless the file holds them already."""
        if not self._session_usable:
            return
        cookies = await context.cookies()
        scrubber.remember_cookies(cookies, self.pack.signin.session_cookies)
        if cookies == self._cookies_on_disk:
            return
        await asyncio.to_thread(self.store.save, self.account, {"cookies": cookies})
        self._cookies_on_disk = cookies

    async def _one_page(
        self, context: BrowserContext, specs: list[SettingSpec], mode: Mode
    ) -> list[SettingResult]:
        """The settings of one page, read (and switched) on one load of it. A setting
        that cannot be read is reported as unknown; the others are still read."""
        page = await context.new_page()
        loaded: SettingPage | None = None
        results = []
        try:
            for setting_page in settings_of_one_page(
                page, self.settings.base_url, self.pack, specs, timeout_s=self.settings.timeout_s
            ):
                result = await self._one_setting(setting_page, mode, loaded)
                if result.state is not State.UNKNOWN:
                    loaded = setting_page
                results.append(result)
        finally:
            await close_page(page)
        return results

    async def _one_setting(
        self, setting_page: SettingPage, mode: Mode, loaded: SettingPage | None
    ) -> SettingResult:
        spec, page = setting_page.spec, setting_page.page
        try:
            reading = await self._visit_once_more_if_expired(setting_page, mode, loaded)
        except Refused:
            raise  # LinkedIn refuses the account: no page of it can be read now
        except (LayoutChanged, SiteUnavailable) as exc:
            evidence = ""
            if isinstance(exc, LayoutChanged):
                evidence = await self.keeper.keep_page(page, spec, clicked=setting_page.clicked)
                self.unreadable.append(f"{spec.label}: {exc.message}{evidence}")
            else:
                self.site_problems.append(f"{spec.label}: {exc.message}")
            return _not_read([spec])[0]
        if reading.state is State.UNKNOWN:
            evidence = await self.keeper.keep_page(page, spec, clicked=setting_page.clicked)
            self.unreadable.append(f"{spec.label}: {reading.problem}.{evidence}")
        self.keeper.calibrate(setting_page)
        changed = setting_page.clicked and reading.state is State.OFF
        if setting_page.clicked:
            # The change's pair: what the page showed before the click, and now.
            await self.keeper.screenshot(page, spec, reading.state, phase="after")
        elif self.evidence and reading.state is not State.UNKNOWN:
            await self.keeper.screenshot(page, spec, reading.state)
        return SettingResult(id=spec.id, label=spec.label, state=reading.state, changed=changed)

    async def _visit_once_more_if_expired(
        self, setting_page: SettingPage, mode: Mode, loaded: SettingPage | None
    ) -> Reading:
        try:
            return await self._visit(setting_page, mode, loaded)
        except SessionExpired:
            self._session_usable = False
            await self._sign_in_again(
                setting_page.page.context, reason="the saved session has expired"
            )
            try:
                return await self._visit(setting_page, mode, None)
            except SessionExpired:
                raise LoginRequired(
                    f"LinkedIn asked {self.account} to sign in again right after signing "
                    "in; run `optout login` and try once more later."
                ) from None

    async def _visit(
        self, setting_page: SettingPage, mode: Mode, loaded: SettingPage | None
    ) -> Reading:
        self.progress(f"Opening {setting_page.spec.label}")
        await setting_page.open(loaded_by=loaded)
        self._session_usable = True
        if mode is Mode.OFF:
            self.progress(f"Switching off {setting_page.spec.label} if it is on")
            spec, page = setting_page.spec, setting_page.page
            return await setting_page.switch_off(
                before_click=lambda: self.keeper.screenshot(page, spec, State.ON, phase="before")
            )
        self.progress(f"Reading {setting_page.spec.label}")
        return await setting_page.read_confirmed()

    async def _sign_in_again(self, context: BrowserContext, *, reason: str) -> None:
        if self._signed_in_this_run:
            raise LoginRequired(
                f"LinkedIn asked {self.account} to sign in again right after signing in; "
                "run `optout login` and try once more later."
            )
        password = await self._stored_password()
        if password is None:
            raise LoginRequired(
                f"{reason.capitalize()} for {self.account} and no password is stored: "
                f"run `optout login --account {self.account}`."
            )
        self.progress(f"Signing in ({reason})")
        self._signed_in_this_run = True
        totp_secret = await asyncio.to_thread(
            credentials.get_totp_secret, self.account, origin=self.settings.base_url
        )
        await SignIn(
            context, self.settings.base_url, self.pack, self.account, password,
            totp_secret=totp_secret, person=self.person, timeout_s=self.settings.timeout_s,
            debug_dir=self.settings.paths.debug_dir,
        ).run()  # fmt: skip
        self._session_usable = True
        await self._save_session(context)  # the new session, at once
        self.registry.record_login(self.account)
