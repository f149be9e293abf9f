"""Evidence of a page not understood: HTML kept by an allowlist with every cookie,
CSRF value and given secret removed in each form it takes, and one new folder per
account and capture, looked at on strings and on a real Chromium page."""

from __future__ import annotations

import html
import json
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, quote_plus

import pytest
import pytest_asyncio

from optout.core.private_files import safe_name
from optout.evidence import page_capture as evidence
from optout.evidence.page_capture import REMOVED, clean_html, new_capture_folder, save_evidence

if TYPE_CHECKING:
    from playwright.async_api import Page

PASSWORD = 'pa ss"w&rd<>/+%'
LI_AT = "AQEDATokenValue1234567890abcdef"
CSRF = "ajax:1234567890123456789"
SETTINGS_LINK = (
    "https://user:userinfo-marker@www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement"
    f"?trk=query-marker&amp;csrfToken={CSRF}#fragment-marker"
)

# Every way a page was seen to hide something that runs, loads, or leaks.
HOSTILE = f"""<!DOCTYPE html><html lang="en"><head>
<title>Settings | LinkedIn</title>
<meta name="csrf-token" content="{CSRF}"><meta http-equiv="refresh" content="0;url=https://evil.test/">
<script>window.token = "script-body-marker";</script>
<style>body {{ background: url(https://evil.test/bg.png?t=style-marker) }}</style>
<link rel="stylesheet" href="https://evil.test/a.css?link-marker">
<base href="https://evil.test/">
</head><body onload="steal('onload-marker')">
<!-- comment-marker -->
<h1 class="t-24" id="title">Data for Generative AI Improvement</h1>
<label for="toggle">Use my data for training content creation AI models</label>
<input id="toggle" type="checkbox" role="switch" aria-checked="true" checked
  value="value-marker" onchange="x('onchange-marker')" style="position:fixed">
<div role="switch" aria-checked="false" aria-labelledby="title" data-test-switch="ai"
  data-tracking="tracking-marker" onclick="steal('onclick-marker')">Redesigned switch</div>
<img src="https://media.licdn.com/dms/image/photo.jpg?e=1&amp;t=img-query-marker#img-frag"
  onerror="alert('onerror-marker')" alt="Profile photo" srcset="https://evil.test/srcset-marker 2x">
<a href="javascript:alert('js-marker')">Click me</a>
<a href=" JaVaScRiPt:alert('js2-marker')">Click me too</a>
<a href="{SETTINGS_LINK}">Settings link</a>
<a href="/help/answer?token=relative-query-marker">Help</a>
<a href="data:text/html,data-url-marker">Data link</a>
<iframe src="https://evil.test/frame?iframe-marker"
  srcdoc="<p>srcdoc-marker</p>">iframe-text-marker</iframe>
<object data="https://evil.test/obj-marker">object-marker</object>
<embed src="https://evil.test/embed-marker">
<svg viewBox="0 0 24 24" width="24" onload="alert('svg-onload-marker')">
  <script>alert('svg-script-marker')</script>
  <path d="M0 0h24v24H0z" fill="url(https://evil.test/fill-marker)"/>
  <foreignObject><div>foreign-marker</div></foreignObject>
  <a href="javascript:alert('svg-js-marker')"><rect width="4" height="4"/></a>
</svg>
<form action="/checkpoint/challenge/verify?challengeId=form-query-marker" method="post">
  <input type="hidden" name="csrfToken" value="{CSRF}">
  <input type="password" name="session_password" value="{html.escape(PASSWORD)}">
  <textarea name="note">typed-marker</textarea>
  <button type="submit" formaction="javascript:alert('formaction-marker')">Send code</button>
</form>
<code style="display: none" id="bpr-guid-1">{{"data":{{"csrf":"code-island-marker"}}}}</code>
<template><p>template-marker</p></template><noscript><p>noscript-marker</p></noscript>
<table><tr><th scope="col">Setting</th><td colspan="2">On</td></tr></table>
<ul><li>First item</li><li>Second item</li></ul>
</body></html>"""

VISIBLE = (
    "Data for Generative AI Improvement",
    "Use my data for training content creation AI models",
    "Redesigned switch",
    "Click me",
    "Settings link",
    "Send code",
    "Setting",
    "First item",
    "Second item",
    "Settings | LinkedIn",
)

