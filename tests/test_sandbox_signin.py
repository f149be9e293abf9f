"""The sandbox's sign-in variants over HTTP: refusals, the flagship page, the account
chooser, the admin API and the verbose log; one browser test."""

from __future__ import annotations

import json
import re
from urllib.parse import quote

import pyotp
import pytest
from sandbox_http import CHROMIUM, PAGE, Client, needs_chromium
from signin_kit import (
    CHALLENGE_URL,
    PW,
    REFUSED,
    RESTRICTION,
    SUBMIT,
    assert_no_session,
    challenge_id,
    new_account,
    poll,
    verify,
)

from optout.sandbox import Sandbox

# --- refusals -----------------------------------------------------------------------


def test_restricted_account_never_gets_a_session(box: Sandbox, client: Client) -> None:
    email = new_account(box, challenge="restricted")
    assert client.sign_in(email, "wrong").status == 200
    reply = client.sign_in(email, PW)
    assert reply.location == RESTRICTION
    page = client.get(RESTRICTION).text
    assert "Your account has been restricted" in page
    assert "government-issued ID" in page
    assert not any(c.startswith("li_at=") for c in reply.set_cookies)
    assert_no_session(box, client, email)
    stats = box.stats(email)
    assert (stats["login_attempts"], stats["failed_logins"]) == (2, 1)


def test_refused_sign_in_goes_to_the_error_page(box: Sandbox, client: Client) -> None:
    email = new_account(box, challenge="refused")
    reply = client.sign_in(email, PW)
    assert reply.location == REFUSED
    assert "Something went wrong" in client.get(REFUSED).text
    assert_no_session(box, client, email)


def test_rate_limited_sign_in_is_answered_999(box: Sandbox, client: Client) -> None:
    email = new_account(box, challenge="rate_limited")
    for reply in (
        client.sign_in(email, PW),
        client.send_json("POST", SUBMIT, {"email": email, "password": PW}),
    ):
        assert reply.status == 999
        assert "Request denied" in reply.text
        assert not any(c.startswith("li_at=") for c in reply.set_cookies)
    assert_no_session(box, client, email)
    assert box.stats(email)["login_attempts"] == 2


# --- the flagship page ----------------------------------------------------------------


def test_flagship_login_page_and_its_submit_endpoint(fresh: Sandbox) -> None:
    client = Client(fresh.base_url)
    assert client.get("/login").status == 200
    fresh.set_signin_page("flagship")
    assert client.get("/login").location == "/flagship-web/login/"
    assert client.get(f"/login?session_redirect={quote(PAGE, safe='')}").location == (
        f"/flagship-web/login/?session_redirect={quote(PAGE, safe='')}"
    )
    page = client.get("/flagship-web/login/").text
    assert "session_key" not in page
    assert '<div id="app-root"' in page
    assert 'autocomplete: "username webauthn"' in page  # drawn by the script after load
    with pytest.raises(ValueError, match="sign-in page"):
        fresh.set_signin_page("mobile")

    email = new_account(fresh)
    wrong = client.send_json("POST", SUBMIT, {"email": email, "password": "nope"})
    assert wrong.status == 401
    assert wrong.json()["message"].startswith("Wrong email or password")
    assert client.cookie("li_at") is None
    unknown = client.send_json("POST", SUBMIT, {"email": "no@example.com", "password": "x"})
    assert unknown.json()["field"] == "email"

    right = client.send_json(
        "POST", SUBMIT, {"email": email, "password": PW, "sessionRedirect": PAGE}
    )
    assert right.status == 200
    assert right.json() == {"status": "SUCCESS", "redirect": PAGE}
    assert client.cookie("li_at") == fresh.session_tokens(email)[0]
    assert client.get("/flagship-web/login/").location == "/feed/"
    stats = fresh.stats(email)
    assert (stats["logins"], stats["failed_logins"], stats["login_attempts"]) == (1, 1, 2)

    # A plain form post works too, and outcomes lead where the classic form's do.
    other = Client(fresh.base_url)
    fresh.set_challenge(email, "email_pin")
    form = other.post_form(SUBMIT, {"session_key": email, "session_password": PW})
    assert form.json()["status"] == "CHALLENGE"
    assert CHALLENGE_URL.fullmatch(form.json()["redirect"])
    fresh.set_challenge(email, "restricted")
    restricted = other.send_json("POST", SUBMIT, {"email": email, "password": PW})
    assert restricted.json()["redirect"] == RESTRICTION
    fresh.set_challenge(email, "refused")
    assert (
        other.send_json("POST", SUBMIT, {"email": email, "password": PW}).json()["redirect"]
        == REFUSED
    )
    assert other.cookie("li_at") is None
    fresh.set_challenge(email, None)
    fresh.set_signin_page("classic")
    assert other.get("/login").status == 200


