"""Settings & Privacy: the index pages, the setting pages and the settings API behind them."""

from __future__ import annotations

import re
import secrets

from optout.sandbox import pages
from optout.sandbox.catalog import (
    SETTINGS_ROOT,
    SettingSpec,
    category_by_slug,
    setting_by_card,
    setting_by_key,
    setting_by_slug,
)
from optout.sandbox.cookies import unquote_value
from optout.sandbox.exchange import Request, Response, Route
from optout.sandbox.guard import current_session, login_redirect, unauthorized
from optout.sandbox.state import SandboxState


def _api_error(status: int, message: str) -> Response:
    return Response.json({"status": status, "message": message}, status=status)


def settings_home(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    if current_session(request, state) is None:
        return login_redirect(request)
    return Response.redirect(f"{SETTINGS_ROOT}/categories/account")


def category(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    session = current_session(request, state)
    if session is None:
        return login_redirect(request)
    found = category_by_slug(match.group("slug"))
    if found is None:
        return Response.html(pages.not_found_page(), status=404)
    values = state.account(session.email).settings
    return Response.html(pages.category_page(session.email, found, values))


def setting_page(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    session = current_session(request, state)
    if session is None:
        return login_redirect(request)
    spec = setting_by_slug(match.group("slug"))
    if spec is None:
        return Response.html(pages.not_found_page(), status=404)
    state.count_settings_page_view(session.email)
    return Response.html(pages.setting_page(session.email, spec))


def other_page(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    if current_session(request, state) is None:
        return login_redirect(request)
    return Response.html(pages.not_found_page(), status=404)


def _card_answer(spec: SettingSpec, value: bool | None) -> dict[str, object]:
    """The card as the page reads it; `selected` marks the stored value."""
    settings = []
    if value is not None:
        choices = [
            {"value": choice, "selected": (choice == "true") == value}
            for choice in ("true", "false")
        ]
        settings.append({"key": spec.key, "title": spec.label, "settingDisplayValues": choices})
    return {
        "header": {
            "title": spec.title,
            "description": spec.description,
            "learnMoreUrl": spec.learn_more,
        },
        "settings": settings,
    }


def read_card(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    session = current_session(request, state)
    if session is None:
        return unauthorized(request)
    spec = setting_by_card(match.group("card"))
    if spec is None:
        return _api_error(404, "Not Found")
    values = state.account(session.email).settings
    return Response.json(_card_answer(spec, values.get(spec.setting_id)))


def _requested_value(request: Request) -> bool | None:
    """The value of a `{"value": "true"|"false"}` body; None when malformed."""
    try:
        body = request.json()
    except ValueError:
        return None
    raw = body.get("value") if isinstance(body, dict) else None
    if isinstance(raw, bool):
        return raw
    return {"true": True, "false": False}.get(raw) if isinstance(raw, str) else None


def write_setting(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    session = current_session(request, state)
    if session is None:
        return unauthorized(request)
    token = unquote_value(request.headers.get("csrf-token", ""))
    if not secrets.compare_digest(token.encode(), session.jsessionid.encode()):
        return _api_error(403, "CSRF check failed.")
    spec = setting_by_key(match.group("key"))
    if spec is None or not state.offered(session.email, spec.setting_id):
        return _api_error(404, "Not Found")
    value = _requested_value(request)
    if value is None:
        return _api_error(400, "Bad Request")
    state.write_setting(session.email, spec.setting_id, value)
    return Response.json({"value": "true" if value else "false"})


def other_api(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    if current_session(request, state) is None:
        return unauthorized(request)
    return _api_error(404, "Not Found")


_GET = frozenset({"GET"})
_ANY = frozenset({"GET", "POST", "PUT"})

ROUTES: tuple[Route, ...] = (
    Route(_GET, re.compile(r"/mypreferences/d/?"), settings_home),
    Route(_GET, re.compile(r"/mypreferences/d/categories/(?P<slug>[a-z-]+)/?"), category),
    Route(_GET, re.compile(r"/mypreferences/d/settings/(?P<slug>[a-z-]+)/?"), setting_page),
    Route(_GET, re.compile(r"/mypreferences(/.*)?"), other_page),
    Route(_GET, re.compile(r"/mysettings-api/settingsApiSettingCards/(?P<card>\w+)"), read_card),
    Route(
        frozenset({"PUT"}),
        re.compile(r"/mysettings-api/settingsApiSettings/(?P<key>\w+)"),
        write_setting,
    ),
    Route(_ANY, re.compile(r"/mysettings-api(/.*)?"), other_api),
)
