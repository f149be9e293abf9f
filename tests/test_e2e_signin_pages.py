"""`optout login` on each of LinkedIn's sign-in pages: the classic form, the single-page
one, the 2026 page drawn by script (no <form>, a hidden second copy of the fields, a
localized <button type="button">, landing on /feed/foryou/), and an email-first page.
Real Chromium, the real keyring, and the sandbox's own record of what happened.

Script-drawn pages vary per render; a seed picks the render, and each test checks
that it got the variation it is about (so a change in the draws cannot quietly
drop what a test covers)."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

import pyotp
import pytest
from conftest import SETTING, Account, Optout, Ran, one_line_error

from optout.sandbox import Sandbox

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@pytest.fixture
def own_sandbox() -> Iterator[Sandbox]:
    with Sandbox(readable_draws=True) as server:
        yield server


@pytest.fixture
def run(tmp_path: Path, own_sandbox: Sandbox) -> Optout:
    return Optout(tmp_path / "home", own_sandbox.base_url)


@pytest.fixture
def new_account(own_sandbox: Sandbox, real_keyring: str) -> Iterator[Callable[..., Account]]:
    from optout.storage import credentials

    made: list[Account] = []

    def make(**options: object) -> Account:
        account = Account(f"p-{secrets.token_hex(4)}@example.com", secrets.token_urlsafe(12))
        own_sandbox.add_account(
            account.email,
            account.password,
            settings={SETTING: True},
            **options,  # type: ignore[arg-type]
        )
        made.append(account)
        return account

    yield make
    for account in made:
        credentials.forget_account(account.email, origin=own_sandbox.base_url)


def assert_drawn(sandbox: Sandbox, expect: dict[str, object]) -> None:
    """The latest render the seed gave has what the test is about."""
    if expect:
        drawn = sandbox.signin_renders()[-1]
        assert {k: drawn[k] for k in expect} == expect, drawn


def nowhere(secret: str, ran: Ran, home: Path) -> None:
    """The secret is in no output and no file optout wrote."""
    assert secret not in ran.stdout
    assert secret not in ran.stderr
    for path in home.rglob("*"):
        if path.is_file():
            assert secret.encode() not in path.read_bytes(), path


# Each scripted page twice: once sent with Enter, once with the button beside the field
# (after Enter did nothing), with the hidden copy of the fields first in the page; and
# with that copy out of view, or clipped.
PAGES = [
    pytest.param("classic", 0, {}, id="classic"),
    pytest.param("flagship", 0, {}, id="flagship"),
    pytest.param("2026", 1, {"enter_submits": True, "hidden_first": False}, id="2026-enter"),
    pytest.param(
        "2026", 2, {"enter_submits": False, "hidden_first": True, "lang": "de"}, id="2026-button"
    ),
    pytest.param(
        "email-first", 1, {"enter_continues": True, "enter_submits": True}, id="email-first-enter"
    ),
    pytest.param(
        "email-first", 2, {"enter_continues": False, "enter_submits": False}, id="email-first-btns"
    ),
    # The spare copy first, moved out of view only, or clipped away by a box of no height
    # (aria-hidden): a browser still calls it visible.
    pytest.param("2026", 8, {"hide_by": "offscreen", "hidden_first": True}, id="2026-offscreen"),
    pytest.param("2026", 12, {"hide_by": "clipped", "hidden_first": True}, id="2026-clipped"),
]


@pytest.mark.parametrize(("page", "seed", "expect"), PAGES)
def test_login_on_each_sign_in_page(
    run: Optout, own_sandbox: Sandbox, new_account: Callable[..., Account],
    page: str, seed: int, expect: dict[str, object],
) -> None:  # fmt: skip
    own_sandbox.set_signin_page(page, seed=seed)
    own_sandbox.set_password_delay(0.3)
    account = new_account()
    ran = run.login(account)
    assert ran.code == 0, ran.stderr
    assert_drawn(own_sandbox, expect)
    stats = own_sandbox.stats(account.email)
    assert (stats["logins"], stats["login_attempts"], stats["failed_logins"]) == (1, 1, 0)
    assert len(own_sandbox.session_tokens(account.email)) == 1
    assert any(run.home.rglob("*.session"))
    nowhere(account.password, ran, run.home)


@pytest.mark.parametrize("page", ["2026", "email-first"])
def test_wrong_password_on_the_new_pages_is_exit_3_once(
    run: Optout, own_sandbox: Sandbox, new_account: Callable[..., Account], page: str
) -> None:
    own_sandbox.set_signin_page(page, seed=3)
    account = new_account()
    wrong = "not-" + account.password
    ran = run.login(Account(account.email, wrong))
    assert ran.code == 3, ran.stderr
    assert ran.json["error"]["kind"] == "login_required"
    stats = own_sandbox.stats(account.email)
    assert (stats["login_attempts"], stats["failed_logins"], stats["logins"]) == (1, 1, 0)
    nowhere(wrong, ran, run.home)


def test_a_password_field_that_never_shows_is_exit_4_and_no_secret_leaks(
    run: Optout, own_sandbox: Sandbox, new_account: Callable[..., Account]
) -> None:
    # The field is in the page, hidden, all along: a `fill` on it would time out and
    # print the password in its error.
    own_sandbox.set_signin_page("email-first", seed=1)
    own_sandbox.set_password_delay(None)
    account = new_account()
    args = ("login", "--account", account.email, "--password-stdin")
    ran = run(*args, stdin=account.password + "\n", OPTOUT_TIMEOUT="2")
    assert ran.code == 4, ran.stderr
    line = one_line_error(ran)
    assert "/login" in line
    assert "password field" in line
    assert "optout login --headed" in line
    # The page not understood is kept, its fields emptied, and the line says where.
    (kept,) = [path.parent for path in run.home.rglob("page.html")]
    assert kept.name.split("-", 1)[1].startswith("sign-in-")
    assert str(kept) in line
    assert (kept / "page.png").read_bytes().startswith(b"\x89PNG")
    nowhere(account.password, ran, run.home)
    assert own_sandbox.stats(account.email)["login_attempts"] == 0
    # Not even the traceback --verbose prints holds it.
    ran = run(*args, "--verbose", stdin=account.password + "\n", OPTOUT_TIMEOUT="2")
    assert ran.code == 4
    nowhere(account.password, ran, run.home)


# What a correct password leads to, through the 2026 page as through the classic form.
OUTCOMES = [
    pytest.param("totp", 0, None, id="totp-passed"),
    pytest.param("email_pin", 3, "challenge", id="email-pin-no-terminal"),
    pytest.param("captcha", 3, "challenge", id="captcha"),
    pytest.param("refused", 5, "site_unavailable", id="refused"),
    pytest.param("rate_limited", 5, "site_unavailable", id="rate-limited"),
]


@pytest.mark.parametrize(("challenge", "code", "kind"), OUTCOMES)
def test_checkpoints_and_refusals_through_the_2026_page(
    run: Optout, own_sandbox: Sandbox, new_account: Callable[..., Account],
    challenge: str, code: int, kind: str | None,
) -> None:  # fmt: skip
    own_sandbox.set_signin_page("2026", seed=4)
    secret = pyotp.random_base32()
    account = new_account(challenge=challenge, totp_secret=secret)
    ran = run(
        "login", "--account", account.email, "--password-stdin", "--totp-secret-stdin", "--json",
        stdin=f"{account.password}\n{secret}\n",
    )  # fmt: skip
    assert ran.code == code, ran.stderr
    stats = own_sandbox.stats(account.email)
    assert stats["login_attempts"] == 1
    if kind is None:
        assert stats["challenges_passed"] == 1
        assert stats["logins"] == 1
    else:
        assert ran.json["error"]["kind"] == kind
        assert stats["logins"] == 0
    nowhere(account.password, ran, run.home)


_STUCK_PAGE = """<!doctype html><html><body><h1>Sign in</h1>
<input autocomplete="username"><input type="password" autocomplete="current-password" readonly>
<button type="button">Sign in</button></body></html>"""


def test_a_playwright_error_in_sign_in_becomes_optouts_own(own_sandbox: Sandbox) -> None:
    """A call that fails inside the sign-in (here: the password field never takes
    input, so clearing it times out) ends as LayoutChanged in optout's words, with
    Playwright's error neither quoted nor chained."""
    from playwright.async_api import Route, async_playwright

    from optout.core.errors import LayoutChanged
    from optout.core.selector_pack import load_pack
    from optout.linkedin.login.sign_in import SignIn

    password = "pw-" + secrets.token_hex(8)

    async def sign_in_on_a_stuck_page() -> None:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path="/usr/bin/chromium")
            try:
                context = await browser.new_context()

                async def stuck(route: Route) -> None:
                    await route.fulfill(status=200, content_type="text/html", body=_STUCK_PAGE)

                await context.route("**/login", stuck)
                pack = load_pack()
                await SignIn(context, own_sandbox.base_url, pack, "a@example.com", password).run()
            finally:
                await browser.close()

    with pytest.raises(LayoutChanged) as caught:
        asyncio.run(sign_in_on_a_stuck_page())
    assert "did not respond as expected" in caught.value.message
    assert password not in str(caught.value)
    assert caught.value.__cause__ is None
    assert caught.value.__suppress_context__
