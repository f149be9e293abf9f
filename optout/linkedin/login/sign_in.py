"""Signing in to LinkedIn: the sign-in page (classic, single-page, the 2026 one or an
email-first one; sign_in_form.py fills it), the account chooser, checkpoints
(checkpoints.py), and the hand-off to a person in a visible browser.

Never a second try at a password: a refused password ends the sign-in. Whatever
Playwright raises on the way ends as optout's own error, in optout's words: its
messages may quote what a call was given.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from optout.core import scrubber
from optout.core.config import origin_of
from optout.core.errors import (
    ChallengeRequired,
    EnvironmentProblem,
    LayoutChanged,
    LoginRequired,
    OptoutError,
    Refused,
    SiteUnavailable,
)
from optout.evidence.page_capture import save_evidence
from optout.linkedin.login.checkpoints import (
    FORM_TIMEOUT_S,
    OUTCOME_TIMEOUT_S,
    Checkpoints,
    RefusalWatch,
)
from optout.linkedin.login.sign_in_form import (
    STEP_TIMEOUT_MS,
    SignInForm,
    visible_error,
    wait_visible,
)
from optout.linkedin.page_kinds import PageKind, classify, path_of
from optout.linkedin.page_tools import POLL_MS, close_page, first_present, navigate
from optout.linkedin.person_turns import PersonTurns
from optout.output.person import Person

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.async_api import BrowserContext, Page

    from optout.core.selector_pack import Pack

# Every field of the page emptied, before a screenshot of it is kept.
_EMPTY_FIELDS_JS = """() => {
  for (const el of document.querySelectorAll("input, textarea")) {
    if (!["checkbox", "radio", "submit", "button", "hidden"].includes(el.type)) el.value = "";
  }
}"""
HANDOFF_TIMEOUT_S = 600  # how long a person gets to finish in a visible browser
MAX_CHALLENGES = 3  # checkpoints in a row before optout stops answering


def challenge_error(url: str) -> ChallengeRequired:
    return ChallengeRequired(
        f"LinkedIn wants to verify this sign-in ({path_of(url)}): run `optout login` in a "
        "terminal, or `optout login --headed` to answer it in a browser window."
    )


def refusal_error(url: str) -> Refused:
    return Refused(
        f"LinkedIn refused the sign-in ({path_of(url)}); wait a few hours before trying again "
        "so the account is not flagged."
    )


def restricted_error(url: str) -> ChallengeRequired:
    return ChallengeRequired(
        f"LinkedIn has restricted this account until you confirm who you are "
        f"({path_of(url)}): run `optout login --headed` and follow LinkedIn's steps."
    )


async def has_session_cookie(context: BrowserContext, name: str) -> bool:
    return any(cookie.get("name") == name for cookie in await context.cookies())


def _quiet(_: str) -> None:
    return None


class SignIn:
    """One sign-in of one account in a browser context; `run` returns once signed in.

    `password=None` (only with `headed`) leaves the whole sign-in to the person, e.g.
    for Google or Apple sign-in."""

    def __init__(
        self,
        context: BrowserContext,
        base_url: str,
        pack: Pack,
        account: str,
        password: str | None,
        *,
        totp_secret: str | None = None,
        person: Person | PersonTurns | None = None,
        headed: bool = False,
        timeout_s: float = 30,
        say: Callable[[str], None] = _quiet,
        debug_dir: Path | None = None,
    ) -> None:
        """`debug_dir`: where a sign-in page not understood is kept as evidence."""
        self.context = context
        self.debug_dir = debug_dir
        self.base_url = base_url
        self.pack = pack
        self.account = account
        self.password = password
        self.person = PersonTurns.of(person)
        self.headed = headed
        self.timeout_s = timeout_s
        self.say = say
        self._chose_account = False
        # How long a field may take to show: no longer than LinkedIn is waited for.
        self.form_wait_s = min(FORM_TIMEOUT_S, timeout_s)
        self.checkpoints = Checkpoints(
            pack, self.person, headed=headed, totp_secret=totp_secret,
            hand_off=self._hand_off, wait_s=self.form_wait_s,
        )  # fmt: skip

    # --- the flow --------------------------------------------------------------------

    async def run(self) -> None:
        from playwright.async_api import Error as PlaywrightError

        try:
            # A stale li_at must never pass for a fresh sign-in; the browser-id cookies
            # stay, so LinkedIn sees a device it knows and challenges less.
            for name in self.pack.signin.session_cookies:
                await self.context.clear_cookies(name=name)
            page = await self.context.new_page()
        except PlaywrightError:
            raise EnvironmentProblem(
                "The browser could not open a page for the sign-in; try again."
            ) from None
        try:
            await self._steps(page)
        except PlaywrightError:
            # Not chained: Playwright's text may quote what a call was given.
            raise await self._kept(self._browser_failed(page), page) from None
        except LayoutChanged as exc:
            raise await self._kept(exc, page) from None
        finally:
            await close_page(page)

    async def _kept(self, error: OptoutError, page: Page) -> OptoutError:
        """A sign-in page not understood, kept as evidence (its fields emptied first: the
        screenshot cannot be scrubbed), and the error saying where."""
        from playwright.async_api import Error as PlaywrightError

        if not isinstance(error, LayoutChanged) or self.debug_dir is None or page.is_closed():
            return error
        try:
            await page.evaluate(_EMPTY_FIELDS_JS)
        except PlaywrightError:
            return error  # the fields may hold what was typed: no screenshot of them
        secrets = [*scrubber.values(), *([self.password] if self.password else [])]
        try:
            folder = await save_evidence(
                page, self.debug_dir, "sign-in", secrets, account=self.account
            )
        except OptoutError:
            return error
        if folder is None:
            return error
        return LayoutChanged(
            f"{error.message} Evidence (screenshot, page with secrets removed): {folder}."
        )

    async def _steps(self, page: Page) -> None:
        refusals = RefusalWatch(page)
        await navigate(page, self.base_url + self.pack.signin.path, "the sign-in page",
                 timeout_s=self.timeout_s)  # fmt: skip
        self._stop_at_dead_ends(page)
        if self.password is None:
            await self._hand_off("Sign in to LinkedIn in the browser window; optout waits.")
            return
        shown = await self._choose_account(page)
        form = SignInForm(
            page, self.pack.signin, origin=origin_of(self.base_url),
            quiet_paths=self.pack.network.block_paths,
            wait_s=self.form_wait_s if shown else 0.0,  # already waited for: none came
        )  # fmt: skip
        await form.fill_and_submit(self.account, self.password, chose_account=self._chose_account)
        await self._await_outcome(page, refusals)

    def _browser_failed(self, page: Page) -> OptoutError:
        if page.is_closed():
            if self.headed:
                return LoginRequired(
                    "The browser window was closed before the sign-in finished; nothing was "
                    "saved. Run `optout login --headed` again."
                )
            return EnvironmentProblem(
                "The browser went away during the sign-in; nothing was saved. Try again."
            )
        return LayoutChanged(
            f"The sign-in page at {path_of(page.url)} did not respond as expected; LinkedIn "
            "may have changed it. Nothing was saved. Run `optout login --headed` to sign in "
            "in a browser window."
        )

    def _stop_at_dead_ends(self, page: Page) -> None:
        kind = classify(page.url, self.pack.pages)
        if kind is PageKind.REFUSED:
            raise refusal_error(page.url)
        if kind is PageKind.RESTRICTED and not self.headed:
            raise restricted_error(page.url)

    async def _choose_account(self, page: Page) -> bool:
        """On LinkedIn's "Welcome back" chooser, pick this account (by its email, which
        is never translated) or ask for the plain form. A page drawn by script may show
        the chooser a moment after it loaded: first the chooser or a field must show.
        False where neither did."""
        signin = self.pack.signin
        shown = await wait_visible(
            page, (signin.chooser, *signin.username, *signin.password), self.form_wait_s
        )
        chooser = page.locator(signin.chooser)
        if await chooser.count() == 0 or not await chooser.first.is_visible():
            return shown is not None
        mine = chooser.first.locator("button, a", has_text=self.account)
        if await mine.count() >= 1:
            await mine.first.click(timeout=STEP_TIMEOUT_MS)
            self._chose_account = True
            return True
        other = await first_present(page, self.pack.signin.chooser_other, 0)
        if other is None:
            for text in self.pack.signin.chooser_other_text:
                named = page.get_by_text(text, exact=False)
                if await named.count() >= 1:
                    other = named.first
                    break
        if other is None:
            raise LayoutChanged(
                f"LinkedIn showed its account chooser at {path_of(page.url)} without this "
                "account or a way to use another one; run `optout login --headed`."
            )
        await other.click(timeout=STEP_TIMEOUT_MS)
        return True

    async def _await_outcome(self, page: Page, refusals: RefusalWatch) -> None:
        deadline = time.monotonic() + OUTCOME_TIMEOUT_S
        challenges = 0
        while time.monotonic() < deadline:
            refusals.raise_if_seen()
            kind = classify(page.url, self.pack.pages)
            await self._stop_at(page, kind)
            if kind is PageKind.RESTRICTED:
                await self._hand_off(
                    "LinkedIn restricted the account: follow its steps in the window."
                )
                return
            if kind is PageKind.CHALLENGE:
                challenges += 1
                if challenges > MAX_CHALLENGES:
                    raise challenge_error(page.url)
                await self.checkpoints.answer(page, refusals)
                deadline = time.monotonic() + OUTCOME_TIMEOUT_S
                continue
            if kind is not PageKind.LOGIN and await has_session_cookie(
                self.context, self.pack.signin.session_cookie
            ):
                return
            await page.wait_for_timeout(POLL_MS)
        raise self._no_outcome(page)

    async def _stop_at(self, page: Page, kind: PageKind) -> None:
        """End the sign-in where the page, as classified, says it cannot succeed."""
        if kind is PageKind.REFUSED:
            raise refusal_error(page.url)
        if kind is PageKind.RESTRICTED and not self.headed:
            raise restricted_error(page.url)
        if kind is PageKind.LOGIN and await visible_error(page, self.pack.signin.error):
            raise LoginRequired(
                f"LinkedIn did not accept the email or password for {self.account}; "
                "nothing was saved and optout does not retry (to keep the account "
                "from being locked). Run `optout login` again with the right password."
            )

    def _no_outcome(self, page: Page) -> OptoutError:
        """The error for a sign-in that neither succeeded nor failed in time."""
        if classify(page.url, self.pack.pages) is PageKind.LOGIN:
            return LoginRequired(
                f"LinkedIn did not sign {self.account} in (still on {path_of(page.url)} after "
                f"{OUTCOME_TIMEOUT_S} s); run `optout login --headed` to see what it asks."
            )
        return SiteUnavailable(
            f"The sign-in did not finish within {OUTCOME_TIMEOUT_S} s (at {path_of(page.url)}); "
            "try again later."
        )

    # --- a person in a visible browser ------------------------------------------------

    async def _hand_off(self, message: str) -> None:
        """Wait while the person finishes in the window; return once signed in."""
        self.say(message)
        deadline = time.monotonic() + HANDOFF_TIMEOUT_S
        while time.monotonic() < deadline:
            pages = [p for p in self.context.pages if not p.is_closed()]
            if not pages:
                raise LoginRequired(
                    "The browser window was closed before the sign-in finished; nothing was "
                    "saved. Run `optout login --headed` again."
                )
            if await self._signed_in(pages):
                return
            await pages[0].wait_for_timeout(250)
        raise LoginRequired(
            f"The sign-in was not finished within {HANDOFF_TIMEOUT_S // 60} minutes; nothing "
            "was saved. Run `optout login --headed` again."
        )

    async def _signed_in(self, pages: list[Page]) -> bool:
        """Signed in: the session cookie is set and a LinkedIn page is past sign-in."""
        if not await has_session_cookie(self.context, self.pack.signin.session_cookie):
            return False
        past = (PageKind.SIGNED_IN, PageKind.OTHER)
        return any(
            origin_of(p.url) == origin_of(self.base_url)
            and classify(p.url, self.pack.pages) in past
            for p in pages
        )


def normalize_totp_secret(raw: str) -> str | None:
    """A base32 secret from what the member pasted (the secret, or an otpauth:// URI);
    None if it is neither."""
    import base64
    import binascii

    import pyotp

    text = raw.strip()
    if text.startswith("otpauth://"):
        try:
            parsed = pyotp.parse_uri(text)
        except ValueError:
            return None
        text = parsed.secret if isinstance(parsed, pyotp.TOTP) else ""
    secret = text.replace(" ", "").upper()
    try:
        base64.b32decode(secret + "=" * (-len(secret) % 8))
        # What pyotp itself accepts (at least 112 bits): refused now, not at a sign-in.
        pyotp.TOTP(secret).now()
    except (binascii.Error, ValueError):
        return None
    return secret
