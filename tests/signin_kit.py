"""Sign-in helpers for the sandbox's HTTP tests: new accounts, challenge ids and what a
signed-in (or refused) member must have."""

from __future__ import annotations

import re
import secrets

from sandbox_http import Client, Reply

from optout.sandbox import Sandbox

PW = "correct horse"
CHALLENGE_URL = re.compile(r"/checkpoint/challenge/([\w-]{40,})\?ut=[\w-]+")
RESTRICTION = "/flagship-web/login/login-restriction/"
REFUSED = "/checkpoint/lg/login?errorKey=challenge_global_internal_error"
SUBMIT = "/flagship-web/login/api/submit"


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


def poll(client: Client, cid: str) -> str:
    reply = client.get(f"/checkpoint/challengesV2/poll/{cid}")
    return str(reply.json()["status"])
