"""Filling LinkedIn's Data Processing Objection Form for the member.

The member's own signed-in session opens the form in a visible window; optout
fills it and, unless asked to submit, leaves the last click to the person.
"""

from __future__ import annotations

import time
from importlib import resources
from typing import TYPE_CHECKING

from optout.core.errors import LayoutChanged, LoginRequired
from optout.core.selector_pack import ObjectionForm
from optout.linkedin.page_tools import first_present

if TYPE_CHECKING:
    from playwright.sync_api import Page

FIELD_TIMEOUT_S = 15
LONGEST_TEXT = 5000  # characters; a form field is not a letter


def template(name: str, email: str) -> str:
    text = resources.files("optout.linkedin").joinpath("objection_template.txt").read_text("utf-8")
    return text.format(name=name, email=email).strip()


def fill(page: Page, form: ObjectionForm, *, name: str, email: str, kind: str, text: str) -> None:
    """Fill every field; LayoutChanged names the one that is missing."""
    for what, selectors, value in (
        ("name", form.name, name),
        ("email", form.email, email),
        ("text", form.text, text),
    ):
        field = first_present(page, selectors, FIELD_TIMEOUT_S)
        if field is None:
            raise _missing(page, what)
        field.fill(value)
    chooser = first_present(page, form.objection_type, 0)
    if chooser is None:
        raise _missing(page, "type of objection")
    chooser.select_option(form.types[kind])


def submit(page: Page, form: ObjectionForm) -> None:
    button = first_present(page, form.submit, 0)
    if button is None:
        raise _missing(page, "submit button")
    button.click()


def await_received(page: Page, form: ObjectionForm, timeout_s: float) -> str | None:
    """Wait until LinkedIn shows it has the form; its case number, or "" without one.
    None when the time ran out or the person closed the window."""
    from playwright.sync_api import Error as PlaywrightError

    deadline = time.monotonic() + timeout_s
    try:
        while time.monotonic() < deadline:
            if page.is_closed():
                return None
            if first_present(page, form.received, 0) is not None:
                reference = first_present(page, form.reference, 0) if form.reference else None
                return reference.inner_text().strip() if reference is not None else ""
            page.wait_for_timeout(250)
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
