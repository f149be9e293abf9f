"""LinkedIn's checkpoint pages during a sign-in: codes (emailed, SMS, authenticator),
approval in the app, and what only a person can answer (captchas).

Codes are asked of the person at the terminal; without one, a checkpoint that needs a
person ends the run at once (exit 3) instead of waiting for nobody. A code goes into
its field the way the password does (signin_form.type_into): never through a
Playwright call whose error could quote it.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from optout.core.errors import ChallengeRequired, LayoutChanged, Refused, SiteUnavailable
from optout.core.selector_pack import CODE_CHALLENGES, ChallengeSelectors, Pack
from optout.linkedin.login.sign_in_form import (
    STEP_TIMEOUT_MS,
    type_into,
    visible,
    visible_error,
    wait_visible,
)
from optout.linkedin.page_kinds import REFUSAL_STATUSES, PageKind, classify, path_of
from optout.linkedin.page_tools import POLL_MS
from optout.linkedin.person_turns import PersonTurns

if TYPE_CHECKING:
    from playwright.async_api import Page, Response

FORM_TIMEOUT_S = 15
OUTCOME_TIMEOUT_S = 30
APPROVAL_TIMEOUT_S = 120  # how long an app approval is waited for
CODE_ATTEMPTS = 3  # a person may mistype a code; LinkedIn allows a few

_CODE_NAMES = {"email_pin": "the code LinkedIn emailed you", "two_step": "the code sent to you"}


class RefusalWatch:
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


class Checkpoints:
    """Answers the checkpoints of one sign-in; `hand_off` leaves one to a person in a
    visible browser (headed only)."""

    def __init__(
        self, pack: Pack, person: PersonTurns, *, headed: bool, totp_secret: str | None,
        hand_off: Callable[[str], Awaitable[None]], wait_s: float = FORM_TIMEOUT_S,
    ) -> None:  # fmt: skip
        self.pack = pack
        self.person = person
        self.headed = headed
        self.totp_secret = totp_secret
        self.hand_off = hand_off
        self.wait_s = wait_s

    async def _identify(self, page: Page) -> ChallengeSelectors | None:
        """Which known checkpoint this page is, told by its form; None if none shows."""
        deadline = time.monotonic() + self.wait_s
        while True:
            for challenge in self.pack.challenges:
                if await page.locator(challenge.form).count() > 0:
                    return challenge
            if time.monotonic() >= deadline or classify(page.url, self.pack.pages) not in (
                PageKind.CHALLENGE,
            ):
                return None
            await page.wait_for_timeout(POLL_MS)

    async def answer(self, page: Page, refusals: RefusalWatch) -> None:
        """Answer the checkpoint on `page`, or raise; returns once the page moved on."""
        challenge = await self._identify(page)
        if classify(page.url, self.pack.pages) is not PageKind.CHALLENGE:
            return  # it moved on by itself (e.g. the page approved the browser)
        if self.headed:
            await self.hand_off("LinkedIn wants to verify this sign-in: answer it in the window.")
            return
        if challenge is None or challenge.kind == "captcha":
            raise ChallengeRequired(
                f"LinkedIn asks for a security check only a person can answer "
                f"({path_of(page.url)}): run `optout login --headed` and answer it in the "
                "browser window."
            )
        if challenge.kind == "two_step" and self.totp_secret:
            if not await self._enter_code(page, challenge, _totp_now(self.totp_secret), refusals):
                raise ChallengeRequired(
                    "LinkedIn did not accept the authenticator code computed from the stored "
                    "secret; check the device clock, or store the secret again with "
                    "`optout login --totp-secret-stdin`."
                )
            return
        if challenge.kind in CODE_CHALLENGES:
            await self._ask_for_code(page, challenge, refusals)
            return
        await self._await_approval(page)

    async def _ask_for_code(
        self, page: Page, challenge: ChallengeSelectors, refusals: RefusalWatch
    ) -> None:
        what = _CODE_NAMES.get(challenge.kind, "a verification code")
        if not self.person.present:
            raise ChallengeRequired(
                f"LinkedIn asks for {what} ({path_of(page.url)}), and there is no terminal "
                "to type it in: run `optout login` in a terminal, or `optout login --headed`."
            )
        for attempt in range(CODE_ATTEMPTS):
            code = await self.person.ask(f"LinkedIn asks for {what}: ")
            if not code:
                raise ChallengeRequired("No code was typed; run `optout login` again.")
            if await self._enter_code(page, challenge, code, refusals):
                return
            if attempt + 1 < CODE_ATTEMPTS:
                await self.person.tell("LinkedIn did not accept that code; try again.")
        raise ChallengeRequired(
            f"LinkedIn did not accept the code {CODE_ATTEMPTS} times; wait a while, then run "
            "`optout login` again."
        )

    async def _enter_code(
        self, page: Page, challenge: ChallengeSelectors, code: str, refusals: RefusalWatch
    ) -> bool:
        """Type `code` and send it; whether LinkedIn took it (the form did not come back)."""
        from playwright.async_api import TimeoutError as PlaywrightTimeout

        field = await wait_visible(page, challenge.code, self.wait_s)
        submit = await visible(page, challenge.submit)
        if field is None or submit is None:
            raise LayoutChanged(
                f"The verification form at {path_of(page.url)} does not look as expected; "
                "run `optout login --headed` to answer it in a browser window."
            )
        await type_into(page, field, code, "verification code")
        try:
            async with page.expect_navigation(
                wait_until="domcontentloaded", timeout=OUTCOME_TIMEOUT_S * 1000
            ):
                await submit.click(timeout=STEP_TIMEOUT_MS)
        except PlaywrightTimeout:
            raise SiteUnavailable(
                f"LinkedIn did not answer the verification code within {OUTCOME_TIMEOUT_S} s; "
                "try again later."
            ) from None
        refusals.raise_if_seen()
        if classify(page.url, self.pack.pages) is not PageKind.CHALLENGE:
            return True
        same_form = await page.locator(challenge.form).count() > 0
        return not (same_form and await visible_error(page, challenge.error or ("[role=alert]",)))

    async def _await_approval(self, page: Page) -> None:
        if not self.person.present:
            raise ChallengeRequired(
                f"LinkedIn wants this sign-in approved in its app ({path_of(page.url)}), and "
                "nobody is at a terminal to wait for it: run `optout login` in a terminal, "
                "then approve it on your phone."
            )
        deadline = time.monotonic() + APPROVAL_TIMEOUT_S
        message = "Approve this sign-in in your LinkedIn app"
        async with self.person.countdown(message):
            while time.monotonic() < deadline:
                if classify(page.url, self.pack.pages) is not PageKind.CHALLENGE:
                    return
                self.person.show(message, deadline - time.monotonic())
                await page.wait_for_timeout(500)
        raise ChallengeRequired(
            f"The sign-in was not approved in the LinkedIn app within {APPROVAL_TIMEOUT_S} s; "
            "run `optout login` again."
        )


def _totp_now(secret: str) -> str:
    import pyotp

    from optout.core import scrubber

    code = str(pyotp.TOTP(secret).now())
    scrubber.remember(secret, code)
    return code
