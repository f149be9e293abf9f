"""The sandbox's classic sign-in form over HTTP: cookies, redirects, field errors."""

from __future__ import annotations

import re
import secrets

import pytest
from sandbox_http import PAGE, Client

from optout.sandbox import Sandbox


@pytest.fixture
def email(box: Sandbox) -> str:
    made = f"jane.doe.{secrets.token_hex(3)}@example.com"
    box.add_account(made, "correct horse")
    return made


@pytest.fixture
def member(client: Client, email: str) -> Client:
    assert client.sign_in(email, "correct horse").status == 302
    return client


def _visible_error(page: str, slot: str) -> str:
    found = re.search(rf'<div id="{slot}" class="([^"]*)"[^>]*>(.*?)</div>', page, re.S)
    assert found is not None, slot
    assert "hidden__imp" not in found.group(1), f"{slot} is hidden"
    return re.sub(r"<[^>]+>", "", found.group(2))


def test_serves_on_a_free_port_and_renders_the_sign_in_form(box: Sandbox, client: Client) -> None:
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", box.base_url)
    assert not box.base_url.endswith(":0")
    reply = client.get("/login?session_redirect=%2Ffeed%2F")
    assert reply.status == 200
    page = reply.text
    assert '<form class="login__form" method="post" action="/checkpoint/lg/login-submit"' in page
    assert 'id="username" name="session_key" type="text"' in page
    assert 'id="password" name="session_password" type="password"' in page
    assert 'name="session_redirect" value="/feed/"' in page
    assert 'class="form__label--error hidden__imp"' in page
    assert client.cookie("bcookie") is not None
    assert client.cookie("li_at") is None


def test_sign_in_sets_the_session_cookies_and_goes_to_the_feed(
    box: Sandbox, client: Client, email: str
) -> None:
    reply = client.sign_in(email.upper(), "correct horse")  # emails are case-insensitive
    assert reply.status == 302
    assert reply.location == "/feed/"
    assert client.cookie("li_at")
    assert re.fullmatch(r'"ajax:\d{19}"', client.cookie("JSESSIONID") or "")
    assert client.cookie("liap") == "true"
    li_at = next(c for c in reply.set_cookies if c.startswith("li_at="))
    jsession = next(c for c in reply.set_cookies if c.startswith("JSESSIONID="))
    assert "HttpOnly" in li_at
    assert "HttpOnly" not in jsession
    assert box.stats(email)["logins"] == 1

    feed = client.get("/feed/")
    assert feed.status == 200
    assert "Jane Doe" in feed.text
    assert client.get("/login").location == "/feed/"
    assert client.get("/").location == "/feed/"


def test_sign_in_returns_to_a_same_origin_redirect_only(client: Client, box: Sandbox) -> None:
    box.add_account("back@example.com", "pw")
    assert client.sign_in("back@example.com", "pw", PAGE).location == PAGE
    other = Client(box.base_url)
    assert other.sign_in("back@example.com", "pw", "//evil.example/x").location == "/feed/"


def test_wrong_password_shows_the_error_and_sets_no_session(
    box: Sandbox, client: Client, email: str
) -> None:
    reply = client.sign_in(email, "wrong")
    assert reply.status == 200
    assert _visible_error(reply.text, "error-for-password") == (
        "Wrong email or password. Try again or create an account ."
    )
    assert 'class="form__label--error hidden__imp"' in reply.text  # the username slot
    assert client.cookie("li_at") is None
    assert box.stats(email)["failed_logins"] == 1
    assert box.stats(email)["logins"] == 0


def test_unknown_email_and_empty_fields_show_field_errors(client: Client) -> None:
    reply = client.sign_in("nobody@example.com", "whatever")
    assert _visible_error(reply.text, "error-for-username") == (
        "Couldn&#x27;t find a LinkedIn account associated with this email. Try again."
    )
    reply = client.sign_in("", "")
    assert _visible_error(reply.text, "error-for-username") == (
        "Please enter an email address or phone number"
    )
    reply = client.sign_in("nobody@example.com", "")
    assert _visible_error(reply.text, "error-for-password") == "Please enter a password."
    assert client.cookie("li_at") is None


def test_echoed_input_is_escaped(client: Client) -> None:
    reply = client.sign_in('"><script>x()</script>', "pw", redirect='/x"><b>')
    assert "<script>x()" not in reply.text
    assert "&quot;&gt;&lt;script&gt;x()" in reply.text
    assert 'value="/x&quot;&gt;&lt;b&gt;"' in reply.text


def test_checkpoint_account_lands_on_the_email_pin_challenge(box: Sandbox, client: Client) -> None:
    box.add_account("suspicious@example.com", "pw", checkpoint=True)
    reply = client.sign_in("suspicious@example.com", "pw")
    assert reply.status == 302
    assert re.fullmatch(r"/checkpoint/challenge/[\w-]+\?ut=[\w-]+", reply.location or "")
    assert client.cookie("li_at") is None
    page = client.get(reply.location or "").text
    assert "Let's do a quick verification" in page
    assert '<form id="email-pin-challenge" method="post" action="/checkpoint/challenge/verify"' in (
        page
    )
    assert 'id="input__email_verification_pin" name="pin" maxlength="6"' in page
    assert 'id="email-pin-submit-button" class="btn__primary--large" type="submit"' in page
    assert box.stats("suspicious@example.com")["logins"] == 0
    assert client.get("/feed/").status == 302
