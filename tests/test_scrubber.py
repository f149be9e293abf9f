"""One scrubber for everything optout writes: a secret it was given never appears whole."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from optout.core import scrubber
from optout.output.terminal import Ui

PASSWORD = "pw with spaces & symbols/+%"


@pytest.fixture(autouse=True)
def clean_slate() -> Iterator[None]:
    scrubber.forget_all()
    yield
    scrubber.forget_all()


def test_every_form_of_a_secret_is_hidden() -> None:
    from urllib.parse import quote, quote_plus

    scrubber.remember(PASSWORD)
    for form in (PASSWORD, quote(PASSWORD, safe=""), quote_plus(PASSWORD), repr(PASSWORD)):
        cleaned = scrubber.scrub(f"before {form} after")
        assert PASSWORD not in cleaned
        assert quote(PASSWORD, safe="") not in cleaned
        assert cleaned.startswith("before ")
        assert cleaned.endswith(" after")
    assert scrubber.scrub("nothing secret here") == "nothing secret here"


def test_short_values_and_cookie_flags_are_not_secrets() -> None:
    scrubber.remember("ab", None, "", "abcd")
    scrubber.remember_cookies([{"name": "liap", "value": "true"}], ["liap"])
    assert scrubber.scrub('{"changed": true, "ab": "abcd"}') == '{"changed": true, "ab": "abcd"}'


def test_a_notice_target_hides_its_token_in_every_part() -> None:
    scrubber.remember_url("ntfy://s3cret-topic-4711")
    scrubber.remember_url("mailto://me:hunter2-pass@mail.example.com")
    text = scrubber.scrub("sent to s3cret-topic-4711; login hunter2-pass failed")
    assert "s3cret-topic-4711" not in text
    assert "hunter2-pass" not in text


def test_a_session_cookie_value_is_hidden() -> None:
    cookies = [
        {"name": "li_at", "value": "AQEDAR-session-token"},
        {"name": "JSESSIONID", "value": '"ajax:1234567890"'},
        {"name": "lang", "value": "v=2&lang=en-us"},
    ]
    scrubber.remember_cookies(cookies, ["li_at", "JSESSIONID"])
    text = scrubber.scrub("li_at=AQEDAR-session-token; csrf ajax:1234567890; v=2&lang=en-us")
    assert "AQEDAR-session-token" not in text
    assert "ajax:1234567890" not in text
    assert "lang=en-us" in text  # not a secret


def test_a_playwright_error_quoting_the_password_is_scrubbed_on_stderr_and_in_the_log(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from playwright.async_api import Error as PlaywrightError

    from optout.linkedin.chromium.browser import launched

    async def fill_a_hidden_field() -> PlaywrightError:
        async with launched(None) as session:
            page = await (await session.new_context()).new_page()
            await page.set_content('<input id="pw" type="password" hidden>')
            with pytest.raises(PlaywrightError) as failed:
                # hidden: times out, quoting the value
                await page.fill("#pw", PASSWORD, timeout=2000)
        return failed.value

    scrubber.remember(PASSWORD)
    error = asyncio.run(fill_a_hidden_field())
    assert PASSWORD in str(error)  # what Playwright itself writes

    log_file = tmp_path / "optout.log"
    handler = logging.FileHandler(log_file, encoding="utf-8")
    handler.setFormatter(scrubber.ScrubbingFormatter("%(message)s"))
    log = logging.getLogger("optout.test-scrubber")
    log.addHandler(handler)
    saved = sys.stdout, sys.stderr
    try:
        scrubber.scrub_standard_streams()
        Ui().error(error)
        Ui(verbose=True).error(error)  # the traceback too
        print(f"stdout: {error}")
        log.error("sign-in failed: %s", error)
    finally:
        sys.stdout, sys.stderr = saved
        log.removeHandler(handler)
        handler.close()
    captured = capsys.readouterr()
    assert "unexpected error" in captured.err
    for written in (captured.out, captured.err, log_file.read_text(encoding="utf-8")):
        assert written.strip()
        assert PASSWORD not in written
        assert scrubber.HIDDEN in written