# --- the account chooser ---------------------------------------------------------------


def test_chooser_needs_the_remember_me_cookie(fresh: Sandbox) -> None:
    jane = "jane.doe@example.com"
    fresh.add_account(jane, PW)
    client = Client(fresh.base_url)
    assert 'id="rememberme-div"' not in client.get("/login").text
    signed = client.sign_in(jane, PW)
    remember = next(c for c in signed.set_cookies if c.startswith("li_rm="))
    assert "HttpOnly" in remember
    assert jane not in remember
    assert client.get("/login").location == "/feed/"  # a live session wins
    client.get("/m/logout")

    page = client.get("/login?session_redirect=%2Ffeed%2F").text
    assert "Welcome back" in page
    assert 'id="username"' not in page
    chooser = re.search(r'<div id="rememberme-div".*?</div>\n', page, re.S)
    assert chooser is not None
    button = re.search(r"<button [^>]*>(.*?)</button>", chooser.group(0), re.S)
    assert button is not None
    text = re.sub(r"<[^>]+>", " ", button.group(1))
    assert "Jane Doe" in text
    assert jane in text
    assert "Continue as Jane" in text
    assert 'action="/checkpoint/lg/login-submit"' in page
    assert 'name="session_key"' in page
    assert 'id="password" name="session_password"' in page
    another = re.search(r'<a id="signin-other-account"[^>]* href="([^"]+)">([^<]+)</a>', page)
    assert another is not None
    assert another.group(2) == "Sign in using another account"
    href = another.group(1).replace("&amp;", "&")
    assert "useAnotherAccount=true" in href
    assert "fromSignIn=true" in href
    classic = client.get(href).text
    assert 'id="username" name="session_key"' in classic
    assert 'name="session_redirect" value="/feed/"' in classic

    # The chooser's password form is the classic submit with the remembered email.
    assert client.sign_in(jane, PW).location == "/feed/"
    client.get("/m/logout")
    second = "john.smith@example.com"
    fresh.add_account(second, PW)
    assert client.get(href).status == 200
    client.sign_in(second, PW)
    client.get("/m/logout")
    both = client.get("/login").text
    assert both.index(second) < both.index(jane)  # the latest sign-in comes first
    assert "Continue as John" in both

    assert 'id="rememberme-div"' not in Client(fresh.base_url).get("/login").text
    fresh.set_chooser(False)
    assert 'id="username"' in client.get("/login").text
    fresh.set_chooser(True)
    client.jar.clear()
    assert 'id="username"' in client.get("/login").text


# --- admin API, stats, secrets ---------------------------------------------------------


def test_admin_endpoints_round_trip(fresh: Sandbox) -> None:
    admin = Client(fresh.base_url)
    email = "admin.pin@example.com"
    made = admin.send_json(
        "POST", "/__sandbox/accounts", {"email": email, "password": PW, "challenge": "sms"}
    )
    assert made.status == 201
    assert made.json()["challenge"] == "sms"
    assert made.json()["pending_pin"] is None
    bad = {"email": "x@example.com", "password": PW, "challenge": "fax"}
    assert admin.send_json("POST", "/__sandbox/accounts", bad).status == 400

    member = Client(fresh.base_url)
    cid = challenge_id(member.sign_in(email, PW))
    shown = admin.get(f"/__sandbox/accounts/{email}").json()
    assert shown["pending_pin"] == fresh.pending_pin(email)
    assert shown["pending_challenge"] == "sms"
    for name in ("login_attempts", "challenges_shown", "challenges_passed", "wrong_pins"):
        assert name in shown["stats"]
    assert shown["stats"]["challenges_shown"] == 1
    assert verify(member, cid, shown["pending_pin"]).location == "/feed/"

    path = f"/__sandbox/accounts/{email}/challenge"
    secret = pyotp.random_base32()
    put = admin.send_json("PUT", path, {"challenge": "totp", "totp_secret": secret})
    assert put.status == 200
    assert put.json()["totp_secret"] == secret
    assert admin.send_json("PUT", path, {"challenge": "fax"}).status == 400
    assert admin.send_json("PUT", path, {}).status == 400
    missing = "/__sandbox/accounts/nobody@example.com/challenge"
    assert admin.send_json("PUT", missing, {"challenge": None}).status == 404

    assert admin.send_json("PUT", path, {"challenge": "app"}).json()["challenge"] == "app"
    approve = f"/__sandbox/accounts/{email}/approve"
    assert admin.request("POST", approve).status == 409
    other = Client(fresh.base_url)
    cid = challenge_id(other.sign_in(email, PW))
    assert admin.request("POST", approve).json() == {"solved": True}
    assert verify(other, cid).location == "/feed/"
    admin.send_json("PUT", path, {"challenge": "captcha"})
    cid = challenge_id(other.sign_in(email, PW))
    assert admin.request("POST", f"/__sandbox/accounts/{email}/solve").status == 200
    assert poll(other, cid) == "SOLVED"
    assert admin.send_json("PUT", path, {"challenge": None}).json()["challenge"] is None
    assert admin.request("POST", "/__sandbox/accounts/nobody@example.com/solve").status == 404

    assert admin.get("/__sandbox/signin").json() == {
        "page": "classic", "chooser": True, "app_timeout_s": 120.0, "password_delay_s": 0.5,
    }  # fmt: skip
    changed = admin.send_json(
        "PUT", "/__sandbox/signin", {"page": "flagship", "chooser": False, "app_timeout_s": 5}
    )
    assert changed.json() == {
        "page": "flagship", "chooser": False, "app_timeout_s": 5.0, "password_delay_s": 0.5,
    }  # fmt: skip
    assert fresh.app_timeout_s == 5.0
    assert admin.get("/login").location == "/flagship-web/login/"
    assert admin.send_json("PUT", "/__sandbox/signin", {"page": "app"}).status == 400
    assert admin.send_json("PUT", "/__sandbox/signin", {"page": "classic"}).status == 200
    assert admin.get("/login").status == 200


