"""The sandbox's sign-in variants and checkpoint challenges, over HTTP; two browser tests."""

from __future__ import annotations

import json
import re
import secrets
import shutil
import time
from collections.abc import Iterator
from urllib.parse import quote

import pyotp
import pytest
from test_sandbox_server import CHROMIUM, PAGE, Client, Reply

from optout.sandbox import Sandbox

PW = "correct horse"
CHALLENGE_URL = re.compile(r"/checkpoint/challenge/([\w-]{40,})\?ut=[\w-]+")
RESTRICTION = "/flagship-web/login/login-restriction/"
REFUSED = "/checkpoint/lg/login?errorKey=challenge_global_internal_error"
SUBMIT = "/flagship-web/login/api/submit"


@pytest.fixture(scope="module")
def box() -> Iterator[Sandbox]:
    # A plain Playwright browser shows automation; the bot guard is tested in test_fingerprint.py.
    with Sandbox(bot_guard=False) as server:
        yield server


@pytest.fixture
def fresh() -> Iterator[Sandbox]:
    """A sandbox of its own, for tests that change sandbox-wide switches."""
    with Sandbox(bot_guard=False) as server:
        yield server


@pytest.fixture
def client(box: Sandbox) -> Client:
    return Client(box.base_url)


def new_account(box: Sandbox, **options: str | None) -> str:
    email = f"jane.doe.{secrets.token_hex(3)}@example.com"
    box.add_account(email, PW, **options)  # type: ignore[arg-type]
    return email


def challenge_id(reply: Reply) -> str:
    assert reply.status == 302
    found = CHALLENGE_URL.fullmatch(reply.location or "")
    assert found is not None, reply.location
    return found.group(1)


def verify(client: Client, cid: str, pin: str = "") -> Reply:
    return client.post_form(
        "/checkpoint/challenge/verify", {"csrfToken": "ajax:1", "challengeId": cid, "pin": pin}
    )


def visible(page: str, element_id: str) -> str:
    """The text of an element that must be shown (not carrying hidden__imp)."""
    found = re.search(rf'<div id="{element_id}" class="([^"]*)"[^>]*>(.*?)</div>', page, re.S)
    assert found is not None, element_id
    assert "hidden__imp" not in found.group(1), f"{element_id} is hidden"
    return re.sub(r"<[^>]+>", "", found.group(2))


def assert_signed_in(box: Sandbox, client: Client, email: str, reply: Reply, to: str) -> None:
    assert reply.status == 302
    assert reply.location == to
    li_at = client.cookie("li_at")
    assert li_at
    assert box.session_tokens(email) == [li_at]
    assert client.cookie("liap") == "true"
    assert re.fullmatch(r'"ajax:\d{19}"', client.cookie("JSESSIONID") or "")
    assert client.cookie("li_rm")
    assert client.get("/feed/").status == 200


def assert_no_session(box: Sandbox, client: Client, email: str) -> None:
    assert client.cookie("li_at") is None
    assert box.session_tokens(email) == []
    assert box.stats(email)["logins"] == 0


# --- email PIN -------------------------------------------------------------------


def test_email_pin_right_pin_signs_in_and_the_challenge_dies(box: Sandbox, client: Client) -> None:
    email = new_account(box, challenge="email_pin")
    cid = challenge_id(client.sign_in(email, PW, PAGE))
    assert client.cookie("li_at") is None
    page = client.get(f"/checkpoint/challenge/{cid}").text
    assert '<form id="email-pin-challenge" method="post" action="/checkpoint/challenge/verify"' in (
        page
    )
    assert 'type="hidden" name="csrfToken" value="ajax:' in page
    assert f'type="hidden" name="challengeId" value="{cid}"' in page
    assert 'id="input__email_verification_pin" name="pin" maxlength="6"' in page
    assert 'id="email-pin-submit-button"' in page
    assert "Enter the code we've sent to j***@example.com" in page
    assert email not in page
    assert 'class="form__label--error hidden__imp"' in page

    pin = box.pending_pin(email)
    assert pin is not None
    assert re.fullmatch(r"\d{6}", pin)
    assert pin not in page
    assert box.pending_challenge(email) == "email_pin"
    assert_signed_in(box, client, email, verify(client, cid, pin), PAGE)
    stats = box.stats(email)
    assert stats["logins"] == 1
    assert stats["login_attempts"] == 1
    assert stats["challenges_shown"] == 1
    assert stats["challenges_passed"] == 1
    assert box.pending_pin(email) is None
    # Passed once, gone: neither the page nor the same PIN works again.
    assert client.get(f"/checkpoint/challenge/{cid}").location == "/login"
    assert verify(client, cid, pin).location == "/login"
    assert box.stats(email)["logins"] == 1


