"""A small server of pages built to trap the reader (test_reading_traps.py): each a way
the real site may differ from the pack's guesses, set by a `Trap`."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from optout.core.errors import SiteUnavailable
from optout.core.results import State
from optout.core.selector_pack import load_pack
from optout.linkedin.settings_pages.settings_page import SettingPage

PACK = load_pack()
SPEC = PACK.setting("generative-ai-improvement")
API_PATH = SPEC.api.path if SPEC.api else "/no-api/"
INDEX_PATH = SPEC.index.path if SPEC.index else "/no-index/"
PAGE_PATH = SPEC.variants[0].path
MOVED_PATH = "/mypreferences/d/settings/generative-ai-data"
CARD = "dataForAiImprovement"
KEY = "dataForGenAiImprovement"  # a key the pack does not know
OTHER_CARD = "aiFeatureHighlights"

# The page: its switch drawn at once, unchecked (a placeholder); other cards asked for
# first (at once, or one after another and then a pause); then its own card, whose
# answer sets the switch. A failed answer leaves the placeholder as it is.
_PAGE = """<!doctype html><html><body><main id="m"></main><script>
const S = %s;
const m = document.getElementById('m');
m.innerHTML = '<p id="' + S.labelId + '">' + S.label + '</p>'
  + '<input type="checkbox" role="switch" aria-labelledby="' + S.labelId + '">';