def test_secrets_stay_out_of_the_verbose_log(capfd: pytest.CaptureFixture[str]) -> None:
    with Sandbox(verbose=True) as server:
        email = "loud@example.com"
        server.add_account(email, "hunter2-secret", challenge="email_pin")
        client = Client(server.base_url)
        client.sign_in(email, "hunter2-secret")
        reply = client.sign_in(email, "hunter2-secret")
        cid = challenge_id(reply)
        pin = server.pending_pin(email) or ""
        client.get(f"/checkpoint/challenge/{cid}")
        verify(client, cid, pin)
        li_at = client.cookie("li_at") or ""
        client.get("/feed/")
    logged = capfd.readouterr().err
    assert "POST /checkpoint/lg/login-submit -> 302" in logged
    for secret in ("hunter2-secret", pin, li_at, cid, client.cookie("li_rm") or ""):
        assert secret
        assert secret not in logged


def test_echoed_values_on_the_new_pages_are_escaped(box: Sandbox, client: Client) -> None:
    evil = '"><script>x()</script>'
    flagship = client.get(f"/flagship-web/login/?session_redirect={quote(evil)}").text
    assert "<script>x()" not in flagship
    config = re.search(
        r'<script id="login-config" type="application/json">(.*?)</script>', flagship
    )
    assert config is not None
    assert json.loads(config.group(1))["sessionRedirect"] == evil
    email = new_account(box)
    client.sign_in(email, PW)
    client.get("/m/logout")
    chooser = client.get(f"/login?session_redirect={quote(evil)}").text
    assert "Welcome back" in chooser
    assert "<script>x()" not in chooser


# --- real browser ----------------------------------------------------------------------

_ARGS = ["--disable-background-networking", "--disable-component-update", "--no-first-run"]


@pytest.mark.e2e
@needs_chromium
def test_browser_signs_in_through_the_flagship_page(fresh: Sandbox) -> None:
    from playwright.sync_api import sync_playwright

    fresh.set_signin_page("flagship")
    email = new_account(fresh)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=[*_ARGS, "--disable-sync"])
        try:
            page = browser.new_page()
            page.goto(fresh.base_url + "/login")
            assert "/flagship-web/login/" in page.url
            user = page.locator('input[type=email][autocomplete="username webauthn"]')
            password = page.locator("input[type=password][autocomplete=current-password]")
            page.fill('input[type=email][autocomplete="username webauthn"]', email)
            assert re.fullmatch(r":r[0-9a-z]+:", user.get_attribute("id") or "")
            password.fill("not it")
            page.click("button[type=submit]")
            alert = page.locator("form [role=alert]")
            alert.wait_for()
            assert alert.inner_text().startswith("Wrong email or password")
            assert "/flagship-web/login/" in page.url
            password.fill(PW)
            page.click("button[type=submit]")
            page.wait_for_url("**/feed/")
            cookies = {c["name"]: c["value"] for c in page.context.cookies()}
            assert cookies["li_at"] == fresh.session_tokens(email)[0]
        finally:
            browser.close()
    assert fresh.stats(email)["logins"] == 1
