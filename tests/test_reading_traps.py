"""Pages built to trap the reader, each a way the real site may differ from the pack's
guesses, served by a small server of their own. Whatever the page does, optout never
says `off` (or `unavailable`) while the setting is on: it reads `on`, or says it cannot
know, or that LinkedIn failed.

- another card's answer, with one toggle that is off, comes in before the setting's own
  (asked at once, or after the other card was shown);
- the setting's own request fails, and the page leaves the switch it drew before;
- the pack's address is gone, and the page found on the index asks for its value late;
- a click's save fails, and the reloaded page shows a "not available" notice;
- the member lacks the setting: its row says so, beside another setting's switch; or,
  on a page the pack says holds two settings, nothing says so;
- the setting's own request fails, and the page then draws its switch away;
- the page answers, draws no switch any more, and keeps a long poll open;
- the page's one switch is named by nothing the pack knows, nor is its answer's entry;
- the older page, which the pack takes for one the server draws whole, shows a placeholder.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from optout.core.errors import LayoutChanged, OptoutError, SiteUnavailable
from optout.core.results import State
from optout.core.selector_pack import load_pack
from optout.linkedin.settings_pages.settings_page import SettingPage

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]

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
# script may then set it otherwise (a placeholder the server drew).
_SERVED = (
    '<!doctype html><html><body><main><p id="{key}">{label}</p><input type="checkbox" '
    'role="switch" aria-labelledby="{key}" {checked}></main><script>{script}</script></body></html>'
)
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
    legacy: str = ""  # the pack's address redirects to LEGACY_PATH: "script", "served"
    saved: bool = field(default=False, init=False)
    writes: int = field(default=0, init=False)


class _Handler(BaseHTTPRequestHandler):
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
            page = _SERVED.format(
                key=SPEC.aria_keys[0], label=SPEC.label_texts()[0], checked=checked,
                script=then if trap.served_then else "",
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


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@asynccontextmanager
async def _opened(
    browser: Any, base_url: str, trap: Trap, timeout_s: float = 15
) -> AsyncIterator[SettingPage]:
    """The setting's page as `trap` serves it, opened in a context of its own."""
    _Handler.trap = trap
    context = await browser.new_context()
    try:
        page = SettingPage(await context.new_page(), base_url, PACK, SPEC, timeout_s=timeout_s)
        await page.open()
        yield page
    finally:
        await context.close()


async def _read(browser: Any, base_url: str, trap: Trap, *, switch_off: bool = False) -> State:
    """What optout says of the setting (always on at the server); a failure of
    LinkedIn's counts as an honest `unknown`."""
    try:
        async with _opened(browser, base_url, trap) as page:
            reading = await (page.switch_off() if switch_off else page.read_confirmed())
    except SiteUnavailable:
        return State.UNKNOWN
    return reading.state


TRAPS = {
    "other card first, at once": Trap(others=[OTHER_CARD], own_delay_s=1.5),
    "other card shown, then its own": Trap(others=[OTHER_CARD], sequential=300),
    "own request fails": Trap(own_status=500),
    "moved page asks late": Trap(moved=True, ask_after_ms=600),
    # The pack takes the older page for one the server draws whole: a guess.
    "older page drawn by script": Trap(legacy="script"),
    "older page served a placeholder": Trap(legacy="served"),
}


@pytest.mark.parametrize("name", TRAPS)
async def test_never_off_while_on(browser: Any, server: str, name: str) -> None:
    said = await _read(browser, server, TRAPS[name])
    assert said in (State.ON, State.UNKNOWN), f"{name}: said {said}"


async def test_a_click_never_makes_a_setting_unavailable(browser: Any, server: str) -> None:
    said = await _read(browser, server, Trap(saves_fail=True), switch_off=True)
    assert said is State.UNKNOWN


# Another setting's label id the pack knows, and one it does not.
KNOWN_OTHER_KEY = PACK.setting("ai-creation-tools").aria_keys[0]


