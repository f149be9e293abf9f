"""Questions a settings page answers from its own DOM, asked without Playwright's
selector engine where plain CSS can ask them.

Playwright's engine is a large script the browser compiles into a page the first
time a locator is used there, and again into the page's own world for an element
handle: about 25 ms of CPU a page, which `--all-accounts` pays once per account
(README: Speed and memory). A check's common path asks only plain CSS questions
(how many switches, the one named by a key, its state, a notice's text), so it asks
them with the DOM's own `querySelectorAll`, one round trip each.

Where plain CSS may not see what Playwright sees, the question goes to Playwright
as before: a selector that is not plain CSS (a pack override may use Playwright's
own syntax), and a page with open shadow roots (Playwright looks inside them) that
shows nothing to plain CSS. Every function raises Playwright's Error as a locator
would, when the page navigates meanwhile.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.async_api import Page

# Whether the page has an open shadow root, which plain CSS does not look inside.
_SHADOWED = "Array.prototype.some.call(document.querySelectorAll('*'), (el) => el.shadowRoot)"

# -1: ask Playwright (not plain CSS; or nothing found while shadow roots may hide it).
_COUNT_JS = (
    """selector => {
  let found;
  try { found = document.querySelectorAll(selector).length; } catch (e) { return -1; }
  return found > 0 || !SHADOWED ? found : -1;
}"""
).replace("SHADOWED", _SHADOWED)

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
_WAIT_JS = """([selector, ms, settled_ms]) => new Promise((resolve) => {
  const present = () => {
    try { return !!document.querySelector(selector); } catch (e) { return null; }
  };
  const now = present();
  if (now === null) return resolve(null);
  if (now) return setTimeout(() => resolve(true), settled_ms);
  let timer = 0;
  const watcher = new MutationObserver(() => {
    if (present()) { watcher.disconnect(); clearTimeout(timer); resolve(true); }
  });
  watcher.observe(document, {childList: true, subtree: true, attributes: true});
  timer = setTimeout(() => { watcher.disconnect(); resolve(false); }, ms);
})"""

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
