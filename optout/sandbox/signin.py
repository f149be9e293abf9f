"""Routes outside Settings: sign-in, checkpoint, feed, authwall, sign-out."""

from __future__ import annotations

import re
import secrets

from optout.sandbox import pages
from optout.sandbox.cookies import session_cookies, signed_out_cookies
from optout.sandbox.exchange import Request, Response, Route
from optout.sandbox.guard import current_session, login_redirect, safe_redirect
from optout.sandbox.pages import Html
from optout.sandbox.state import Challenged, Refused, SandboxState, SignedIn

_UNKNOWN_EMAIL = Html(
    "Couldn&#x27;t find a LinkedIn account associated with this email. Try again."
)
_WRONG_PASSWORD = Html(
    'Wrong email or password. Try again or <a href="/signup/cold-join">create an account</a> .'
)
_EMPTY_EMAIL = Html("Please enter an email address or phone number")
_EMPTY_PASSWORD = Html("Please enter a password.")
_BAD_PIN = "The verification code you entered isn't valid. Please check the code and try again."


def root(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    signed_in = current_session(request, state) is not None
    return Response.redirect("/feed/" if signed_in else "/login")


def login(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    redirect = request.query("session_redirect") or ""
    if current_session(request, state) is not None:
        return Response.redirect(safe_redirect(redirect) or "/feed/")
    return Response.html(pages.login_page(session_redirect=redirect))


def login_submit(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    form = request.form()
    email = form.get("session_key", "").strip()
    password = form.get("session_password", "")
    redirect = form.get("session_redirect", "")

    def refuse(user_error: Html | None, pass_error: Html | None) -> Response:
        # LinkedIn answers a refused sign-in with the form again, at the submit URL.
        page = pages.login_page(
            username=email,
            session_redirect=redirect,
            username_error=user_error,
            password_error=pass_error,
        )
        return Response.html(page)

    if not email:
        return refuse(_EMPTY_EMAIL, None)
    if not password:
        return refuse(None, _EMPTY_PASSWORD)
    match state.sign_in(email, password):
        case Refused(reason="unknown_email"):
            return refuse(_UNKNOWN_EMAIL, None)
        case Refused():
            return refuse(None, _WRONG_PASSWORD)
        case Challenged(challenge_id=challenge_id):
            ut = secrets.token_urlsafe(24)
            return Response.redirect(f"/checkpoint/challenge/{challenge_id}?ut={ut}")
        case SignedIn(session=session):
            response = Response.redirect(safe_redirect(redirect) or "/feed/")
            for header in session_cookies(session):
                response.set_cookie(header)
            return response


def login_submit_get(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    return Response.redirect("/login")


def challenge(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    challenge_id = match.group("challenge_id")
    if not state.has_challenge(challenge_id):
        return Response.redirect("/login")
    page = pages.challenge_page(
        challenge_id=challenge_id, challenge_path=request.target, pin_error=None
    )
    return Response.html(page)


def challenge_verify(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    # Answering challenges is not imitated yet: every PIN is refused, as a wrong one would be.
    challenge_id = request.form().get("challengeId", "")
    if not state.has_challenge(challenge_id):
        return Response.redirect("/login")
    page = pages.challenge_page(
        challenge_id=challenge_id,
        challenge_path=f"/checkpoint/challenge/{challenge_id}",
        pin_error=_BAD_PIN,
    )
    return Response.html(page)


def feed(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    session = current_session(request, state)
    if session is None:
        return login_redirect(request)
    return Response.html(pages.feed_page(session.email))


def feed_slash(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    return Response.redirect("/feed/", status=301)


def logout(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    li_at = request.cookies.get("li_at")
    if li_at:
        state.end_session(li_at)
    response = Response.redirect("/login")
    for header in signed_out_cookies():
        response.set_cookie(header)
    return response


def authwall(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    return Response.html(pages.authwall_page())


_GET = frozenset({"GET"})
_POST = frozenset({"POST"})

ROUTES: tuple[Route, ...] = (
    Route(_GET, re.compile(r"/"), root),
    Route(_GET, re.compile(r"/login/?"), login),
    Route(_POST, re.compile(r"/checkpoint/lg/login-submit"), login_submit),
    Route(_GET, re.compile(r"/checkpoint/lg/login-submit"), login_submit_get),
    Route(_GET, re.compile(r"/checkpoint/challenge/(?P<challenge_id>[A-Za-z0-9_-]+)"), challenge),
    Route(_POST, re.compile(r"/checkpoint/challenge/verify"), challenge_verify),
    Route(_GET, re.compile(r"/feed/"), feed),
    Route(_GET, re.compile(r"/feed"), feed_slash),
    Route(_GET, re.compile(r"/m/logout/?"), logout),
    Route(_GET, re.compile(r"/authwall"), authwall),
)
