"""A setting's value as the page carries it inside itself, where a page may.

A page may be served with its data inside (a JSON script, or the `<code>` blocks in
which LinkedIn's server-drawn pages embed API answers) rather than ask for it by the
settings request. Whether the cookie page does is unconfirmed, and a switch drawn before
a request that comes late is a placeholder: so where no request answered, such a
page's switch is believed only where data inside the page lists the setting (read as the
settings request's answer is: card_answer.py), or the Data privacy index says the same.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from optout.linkedin.settings_pages.card_answer import CardEntry, entries_in_json

if TYPE_CHECKING:
    from playwright.async_api import Page

EMBEDDED_SOURCE = "page's own data"  # what a reading confirmed by it names as its source
MAX_BLOCK_CHARS = 500_000  # a block larger than this holds more than a card
MAX_BLOCKS = 20

# Blocks that may hold setting objects: only those naming their values' field are read.
_BLOCKS_JS = f"""() => Array.from(
  document.querySelectorAll('script[type="application/json"], code'),
  (node) => node.textContent || "",
).filter((text) => text.length < {MAX_BLOCK_CHARS} && text.includes("settingDisplayValues"))
 .slice(0, {MAX_BLOCKS})"""


async def embedded_answers(page: Page) -> list[tuple[str, list[CardEntry]]]:
    """("", setting objects) of each block of the page that holds some: as the settings
    request's answers are listed, but with no card name, as no request path gives one."""
    from playwright.async_api import Error as PlaywrightError

    try:
        blocks = await page.evaluate(_BLOCKS_JS)
    except PlaywrightError:
        return []  # navigated away as it was asked: no opinion
    found = []
    for text in blocks if isinstance(blocks, list) else []:
        entries = entries_in_json(text)
        if entries:
            found.append(("", entries))
    return found
