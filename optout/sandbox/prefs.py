"""Settings & Privacy: the index pages, the setting pages and the settings API behind them."""

from __future__ import annotations

import dataclasses
import re
import secrets
import time

from optout.sandbox import heavy, pages
from optout.sandbox.catalog import (
    NEWER_CARD,
    NEWER_LABELS,
    NEWER_PAGE_SLUG,
    OTHER_SWITCH_LABELS,
    SETTINGS_ROOT,
    SettingSpec,
    category_by_slug,
    setting_by_card,
    setting_by_id,
    setting_by_key,
    setting_by_slug,
)
from optout.sandbox.cookies import unquote_value
from optout.sandbox.exchange import Request, Response, Route
from optout.sandbox.faults import Faults
from optout.sandbox.guard import csrf_ok, current_session, login_redirect, unauthorized
from optout.sandbox.i18n import words
from optout.sandbox.pages import PageOptions, SwitchRow
from optout.sandbox.state import SandboxAccount, SandboxState

AI_SETTING = "generative-ai-improvement"
# Where the AI setting's address leads for accounts on another page variant.
VARIANT_PAGES = {
    "psettings": "/psettings/data-for-ai-improvement",
    "newer-wording": f"{SETTINGS_ROOT}/settings/{NEWER_PAGE_SLUG}",
}


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
    account = state.account(session.email)
    return Response.html(pages.category_page(session.email, found, account.settings, account.lang))


def _trouble(state: SandboxState, faults: Faults, *, page: bool) -> Response | None:
    """What the account's faults, or chaos, do to a page (page=True) or card request."""
    hangs = faults.page_hangs if page else faults.api_hangs
    status = faults.page_status if page else faults.api_status
    if hangs:
        return Response.hang_up()
    chaos = state.chaos
    if chaos is not None:
        time.sleep(chaos.delay_s())
        status = status or chaos.error_status()
    if status is None:
        return None
    if not page:
        return _api_error(status, "Request denied" if status == 999 else "Server error")
    return Response.html(pages.error_page(status), status=status)


def _page_options(spec: SettingSpec, account: SandboxAccount, chaos_delay: float) -> PageOptions:
    faults = account.faults
    delays = {
        "render_delay_s": faults.render_delay_s,
        "hydration_delay_s": max(faults.hydration_delay_s, chaos_delay),
        "lang": account.lang,
    }
    if spec.slug == NEWER_PAGE_SLUG:
        both = tuple(SwitchRow(setting_by_id(sid).key, label)  # type: ignore[union-attr]
                     for sid, label in NEWER_LABELS.items())  # fmt: skip
        return PageOptions(
            card=NEWER_CARD, rows=both, primary_key=both[0].key, title=spec.title,
            yes_no=True, **delays,  # type: ignore[arg-type]
        )  # fmt: skip
    said = words(account.lang)
    main = SwitchRow(spec.key, said.label if spec.setting_id == AI_SETTING else spec.label)
    rows: tuple[SwitchRow, ...] = (main,)
    if account.variant == "multi-switch" and spec.setting_id == AI_SETTING:
        first, last = (SwitchRow(key, label) for key, label in OTHER_SWITCH_LABELS.items())
        rows = (first, main, last)
    return PageOptions(
        card=spec.card, rows=rows, primary_key=spec.key,
        title=said.title if spec.setting_id == AI_SETTING else None,
        redesigned=account.variant == "redesigned", **delays,  # type: ignore[arg-type]
    )  # fmt: skip


