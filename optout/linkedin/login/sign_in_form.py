"""Filling LinkedIn's sign-in form, whichever page draws it: the classic form, the
single-page one, the 2026 page without a `<form>` (a hidden second copy of every
field, a `<button type="button">`), or an email-first page.

Only visible fields are touched, and a secret is never handed to a Playwright call
whose failure could quote it: `fill` on a field that never shows times out with its
value in the error text. A secret goes in by focusing the field and inserting the
text as a keyboard would; only its length is read back. And the password goes
only into a page of the origin it was stored for: a sign-in that lands anywhere
else (a redirect, a look-alike host) stops before anything is typed.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from optout.core.config import origin_of
from optout.core.errors import ChallengeRequired, LayoutChanged
from optout.core.selector_pack import SigninSelectors
from optout.linkedin.page_kinds import path_of
from optout.linkedin.page_tools import ELEMENT_QUERY_MS, POLL_MS

if TYPE_CHECKING:
    from playwright.async_api import ElementHandle, Locator, Page, Request

STEP_TIMEOUT_MS = 5_000  # one click, focus or key press on a field already visible
ENTER_GRACE_S = 1.5  # how long Enter gets to show it did something before a button is used
EMAIL_ONLY_GRACE_S = 0.5  # a password field drawn a moment after the email is not email-first

# The first visible, enabled button after the field in the smallest box around it that
# has one; not one inside the field's own wrapper (the show-password toggle).
_BUTTON_BESIDE = """field => {
  const shown = el =>
    el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
  const own = field.parentElement;
  let box = own;
  for (let depth = 0; box && depth < 6; depth += 1, box = box.parentElement) {
    for (const el of box.querySelectorAll("button, [role=button], input[type=submit]")) {
      const after = field.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING;
      if (after && !own.contains(el) && !el.disabled && shown(el)) return el;
    }
  }
  return null;
}"""
# Whatever took text meant for another field loses it again.
_CLEAR_FOCUSED = """() => {
  const el = document.activeElement;
  if (el && "value" in el) el.value = "";
}"""


async def visible(page: Page, selectors: tuple[str, ...]) -> Locator | None:
    """The first visible element of the first selector (pack order) that has one: the
    first in view, where a page keeps a spare copy out of view (which a browser's own
    test of visibility passes)."""
    for selector in selectors:
        found = page.locator(selector).filter(visible=True)
        count = await found.count()
        if count > 1:
            in_view = await found.evaluate_all(_FIRST_IN_VIEW_JS)
            return found.nth(in_view) if isinstance(in_view, int) and in_view >= 0 else found.first
        if count == 1:
            return found.first
    return None


# The first element a person could see: a box of some size, not moved out of the page,
# not cut away by a box around it that clips (height 0, overflow hidden), and not in a
# part of the page marked as hidden from people (aria-hidden, inert).
_FIRST_IN_VIEW_JS = """els => els.findIndex((el) => {
  const box = el.getBoundingClientRect();
  const sized = (b) => b.width > 2 && b.height > 2;
  if (!sized(box) || box.right <= 0 || box.bottom <= 0 || box.left >= window.innerWidth)
    return false;
  if (el.closest('[aria-hidden="true"], [inert]')) return false;
  for (let up = el.parentElement; up; up = up.parentElement) {
    const style = getComputedStyle(up);
    if (style.overflowX === "visible" && style.overflowY === "visible") continue;
    const clip = up.getBoundingClientRect();
    const seen = {
      width: Math.min(box.right, clip.right) - Math.max(box.left, clip.left),
      height: Math.min(box.bottom, clip.bottom) - Math.max(box.top, clip.top),
    };
    if (!sized(seen)) return false;
  }
  return true;
})"""


async def wait_visible(page: Page, selectors: tuple[str, ...], timeout_s: float) -> Locator | None:
    deadline = time.monotonic() + timeout_s
    while True:
        found = await visible(page, selectors)
        if found is not None or time.monotonic() >= deadline:
            return found
        await page.wait_for_timeout(POLL_MS)


async def wait_until(
    page: Page, condition: Callable[[], Awaitable[bool]], timeout_s: float
) -> bool:
    deadline = time.monotonic() + timeout_s
    while not await condition():
        if time.monotonic() >= deadline:
            return False
        await page.wait_for_timeout(POLL_MS)
    return True


async def type_into(page: Page, field: Locator, text: str, what: str) -> None:
    """Put `text` into a visible `field` so that no Playwright message can carry it."""
    await field.fill("", timeout=STEP_TIMEOUT_MS)  # clears it; the call log holds no secret
    await field.focus(timeout=STEP_TIMEOUT_MS)
    if not await field.evaluate("el => el === document.activeElement", timeout=STEP_TIMEOUT_MS):
        raise LayoutChanged(
            f"The {what} field at {path_of(page.url)} did not take the keyboard; LinkedIn may "
            "have changed the page. Run `optout login --headed` to sign in in a browser window."
        )
    await page.keyboard.insert_text(text)
    if await field.evaluate("el => el.value.length", timeout=STEP_TIMEOUT_MS) != len(text):
        await page.evaluate(_CLEAR_FOCUSED)
        raise LayoutChanged(
            f"The {what} did not arrive in its field at {path_of(page.url)}; LinkedIn may "
            "have changed the page. Run `optout login --headed` to sign in in a browser window."
        )


async def button_beside(field: Locator) -> ElementHandle | None:
    return (await field.evaluate_handle(_BUTTON_BESIDE)).as_element()


class _Sent:
    """Notices the page sending something to LinkedIn: a request other than GET."""

    def __init__(self, page: Page, origin: str, quiet_paths: tuple[str, ...]) -> None:
        self.origin = origin
        self.quiet_paths = quiet_paths  # beacons, which a page sends by itself
        self.count = 0
        self.page = page
        page.on("request", self._seen)

    def _seen(self, request: Request) -> None:
        if request.method == "GET" or origin_of(request.url) != self.origin:
            return
        path = urlsplit(request.url).path
        if not any(quiet in path for quiet in self.quiet_paths):
            self.count += 1

    def close(self) -> None:
        self.page.remove_listener("request", self._seen)


class SignInForm:
    """The email, then the password, then send: on whichever sign-in page shows."""

    def __init__(
        self, page: Page, fields: SigninSelectors, *, origin: str,
        quiet_paths: tuple[str, ...], wait_s: float,
    ) -> None:  # fmt: skip
        self.page = page
        self.fields = fields
        self.origin = origin
        self.quiet_paths = quiet_paths
        self.wait_s = wait_s  # how long a field may take to show

    async def fill_and_submit(self, account: str, password: str, *, chose_account: bool) -> None:
        page, fields = self.page, self.fields
        await wait_visible(page, (*fields.password, *fields.username), self.wait_s)
        self._require_own_origin()
        username = await visible(page, fields.username)
        if username is not None and await username.is_editable():
            await type_into(page, username, account, "email")
        elif not chose_account:
            raise self._not_understood("no email field to fill")
        secret = await wait_visible(page, fields.password, EMAIL_ONLY_GRACE_S)
        if secret is None and username is not None:
            secret = await self._continue_to_password(username)
        if secret is None:
            raise self._not_understood("no password field showed")
        self._require_own_origin()
        await type_into(page, secret, password, "password")
        await self._send(secret)

    async def _continue_to_password(self, username: Locator) -> Locator | None:
        """An email-first page: go on from the email, then wait for the password field."""
        page, fields = self.page, self.fields
        sent = _Sent(page, self.origin, self.quiet_paths)
        before = page.url

        async def moved() -> bool:
            if await visible(page, fields.password) is not None or sent.count or page.url != before:
                return True
            return not (await username.is_visible() and await username.is_editable())

        try:
            await self._press(username, fields.continue_button, moved, "continue")
        finally:
            sent.close()
        return await wait_visible(page, fields.password, self.wait_s)

    async def _send(self, secret: Locator) -> None:
        page = self.page
        sent = _Sent(page, self.origin, self.quiet_paths)
        before = page.url

        async def reacted() -> bool:
            return bool(sent.count) or page.url != before

        try:
            await self._press(secret, self.fields.submit, reacted, "sign in")
        finally:
            sent.close()

    async def _press(
        self,
        field: Locator,
        buttons: tuple[str, ...],
        reacted: Callable[[], Awaitable[bool]],
        what: str,
    ) -> None:
        """The pack's visible button if the page has one; else Enter in the field, and if
        that did nothing, the visible button right after the field."""
        button = await visible(self.page, buttons)
        if button is not None:
            await button.click(no_wait_after=True, timeout=STEP_TIMEOUT_MS)
            return
        await field.press("Enter", no_wait_after=True, timeout=STEP_TIMEOUT_MS)
        if await wait_until(self.page, reacted, ENTER_GRACE_S):
            return
        beside = await button_beside(field)
        if beside is None:
            raise self._not_understood(f"no button to {what} with")
        await beside.click(no_wait_after=True, timeout=STEP_TIMEOUT_MS)

    def _require_own_origin(self) -> None:
        """The page about to receive the account's details is of the origin they are for."""
        where = origin_of(self.page.url)
        if where != self.origin:
            raise ChallengeRequired(
                f"The sign-in page is at {where}, not {self.origin}: optout types a password "
                "only into the site it was stored for. Run `optout login --headed` to see "
                "where LinkedIn sends you."
            )

    def _not_understood(self, problem: str) -> LayoutChanged:
        return LayoutChanged(
            f"The sign-in page at {path_of(self.page.url)} does not look as expected ({problem}); "
            "LinkedIn may have changed it. Run `optout login --headed` to sign in in a browser "
            "window."
        )


async def visible_error(page: Page, selectors: tuple[str, ...]) -> bool:
    """True when the page shows one of these errors (hidden ones do not count)."""
    from playwright.async_api import Error as PlaywrightError

    try:
        for selector in selectors:
            for element in await page.locator(selector).all():
                if not await element.is_visible():
                    continue
                if (await element.inner_text(timeout=ELEMENT_QUERY_MS)).strip():
                    return True
    except PlaywrightError:  # the page is navigating; look again next round
        return False
    return False