const input = m.querySelector('input');
input.addEventListener('change', () => fetch(S.api + S.card, {method: 'PUT'}));
const wait = (ms) => new Promise((done) => setTimeout(done, ms));
async function load() {
  if (S.sequential) {
    for (const card of S.others) await (await fetch(S.api + card)).json();
    await wait(S.sequential);
  } else {
    for (const card of S.others) fetch(S.api + card).then((r) => r.json());
  }
  await wait(S.askAfterMs);
  const response = await fetch(S.api + S.card);
  if (!response.ok && S.errorPage) m.innerHTML = '<h1>Something went wrong</h1>';
  if (!response.ok) return;
  const entry = (await response.json()).settings[0];
  input.checked = entry.settingDisplayValues.find((v) => v.selected).value === 'ON';
}
load();
</script></body></html>"""
# A member who lacks the setting: its row says so, beside another setting's switch, set
# from the card's answer.
_LACKING = """<!doctype html><html><body><main id="m">%s
<p id="%s">Let members see highlights of AI features</p>
<input type="checkbox" role="switch" aria-labelledby="%s"></main><script>
fetch(%s).then((r) => r.json()).then((card) => {
  const entry = card.settings[0];
  document.querySelector('input').checked =
    entry.settingDisplayValues.find((v) => v.selected).value === 'ON';
});
</script></body></html>"""
# A page LinkedIn changed: its settings request answers, but it draws a button where the
# switch was (after a note, if any), beside a long poll that stays open.
_CHANGED = """<!doctype html><html><body><main id="m"></main><script>
fetch('/realtime/connect');
fetch(%s).then((r) => r.json()).then(() => {
  document.getElementById('m').innerHTML = %s + '<button aria-pressed="true">On</button>';
});
</script></body></html>"""
LONG_POLL_S = 12.0  # longer than the reading looks for a switch (half of timeout_s)
_OWN_ROW = '<p id="own">Use my data for training content creation AI models</p><p>%s</p>'
# A page the pack says holds this setting and another: where the trap sends the member.
SHARED_PATH = next(
    v.path for v in SPEC.variants if PACK.setting("ai-creation-tools").variant_at(v.path)
)
_INDEX = (
    '<!doctype html><html><body><main><a href="{path}"><span>{label}</span><span>{value}</span>'
    "</a></main></body></html>"
)
# Words and an id no pack knows, for a switch the page names in its own way.
UNNAMED_LABEL = ("Let LinkedIn learn from what I write", "ember7")
# The switch in the HTML as served (checked or not), by its key; no card asked for; its
# script may then set it otherwise (a placeholder the server drew), at once or from a
# script loaded late (LATE_SCRIPT, which the server sends `script_after_s` late).
_SERVED = (
    '<!doctype html><html><body><main><p id="{key}">{label}</p><input type="checkbox" '
    'role="switch" aria-labelledby="{key}" {checked}></main><script>{script}</script>{late}'
    "</body></html>"
)
LATE_SCRIPT = "/static/late.js"
_NOTICE = "<!doctype html><html><body><main><p>{text}. Try again later.</p></main></body></html>"
# The older page's address, its switch an unchecked placeholder (drawn by script, or in
# the HTML as served: `legacy`), set from nothing the pack knows 1.5 s later.
LEGACY_PATH = next(v.path for v in SPEC.variants if not v.settings_request)
_LEGACY = (
    '<!doctype html><html><body><main id="m">{served}</main><script>{drawn}'
    "setTimeout(() => {{ m.querySelector('input').checked = true; }}, 1500);</script>"
)
_OLD_SWITCH = '<p id="{k}">{label}</p><input type="checkbox" role="switch" aria-labelledby="{k}">'


def _toggle(key: str, on: bool) -> dict[str, Any]:
    values = [{"value": "ON", "selected": on}, {"value": "OFF", "selected": not on}]
    return {"key": key, "settingDisplayType": "TOGGLE", "settingDisplayValues": values}


@dataclass
class Trap:
    others: list[str] = field(default_factory=list)
    sequential: int = 0  # ms after the other cards, asked one after another; 0: all at once
    ask_after_ms: int = 0
    own_status: int = 200
    own_delay_s: float = 0.0
    moved: bool = False  # the pack's address answers 404; the index links to MOVED_PATH
    saves_fail: bool = False  # a PUT fails, and the page then shows a notice
    error_page: bool = False  # a failed answer replaces the switch with an error
    lacking_label_id: str = ""  # the member lacks the setting; the other switch's label id
    silent: bool = False  # ... and is sent to SHARED_PATH, which says nothing of it
    changed: bool = False  # the page draws no switch any more (_CHANGED)
    note: str = ""  # ... and this note before the button in its place
    hidden_notice: bool = False  # a hidden copy of the notice comes first (a template)
    unnamed: bool = False  # the switch is labelled by UNNAMED_LABEL
    index_value: str = ""  # the value the index shows beside the setting
    served: str = ""  # the page as served holds the switch "checked" or "unchecked" (_SERVED)
    served_then: str = ""  # ... and its script then sets it so
    script_after_s: float = 0.0  # ... from a script loaded async, this long late
    legacy: str = ""  # the pack's address redirects to LEGACY_PATH: "script", "served"
    saved: bool = field(default=False, init=False)
    writes: int = field(default=0, init=False)


class TrapHandler(BaseHTTPRequestHandler):
    trap = Trap()

    def log_message(self, *_: Any) -> None:
        return None

    def _send(self, status: int, body: str, kind: str = "text/html") -> None:
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(data)  # a page read and closed may not wait for a late answer

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        if path.startswith(API_PATH) or path == "/realtime/connect":
            self._answer(path)
        elif path == LATE_SCRIPT:
            time.sleep(self.trap.script_after_s)
            then = f"document.querySelector('input').checked = {self.trap.served_then};"
            self._send(200, then, "text/javascript")
        else:
            self._page(path)

    def _page(self, path: str) -> None:
        trap = self.trap
        page_path = MOVED_PATH if trap.moved else PAGE_PATH
        if path == page_path and trap.saved:
            self._send(200, _NOTICE.format(text=SPEC.unavailable_texts()[0]))
        elif path == page_path and trap.served:
            checked = "checked" if trap.served == "checked" else ""
            then = f"document.querySelector('input').checked = {trap.served_then};"
            late = trap.served_then and trap.script_after_s > 0
            page = _SERVED.format(
                key=SPEC.aria_keys[0], label=SPEC.label_texts()[0], checked=checked,
                script=then if trap.served_then and not late else "",
                late=f'<script async src="{LATE_SCRIPT}"></script>' if late else "",
            )  # fmt: skip
            self._send(200, page)
        elif path in (page_path, LEGACY_PATH) and trap.legacy:
            self._legacy(path)
        elif path == page_path and trap.changed:
            note = f"<p>{trap.note}</p>" if trap.note else ""
            self._send(200, _CHANGED % (json.dumps(API_PATH + CARD), json.dumps(note)))
        elif path == page_path and trap.silent:
            self._redirect(SHARED_PATH)
        elif path in (page_path, SHARED_PATH) and trap.lacking_label_id:
            own = "" if trap.silent else _OWN_ROW % SPEC.unavailable_texts()[0]
            if trap.hidden_notice:
                own = f"<template><p>{SPEC.unavailable_texts()[0]}</p></template>{own}"
                own = f"<p hidden>{SPEC.unavailable_texts()[0]}</p>{own}"
            label_id, card = trap.lacking_label_id, json.dumps(API_PATH + CARD)
            self._send(200, _LACKING % (own, label_id, label_id, card))
        elif path == page_path:
            script = {"api": API_PATH, "card": CARD, "others": trap.others,
                      "sequential": trap.sequential, "askAfterMs": trap.ask_after_ms,
                      "errorPage": trap.error_page}  # fmt: skip
            label, label_id = UNNAMED_LABEL if trap.unnamed else (SPEC.label_texts()[0], "label")
            script.update(label=label, labelId=label_id)
            self._send(200, _PAGE % json.dumps(script))
        elif path == INDEX_PATH:
            value = trap.index_value
            self._send(200, _INDEX.format(path=page_path, label=SPEC.label, value=value))
        else:
            self._send(404, "not here")

    def _legacy(self, path: str) -> None:
        if path != LEGACY_PATH:
            return self._redirect(LEGACY_PATH)
        switch = _OLD_SWITCH.format(k=SPEC.aria_keys[0], label=SPEC.label_texts()[0])
        served = self.trap.legacy == "served"
        drawn = "" if served else f"m.innerHTML = {json.dumps(switch)};"
        return self._send(200, _LEGACY.format(served=switch if served else "", drawn=drawn))

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _answer(self, path: str) -> None:
        """The settings requests, and the long poll (each handler has a thread of its own)."""
        trap = self.trap
        if path == "/realtime/connect":
            time.sleep(LONG_POLL_S)
            self._send(200, "{}", "application/json")
        elif path == API_PATH + OTHER_CARD:
            self._send(200, json.dumps({"settings": [_toggle("showAiHighlights", False)]}), "json")
        elif path == API_PATH + CARD and trap.lacking_label_id:
            other = _toggle(trap.lacking_label_id, True)  # the other setting, on
            self._send(200, json.dumps({"settings": [other]}), "application/json")
        elif path == API_PATH + CARD:
            time.sleep(trap.own_delay_s)  # a slow answer
            body = {"settings": [_toggle(KEY, True)]} if trap.own_status == 200 else {}
            self._send(trap.own_status, json.dumps(body), "application/json")
        else:
            self._send(404, "not here")

    def do_PUT(self) -> None:
        self.trap.writes += 1
        self.trap.saved = self.trap.saves_fail
        self._send(500 if self.trap.saves_fail else 200, "{}", "application/json")


@asynccontextmanager
async def opened(
    browser: Any, base_url: str, trap: Trap, timeout_s: float = 15
) -> AsyncIterator[SettingPage]:
    """The setting's page as `trap` serves it, opened in a context of its own."""
    TrapHandler.trap = trap
    context = await browser.new_context()
    try:
        page = SettingPage(await context.new_page(), base_url, PACK, SPEC, timeout_s=timeout_s)
        await page.open()
        yield page
    finally:
        await context.close()


async def read(browser: Any, base_url: str, trap: Trap, *, switch_off: bool = False) -> State:
    """What optout says of the setting (always on at the server); a failure of
    LinkedIn's counts as an honest `unknown`."""
    try:
        async with opened(browser, base_url, trap) as page:
            reading = await (page.switch_off() if switch_off else page.read_confirmed())
    except SiteUnavailable:
        return State.UNKNOWN
    return reading.state


@contextmanager
def serving() -> Iterator[str]:
    """The trap server's address, for as long as it serves."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), TrapHandler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