def test_checkpoint_true_means_email_pin_and_asks_every_time(box: Sandbox) -> None:
    email = new_account(box)
    box.set_challenge(email, "email_pin")
    other = f"cp-{secrets.token_hex(3)}@example.com"
    box.add_account(other, PW, checkpoint=True)
    assert box.account(other).challenge == "email_pin"
    assert box.account(other).checkpoint is True
    with pytest.raises(ValueError, match="checkpoint"):
        box.add_account("both@example.com", PW, checkpoint=True, challenge="sms")
    with pytest.raises(ValueError, match="unknown challenge"):
        box.add_account("typo@example.com", PW, challenge="emailpin")
    for _ in range(2):
        client = Client(box.base_url)
        cid = challenge_id(client.sign_in(other, PW))
        assert_signed_in(
            box, client, other, verify(client, cid, box.pending_pin(other) or ""), "/feed/"
        )
        box.expire_sessions(other)
    assert box.stats(other)["challenges_shown"] == 2


def test_wrong_pins_show_the_error_count_and_three_kill_the_challenge(
    box: Sandbox, client: Client
) -> None:
    email = new_account(box, challenge="email_pin")
    cid = challenge_id(client.sign_in(email, PW))
    pin = box.pending_pin(email)
    assert pin is not None
    wrong = f"{(int(pin) + 1) % 10**6:06d}"
    for attempt in range(1, 4):
        reply = verify(client, cid, wrong)
        assert reply.status == 200
        assert visible(reply.text, "email-pin-error").startswith(
            "The verification code you entered isn&#x27;t valid"
        )
        assert box.stats(email)["wrong_pins"] == attempt
    assert verify(client, cid, pin).location == "/login"
    assert client.get(f"/checkpoint/challenge/{cid}").location == "/login"
    assert box.pending_pin(email) is None
    assert_no_session(box, client, email)
    assert box.stats(email)["challenges_passed"] == 0


def test_wrong_password_never_reaches_the_challenge(box: Sandbox, client: Client) -> None:
    email = new_account(box, challenge="email_pin")
    reply = client.sign_in(email, "wrong")
    assert reply.status == 200
    assert "Wrong email or password" in visible(reply.text, "error-for-password")
    assert box.pending_pin(email) is None
    stats = box.stats(email)
    assert (stats["failed_logins"], stats["login_attempts"], stats["challenges_shown"]) == (1, 1, 0)


# --- SMS and authenticator app -----------------------------------------------------


def test_sms_challenge_markup_recovery_code_and_pin(box: Sandbox, client: Client) -> None:
    email = new_account(box, challenge="sms")
    cid = challenge_id(client.sign_in(email, PW))
    page = client.get(f"/checkpoint/challenge/{cid}").text
    assert (
        '<form id="two-step-challenge" method="post" action="/checkpoint/challenge/verify"' in page
    )
    assert 'id="input__phone_verification_pin" name="pin" maxlength="6"' in page
    assert 'id="two-step-submit-button"' in page
    assert 'type="checkbox" id="recognizedDevice" name="recognizedDevice"' in page
    assert "Enter the code we sent to your phone number ending in 42" in page
    assert 'action="/checkpoint/challenge/verifyCode"' in page
    assert "Use a recovery code" in page

    code = client.post_form(
        "/checkpoint/challenge/verifyCode", {"challengeId": cid, "recoveryCode": "abcd-efgh"}
    )
    assert code.status == 200
    assert "recovery code you entered isn&#x27;t valid" in visible(code.text, "two-step-error")
    assert client.cookie("li_at") is None

    wrong = verify(client, cid, "000000" if box.pending_pin(email) != "000000" else "111111")
    assert "isn&#x27;t valid" in visible(wrong.text, "two-step-error")
    pin = box.pending_pin(email)
    assert pin is not None
    reply = client.post_form(
        "/checkpoint/challenge/verify",
        {"challengeId": cid, "pin": pin, "recognizedDevice": "true", "csrfToken": "ajax:1"},
    )
    assert_signed_in(box, client, email, reply, "/feed/")
    assert box.stats(email)["wrong_pins"] == 1


