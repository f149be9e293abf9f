"""Routes outside Settings: sign-in (classic, chooser, flagship, the script-drawn pages),
feed, authwall, sign-out."""

from __future__ import annotations

import html
import re
import secrets
from urllib.parse import urlencode

from optout.sandbox import pages
from optout.sandbox.cookies import remember_cookie, session_cookies, signed_out_cookies
from optout.sandbox.exchange import Request, Response, Route
from optout.sandbox.guard import current_session, login_redirect, safe_redirect
from optout.sandbox.pages import Html
from optout.sandbox.scripted_signin import LANDING, SCRIPTED_PAGES, SUBMIT_PATH, scripted_login_page
from optout.sandbox.state import (
    Blocked,
    Challenged,
    Refused,
    SandboxState,
    Session,
    SignedIn,
    SignInOutcome,
)

_UNKNOWN_EMAIL = "Couldn't find a LinkedIn account associated with this email. Try again."
_WRONG_PASSWORD_TEXT = "Wrong email or password. Try again or create an account."  # noqa: S105 - an error message
_WRONG_PASSWORD = Html(
    'Wrong email or password. Try again or <a href="/signup/cold-join">create an account</a> .'
)
_EMPTY_EMAIL = "Please enter an email address or phone number"
_EMPTY_PASSWORD = "Please enter a password."  # noqa: S105 - an error message

RESTRICTION_PATH = "/flagship-web/login/login-restriction/"
REFUSED_PATH = "/checkpoint/lg/login?errorKey=challenge_global_internal_error"
FLAGSHIP_PATH = "/flagship-web/login/"


def signed_in(response: Response, request: Request, state: SandboxState, session: Session) -> None:
    """Set what a finished sign-in sets: the session, and this browser remembering the member."""
    for header in session_cookies(session):
        response.set_cookie(header)
    token = state.remember(request.cookies.get("li_rm"), session.email)
    response.set_cookie(remember_cookie(token))


def _rate_limited() -> Response:
    return Response.html(pages.error_page(999), status=999)


def _blocked_target(outcome: Blocked) -> str:
    return RESTRICTION_PATH if outcome.reason == "restricted" else REFUSED_PATH


def _challenge_target(outcome: Challenged) -> str:
    return f"/checkpoint/challenge/{outcome.challenge_id}?ut={secrets.token_urlsafe(24)}"


def _password_outcome(
    state: SandboxState, email: str, password: str, redirect: str
) -> SignInOutcome:
    return state.sign_in(email, password, safe_redirect(redirect) or "")


