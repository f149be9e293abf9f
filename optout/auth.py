"""Signing in to LinkedIn: the sign-in form (classic or newer), the account chooser,
checkpoint challenges, and the hand-off to a person in a visible browser.

Never a second try at a password: a refused password ends the sign-in. Codes
are asked of the person at the terminal; without one, a challenge that needs a
person ends the run at once (exit 3) instead of waiting for nobody.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from optout.errors import (
    ChallengeRequired,
    LayoutChanged,
    LoginRequired,
    Refused,
    SiteUnavailable,
)
from optout.packs import CODE_CHALLENGES, ChallengeSelectors, Pack
from optout.pageutil import POLL_MS, first_present, navigate
from optout.person import Person
from optout.site import REFUSAL_STATUSES, PageKind, classify, path_of

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page, Response

FORM_TIMEOUT_S = 15
OUTCOME_TIMEOUT_S = 30
APPROVAL_TIMEOUT_S = 120  # how long an app approval is waited for
HANDOFF_TIMEOUT_S = 600  # how long a person gets to finish in a visible browser
CODE_ATTEMPTS = 3  # a person may mistype a code; LinkedIn allows a few
MAX_CHALLENGES = 3  # checkpoints in a row before optout stops answering

_CODE_NAMES = {"email_pin": "the code LinkedIn emailed you", "two_step": "the code sent to you"}


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


def has_session_cookie(context: BrowserContext, name: str) -> bool:
    return any(cookie.get("name") == name for cookie in context.cookies())


class _RefusalWatch:
    """Remembers a main-frame page answered with a refusal (999, 429) or a failure (5xx)."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.status: int | None = None
        page.on("response", self._seen)

    def _seen(self, response: Response) -> None:
        request = response.request
        if request.frame == self.page.main_frame and (
            request.is_navigation_request() or request.method == "POST"
        ):
            status = response.status
            if status in REFUSAL_STATUSES or status >= 500:
                self.status = status

    def raise_if_seen(self) -> None:
        if self.status in REFUSAL_STATUSES:
            raise Refused(
                f"LinkedIn refused the sign-in (HTTP {self.status}, "
                f"{REFUSAL_STATUSES[self.status]}); wait a few hours before trying again so "
                "the account is not flagged."
            )
        if self.status is not None:
            raise SiteUnavailable(
                f"LinkedIn failed during the sign-in (HTTP {self.status}); try again later."
            )


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
        person: Person | None = None,
        headed: bool = False,
        timeout_s: float = 30,
        say: Callable[[str], None] = _quiet,
    ) -> None:
        self.context = context
        self.base_url = base_url
        self.pack = pack
        self.account = account
        self.password = password
        self.totp_secret = totp_secret
        self.person = person or Person(None)
        self.headed = headed
        self.timeout_s = timeout_s
        self.say = say
        self._chose_account = False

    # --- the flow --------------------------------------------------------------------

    def run(self) -> None:
        # A stale li_at must never pass for a fresh sign-in; the browser-id cookies
        # stay, so LinkedIn sees a device it knows and challenges less.
        for name in self.pack.signin.session_cookies:
            self.context.clear_cookies(name=name)
        page = self.context.new_page()
        refusals = _RefusalWatch(page)
        try:
            navigate(page, self.base_url + self.pack.signin.path, "the sign-in page",
                     timeout_s=self.timeout_s)  # fmt: skip
            self._stop_at_dead_ends(page)
            if self.password is None:
                self._hand_off("Sign in to LinkedIn in the browser window; optout waits.")
                return
            self._choose_account(page)
            self._fill_and_submit(page, self.password)
            self._await_outcome(page, refusals)
        finally:
            if not page.is_closed():
                page.close()

    def _stop_at_dead_ends(self, page: Page) -> None:
        kind = classify(page.url, self.pack.pages)
        if kind is PageKind.REFUSED:
            raise refusal_error(page.url)
        if kind is PageKind.RESTRICTED and not self.headed:
            raise restricted_error(page.url)

    def _choose_account(self, page: Page) -> None:
        """On LinkedIn's "Welcome back" chooser, pick this account (by its email, which
        is never translated) or ask for the plain form."""
        chooser = page.locator(self.pack.signin.chooser)
        if chooser.count() == 0 or not chooser.first.is_visible():
            return
        mine = chooser.first.locator("button, a", has_text=self.account)
        if mine.count() >= 1:
            mine.first.click()
            self._chose_account = True
            return
        other = first_present(page, self.pack.signin.chooser_other, 0)
        if other is None:
            for text in self.pack.signin.chooser_other_text:
                named = page.get_by_text(text, exact=False)
                if named.count() >= 1:
                    other = named.first
                    break
        if other is None:
            raise LayoutChanged(
                f"LinkedIn showed its account chooser at {path_of(page.url)} without this "
                "account or a way to use another one; run `optout login --headed`."
            )
        other.click()

    def _fill_and_submit(self, page: Page, password: str) -> None:
        fields = self.pack.signin
        secret = first_present(page, fields.password, FORM_TIMEOUT_S)
        username = first_present(page, fields.username, 0)
        submit = first_present(page, fields.submit, 0)
        username_usable = username is not None and username.is_visible() and username.is_editable()
        if secret is None or submit is None or not (username_usable or self._chose_account):
            raise LayoutChanged(
                f"The sign-in form at {path_of(page.url)} does not look as expected "
                "(email, password or submit not found); LinkedIn may have changed it."
            )
        if username is not None and username_usable:
            username.fill(self.account)
        secret.fill(password)
        submit.click(no_wait_after=True)

    def _await_outcome(self, page: Page, refusals: _RefusalWatch) -> None:
        deadline = time.monotonic() + OUTCOME_TIMEOUT_S
        challenges = 0
        while time.monotonic() < deadline:
            refusals.raise_if_seen()
            kind = classify(page.url, self.pack.pages)
            if kind is PageKind.REFUSED:
                raise refusal_error(page.url)
            if kind is PageKind.RESTRICTED:
                if not self.headed:
                    raise restricted_error(page.url)
                self._hand_off("LinkedIn restricted the account: follow its steps in the window.")
                return
            if kind is PageKind.LOGIN:
                if self._visible_error(page, self.pack.signin.error):
                    raise LoginRequired(
                        f"LinkedIn did not accept the email or password for {self.account}; "
                        "nothing was saved and optout does not retry (to keep the account "
                        "from being locked). Run `optout login` again with the right password."
                    )
            elif kind is PageKind.CHALLENGE:
                challenges += 1
                if challenges > MAX_CHALLENGES:
                    raise challenge_error(page.url)
                self._answer_challenge(page, refusals)
                deadline = time.monotonic() + OUTCOME_TIMEOUT_S
                continue
            elif has_session_cookie(self.context, self.pack.signin.session_cookie):
                return
            page.wait_for_timeout(POLL_MS)
        if classify(page.url, self.pack.pages) is PageKind.LOGIN:
            raise LoginRequired(
                f"LinkedIn did not sign {self.account} in (still on {path_of(page.url)} after "
                f"{OUTCOME_TIMEOUT_S} s); run `optout login --headed` to see what it asks."
            )
        raise SiteUnavailable(
            f"The sign-in did not finish within {OUTCOME_TIMEOUT_S} s (at {path_of(page.url)}); "
            "try again later."
        )

    # --- checkpoints -----------------------------------------------------------------

    def _identify(self, page: Page, wait_s: float) -> ChallengeSelectors | None:
        """Which known checkpoint this page is, told by its form; None if none shows."""
        deadline = time.monotonic() + wait_s
        while True:
            for challenge in self.pack.challenges:
                if page.locator(challenge.form).count() > 0:
                    return challenge
            if time.monotonic() >= deadline or classify(page.url, self.pack.pages) not in (
                PageKind.CHALLENGE,
            ):
                return None
            page.wait_for_timeout(POLL_MS)

    def _answer_challenge(self, page: Page, refusals: _RefusalWatch) -> None:
        """Answer the checkpoint on `page`, or raise; returns once the page moved on."""
        challenge = self._identify(page, FORM_TIMEOUT_S)
        if classify(page.url, self.pack.pages) is not PageKind.CHALLENGE:
            return  # it moved on by itself (e.g. the page approved the browser)
        if self.headed:
            self._hand_off("LinkedIn wants to verify this sign-in: answer it in the window.")
            return
        if challenge is None or challenge.kind == "captcha":
            raise ChallengeRequired(
                f"LinkedIn asks for a security check only a person can answer "
                f"({path_of(page.url)}): run `optout login --headed` and answer it in the "
                "browser window."
            )
        if challenge.kind == "two_step" and self.totp_secret:
            if not self._enter_code(page, challenge, _totp_now(self.totp_secret), refusals):
                raise ChallengeRequired(
                    "LinkedIn did not accept the authenticator code computed from the stored "
                    "secret; check the device clock, or store the secret again with "
                    "`optout login --totp-secret-stdin`."
                )
            return
        if challenge.kind in CODE_CHALLENGES:
            self._ask_for_code(page, challenge, refusals)
            return
        self._await_approval(page)

    def _ask_for_code(
        self, page: Page, challenge: ChallengeSelectors, refusals: _RefusalWatch
    ) -> None:
        what = _CODE_NAMES.get(challenge.kind, "a verification code")
        if not self.person.present:
            raise ChallengeRequired(
                f"LinkedIn asks for {what} ({path_of(page.url)}), and there is no terminal "
                "to type it in: run `optout login` in a terminal, or `optout login --headed`."
            )
        for attempt in range(CODE_ATTEMPTS):
            code = self.person.ask(f"LinkedIn asks for {what}: ")
            if not code:
                raise ChallengeRequired("No code was typed; run `optout login` again.")
            if self._enter_code(page, challenge, code, refusals):
                return
            if attempt + 1 < CODE_ATTEMPTS:
                self.person.tell("LinkedIn did not accept that code; try again.")
        raise ChallengeRequired(
            f"LinkedIn did not accept the code {CODE_ATTEMPTS} times; wait a while, then run "
            "`optout login` again."
        )

    def _enter_code(
        self, page: Page, challenge: ChallengeSelectors, code: str, refusals: _RefusalWatch
    ) -> bool:
        """Type `code` and send it; whether LinkedIn took it (the form did not come back)."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        field = first_present(page, challenge.code, FORM_TIMEOUT_S)
        submit = first_present(page, challenge.submit, 0)
        if field is None or submit is None:
            raise LayoutChanged(
                f"The verification form at {path_of(page.url)} does not look as expected; "
                "run `optout login --headed` to answer it in a browser window."
            )
        field.fill(code)
        try:
            with page.expect_navigation(
                wait_until="domcontentloaded", timeout=OUTCOME_TIMEOUT_S * 1000
            ):
                submit.click()
        except PlaywrightTimeout as exc:
            raise SiteUnavailable(
                f"LinkedIn did not answer the verification code within {OUTCOME_TIMEOUT_S} s; "
                "try again later."
            ) from exc
        refusals.raise_if_seen()
        if classify(page.url, self.pack.pages) is not PageKind.CHALLENGE:
            return True
        same_form = page.locator(challenge.form).count() > 0
        return not (same_form and self._visible_error(page, challenge.error or ("[role=alert]",)))

    def _await_approval(self, page: Page) -> None:
        if not self.person.present:
            raise ChallengeRequired(
                f"LinkedIn wants this sign-in approved in its app ({path_of(page.url)}), and "
                "nobody is at a terminal to wait for it: run `optout login` in a terminal, "
                "then approve it on your phone."
            )
        deadline = time.monotonic() + APPROVAL_TIMEOUT_S
        message = "Approve this sign-in in your LinkedIn app"
        with self.person.countdown(message):
            try:
                while time.monotonic() < deadline:
                    if classify(page.url, self.pack.pages) is not PageKind.CHALLENGE:
                        return
                    self.person.show(message, deadline - time.monotonic())
                    page.wait_for_timeout(500)
            finally:
                self.person.end_line()
        raise ChallengeRequired(
            f"The sign-in was not approved in the LinkedIn app within {APPROVAL_TIMEOUT_S} s; "
            "run `optout login` again."
        )

    # --- a person in a visible browser ------------------------------------------------

    def _hand_off(self, message: str) -> None:
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
            if self._signed_in(pages):
                return
            pages[0].wait_for_timeout(250)
        raise LoginRequired(
            f"The sign-in was not finished within {HANDOFF_TIMEOUT_S // 60} minutes; nothing "
            "was saved. Run `optout login --headed` again."
        )

    def _signed_in(self, pages: list[Page]) -> bool:
        """Signed in: the session cookie is set and a LinkedIn page is past sign-in."""
        if not has_session_cookie(self.context, self.pack.signin.session_cookie):
            return False
        past = (PageKind.SIGNED_IN, PageKind.OTHER)
        return any(
            p.url.startswith(self.base_url) and classify(p.url, self.pack.pages) in past
            for p in pages
        )

    @staticmethod
    def _visible_error(page: Page, selectors: tuple[str, ...]) -> bool:
        """True when the page shows one of these errors (hidden ones do not count)."""
        from playwright.sync_api import Error as PlaywrightError

        try:
            for selector in selectors:
                for element in page.locator(selector).all():
                    if element.is_visible() and element.inner_text().strip():
                        return True
        except PlaywrightError:  # the page is navigating; look again next round
            return False
        return False


def _totp_now(secret: str) -> str:
    import pyotp

    return str(pyotp.TOTP(secret).now())


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
        if len(base64.b32decode(secret + "=" * (-len(secret) % 8))) < 10:
            return None
    except (binascii.Error, ValueError):
        return None
    return secret