# Each cookie and CSRF value in each form it takes on a page: the text to embed in
# the page source, and the value that must be gone from the evidence.
COOKIE_FORMS = {
    "li_at bare": (f"li_at={LI_AT}; lang=v=2", LI_AT),
    "li_at in a query": (f"/feed?li_at={LI_AT}&amp;x=1", LI_AT),
    "JSESSIONID quoted": (f'JSESSIONID="{CSRF}"', CSRF),
    "JSESSIONID bare": ("JSESSIONID=ajax:5550001112223334445", "5550001112223334445"),
    "JSESSIONID url-encoded": ("JSESSIONID%3D%22ajax%3A5550001112223334446%22", "555000111222333"),
    "csrf url-encoded": ("csrfToken=ajax%3A5550001112223334447", "5550001112223334447"),
    "csrf double-encoded": ("csrfToken%3Dajax%253A5550001112223334448", "5550001112223334448"),
    "csrf html-escaped": ("JSESSIONID=&quot;ajax:5550001112223334449&quot;", "5550001112223334449"),
    "csrf as entities": ("x=&#34;ajax&#58;5550001112223334450&#34;", "5550001112223334450"),
    "csrf in JSON": ('{"csrfToken": "opaque-csrf-json-value"}', "opaque-csrf-json-value"),
    "csrf in escaped JSON": (
        "{&quot;csrf-token&quot;:&quot;opaque-csrf-escaped&quot;}",
        "opaque-csrf-escaped",
    ),
    "csrf in JS string": (r'"{\"csrfToken\":\"opaque-csrf-js\"}"', "opaque-csrf-js"),
    "bcookie with separators": (
        "bcookie=&quot;v=2&amp;opaque-bcookie-uuid&quot;",
        "opaque-bcookie",
    ),
    "token attribute": ('<span data-test-token="opaque-attr-token">x</span>', "opaque-attr-token"),
}


def _page_with(fragment: str) -> str:
    return f"<html><body><p>Before</p><p>{fragment}</p><p>After</p></body></html>"


def test_hostile_html_comes_out_without_anything_that_runs_loads_or_leaks() -> None:
    cleaned = clean_html(HOSTILE, [PASSWORD])
    markers = sorted(set(re.findall(r"[\w-]+-marker", HOSTILE)))
    assert len(markers) > 30
    for marker in markers:
        assert marker not in cleaned, marker
    body = cleaned.split("<body>", 1)[1].lower()  # after the head optout writes itself
    banned = """<script <style <iframe <object <embed <meta <link <base <textarea <code
        <template <noscript <foreignobject <!-- javascript data: style= srcset value= ? #"""
    for text in banned.split():
        assert text not in body, text
    assert not re.search(r"\son\w+=", body)  # no event handler
    assert CSRF not in cleaned
    assert "1234567890123456789" not in cleaned


def test_what_the_page_showed_is_kept() -> None:
    cleaned = clean_html(HOSTILE, [PASSWORD])
    for text in VISIBLE:
        assert html.escape(text, quote=False) in cleaned, text
    # Structure and the attributes the selector pack reads survive.
    assert '<input id="toggle" type="checkbox" role="switch" aria-checked="true" checked' in cleaned
    assert 'aria-labelledby="title" data-test-switch="ai"' in cleaned
    assert '<label for="toggle">' in cleaned
    assert 'name="csrfToken"' in cleaned  # the field's name stays, its value goes
    assert 'class="t-24"' in cleaned
    assert '<th scope="col">Setting</th><td colspan="2">On</td>' in cleaned
    assert '<svg viewBox="0 0 24 24" width="24">' in cleaned
    assert '<path d="M0 0h24v24H0z">' in cleaned
    # Every URL keeps scheme, host and path only.
    assert 'href="https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement"' in (
        cleaned
    )
    assert 'src="https://media.licdn.com/dms/image/photo.jpg"' in cleaned
    assert 'href="/help/answer"' in cleaned
    assert 'action="/checkpoint/challenge/verify"' in cleaned
    assert cleaned.startswith("<!doctype html>")


@pytest.mark.parametrize("form", list(COOKIE_FORMS), ids=list(COOKIE_FORMS))
def test_cookie_and_csrf_values_are_removed_in_every_form(form: str) -> None:
    fragment, value = COOKIE_FORMS[form]
    cleaned = clean_html(_page_with(fragment), [])
    assert value not in cleaned
    assert REMOVED in cleaned
    assert "Before" in cleaned
    assert "After" in cleaned


def _secret_forms(secret: str) -> list[str]:
    encoded = quote(secret, safe="")
    forms = [secret, encoded, quote_plus(secret), quote(encoded, safe=""), json.dumps(secret)[1:-1]]
    return forms + [html.escape(form, quote=q) for form in forms for q in (True, False)]


def test_given_secrets_are_removed_in_every_encoding() -> None:
    totp = "JBSWY3DPEHPK3PXP"
    forms = _secret_forms(PASSWORD) + _secret_forms(totp)
    source = "".join(
        f'<p title="{html.escape(form)}" data-test-x="{html.escape(form)}">'
        f"{html.escape(form, quote=False)}</p>"
        for form in forms
    )
    source += f'<a href="/x/{quote(PASSWORD, safe="")}/y">path</a>'
    cleaned = clean_html(f"<html><body><h1>Kept</h1>{source}</body></html>", [PASSWORD, totp])
    for form in forms:
        if len(form) >= evidence.MIN_SECRET_LENGTH:
            assert form not in cleaned, form
    assert "Kept" in cleaned
    assert 'href="/x/[removed by optout]/y"' in cleaned