@pytest.mark.parametrize(
    ("label_id", "expected"),
    [(KNOWN_OTHER_KEY, State.UNAVAILABLE), ("ember42", State.UNKNOWN)],
    ids=["other setting's key", "generated id"],
)
async def test_another_settings_switch_is_never_read_as_this_one(
    browser: Any, server: str, label_id: str, expected: State
) -> None:
    """The only switch, beside this setting's "not available" row: another setting's by
    its key, so the member lacks this one; by nothing it could be either's."""
    for switch_off, hidden_notice in ((False, False), (True, False), (False, True)):
        trap = Trap(lacking_label_id=label_id, hidden_notice=hidden_notice)
        said = await _read(browser, server, trap, switch_off=switch_off)
        assert said is expected
        assert trap.writes == 0


async def test_a_switch_drawn_away_after_a_failed_request_is_linkedin_failing(
    browser: Any, server: str
) -> None:
    trap = Trap(own_status=500, error_page=True, own_delay_s=0.5)
    try:
        async with _opened(browser, server, trap) as page:
            with pytest.raises(SiteUnavailable):
                await page.read_confirmed()
    except OptoutError as exc:
        pytest.fail(f"not LinkedIn failing: {exc.message}")


async def test_the_only_switch_of_a_page_of_two_settings_is_not_taken(
    browser: Any, server: str
) -> None:
    """A member without this setting, sent to a page the pack says holds it and another:
    the page says nothing of it, and its one switch, named in words the pack does not
    know, is the other setting's. optout cannot know; it never reads or clicks it."""
    for switch_off in (False, True):
        trap = Trap(lacking_label_id="ember42", silent=True)
        try:
            said: State | None = await _read(browser, server, trap, switch_off=switch_off)
        except OptoutError:
            said = None
        assert said in (None, State.UNKNOWN)
        assert trap.writes == 0


@pytest.mark.parametrize("note", ["", "This setting isn't available to members under 18."])
async def test_a_missing_switch_beside_a_long_poll_is_a_changed_page(
    browser: Any, server: str, note: str
) -> None:
    """The settings request answered: the data came. A long poll still open beside it is
    no reason to call a page without its switch LinkedIn's failure (exit 5): it is a
    page optout no longer understands (exit 4), told at once by a scheduled run. A note
    in the pack's words for "not available" there proves no lack: the control drawn in
    the switch's place, which optout does not read, may be the setting's."""
    async with _opened(browser, server, Trap(changed=True, note=note), timeout_s=10) as page:
        with pytest.raises(LayoutChanged):
            await page.read_confirmed()


async def test_a_switch_named_by_nothing_known_counts_only_where_the_index_agrees(
    browser: Any, server: str
) -> None:
    """The page's only switch, and its answer's only entry, are named in words and keys
    no pack knows: the switch may be another setting's, beside a notice in words no pack
    knows either. Its reading counts only where the Data privacy index shows the same
    value; else `unknown`, and nothing is clicked."""
    assert await _read(browser, server, Trap(unnamed=True, index_value="On")) is State.ON
    for switch_off in (False, True):
        trap = Trap(unnamed=True)
        said = await _read(browser, server, trap, switch_off=switch_off)
        assert said is State.UNKNOWN
        assert trap.writes == 0


@pytest.mark.parametrize(
    ("served", "then", "said"),
    [("checked", "", State.ON), ("unchecked", "", State.OFF), ("unchecked", "true", State.UNKNOWN)],
)
async def test_a_switch_the_server_drew_stands_where_the_page_asks_for_nothing(
    browser: Any, server: str, served: str, then: str, said: State
) -> None:
    """A page that asks for no card, its switch drawn by the server as it shows: no
    placeholder, though the index says nothing optout can read. A switch the page's
    script set otherwise than served may be a placeholder: `unknown`."""
    assert await _read(browser, server, Trap(served=served, served_then=then)) is said