def test_totp_challenge_checks_codes_with_the_secret(box: Sandbox, client: Client) -> None:
    email = new_account(box, challenge="totp")
    secret = box.totp_secret(email)
    assert secret is not None
    assert box.pending_pin(email) is None
    cid = challenge_id(client.sign_in(email, PW))
    assert box.pending_pin(email) is None  # nothing is sent: the code comes from the app
    page = client.get(f"/checkpoint/challenge/{cid}").text
    assert '<form id="two-step-challenge"' in page
    assert 'id="input__phone_verification_pin"' in page
    assert "Enter the 6-digit code from your authenticator app" in page
    assert secret not in page

    totp = pyotp.TOTP(secret)
    stale = totp.at(time.time() - 600)
    assert "isn&#x27;t valid" in visible(verify(client, cid, stale).text, "two-step-error")
    assert box.stats(email)["wrong_pins"] == 1
    assert_signed_in(box, client, email, verify(client, cid, totp.now()), "/feed/")

    chosen = pyotp.random_base32()
    given = new_account(box, challenge="totp", totp_secret=chosen)
    assert box.totp_secret(given) == chosen
    with pytest.raises(ValueError, match="base32"):
        box.set_challenge(given, "totp", totp_secret="not base32!")


# --- waiting challenges: app approval, captcha --------------------------------------


def poll(client: Client, cid: str) -> str:
    reply = client.get(f"/checkpoint/challengesV2/poll/{cid}")
    return str(reply.json()["status"])


def test_app_challenge_waits_for_approval(box: Sandbox, client: Client) -> None:
    email = new_account(box, challenge="app")
    assert box.approve(email) is False  # nothing is waiting yet
    cid = challenge_id(client.sign_in(email, PW))
    page = client.get(f"/checkpoint/challenge/{cid}").text
    assert '<form id="in-app-challenge" method="post" action="/checkpoint/challenge/verify"' in page
    assert "Check your LinkedIn app" in page
    assert (
        "We sent a notification to your signed-in devices. Open your LinkedIn app and tap Yes "
        "to confirm." in page
    )
    assert 'id="try-another-way"' in page
    assert f"/checkpoint/challengesV2/poll/{cid}" in page
    assert poll(client, cid) == "PENDING"

    early = verify(client, cid)
    assert early.status == 200
    assert "Check your LinkedIn app" in early.text
    assert client.cookie("li_at") is None

    assert box.pending_challenge(email) == "app"
    assert box.approve(email) is True
    assert poll(client, cid) == "SOLVED"
    assert_signed_in(box, client, email, verify(client, cid), "/feed/")
    assert client.get(f"/checkpoint/challengesV2/poll/{cid}").status == 404
    assert box.stats(email)["challenges_passed"] == 1


def test_app_challenge_expires(fresh: Sandbox) -> None:
    fresh.app_timeout_s = 0.2
    email = new_account(fresh, challenge="app")
    client = Client(fresh.base_url)
    cid = challenge_id(client.sign_in(email, PW))
    time.sleep(0.4)
    assert poll(client, cid) == "EXPIRED"
    assert "This request has expired" in visible(
        client.get(f"/checkpoint/challenge/{cid}").text, "app-challenge-expired"
    )
    assert fresh.approve(email) is False
    assert verify(client, cid).status == 200
    assert_no_session(fresh, client, email)