def test_short_given_values_are_words_not_secrets() -> None:
    cleaned = clean_html("<p>Switch is on</p>", ["on", ""])
    assert "<p>Switch is on</p>" in cleaned


class _FrozenClock(datetime):
    @classmethod
    def now(cls, tz: object = None) -> _FrozenClock:
        return cls(2026, 11, 22, 9, 0, 0, 123456, tzinfo=UTC)


def test_two_accounts_in_the_same_instant_get_two_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(evidence, "datetime", _FrozenClock)
    debug = tmp_path / "state" / "debug"
    first = new_capture_folder(debug, "A@example.com", "generative-ai-improvement")
    second = new_capture_folder(debug, "b@example.com", "generative-ai-improvement")
    assert first != second
    assert first.parent == debug / safe_name("A@example.com")
    assert second.parent == debug / safe_name("b@example.com")
    assert first.name.startswith("20261122T090000.123456Z-generative-ai-improvement-")
    for folder in (debug, first.parent, first, second):
        assert oct(folder.stat().st_mode & 0o777) == "0o700"


def test_a_taken_folder_name_is_never_written_into(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(evidence, "datetime", _FrozenClock)
    names = iter(["same", "same", "other"])
    monkeypatch.setattr(evidence, "token_hex", lambda _: next(names))
    first = new_capture_folder(tmp_path, "a@example.com", "s")
    (first / "page.html").write_text("first capture")
    second = new_capture_folder(tmp_path, "a@example.com", "s")
    assert second.name.endswith("-s-other")
    assert (first / "page.html").read_text() == "first capture"
    assert list(second.iterdir()) == []


@pytest.mark.parametrize("name", ["..", ".", "../../etc", "a/b@example.com", ""])
def test_account_and_setting_names_cannot_leave_the_debug_folder(tmp_path: Path, name: str) -> None:
    folder = new_capture_folder(tmp_path / "debug", name, name)
    assert folder.parent.parent == tmp_path / "debug"
    assert folder.parent.name not in {"", ".", ".."}


@pytest_asyncio.fixture
async def page() -> AsyncIterator[Page]:
    from optout.linkedin.chromium.browser import launched

    async with launched(None) as session:
        context = await session.new_context()
        # Nothing the hostile page points at may load: the test needs no network.
        await context.route("**/*", lambda route: route.abort())
        yield await context.new_page()
        await context.close()


@pytest.mark.e2e
@pytest.mark.asyncio
async def test_a_real_page_through_save_evidence(page: Page, tmp_path: Path) -> None:
    await page.context.add_cookies(
        [
            {"name": "li_at", "value": LI_AT, "url": "https://www.linkedin.com/"},
            {"name": "JSESSIONID", "value": f'"{CSRF}"', "url": "https://www.linkedin.com/"},
        ]
    )
    # Cookie values where the page's own scripts would put them: in text and attributes.
    leaked = f'<p data-x="{LI_AT}">{LI_AT} {quote(CSRF, safe="")}</p></body>'
    # A refresh would take the page away before it is captured.
    hostile = re.sub(r'<meta http-equiv="refresh"[^>]*>', "", HOSTILE)
    await page.set_content(hostile.replace("</body>", leaked))
    await page.uncheck("#toggle")  # the live state differs from the markup's
    debug = tmp_path / "state" / "debug"
    folders = [
        await save_evidence(page, debug, "generative-ai-improvement", [PASSWORD], account=account)
        for account in ("a@example.com", "b@example.com", "a@example.com")
    ]
    assert all(folder is not None for folder in folders)
    assert len(set(folders)) == 3
    assert {f.parent.name for f in folders if f} == {
        safe_name("a@example.com"),
        safe_name("b@example.com"),
    }
    folder = folders[0]
    assert folder is not None
    assert sorted(p.name for p in folder.iterdir()) == ["page.html", "page.png", "url.txt"]
    for path in folder.iterdir():
        assert oct(path.stat().st_mode & 0o777) == "0o600"
        data = path.read_bytes()
        for secret in (LI_AT, CSRF, quote(CSRF, safe=""), PASSWORD, html.escape(PASSWORD)):
            assert secret.encode() not in data, (path.name, secret)
    saved = (folder / "page.html").read_text()
    for marker in set(re.findall(r"[\w-]+-marker", HOSTILE)):
        assert marker not in saved, marker
    for text in VISIBLE:
        assert html.escape(text, quote=False) in saved, text
    # What the switch showed when captured, not what the markup first said.
    assert re.search(r'<input id="toggle"[^>]*data-optout-live-checked="false"', saved)
    assert not re.search(r'<input id="toggle"[^>]*\schecked=', saved)
    assert (folder / "page.png").read_bytes().startswith(b"\x89PNG")
    assert (folder / "url.txt").read_text() == "\n"  # about:blank is no http(s) address
