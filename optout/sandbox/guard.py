"""Who is signed in, and what LinkedIn answers when nobody is."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from urllib.parse import quote

from optout.sandbox.cookies import signed_out_cookies, unquote_value
from optout.sandbox.exchange import Request, Response
from optout.sandbox.state import SandboxState, Session


def current_session(request: Request, state: SandboxState) -> Session | None:
    """The live session behind the li_at cookie; an expired or unknown one counts as none."""
    return state.session(request.cookies.get("li_at"))


def csrf_ok(form: Mapping[str, str], session: Session) -> bool:
    """A posted form's csrfToken is the session's JSESSIONID, as LinkedIn checks it."""
    token = unquote_value(form.get("csrfToken", ""))
    return secrets.compare_digest(token.encode(), session.jsessionid.encode())


def _forget_dead_session(request: Request, response: Response) -> Response:
    # LinkedIn overwrites a li_at it no longer accepts, so the browser stops sending it.
    if request.cookies.get("li_at"):
        for header in signed_out_cookies():
            response.set_cookie(header)
    return response


def login_redirect(request: Request) -> Response:
    """A page that needs a member sends the browser to sign in, then back here."""
    location = "/login?session_redirect=" + quote(request.target, safe="")
    return _forget_dead_session(request, Response.redirect(location))


def unauthorized(request: Request) -> Response:
    """The API's answer without a session: JSON, never a redirect."""
    answer = Response.json({"status": 401, "message": "Unauthorized"}, status=401)
    return _forget_dead_session(request, answer)


def safe_redirect(target: str | None) -> str | None:
    """A same-origin path to continue to after sign-in, or None for anything else."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    if any(ord(ch) < 0x20 or ch == "\\" for ch in target):
        return None
    return target
