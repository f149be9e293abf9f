"""Evidence kept when a page is not understood: a screenshot and the page's HTML,
with cookies, tokens, CSRF values and form values removed."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from optout.fsutil import ensure_private_dir, write_private_file

if TYPE_CHECKING:
    from playwright.sync_api import Page

REMOVED = "[removed by optout]"

# Runs in the page on a copy of the DOM: the live page is left as it was.
_SANITIZED_HTML_JS = r"""
(removed) => {
  const live = Array.from(document.querySelectorAll('input'));
  const copy = document.documentElement.cloneNode(true);
  const copies = Array.from(copy.querySelectorAll('input'));
  copies.forEach((input, i) => {
    // A switch's state is what the evidence is for; its value attribute is not needed.
    if (live[i] && (input.type === 'checkbox' || input.type === 'radio')) {
      input.setAttribute('data-optout-live-checked', String(live[i].checked));
    }
    if (input.hasAttribute('value')) input.setAttribute('value', removed);
  });
  copy.querySelectorAll('textarea').forEach((t) => { t.textContent = removed; });
  copy.querySelectorAll('option[selected]').forEach((o) => o.removeAttribute('selected'));
  // Inline scripts and LinkedIn's <code> data islands carry tokens and personal data.
  copy.querySelectorAll('script, code, noscript, template').forEach((node) => {
    node.textContent = removed;
  });
  const secretish = /csrf|token|session|auth|secret|password|nonce|jsession/i;
  copy.querySelectorAll('*').forEach((node) => {
    for (const attr of Array.from(node.attributes)) {
      if (secretish.test(attr.name)) node.setAttribute(attr.name, removed);
    }
    if (node.tagName === 'META' && secretish.test(node.getAttribute('name') || '')) {
      node.setAttribute('content', removed);
    }
  });
  return '<!doctype html>\n' + copy.outerHTML;
}
"""


def scrub(text: str, secrets: list[str]) -> str:
    """Replace every known secret value (cookie values, passwords) wherever it appears."""
    for secret in sorted({s for s in secrets if len(s) >= 4}, key=len, reverse=True):
        text = text.replace(secret, REMOVED)
    return text


def save_evidence(page: Page, debug_dir: Path, setting_id: str, secrets: list[str]) -> Path | None:
    """Write page.png and page.html under a new folder of `debug_dir`; None if the page is gone."""
    from playwright.sync_api import Error as PlaywrightError

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    folder = ensure_private_dir(debug_dir) / f"{stamp}-{setting_id}"
    try:
        html = page.evaluate(_SANITIZED_HTML_JS, REMOVED)
        screenshot = page.screenshot(full_page=True)
    except PlaywrightError:
        return None
    ensure_private_dir(folder)
    cookie_values = [c.get("value", "") for c in page.context.cookies()]
    write_private_file(folder / "page.html", scrub(str(html), secrets + cookie_values).encode())
    write_private_file(folder / "page.png", screenshot)
    # Without the query: it can carry tracking ids and redirect tokens.
    address = urlsplit(page.url)._replace(query="", fragment="").geturl()
    write_private_file(folder / "url.txt", (scrub(address, secrets) + "\n").encode())
    return folder
