"""Evidence kept when a page is not understood: a screenshot and the page's HTML,
cleaned by an allowlist, with cookies, tokens, CSRF values and form values removed.

Each capture gets a folder of its own that no other capture can take:
`debug/<account>/<UTC time, microseconds>-<setting>-<random>/` holding `page.html`,
`page.png` and `url.txt`."""

from __future__ import annotations

import html as html_text
import json
import os
import re
from datetime import UTC, datetime
from pathlib import Path
from secrets import token_hex
from typing import TYPE_CHECKING
from urllib.parse import quote, quote_plus, urlsplit, urlunsplit

import nh3

from optout.core.errors import EnvironmentProblem
from optout.core.private_files import ensure_private_dir, safe_name, write_private_file

if TYPE_CHECKING:
    from playwright.async_api import Page

REMOVED = "[removed by optout]"
# Given secrets shorter than this are words, not secrets: hiding them garbles the page.
MIN_SECRET_LENGTH = 4
# Cookies such as `liap=true` or `lang=...` hold words too; session tokens are long.
MIN_COOKIE_LENGTH = 8

# Runs in the page on a copy of the DOM: the live page is left as it was. A switch's
# live state exists only in the DOM (the `checked` attribute is the initial state),
# and that state is what the evidence is for.
_PAGE_HTML_JS = r"""
() => {
  const live = Array.from(document.querySelectorAll('input'));
  const copy = document.documentElement.cloneNode(true);
  Array.from(copy.querySelectorAll('input')).forEach((input, i) => {
    if (!live[i] || (input.type !== 'checkbox' && input.type !== 'radio')) return;
    input.setAttribute('data-optout-live-checked', String(live[i].checked));
    if (live[i].checked) input.setAttribute('checked', '');
    else input.removeAttribute('checked');
  });
  return copy.outerHTML;
}
"""


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# What the page is made of, and nothing that runs, loads or embeds something else.
_TAGS = _words(
    """title main header footer nav section article aside div span p br hr wbr
    h1 h2 h3 h4 h5 h6 strong em b i u s small mark abbr time blockquote q pre sup sub
    del ins figure figcaption details summary dialog a img ul ol li dl dt dd
    table caption thead tbody tfoot tr th td colgroup col
    form fieldset legend label input button select option optgroup output progress meter
    svg g path circle ellipse rect line polyline polygon defs symbol desc"""
)
# Emptied, not only unwrapped: their text is code, data islands (LinkedIn keeps JSON
# with tokens in <code>), other documents, or what the member typed.
_EMPTIED = _words(
    """script style noscript template iframe frame frameset object embed applet
    code textarea math canvas video audio xmp noembed noframes"""
)
_SVG_ATTRIBUTES = _words(
    """viewBox width height x y cx cy r rx ry x1 y1 x2 y2 points d fill stroke
    stroke-width fill-rule clip-rule transform opacity preserveAspectRatio"""
)
# `style` is left out on purpose: CSS can carry url(...) with tokens past the URL
# rule below, and the screenshot already shows how the page looked. `value` is left
# out everywhere: it is a form value.
_ATTRIBUTES: dict[str, frozenset[str]] = {
    "*": frozenset({"id", "class", "role", "title", "lang", "dir", "hidden", "tabindex"}),
    "a": frozenset({"href"}),
    "img": frozenset({"src", "alt", "width", "height"}),
    "form": frozenset({"action", "method", "name"}),
    "input": _words(
        """type name checked disabled readonly required placeholder autocomplete
        maxlength"""
    ),
    "button": frozenset({"type", "name", "disabled", "formaction"}),
    "select": frozenset({"name", "disabled", "multiple"}),
    "option": frozenset({"disabled", "label"}),
    "optgroup": frozenset({"disabled", "label"}),
    "fieldset": frozenset({"disabled", "name"}),
    "label": frozenset({"for"}),
    "output": frozenset({"for"}),
    "th": frozenset({"colspan", "rowspan", "scope"}),
    "td": frozenset({"colspan", "rowspan"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "time": frozenset({"datetime"}),
    "details": frozenset({"open"}),
    "dialog": frozenset({"open"}),
}
_ATTRIBUTES.update(
    dict.fromkeys(
        _words("svg g path circle ellipse rect line polyline polygon symbol"), _SVG_ATTRIBUTES
    )
)
# aria-* is how the selector pack finds switches; data-test-* is LinkedIn's own test
# hooks; data-optout-* is what the script above recorded.
_ATTRIBUTE_PREFIXES = frozenset({"aria-", "data-test-", "data-optout-"})
_URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "poster", "cite"})


