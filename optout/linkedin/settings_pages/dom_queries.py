"""Questions a settings page answers from its own DOM, asked without Playwright's
selector engine where plain CSS can ask them.

Playwright's engine is a large script the browser compiles into a page the first
time a locator is used there, and again into the page's own world for an element
handle: about 25 ms of CPU a page, which `--all-accounts` pays once per account
(README: Speed and memory). A check's common path asks only plain CSS questions
(how many switches, the one named by a key, its state, a notice's text), so it asks
them with the DOM's own `querySelectorAll`; finding the switch is one look (`look`):
every selector counted at one moment, the switch named by a key read in the same
round trip, and, where no switch is drawn yet, a wait for one inside the page.

Where plain CSS may not see what Playwright sees, the question goes to Playwright
as before: a selector that is not plain CSS (a pack override may use Playwright's
own syntax), and a page with open shadow roots (Playwright looks inside them) that
shows nothing to plain CSS. Every function raises Playwright's Error as a locator
would, when the page navigates meanwhile.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.async_api import Page

# Whether the page has an open shadow root, which plain CSS does not look inside.
_SHADOWED = "Array.prototype.some.call(document.querySelectorAll('*'), (el) => el.shadowRoot)"

# How many elements each of `selectors` matches, at one moment; -1: ask Playwright (not
# plain CSS; or nothing found while shadow roots may hide it).
_COUNTS_JS = """(selectors) => {
  let shadowed = null;
  return selectors.map((selector) => {
    let found;
    try { found = document.querySelectorAll(selector).length; } catch (e) { return -1; }
    if (found > 0) return found;
    if (shadowed === null) shadowed = SHADOWED;
    return shadowed ? -1 : 0;
  });
}""".replace("SHADOWED", _SHADOWED)

_COUNT_JS = "selector => (COUNTS)([selector])[0]".replace("COUNTS", _COUNTS_JS)

# A promise of true once `present()` holds, as the page changes, or of false after `ms`.
_UNTIL_JS = """(present, ms) => new Promise((resolve) => {
  let timer = 0;
  const watcher = new MutationObserver(() => {
    if (present()) { watcher.disconnect(); clearTimeout(timer); resolve(true); }
  });
  watcher.observe(document, {childList: true, subtree: true, attributes: true});
  timer = setTimeout(() => { watcher.disconnect(); resolve(false); }, ms);
})"""

# How many elements each of `selectors` matches (as _COUNTS_JS), in one look; and
# what PROBE says of the only element of the first of `probed` (positions in
# `selectors`, in order) that matches exactly one, unless one before it cannot be
# counted in plain CSS (its count is then Playwright's to tell). With `wait_ms`, where
# the first selector matches nothing yet, the look is taken once it matches something
# or `wait_ms` passed (`waited`).
_LOOK_JS = """([selectors, probed, waitMs]) => {
  const lookNow = (waited) => {
    const counts = (COUNTS)(selectors);
    for (const at of probed) {
      if (counts[at] < 0) break;
      if (counts[at] === 1) {
        return {counts, waited, at, v: (PROBE)(document.querySelector(selectors[at]))};
      }
    }
    return {counts, waited, at: -1};
  };
  const now = lookNow(false);
  if (!(waitMs > 0) || now.counts[0] !== 0) return now;
  return (UNTIL)(() => !!document.querySelector(selectors[0]), waitMs).then(() => lookNow(true));
}""".replace("COUNTS", _COUNTS_JS).replace("UNTIL", _UNTIL_JS)

# The only element `selector` matches, given to PROBE (a function written into the
# expression, so nothing is eval-ed in the page): {"n": how many match, "v": what PROBE
# said of the only one}; n = -1 when the selector is not plain CSS.
_ON_ONLY_JS = """selector => {
  let found;
  try { found = document.querySelectorAll(selector); } catch (e) { return {n: -1}; }
  if (found.length !== 1) return {n: found.length};
  return {n: 1, v: (PROBE)(found[0])};
}"""

# Until an element matches (then true) or `ms` passed (false); `settled_ms`: when one
# matches already, wait this long anyway (the page's switches are not yet this setting's).
_WAIT_JS = """([selector, ms, settled_ms]) => {
  const present = () => {
    try { return !!document.querySelector(selector); } catch (e) { return null; }
  };
  const now = present();
  if (now === null) return null;
  if (now) return new Promise((resolve) => setTimeout(() => resolve(true), settled_ms));
  return (UNTIL)(present, ms);
}""".replace("UNTIL", _UNTIL_JS)

# Whether any of `texts` shows as text, as Playwright's getByText(text)
# .filter(visible=True) finds it: whitespace collapsed, any case, a part of the text of
# the innermost element that holds it whole, that element visible. null: the page has
# open shadow roots, whose text only Playwright reads.
_TEXT_SHOWN_JS = """texts => {
  if (SHADOWED) return null;
  const normal = (text) => text.replace(/\\u200b/g, '').replace(/\\s+/g, ' ').trim().toLowerCase();
  const needles = texts.map(normal).filter(Boolean);
  const skipped = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'HEAD']);
  const textOf = (node) => {
    let text = '';
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) text += child.nodeValue;
      else if (child.nodeType === Node.ELEMENT_NODE && !skipped.has(child.nodeName)) {
        text += textOf(child);
      }
    }
    return text;
  };
  const holds = (el) => {
    const text = normal(textOf(el));
    return needles.some((needle) => text.includes(needle));
  };
  const drawn = (rect) => rect.width > 0 && rect.height > 0;
  const visible = (el) => {
    const style = getComputedStyle(el);
    if (style.display === 'contents') {  // no box of its own: its children's
      return Array.from(el.childNodes).some((child) => {
        if (child.nodeType === Node.ELEMENT_NODE) return visible(child);
        if (child.nodeType !== Node.TEXT_NODE || !child.nodeValue.trim()) return false;
        const range = document.createRange();
        range.selectNodeContents(child);
        return Array.from(range.getClientRects()).some(drawn);
      });
    }
    if (el.checkVisibility && !el.checkVisibility()) return false;
    return style.visibility === 'visible' && drawn(el.getBoundingClientRect());
  };
  const shown = (el) => {
    let inner = false;
    for (const child of el.children) {
      if (skipped.has(child.nodeName) || !holds(child)) continue;
      inner = true;
      if (shown(child)) return true;
    }
    return !inner && visible(el);
  };
  return !!document.body && holds(document.body) && shown(document.body);
}""".replace("SHADOWED", _SHADOWED)


@dataclass
class Look:
    """Counts of several selectors taken at one moment, and what a probe said of the
    element the first selector probed matches alone (`probed`; None if none did)."""

    counts: dict[str, int]
    probed: str | None = None
    value: Any = None
    waited: bool = False  # for the first selector to match something (`look`'s wait_ms)

    async def count(self, page: Page, selector: str) -> int:
        """How many elements `selector` matched at the look; Playwright's count now
        where plain CSS could not tell, or for a selector not looked at."""
        found = self.counts.get(selector, -1)
        return found if found >= 0 else await count(page, selector)


async def look(
    page: Page, selectors: list[str], *, probe: str | None = None, probed: Sequence[str] = (),
    wait_ms: float = 0,
) -> Look:  # fmt: skip
    """Every selector counted in one round trip; with `probe` (a JS function of one
    element), what it says of the only element of the first of `probed` that matches
    exactly one. `wait_ms`: where the first selector matches nothing yet, the look is
    taken once it matches something, or after `wait_ms`."""
    ordered = list(dict.fromkeys(selectors))
    at = [ordered.index(selector) for selector in probed if selector in ordered] if probe else []
    js = _LOOK_JS.replace("PROBE", probe or "null")
    answer = await page.evaluate(js, [ordered, at, wait_ms])
    counts = answer.get("counts") if isinstance(answer, dict) else None
    if not isinstance(counts, list) or len(counts) != len(ordered):
        return Look({})  # not what was asked: every count is asked again
    seen = Look(
        {
            selector: found if isinstance(found, int) else -1
            for selector, found in zip(ordered, counts, strict=True)
        },
        waited=answer.get("waited") is True,
    )
    first = answer.get("at")
    if isinstance(first, int) and 0 <= first < len(ordered):
        seen.probed, seen.value = ordered[first], answer.get("v")
    return seen


async def count(page: Page, selector: str) -> int:
    """How many elements `selector` matches now."""
    found = await page.evaluate(_COUNT_JS, selector)
    if isinstance(found, int) and found >= 0:
        return found
    return await page.locator(selector).count()


async def on_only(page: Page, selector: str, probe: str, *, timeout_ms: float) -> tuple[int, Any]:
    """(how many elements `selector` matches, what the JS function `probe` says of the
    element when it is the only one, else None)."""
    answer = await page.evaluate(_ON_ONLY_JS.replace("PROBE", probe), selector)
    found = int(answer.get("n", -1)) if isinstance(answer, dict) else -1
    if found == 1:
        return 1, answer.get("v")
    if found >= 0:
        return found, None
    # Not plain CSS: Playwright's engine, strict as a locator is.
    from playwright.async_api import Error as PlaywrightError

    locator = page.locator(selector)
    try:
        return 1, await locator.evaluate(probe, timeout=timeout_ms)
    except PlaywrightError:
        return await locator.count(), None


async def wait_for_one(page: Page, selector: str, timeout_ms: float, *, settled_ms: float) -> None:
    """Until an element matches `selector`, at most `timeout_ms`; where one matches
    already, `settled_ms`."""
    waited = await page.evaluate(_WAIT_JS, [selector, timeout_ms, settled_ms])
    if waited is None:  # not plain CSS
        first = page.locator(selector).first
        if await first.count():
            await page.wait_for_timeout(settled_ms)
        else:
            await first.wait_for(state="attached", timeout=timeout_ms)


async def text_shown(page: Page, texts: list[str]) -> bool:
    """Whether any of `texts` shows on the page (part of an element's text, any case)."""
    shown = await page.evaluate(_TEXT_SHOWN_JS, texts)
    if shown is not None:
        return bool(shown)
    for text in texts:
        if await page.get_by_text(text, exact=False).filter(visible=True).count():
            return True
    return False


# Whether the page's content shows a control that holds an on/off or Yes/No state (a
# switch, a radio, a pressed button), enabled, that none of `known` (the variant's
# switches, plain CSS) matches or holds: a control optout does not read. Checkboxes do
# not count: a list of them (interest categories) is a page's content, not a setting's
# switch. A selector that is not plain CSS matches nothing here: its controls count.
_UNREAD_CONTROL_JS = """known => {
  const scope = document.querySelector('main, [role=main], #main') || document.body;
  if (!scope) return false;
  const controls = scope.querySelectorAll('[role=switch], [role=radio], input[type=radio], '
    + '[aria-pressed], [aria-checked]:not(input[type=checkbox]):not([role=checkbox])');
  const read = (el) => known.some((selector) => {
    try { return el.closest(selector) !== null; } catch (error) { return false; }
  });
  const enabled = (el) => !el.disabled && el.getAttribute('aria-disabled') !== 'true';
  const drawn = (el) => el.getClientRects().length > 0
    && getComputedStyle(el).visibility === 'visible';
  return Array.from(controls).some((el) => enabled(el) && drawn(el) && !read(el));
}"""


async def unread_control_shown(page: Page, known: Sequence[str]) -> bool:
    """Whether the page shows an enabled control that holds a state and that none of
    `known` matches: one that may be a setting's, drawn in a way optout does not read."""
    return bool(await page.evaluate(_UNREAD_CONTROL_JS, list(known)))


async def lack_said(page: Page, notices: list[str], failing: list[str]) -> bool:
    """Whether the page says the member lacks a setting: one of `notices` shows, and none
    of the `failing` words. A page that says something failed ("try again later") proves
    no lack: its "not available" may be the failure's."""
    return await text_shown(page, notices) and not await text_shown(page, failing)


def apostrophe_forms(texts: tuple[str, ...]) -> list[str]:
    """Each text as typed and with typographic apostrophes (U+0027 or U+2019): a page
    may print either, and a text search tells them apart."""
    forms = (
        form
        for text in texts
        for form in (text, text.replace("'", "\u2019"), text.replace("\u2019", "'"))
    )
    return list(dict.fromkeys(forms))
