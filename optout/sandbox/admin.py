"""JSON endpoints under /__sandbox/ that drive a sandbox running in another process."""

from __future__ import annotations

import re
from dataclasses import asdict
from urllib.parse import unquote

from optout.sandbox.exchange import Request, Response, Route
from optout.sandbox.state import SandboxState


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
    try:
        state.add_account(email, password, settings=settings, checkpoint=checkpoint)
    except ValueError as exc:
        status = 409 if "already exists" in str(exc) else 400
        return _error(status, str(exc))
    return Response.json(asdict(state.account(email)), status=201)


def show_account(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    try:
        account = state.account(unquote(match.group("email")))
    except KeyError:
        return _error(404, "no such account")
    return Response.json(asdict(account))


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
    Route(frozenset({"GET", "POST", "PUT"}), re.compile(r"/__sandbox(/.*)?"), unknown),
)
