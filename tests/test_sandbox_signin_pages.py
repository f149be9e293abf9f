"""The sandbox's sign-in pages drawn by script (2026, email-first) and the random choice
of a sign-in page per render, over HTTP."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from sandbox_http import PAGE, Client
from signin_kit import CHALLENGE_URL, PW, REFUSED, new_account

from optout.sandbox import Sandbox


@pytest.fixture
def fresh() -> Iterator[Sandbox]:
    with Sandbox() as server:
        yield server


SCRIPTED_SUBMIT = "/login/api/submit"


def drawn_config(page: str) -> dict[str, object]:
    found = re.search(r'<script id="login-config" type="application/json">(.*?)</script>', page)
    assert found is not None
    config = json.loads(found.group(1))
    assert isinstance(config, dict)
    return config


@pytest.mark.parametrize("kind", ["2026", "email-first"])
def test_scripted_login_pages_and_their_submit_endpoint(fresh: Sandbox, kind: str) -> None:
    fresh.set_signin_page(kind, seed=11)
    client = Client(fresh.base_url)
    page = client.get("/login").text
    # Drawn after load: nothing to find in the HTML, no <form> at all.
    markup = page.partition('<script id="login-config"')[0]
    assert "<form" not in markup
    assert "<input" not in markup
    assert 'el("form"' not in page  # nor does the script draw one
    assert "session_key" not in page
    config = drawn_config(page)
    assert config["mode"] == kind
    assert config["submitUrl"] == SCRIPTED_SUBMIT
    drawn = fresh.signin_renders()[-1]
    assert drawn["page"] == kind
    assert config["lang"] == drawn["lang"]

    email = new_account(fresh)
    wrong = client.send_json("POST", SCRIPTED_SUBMIT, {"email": email, "password": "nope"})
    assert wrong.status == 401
    assert wrong.json()["message"].startswith("Wrong email or password")
    right = client.send_json("POST", SCRIPTED_SUBMIT, {"email": email, "password": PW})
    # The 2026 page lands on "For you", served as the signed-in feed.
    assert right.json() == {"status": "SUCCESS", "redirect": "/feed/foryou/"}
    assert client.cookie("li_at") == fresh.session_tokens(email)[0]
    feed = client.get("/feed/foryou/")
    assert feed.status == 200
    assert email in feed.text
    assert Client(fresh.base_url).get("/feed/foryou/").status == 302  # signed out: sign in
    stats = fresh.stats(email)
    assert (stats["logins"], stats["failed_logins"], stats["login_attempts"]) == (1, 1, 2)

    # Checkpoints and refusals lead where they lead from every other page.
    fresh.set_challenge(email, "sms")
    challenged = Client(fresh.base_url).send_json(
        "POST", SCRIPTED_SUBMIT, {"email": email, "password": PW, "sessionRedirect": PAGE}
    )
    assert challenged.json()["status"] == "CHALLENGE"
    assert CHALLENGE_URL.fullmatch(challenged.json()["redirect"])
    fresh.set_challenge(email, "refused")
    refused = Client(fresh.base_url).send_json(
        "POST", SCRIPTED_SUBMIT, {"email": email, "password": PW}
    )
    assert refused.json()["redirect"] == REFUSED


def _kind_served(client: Client) -> str:
    reply = client.get("/login")
    if reply.status == 302:
        assert reply.location == "/flagship-web/login/"
        return "flagship"
    if 'id="username" name="session_key"' in reply.text:
        return "classic"
    return str(drawn_config(reply.text)["mode"])


def test_admin_chooses_the_sign_in_page_and_the_password_delay(fresh: Sandbox) -> None:
    admin = Client(fresh.base_url)
    bad: tuple[dict[str, object], ...] = (
        {"seed": "x"}, {"password_delay_s": -1}, {"password_delay_s": "soon"}, {"page": "2027"},
    )  # fmt: skip
    for body in bad:
        assert admin.send_json("PUT", "/__sandbox/signin", body).status == 400
    never = admin.send_json(
        "PUT", "/__sandbox/signin", {"page": "random", "seed": 3, "password_delay_s": "never"}
    )
    assert never.json()["page"] == "random"
    assert never.json()["password_delay_s"] == "never"
    assert fresh.signin_renders() == []
    admin.send_json("PUT", "/__sandbox/signin", {"page": "email-first", "password_delay_s": 1})
    config = drawn_config(admin.get("/login").text)
    assert (config["mode"], config["passwordDelayMs"]) == ("email-first", 1000)


def test_random_sign_in_page_per_render_repeats_with_its_seed(fresh: Sandbox) -> None:
    client = Client(fresh.base_url)
    fresh.set_signin_page("random", seed=7)
    served = [_kind_served(client) for _ in range(24)]
    assert set(served) == {"classic", "flagship", "2026", "email-first"}
    fresh.set_signin_page("random", seed=7)
    assert [_kind_served(client) for _ in range(24)] == served
    # The script-drawn ones vary too: language, which copy is hidden, what Enter does.
    renders = fresh.signin_renders()
    assert len({r["lang"] for r in renders}) > 1
    assert {r["hidden_first"] for r in renders} == {True, False}
    with pytest.raises(ValueError, match="sign-in page"):
        fresh.set_signin_page("2027")
    with pytest.raises(ValueError, match="negative"):
        fresh.set_password_delay(-1)
