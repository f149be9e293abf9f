"""Signing in to LinkedIn through its own sign-in form."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from optout.errors import ChallengeRequired, LayoutChanged, LoginRequired, SiteUnavailable
from optout.packs import Pack
from optout.pageutil import POLL_MS, first_present, navigate
from optout.site import REFUSAL_STATUSES, PageKind, classify, path_of

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page, Response

FORM_TIMEOUT_S = 15
OUTCOME_TIMEOUT_S = 30


def challenge_error(url: str) -> ChallengeRequired:
    return ChallengeRequired(
        f"LinkedIn wants to verify this sign-in ({path_of(url)}): sign in once in your own "
        "browser to answer it, then run `optout login` again."
    )


def refusal_error(url: str) -> SiteUnavailable:
    return SiteUnavailable(
        f"LinkedIn refused the sign-in ({path_of(url)}); wait a few hours before trying again "
        "so the account is not flagged."
    )


def has_session_cookie(context: BrowserContext, name: str) -> bool:
    return any(cookie.get("name") == name for cookie in context.cookies())


class _RefusalWatch:
    """Remembers a main-frame page answered with a refusal status (999, 429, 5xx)."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.status: int | None = None
        page.on("response", self._seen)

    def _seen(self, response: Response) -> None:
        request = response.request
        if request.is_navigation_request() and request.frame == self.page.main_frame:
            status = response.status
            if status in REFUSAL_STATUSES or status >= 500:
                self.status = status


def sign_in(
    context: BrowserContext,
    base_url: str,
    pack: Pack,
    account: str,
    password: str,
    *,
    timeout_s: float = 30,
) -> None:
    """Sign in with the classic form; return when signed in, raise otherwise. Never retries."""
    # Start clean: a stale `li_at` must never pass for a fresh sign-in.
    context.clear_cookies()
    page = context.new_page()
    try:
        navigate(page, base_url + pack.signin.path, "the sign-in page", timeout_s=timeout_s)
        kind = classify(page.url, pack.pages)
        if kind is PageKind.CHALLENGE:
            raise challenge_error(page.url)
        if kind is PageKind.REFUSED:
            raise refusal_error(page.url)
        _fill_and_submit(page, pack, account, password)
        _await_outcome(page, context, pack, account)
    finally:
        page.close()


def _fill_and_submit(page: Page, pack: Pack, account: str, password: str) -> None:
    fields = pack.signin
    username = first_present(page, fields.username, FORM_TIMEOUT_S)
    secret = first_present(page, fields.password, 0) if username else None
    submit = first_present(page, fields.submit, 0) if secret else None
    if username is None or secret is None or submit is None:
        raise LayoutChanged(
            f"The sign-in form at {path_of(page.url)} does not look as expected "
            "(email, password or submit not found); LinkedIn may have changed it."
        )
    username.fill(account)
    secret.fill(password)
    submit.click(no_wait_after=True)


def _visible_error(page: Page, pack: Pack) -> bool:
    """True when the sign-in page shows one of its field errors (hidden ones do not count)."""
    from playwright.sync_api import Error as PlaywrightError

    try:
        for selector in pack.signin.error:
            for element in page.locator(selector).all():
                if element.is_visible() and element.inner_text().strip():
                    return True
    except PlaywrightError:  # the page is navigating; look again next round
        return False
    return False


def _await_outcome(page: Page, context: BrowserContext, pack: Pack, account: str) -> None:
    refusals = _RefusalWatch(page)
    deadline = time.monotonic() + OUTCOME_TIMEOUT_S
    while time.monotonic() < deadline:
        if refusals.status is not None:
            raise SiteUnavailable(
                f"LinkedIn refused the sign-in (HTTP {refusals.status}); wait a few hours "
                "before trying again so the account is not flagged."
            )
        kind = classify(page.url, pack.pages)
        if kind is PageKind.REFUSED:
            raise refusal_error(page.url)
        if kind is PageKind.CHALLENGE:
            raise challenge_error(page.url)
        if kind is PageKind.LOGIN:
            if _visible_error(page, pack):
                raise LoginRequired(
                    f"LinkedIn did not accept the email or password for {account}; nothing "
                    "was saved and optout does not retry (to keep the account from being "
                    "locked). Run `optout login` again with the right password."
                )
        elif has_session_cookie(context, pack.signin.session_cookie):
            return
        page.wait_for_timeout(POLL_MS)
    if classify(page.url, pack.pages) is PageKind.LOGIN:
        raise LoginRequired(
            f"LinkedIn did not sign {account} in (still on {path_of(page.url)} after "
            f"{OUTCOME_TIMEOUT_S} s); run `optout login --headed` to see what it asks."
        )
    raise SiteUnavailable(
        f"The sign-in did not finish within {OUTCOME_TIMEOUT_S} s (at {path_of(page.url)}); "
        "try again later."
    )