def root(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    signed_in_now = current_session(request, state) is not None
    return Response.redirect("/feed/" if signed_in_now else "/login")


def login(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    redirect = request.query("session_redirect") or ""
    if current_session(request, state) is not None:
        return Response.redirect(safe_redirect(redirect) or "/feed/")
    kind = state.signin.now()
    if kind == "flagship":
        query = "?" + urlencode({"session_redirect": redirect}) if redirect else ""
        return Response.redirect(FLAGSHIP_PATH + query)
    if kind in SCRIPTED_PAGES:
        page, drawn = scripted_login_page(
            kind, session_redirect=redirect, rng=state.signin.rng,
            password_delay_s=state.signin.password_delay_s,
        )  # fmt: skip
        state.signin.note(drawn)
        return Response.html(page)
    remembered = state.remembered(request.cookies.get("li_rm")) if state.chooser else []
    if remembered and request.query("useAnotherAccount") != "true":
        another = {"trk": "guest_homepage", "fromSignIn": "true", "useAnotherAccount": "true"}
        if redirect:
            another["session_redirect"] = redirect
        delay_s = state.signin.chooser_delay()
        state.signin.note({"page": "chooser", "chooser_delay_s": delay_s})
        page = pages.chooser_page(
            emails=remembered,
            session_redirect=redirect,
            another_href="/login?" + urlencode(another),
            shown_after_s=delay_s,
        )
        return Response.html(page)
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
        return refuse(Html(html.escape(_EMPTY_EMAIL)), None)
    if not password:
        return refuse(None, Html(html.escape(_EMPTY_PASSWORD)))
    match _password_outcome(state, email, password, redirect):
        case Refused(reason="unknown_email"):
            return refuse(Html(html.escape(_UNKNOWN_EMAIL)), None)
        case Refused():
            return refuse(None, _WRONG_PASSWORD)
        case Blocked(reason="rate_limited"):
            return _rate_limited()
        case Blocked() as blocked:
            return Response.redirect(_blocked_target(blocked))
        case Challenged() as challenged:
            return Response.redirect(_challenge_target(challenged))
        case SignedIn(session=session):
            response = Response.redirect(safe_redirect(redirect) or "/feed/")
            signed_in(response, request, state, session)
            return response


def login_submit_get(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    return Response.redirect("/login")


def checkpoint_login(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    # Where LinkedIn sends a sign-in it refuses without saying why.
    if request.query("errorKey"):
        return Response.html(pages.sign_in_error_page())
    return Response.redirect("/login")


# --- the newer single-page sign-in ---------------------------------------------


def flagship_login(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    redirect = request.query("session_redirect") or ""
    if current_session(request, state) is not None:
        return Response.redirect(safe_redirect(redirect) or "/feed/")
    return Response.html(pages.flagship_login_page(session_redirect=redirect))


def _submitted_fields(request: Request) -> tuple[str, str, str]:
    """(email, password, redirect) from the page's JSON, or from a form post."""
    if "json" in request.headers.get("content-type", ""):
        try:
            body = request.json()
        except ValueError:
            body = None
        data = body if isinstance(body, dict) else {}
    else:
        data = dict(request.form())

    def text(*names: str) -> str:
        value = next((data[n] for n in names if n in data), "")
        return value if isinstance(value, str) else ""

    return (
        text("email", "session_key").strip(),
        text("password", "session_password"),
        text("sessionRedirect", "session_redirect"),
    )


def flagship_submit(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    return _json_submit(request, state, "/feed/")


def scripted_submit(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    return _json_submit(request, state, LANDING)


def _json_submit(request: Request, state: SandboxState, landing: str) -> Response:
    """The sign-in sent by script: the outcome as JSON, a page to go to in `redirect`."""
    email, password, redirect = _submitted_fields(request)

    def failure(status: int, field: str, message: str) -> Response:
        return Response.json(
            {"status": "FAILURE", "field": field, "message": message}, status=status
        )

    if not email:
        return failure(400, "email", _EMPTY_EMAIL)
    if not password:
        return failure(400, "password", _EMPTY_PASSWORD)
    match _password_outcome(state, email, password, redirect):
        case Refused(reason="unknown_email"):
            return failure(401, "email", _UNKNOWN_EMAIL)
        case Refused():
            return failure(401, "password", _WRONG_PASSWORD_TEXT)
        case Blocked(reason="rate_limited"):
            return _rate_limited()
        case Blocked() as blocked:
            status = "RESTRICTED" if blocked.reason == "restricted" else "ERROR"
            return Response.json({"status": status, "redirect": _blocked_target(blocked)})
        case Challenged() as challenged:
            return Response.json({"status": "CHALLENGE", "redirect": _challenge_target(challenged)})
        case SignedIn(session=session):
            target = safe_redirect(redirect) or landing
            response = Response.json({"status": "SUCCESS", "redirect": target})
            signed_in(response, request, state, session)
            return response


def restriction(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    return Response.html(pages.restriction_page())


# --- signed in, or not ------------------------------------------------------------


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
    # The remember-me cookie stays: signing out is when "Welcome back" appears.
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
    Route(_GET, re.compile(r"/checkpoint/lg/login"), checkpoint_login),
    Route(_GET, re.compile(r"/flagship-web/login/?"), flagship_login),
    Route(_POST, re.compile(r"/flagship-web/login/api/submit"), flagship_submit),
    Route(_GET, re.compile(r"/flagship-web/login/login-restriction/?"), restriction),
    Route(_POST, re.compile(re.escape(SUBMIT_PATH)), scripted_submit),
    Route(_GET, re.compile(r"/feed/"), feed),
    Route(_GET, re.compile(r"/feed/foryou/?"), feed),
    Route(_GET, re.compile(r"/feed"), feed_slash),
    Route(_GET, re.compile(r"/m/logout/?"), logout),
    Route(_GET, re.compile(r"/authwall"), authwall),
)
