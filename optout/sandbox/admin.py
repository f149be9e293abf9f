"""JSON endpoints under /__sandbox/ that drive a sandbox running in another process."""

from __future__ import annotations

import re
from dataclasses import asdict
from urllib.parse import unquote

from optout.sandbox.details import PageDetails
from optout.sandbox.exchange import Request, Response, Route
from optout.sandbox.faults import Chaos, Faults
from optout.sandbox.forms import site_forms
from optout.sandbox.signin_choice import RANDOM_SIGNIN, SIGNIN_PAGES
from optout.sandbox.state import SandboxState, normalize_email


def _error(status: int, message: str) -> Response:
    return Response.json({"error": message}, status=status)


def _json_object(request: Request) -> dict[str, object] | None:
    try:
        body = request.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _settings_field(value: object) -> dict[str, bool] | None:
    if not isinstance(value, dict):
        return None
    if not all(isinstance(k, str) and isinstance(v, bool) for k, v in value.items()):
        return None
    return {str(k): bool(v) for k, v in value.items()}


def _details_field(value: object, base: PageDetails) -> PageDetails | None:
    """Page details from a request (fields left out keep `base`'s); None: not given."""
    return None if value is None else PageDetails.from_json(value, base)


def create_account(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    body = _json_object(request)
    if body is None:
        return _error(400, "body must be a JSON object")
    email, password = body.get("email"), body.get("password")
    checkpoint = body.get("checkpoint", False)
    raw_settings = body.get("settings")
    settings = None if raw_settings is None else _settings_field(raw_settings)
    if not isinstance(email, str) or not isinstance(password, str):
        return _error(400, "email and password must be strings")
    if not isinstance(checkpoint, bool):
        return _error(400, "checkpoint must be true or false")
    if raw_settings is not None and settings is None:
        return _error(400, "settings must map setting ids to true or false")
    variant, lang = body.get("variant", "current"), body.get("lang", "en")
    if not isinstance(variant, str) or not isinstance(lang, str):
        return _error(400, "variant and lang must be strings")
    challenge, totp_secret = body.get("challenge"), body.get("totp_secret")
    if not all(v is None or isinstance(v, str) for v in (challenge, totp_secret)):
        return _error(400, "challenge and totp_secret must be strings or null")
    try:
        faults = Faults.from_json(body.get("faults", {}))
        drawn = state.drawn_details(normalize_email(email))
        details = _details_field(body.get("details"), drawn)
        state.add_account(
            email, password, settings=settings, checkpoint=checkpoint,
            variant=variant, lang=lang, faults=faults,
            challenge=challenge, totp_secret=totp_secret,  # type: ignore[arg-type]
            details=details,
        )  # fmt: skip
    except ValueError as exc:
        status = 409 if "already exists" in str(exc) else 400
        return _error(status, str(exc))
    return Response.json(_account_json(state, email), status=201)


def _account_json(state: SandboxState, email: str) -> dict[str, object]:
    """The account as tests read it, with what a person would read off their phone."""
    data = asdict(state.account(email))
    data["pending_pin"] = state.pending_pin(email)
    data["pending_challenge"] = state.pending_challenge(email)
    data["totp_secret"] = state.totp_secret(email)
    return data


def show_account(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    try:
        return Response.json(_account_json(state, unquote(match.group("email"))))
    except KeyError:
        return _error(404, "no such account")


def put_challenge(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    body = _json_object(request)
    if body is None or "challenge" not in body:
        return _error(400, 'body must be {"challenge": kind|null, "totp_secret"?: string}')
    challenge, totp_secret = body.get("challenge"), body.get("totp_secret")
    if not all(v is None or isinstance(v, str) for v in (challenge, totp_secret)):
        return _error(400, "challenge and totp_secret must be strings or null")
    email = unquote(match.group("email"))
    try:
        state.set_challenge(email, challenge, totp_secret)  # type: ignore[arg-type]
        return Response.json(_account_json(state, email))
    except KeyError:
        return _error(404, "no such account")
    except ValueError as exc:
        return _error(400, str(exc))


def solve(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    try:
        solved = state.solve(unquote(match.group("email")))
    except KeyError:
        return _error(404, "no such account")
    if not solved:
        return _error(409, "no app or captcha challenge is waiting for this account")
    return Response.json({"solved": True})


def _signin_json(state: SandboxState) -> dict[str, object]:
    delay = state.signin.password_delay_s
    return {
        "page": state.signin.page,
        "chooser": state.chooser,
        "app_timeout_s": state.app_timeout_s,
        "password_delay_s": "never" if delay is None else delay,
    }


def show_signin(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    return Response.json(_signin_json(state))


def _seconds(value: object) -> float | None:
    """A number of seconds (not negative), or None for anything else."""
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        return None
    return float(value)


def _signin_problem(body: dict[str, object]) -> str | None:
    """Why the sign-in settings in `body` cannot be taken; None when they can."""
    page, chooser, seed = body.get("page"), body.get("chooser"), body.get("seed")
    timeout, delay = body.get("app_timeout_s"), body.get("password_delay_s")
    pages = (*SIGNIN_PAGES, RANDOM_SIGNIN)
    if page is not None and page not in pages:
        return f"page must be one of: {', '.join(pages)}"
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        return "seed must be a whole number"
    if chooser is not None and not isinstance(chooser, bool):
        return "chooser must be true or false"
    if timeout is not None and _seconds(timeout) is None:
        return "app_timeout_s must be a number of seconds"
    if delay is not None and delay != "never" and _seconds(delay) is None:
        return 'password_delay_s must be a number of seconds or "never"'
    return None


def put_signin(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    body = _json_object(request)
    if body is None:
        return _error(400, "body must be a JSON object")
    problem = _signin_problem(body)
    if problem is not None:
        return _error(400, problem)
    page, chooser, seed = body.get("page"), body.get("chooser"), body.get("seed")
    timeout, delay = body.get("app_timeout_s"), body.get("password_delay_s")
    if isinstance(page, str) or isinstance(seed, int):
        number = seed if isinstance(seed, int) else None  # a bool was refused above
        state.signin.choose(page if isinstance(page, str) else state.signin.page, number)
    if isinstance(chooser, bool):
        state.chooser = chooser
    if timeout is not None:
        state.app_timeout_s = _seconds(timeout) or 0.0
    if delay is not None:
        state.signin.password_delay_s = None if delay == "never" else _seconds(delay)
    return Response.json(_signin_json(state))


def put_setting(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    body = _json_object(request)
    value = None if body is None else body.get("value")
    if not isinstance(value, bool):
        return _error(400, 'body must be {"value": true|false}')
    email = unquote(match.group("email"))
    try:
        state.set_setting(email, unquote(match.group("setting_id")), value)
    except KeyError:
        return _error(404, "no such account")
    except ValueError as exc:
        return _error(400, str(exc))
    return Response.json(asdict(state.account(email)))


def expire(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    try:
        state.expire_sessions(unquote(match.group("email")))
    except KeyError:
        return _error(404, "no such account")
    return Response.json({"expired": True})


def put_variant(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    body = _json_object(request) or {}
    variant, lang = body.get("variant"), body.get("lang")
    if not all(v is None or isinstance(v, str) for v in (variant, lang)):
        return _error(400, "variant and lang must be strings")
    email = unquote(match.group("email"))
    try:
        state.set_variant(email, variant, lang)  # type: ignore[arg-type]
    except KeyError:
        return _error(404, "no such account")
    except ValueError as exc:
        return _error(400, str(exc))
    return Response.json(asdict(state.account(email)))


def put_faults(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    email = unquote(match.group("email"))
    try:
        state.set_faults(email, Faults.from_json(_json_object(request)))
    except KeyError:
        return _error(404, "no such account")
    except ValueError as exc:
        return _error(400, str(exc))
    return Response.json(asdict(state.account(email)))


def put_details(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    """Fix an account's page details (a partial object changes only what it names);
    a body of null draws them again from the email and the details seed."""
    email = unquote(match.group("email"))
    try:
        body = request.json()
        state.set_details(email, _details_field(body, state.details(email)))
    except KeyError:
        return _error(404, "no such account")
    except ValueError as exc:
        return _error(400, str(exc))
    return Response.json(state.details(email).to_json())


def show_forms(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    """The form of every setting page the account is served, by path."""
    try:
        account = state.account(unquote(match.group("email")))
    except KeyError:
        return _error(404, "no such account")
    forms = site_forms(account.details, account.variant).forms
    return Response.json({form.page.path: form.to_json() for form in forms})


def show_details_seed(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    return Response.json({"seed": state.details_seed})


def put_details_seed(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    body = _json_object(request)
    seed = "missing" if body is None else body.get("seed", "missing")
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
        return _error(400, 'body must be {"seed": integer|null}')
    state.details_seed = seed
    return Response.json({"seed": seed})


def put_chaos(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    body = _json_object(request) or {}
    seed, rate = body.get("seed"), body.get("rate", 0.3)
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
        return _error(400, "seed must be an integer or null")
    if not isinstance(rate, int | float) or isinstance(rate, bool):
        return _error(400, "rate must be a number")
    try:
        state.chaos = None if seed is None else Chaos(seed, float(rate))
    except ValueError as exc:
        return _error(400, str(exc))
    return Response.json({"seed": seed, "rate": rate})


def unknown(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    return _error(404, "no such endpoint")


_ACCOUNT = r"/__sandbox/accounts/(?P<email>[^/]+)"

ROUTES: tuple[Route, ...] = (
    Route(frozenset({"POST"}), re.compile(r"/__sandbox/accounts/?"), create_account),
    Route(frozenset({"GET"}), re.compile(_ACCOUNT), show_account),
    Route(
        frozenset({"PUT"}),
        re.compile(_ACCOUNT + r"/settings/(?P<setting_id>[^/]+)"),
        put_setting,
    ),
    Route(frozenset({"POST"}), re.compile(_ACCOUNT + r"/expire"), expire),
    Route(frozenset({"PUT"}), re.compile(_ACCOUNT + r"/variant"), put_variant),
    Route(frozenset({"PUT"}), re.compile(_ACCOUNT + r"/faults"), put_faults),
    Route(frozenset({"PUT"}), re.compile(_ACCOUNT + r"/details"), put_details),
    Route(frozenset({"GET"}), re.compile(_ACCOUNT + r"/forms"), show_forms),
    Route(frozenset({"GET"}), re.compile(r"/__sandbox/details"), show_details_seed),
    Route(frozenset({"PUT"}), re.compile(r"/__sandbox/details"), put_details_seed),
    Route(frozenset({"PUT"}), re.compile(_ACCOUNT + r"/challenge"), put_challenge),
    Route(frozenset({"POST"}), re.compile(_ACCOUNT + r"/(?:solve|approve)"), solve),
    Route(frozenset({"PUT"}), re.compile(r"/__sandbox/chaos"), put_chaos),
    Route(frozenset({"GET"}), re.compile(r"/__sandbox/signin"), show_signin),
    Route(frozenset({"PUT"}), re.compile(r"/__sandbox/signin"), put_signin),
    Route(frozenset({"GET", "POST", "PUT"}), re.compile(r"/__sandbox(/.*)?"), unknown),
)
