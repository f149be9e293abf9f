"""Whether the server itself drew the switch as it shows: a second sign for a page that
asks for no settings card.

A page that asks for its value by script may draw a placeholder first, however still it
holds (settled_reading.py: `switch_alone`). A page whose own HTML, as the server sent it,
already holds the switch in the state it shows, and which has asked for no card at all
by the end of that hold, was drawn by the server from what it knows: no script put a
placeholder there. Whether LinkedIn serves any page so is unconfirmed; where it does
not, this never applies. Nor does it before the page has finished loading, and held
still as long again: a script it loads late (async) may yet set the switch otherwise.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.async_api import Page

    from optout.linkedin.settings_pages.page_requests import PageRequests

# Whether the served HTML has exactly one element the query matches, a checkbox input,
# and whether it is checked as served (the `checked` attribute); null where it has not,
# or the query is not plain CSS. The HTML is parsed apart: none of its scripts run.
_SERVED_CHECKED_JS = """([html, query]) => {
  const served = new DOMParser().parseFromString(html, 'text/html');
  let found;
  try { found = served.querySelectorAll(query); } catch (error) { return null; }
  if (found.length !== 1) return null;
  const input = found[0];
  if (input.tagName !== 'INPUT' || input.type !== 'checkbox') return null;
  return input.hasAttribute('checked');
}"""


# How long ago the page finished loading (its `load` event, which waits for every script
# it was served with, async ones too), in ms; -1 before it has.
_LOADED_MS_JS = """() => {
  const [load] = performance.getEntriesByType('navigation');
  return load && load.loadEventEnd > 0 ? performance.now() - load.loadEventEnd : -1;
}"""


async def drawn_so_by_the_server(
    page: Page, requests: PageRequests, query: str | None, checked: bool | None, hold_s: float
) -> bool | None:
    """The page asked for no settings card, and the HTML the server sent holds the one
    switch `query` finds already `checked` (or not) as it shows now. None: not yet known,
    as the page finished loading less than `hold_s` ago, or has not yet."""
    from playwright.async_api import Error as PlaywrightError

    document = requests.document
    if query is None or checked is None or document is None or requests.asked():
        return False
    try:
        loaded_ms = await page.evaluate(_LOADED_MS_JS)
        if not isinstance(loaded_ms, int | float) or loaded_ms < hold_s * 1000:
            return None
        html = await document.text()
        served = await page.evaluate(_SERVED_CHECKED_JS, [html, query])
    except PlaywrightError:  # the body is gone (a redirect, a new load): no sign
        return False
    return served is not None and bool(served) is checked


class ServedSwitch:
    """drawn_so_by_the_server for one reader, asked once for each still spell of the
    switch (`since`, when it last changed), as it parses the whole HTML as served; a
    reading that goes on past its hold would otherwise parse it at every look. Not yet
    known (None) is asked again."""

    def __init__(self) -> None:
        self._known: tuple[float, bool] | None = None

    async def drawn_so(
        self, since: float, page: Page, requests: PageRequests, query: str | None,
        checked: bool | None, hold_s: float,
    ) -> bool | None:  # fmt: skip
        if self._known is not None and self._known[0] == since:
            return self._known[1]
        drawn = await drawn_so_by_the_server(page, requests, query, checked, hold_s)
        if drawn is not None:
            self._known = (since, drawn)
        return drawn
