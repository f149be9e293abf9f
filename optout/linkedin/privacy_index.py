"""The Data privacy index as a second source: it shows each setting's value beside it.

Asked only where the setting's page gave no second opinion of its own. It is
read in a page of its own, so the setting's page stays as it was read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from optout.core.results import State
from optout.linkedin.page_kinds import PageKind, classify
from optout.linkedin.page_tools import ELEMENT_QUERY_MS, close_page, first_present, navigate
from optout.linkedin.settled_reading import Reading
from optout.linkedin.switch_finder import normalize_text

if TYPE_CHECKING:
    from playwright.async_api import BrowserContext

    from optout.core.selector_pack import Pack, SettingSpec

# Texts of the leaf elements inside the index row's link: the title and its value.
_LEAF_TEXTS_JS = """el => Array.from(el.querySelectorAll('*'))
  .filter((node) => node.children.length === 0)
  .map((node) => node.textContent.trim()).filter(Boolean)"""


async def index_state(
    context: BrowserContext, base_url: str, pack: Pack, spec: SettingSpec, *, timeout_s: float
) -> State | None:
    """What the index says of the setting: ON, OFF, or None (no index, or no clear value)."""
    from playwright.async_api import Error as PlaywrightError

    index = spec.index
    if index is None:
        return None
    page = await context.new_page()
    try:
        await navigate(page, base_url + index.path, "the Data privacy page", timeout_s=timeout_s)
        if classify(page.url, pack.pages) is not PageKind.OTHER:
            return None
        link = await first_present(page, (index.link,), 5)
        if link is None:
            return None  # the index does not show this setting: no opinion
        try:
            texts = await link.evaluate(_LEAF_TEXTS_JS, timeout=ELEMENT_QUERY_MS)
        except PlaywrightError:
            return None  # drawn away as it was read: no opinion
        leaves = {normalize_text(t) for t in texts}
    finally:
        await close_page(page)
    says_on = bool(leaves & {normalize_text(t) for t in index.on})
    says_off = bool(leaves & {normalize_text(t) for t in index.off})
    if says_on == says_off:
        return None  # no value shown (or both): no opinion
    return State.ON if says_on else State.OFF


async def confirm_with_index(
    reading: Reading, context: BrowserContext, base_url: str, pack: Pack, spec: SettingSpec, *,
    timeout_s: float,
) -> Reading:  # fmt: skip
    """Where the page gave no second source, ask the Data privacy index."""
    if spec.index is None or reading.confirmed_by or reading.state not in (State.ON, State.OFF):
        return reading
    said = await index_state(context, base_url, pack, spec, timeout_s=timeout_s)
    if said is None:
        return reading
    if said is reading.state:
        return Reading(reading.state, confirmed_by="Data privacy index")
    return Reading(
        State.UNKNOWN,
        problem=(
            f"the switch shows {reading.state.value} but the Data privacy index says {said.value}"
        ),
    )