def test_try_another_way_swaps_the_app_for_an_email_pin(box: Sandbox, client: Client) -> None:
    email = new_account(box, challenge="app")
    cid = challenge_id(client.sign_in(email, PW))
    assert box.pending_pin(email) is None
    swap = client.get(f"/checkpoint/challenge/{cid}/try-another-way")
    assert swap.location == f"/checkpoint/challenge/{cid}"
    assert 'id="email-pin-challenge"' in client.get(swap.location).text
    assert_signed_in(
        box, client, email, verify(client, cid, box.pending_pin(email) or ""), "/feed/"
    )


def test_captcha_is_solved_in_its_frame_or_by_the_test(box: Sandbox, client: Client) -> None:
    email = new_account(box, challenge="captcha")
    cid = challenge_id(client.sign_in(email, PW))
    page = client.get(f"/checkpoint/challenge/{cid}").text
    assert "Let's do a quick security check" in page
    frame = f"/checkpoint/challenge/captcha-frame/{cid}"
    assert f'<iframe id="captcha-internal" title="Security check" src="{frame}">' in page
    drawn = client.get(frame).text
    assert "I'm not a robot" in drawn
    assert 'aria-checked="false"' in drawn
    assert poll(client, cid) == "PENDING"
    ticked = client.post_form(frame, {})
    assert ticked.status == 303
    assert 'aria-checked="true"' in client.get(frame).text
    assert poll(client, cid) == "SOLVED"
    assert_signed_in(box, client, email, verify(client, cid), "/feed/")

    again = Client(box.base_url)
    cid = challenge_id(again.sign_in(email, PW))
    assert box.solve(email) is True
    assert verify(again, cid).location == "/feed/"
    assert len(box.session_tokens(email)) == 2


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


def test_challenges_are_unguessable_and_belong_to_their_account(box: Sandbox) -> None:
    first, second = new_account(box, challenge="app"), new_account(box, challenge="app")
    a, b = Client(box.base_url), Client(box.base_url)
    ids = {challenge_id(a.sign_in(first, PW)), challenge_id(b.sign_in(second, PW))}
    assert len(ids) == 2
    assert all(len(i) >= 60 for i in ids)
    assert box.approve(first) is True
    statuses = sorted(poll(a, i) for i in ids)
    assert statuses == ["PENDING", "SOLVED"]
    solved = next(i for i in ids if poll(a, i) == "SOLVED")
    # Whoever posts the id, the session is the challenged account's own.
    assert verify(b, solved).location == "/feed/"
    assert box.session_tokens(first) == [b.cookie("li_at")]
    assert box.session_tokens(second) == []
    assert verify(a, "AQ" + secrets.token_urlsafe(48)).location == "/login"


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

needs_chromium = pytest.mark.skipif(
    shutil.which(CHROMIUM) is None, reason="Debian chromium is not installed"
)
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


@pytest.mark.e2e
@needs_chromium
def test_browser_waits_on_the_app_challenge_until_approved(box: Sandbox) -> None:
    from playwright.sync_api import sync_playwright

    email = new_account(box, challenge="app")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=[*_ARGS, "--disable-sync"])
        try:
            page = browser.new_page()
            page.goto(box.base_url + "/login")
            page.fill("#username", email)
            page.fill("#password", PW)
            page.click("button[type=submit]")
            page.wait_for_url("**/checkpoint/challenge/**")
            page.locator("form#in-app-challenge").wait_for()
            page.wait_for_timeout(1200)  # at least one poll answered PENDING
            assert "/checkpoint/challenge/" in page.url
            assert box.approve(email) is True
            page.wait_for_url("**/feed/", timeout=10_000)
            cookies = {c["name"]: c["value"] for c in page.context.cookies()}
            assert cookies["li_at"] == box.session_tokens(email)[0]
        finally:
            browser.close()
    assert box.stats(email)["challenges_passed"] == 1
