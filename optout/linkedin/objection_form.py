"""Filling LinkedIn's Data Processing Objection Form for the member.

The member's own signed-in session opens the form in a visible window; optout
fills it and, unless asked to submit, leaves the last click to the person.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any

from optout.core.config import Settings
from optout.core.errors import LayoutChanged, LoginRequired
from optout.core.selector_pack import ObjectionForm
from optout.linkedin.chromium.browser import launched
from optout.linkedin.page_tools import first_present, navigate

if TYPE_CHECKING:
    from playwright.async_api import Page

FIELD_TIMEOUT_S = 15
LONGEST_TEXT = 5000  # characters; a form field is not a letter


def template(name: str, email: str) -> str:
    text = resources.files("optout.linkedin").joinpath("objection_template.txt").read_text("utf-8")
    return text.format(name=name, email=email).strip()


@dataclass(frozen=True)
class Objection:
    """What the form is filled with."""

    name: str
    email: str
    kind: str  # one of the form's `types`
    text: str


def fill_and_send(
    settings: Settings, form: ObjectionForm, saved: dict[str, Any], objection: Objection, *,
    submit: bool, wait_s: float,
) -> str | None:  # fmt: skip
    """Open the form in a visible window with the member's saved session and fill it;
    send it (`submit`) or leave that to the person. LinkedIn's case reference ("" when
    it shows none), or None when nothing was sent within `wait_s`."""
    return asyncio.run(_fill_and_send(settings, form, saved, objection, submit, wait_s))


async def _fill_and_send(
    settings: Settings, form: ObjectionForm, saved: dict[str, Any], objection: Objection,
    submit: bool, wait_s: float,
) -> str | None:  # fmt: skip
    async with launched(settings.browser, headed=True, prefer_branded=True) as session:
        context = await session.new_context(storage_state=saved)
        page = await context.new_page()
        await navigate(page, settings.base_url + form.path, "the objection form",
                       timeout_s=settings.timeout_s)  # fmt: skip
        ensure_form_page(page, form.path)
        await fill(page, form, objection)
        if submit:
            await press_submit(page, form)
        reference = await await_received(page, form, wait_s)
        if not page.is_closed():
            await context.close()
    return reference


async def fill(page: Page, form: ObjectionForm, objection: Objection) -> None:
    """Fill every field; LayoutChanged names the one that is missing."""
    for what, selectors, value in (
        ("name", form.name, objection.name),
        ("email", form.email, objection.email),
        ("text", form.text, objection.text),
    ):
        field = await first_present(page, selectors, FIELD_TIMEOUT_S)
        if field is None:
            raise _missing(page, what)
        await field.fill(value)
    chooser = await first_present(page, form.objection_type, 0)
    if chooser is None:
        raise _missing(page, "type of objection")
    await chooser.select_option(form.types[objection.kind])


async def press_submit(page: Page, form: ObjectionForm) -> None:
    button = await first_present(page, form.submit, 0)
    if button is None:
        raise _missing(page, "submit button")
    await button.click()


async def await_received(page: Page, form: ObjectionForm, timeout_s: float) -> str | None:
    """Wait until LinkedIn shows it has the form; its case number, or "" without one.
    None when the time ran out or the person closed the window."""
    from playwright.async_api import Error as PlaywrightError

    deadline = time.monotonic() + timeout_s
    try:
        while time.monotonic() < deadline:
            if page.is_closed():
                return None
            if await first_present(page, form.received, 0) is not None:
                reference = await first_present(page, form.reference, 0) if form.reference else None
                return (await reference.inner_text()).strip() if reference is not None else ""
            await page.wait_for_timeout(250)
    except PlaywrightError:  # the window was closed meanwhile
        return None
    return None


def ensure_form_page(page: Page, path: str) -> None:
    if path not in page.url:
        raise LoginRequired(
            "LinkedIn did not show the objection form to this session (it asked to sign in): "
            "run `optout login`, then try again."
        )


def _missing(page: Page, what: str) -> LayoutChanged:
    return LayoutChanged(
        f"The objection form at {page.url.split('?')[0]} has no {what} field optout "
        "recognises; fill it in by hand in the window, or adapt the selector pack."
    )