def _url_kept(value: str) -> str | None:
    """Scheme, host and path: a query or fragment carries tokens and tracking ids, a
    user:password@ prefix a login. None for any scheme but http(s) (javascript:...)."""
    try:
        parts = urlsplit(value.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme and parts.scheme.lower() not in {"http", "https"}:
        return None
    host = parts.hostname or ""
    if parts.netloc and not host:
        return None
    if ":" in host:  # an IPv6 address keeps its brackets
        host = f"[{host}]"
    netloc = f"{host}:{port}" if port is not None else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def _attribute_kept(_tag: str, attribute: str, value: str) -> str | None:
    if attribute in _URL_ATTRIBUTES:
        return _url_kept(value)
    if "url(" in value.lower():  # an SVG paint server may point anywhere
        return None
    return value


_CLEANER = nh3.Cleaner(
    tags=_TAGS,
    clean_content_tags=_EMPTIED,
    attributes=_ATTRIBUTES,
    attribute_filter=_attribute_kept,
    strip_comments=True,
    link_rel=None,
    generic_attribute_prefixes=_ATTRIBUTE_PREFIXES,
    url_schemes={"http", "https"},
)

# Cookie and CSRF values, found by their names, in each form they take in a page:
# `name=value` (cookie header, query string, URL- or HTML-encoded) and JSON `"name":
# "value"`. The value may be quoted: plain, escaped in JSON, HTML or a URL.
_NAMES = (
    r"(?:li_at|jsessionid|li_rm|liap|li_a|li_mc|li_gc|lidc|bcookie|bscookie|sdsc"
    r"|challengeid|session_?id|[\w-]*(?:csrf|xsrf)[\w-]*|[\w-]*token|[\w-]*secret)"
)
# Each quote as it stands in cleaned HTML, longest first: the value between a pair is
# hidden whole (a cookie such as bcookie="v=2&..." holds separators).
_QUOTES = ('\\"', "&quot;", "&#34;", "&#x22;", "&#39;", "&#x27;", "%2522", "%22", "%27", '"', "'")
_QUOTED = "|".join(rf"{re.escape(q)}[^<>\n]*?{re.escape(q)}" for q in _QUOTES)
_BARE = r"(?:[^\s\"'<>;,\\&]|&(?!quot;|#34;|#x22;|#39;|#x27;|amp;))+"
_QUOTE = "|".join(re.escape(q) for q in _QUOTES)
_ASSIGNED = re.compile(rf"(\b{_NAMES}\s*(?:=|%3D|%253D)\s*)({_QUOTED}|{_BARE})", re.IGNORECASE)
_JSON_KEY = re.compile(
    rf"(\b{_NAMES}(?:{_QUOTE})\s*(?::|%3A|%253A)\s*)({_QUOTED}|{_BARE})", re.IGNORECASE
)
# LinkedIn's CSRF token (the JSESSIONID value) wherever it stands, without its name.
_CSRF_VALUE = re.compile(r"ajax(?::|%3A|%253A|&#58;|&#x3a;)\d+", re.IGNORECASE)


def _forms(secret: str) -> set[str]:
    """The secret as it may stand in cleaned HTML: plain, URL-encoded (once or twice),
    HTML-escaped (text and attribute), JSON-escaped, and those HTML-escaped."""
    encoded = quote(secret, safe="")
    forms = {secret, secret.strip('"'), encoded, quote_plus(secret), quote(encoded, safe="")}
    forms.add(json.dumps(secret)[1:-1])
    forms |= {html_text.escape(form, quote=q) for form in list(forms) for q in (True, False)}
    return {form for form in forms if len(form) >= MIN_SECRET_LENGTH}


def _hide_value(match: re.Match[str]) -> str:
    """The name and separator kept, the value hidden, its quotes kept so markup stays whole."""
    value = match.group(2)
    for mark in _QUOTES:
        if len(value) >= 2 * len(mark) and value.startswith(mark) and value.endswith(mark):
            return f"{match.group(1)}{mark}{REMOVED}{mark}"
    return match.group(1) + REMOVED


def scrub(text: str, secrets: list[str]) -> str:
    """`text` without the given secret values (in each of their forms) and without any
    cookie or CSRF value found by its name or shape."""
    forms = {form for s in secrets if len(s) >= MIN_SECRET_LENGTH for form in _forms(s)}
    if forms:
        # Longest first, so no secret is left half hidden by a shorter one inside it.
        known = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
        text = re.sub(known, REMOVED, text, flags=re.IGNORECASE)
    text = _ASSIGNED.sub(_hide_value, text)
    text = _JSON_KEY.sub(_hide_value, text)
    return _CSRF_VALUE.sub(REMOVED, text)


def clean_html(page_html: str, secrets: list[str]) -> str:
    """A page's HTML reduced to an allowlist of tags and attributes, as a document."""
    body = scrub(_CLEANER.clean(page_html), secrets)
    head = '<!doctype html>\n<html><head><meta charset="utf-8"></head><body>\n'
    return f"{head}{body}\n</body></html>\n"


def _setting_part(setting_id: str) -> str:
    # Setting ids are short words joined by hyphens; anything else must not make a path.
    return re.sub(r"[^a-z0-9-]", "_", setting_id.lower())[:64] or "_"


def new_capture_folder(debug_dir: Path, account: str, setting_id: str) -> Path:
    """A new folder (0700) under the account's, that no earlier capture has."""
    parent = ensure_private_dir(ensure_private_dir(debug_dir) / safe_name(account))
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    for _ in range(8):
        folder = parent / f"{stamp}-{_setting_part(setting_id)}-{token_hex(4)}"
        try:
            folder.mkdir(mode=0o700)  # no exist_ok: a folder taken is never written into
        except FileExistsError:
            continue
        except OSError as exc:
            raise EnvironmentProblem(f"Cannot create {folder}: {exc.strerror}.") from exc
        os.chmod(folder, 0o700)  # mkdir's mode is filtered by the umask
        return folder
    raise EnvironmentProblem(f"Cannot find a new folder name under {parent}.")


async def save_evidence(
    page: Page, debug_dir: Path, setting_id: str, secrets: list[str], *, account: str
) -> Path | None:
    """Write page.png, page.html and url.txt into a new folder for this account and
    capture under `debug_dir`; None if the page is gone."""
    from playwright.async_api import Error as PlaywrightError

    try:
        page_html = await page.evaluate(_PAGE_HTML_JS)
        screenshot = await page.screenshot(full_page=True)
        cookies = await page.context.cookies()
    except PlaywrightError:
        return None
    values = [c.get("value", "") for c in cookies]
    known = secrets + [v for v in values if len(v.strip('"')) >= MIN_COOKIE_LENGTH]
    folder = new_capture_folder(debug_dir, account, setting_id)
    write_private_file(folder / "page.html", clean_html(str(page_html), known).encode())
    write_private_file(folder / "page.png", screenshot)
    address = _url_kept(page.url) or ""
    write_private_file(folder / "url.txt", (scrub(address, known) + "\n").encode())
    return folder