def setting_page(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    session = current_session(request, state)
    if session is None:
        return login_redirect(request)
    spec = setting_by_slug(match.group("slug"))
    account = state.account(session.email)
    if spec is None:
        return Response.html(pages.not_found_page(), status=404)
    if spec.slug == NEWER_PAGE_SLUG and account.variant != "newer-wording":
        return Response.html(pages.not_found_page(), status=404)
    if spec.setting_id == AI_SETTING and account.variant in VARIANT_PAGES:
        return Response.redirect(VARIANT_PAGES[account.variant])
    trouble = _trouble(state, account.faults, page=True)
    if trouble is not None:
        return trouble
    state.count_settings_page_view(session.email)
    chaos_delay = state.chaos.hydration_delay_s() if state.chaos else 0.0
    options = _page_options(spec, account, chaos_delay)
    if state.heavy:
        options = dataclasses.replace(
            options,
            heavy_assets=heavy.assets(request),
            render_delay_s=max(options.render_delay_s, heavy.RENDER_DELAY_S),
        )
    return Response.html(pages.setting_page(session.email, spec, options))


def legacy_page(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    """The older /psettings/ page, server-rendered, for accounts on that variant."""
    session = current_session(request, state)
    if session is None:
        return login_redirect(request)
    account = state.account(session.email)
    trouble = _trouble(state, account.faults, page=True)
    if trouble is not None:
        return trouble
    state.count_settings_page_view(session.email)
    offered = AI_SETTING in account.settings
    checked = account.settings.get(AI_SETTING, False)
    return Response.html(pages.psettings_page(session.email, checked=checked, offered=offered))


def legacy_save(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    session = current_session(request, state)
    if session is None:
        return unauthorized(request)
    form = request.form()
    if not csrf_ok(form, session):
        return _api_error(403, "CSRF check failed.")
    value = {"true": True, "false": False}.get(form.get("value", ""))
    if value is None:
        return _api_error(400, "Bad Request")
    return _store(state, session.email, AI_SETTING, value)


def other_page(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    if current_session(request, state) is None:
        return login_redirect(request)
    return Response.html(pages.not_found_page(), status=404)


def _card_setting(key: str, title: str, value: bool) -> dict[str, object]:
    """One setting as the card lists it; `selected` marks the stored value."""
    choices = [{"value": c, "selected": (c == "true") == value} for c in ("true", "false")]
    return {"key": key, "title": title, "settingDisplayValues": choices}


def _card_answer(card: str, account: SandboxAccount) -> dict[str, object] | None:
    values = account.settings
    if card == NEWER_CARD:
        if account.variant != "newer-wording":
            return None
        header = setting_by_id("ai-creation-tools")
        listed = [
            _card_setting(spec.key, NEWER_LABELS[sid], values[sid])
            for sid in NEWER_LABELS
            if (spec := setting_by_id(sid)) is not None and sid in values
        ]
    else:
        header = setting_by_card(card)
        if header is None:
            return None
        listed = []
        if header.setting_id in values:
            listed.append(_card_setting(header.key, header.label, values[header.setting_id]))
        if account.variant == "multi-switch" and header.setting_id == AI_SETTING:
            listed += [
                _card_setting(key, OTHER_SWITCH_LABELS[key], on)
                for key, on in account.others.items()
            ]
    assert header is not None
    said = words(account.lang)
    is_ai = header.setting_id == AI_SETTING
    return {
        "header": {
            "title": said.title if is_ai else header.title,
            "description": said.description if is_ai else header.description,
            "learnMoreUrl": header.learn_more,
        },
        "settings": listed,
    }


def read_card(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    session = current_session(request, state)
    if session is None:
        return unauthorized(request)
    account = state.account(session.email)
    trouble = _trouble(state, account.faults, page=False)
    if trouble is not None:
        return trouble
    answer = _card_answer(match.group("card"), account)
    if answer is None:
        return _api_error(404, "Not Found")
    return Response.json(answer)


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


def _store(state: SandboxState, email: str, setting_id: str, value: bool) -> Response:
    """A member's save, through the faults and chaos that may drop it."""
    if state.take_expiry_fault(email):
        return _api_error(401, "Unauthorized")
    faults = state.account(email).faults
    outcome = state.chaos.save_outcome() if state.chaos else "stored"
    if faults.save_fails or outcome == "failed":
        state.write_setting(email, setting_id, value, store=False)
        return _api_error(500, "Internal Server Error")
    lost = faults.save_lost or outcome == "lost"
    state.write_setting(email, setting_id, value, store=not lost)
    return Response.json({"value": "true" if value else "false"})


def write_setting(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    session = current_session(request, state)
    if session is None:
        return unauthorized(request)
    token = unquote_value(request.headers.get("csrf-token", ""))
    if not secrets.compare_digest(token.encode(), session.jsessionid.encode()):
        return _api_error(403, "CSRF check failed.")
    value = _requested_value(request)
    if value is None:
        return _api_error(400, "Bad Request")
    key = match.group("key")
    if key in OTHER_SWITCH_LABELS:
        state.write_other(session.email, key, value)
        return Response.json({"value": "true" if value else "false"})
    spec = setting_by_key(key)
    if spec is None or not state.offered(session.email, spec.setting_id):
        return _api_error(404, "Not Found")
    if state.chaos is not None:
        time.sleep(state.chaos.delay_s())
    return _store(state, session.email, spec.setting_id, value)


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
    Route(_GET, re.compile(r"/psettings/data-for-ai-improvement/?"), legacy_page),
    Route(frozenset({"POST"}), re.compile(r"/psettings/data-for-ai-improvement/?"), legacy_save),
    Route(_GET, re.compile(r"/mysettings-api/settingsApiSettingCards/(?P<card>\w+)"), read_card),
    Route(
        frozenset({"PUT"}),
        re.compile(r"/mysettings-api/settingsApiSettings/(?P<key>\w+)"),
        write_setting,
    ),
    Route(_ANY, re.compile(r"/mysettings-api(/.*)?"), other_api),
)
