"""Settings & Privacy: the index pages, the setting pages and the settings API behind them."""

from __future__ import annotations

import dataclasses
import re
import secrets
import time

from optout.sandbox import cards, heavy, pages, setting_pages
from optout.sandbox.cards import AI_SETTING, DECOY_CARDS, answer_key, label_key
from optout.sandbox.catalog import (
    NEWER_CARD,
    NEWER_LABELS,
    NEWER_PAGE_SLUG,
    OTHER_SWITCH_LABELS,
    SETTINGS_ROOT,
    SettingSpec,
    category_by_slug,
    setting_by_id,
    setting_by_slug,
)
from optout.sandbox.cookies import unquote_value
from optout.sandbox.details import AI_ARIA_KEY
from optout.sandbox.exchange import Request, Response, Route
from optout.sandbox.faults import Faults
from optout.sandbox.guard import csrf_ok, current_session, login_redirect, unauthorized
from optout.sandbox.i18n import words
from optout.sandbox.setting_pages import PageOptions, SwitchRow
from optout.sandbox.state import SandboxAccount, SandboxState

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
    page = setting_pages.category_page(session.email, found, account.settings, account.lang)
    return Response.html(page)


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


def _row(spec: SettingSpec, label: str, account: SandboxAccount) -> SwitchRow:
    details = account.details
    return SwitchRow(
        answer_key(spec, details),
        label,
        label_key(spec) if details.label_id == "key" else None,
        offered=spec.setting_id in account.settings,
    )


def _page_options(spec: SettingSpec, account: SandboxAccount, chaos_delay: float) -> PageOptions:
    faults, details = account.faults, account.details
    common = {
        "render_delay_s": faults.render_delay_s,
        "hydration_delay_s": max(faults.hydration_delay_s, chaos_delay),
        "lang": account.lang,
        "details": details,
        "extra_cards": tuple(DECOY_CARDS)[: details.extra_cards],
    }
    if spec.slug == NEWER_PAGE_SLUG:
        both = tuple(_row(setting_by_id(sid), label, account)  # type: ignore[arg-type]
                     for sid, label in NEWER_LABELS.items())  # fmt: skip
        return PageOptions(
            card=NEWER_CARD, rows=both, primary_key=both[0].key, title=spec.title,
            yes_no=True, **common,  # type: ignore[arg-type]
        )  # fmt: skip
    said = words(account.lang)
    is_ai = spec.setting_id == AI_SETTING
    main = _row(spec, said.label if is_ai else spec.label, account)
    rows: tuple[SwitchRow, ...] = (main,)
    if account.variant == "multi-switch" and is_ai:
        keyed = details.label_id == "key"
        first, last = (
            SwitchRow(key, label, key if keyed else None)
            for key, label in OTHER_SWITCH_LABELS.items()
        )
        rows = (first, main, last)
    return PageOptions(
        card=cards.card_name(spec, details), rows=rows, primary_key=main.key,
        title=said.title if is_ai else None,
        redesigned=account.variant == "redesigned", **common,  # type: ignore[arg-type]
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
    return Response.html(setting_pages.setting_page(session.email, spec, options))


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
    label_id = AI_ARIA_KEY if account.details.label_id == "key" else None
    page = setting_pages.psettings_page(
        session.email, checked=checked, offered=offered, label_id=label_id
    )
    return Response.html(page)


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


def read_card(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    session = current_session(request, state)
    if session is None:
        return unauthorized(request)
    account = state.account(session.email)
    trouble = _trouble(state, account.faults, page=False)
    if trouble is not None:
        return trouble
    answer = cards.card_answer(match.group("card"), account)
    if answer is None:
        return _api_error(404, "Not Found")
    return Response.json(answer)


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
    return Response.json({"value": state.details(email).word(value)})


def write_setting(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    session = current_session(request, state)
    if session is None:
        return unauthorized(request)
    token = unquote_value(request.headers.get("csrf-token", ""))
    if not secrets.compare_digest(token.encode(), session.jsessionid.encode()):
        return _api_error(403, "CSRF check failed.")
    key, details = match.group("key"), state.details(session.email)
    try:
        body: object = request.json()
    except ValueError:
        body = None
    value = cards.requested_value(body, key, details)
    if value is None:
        return _api_error(400, "Bad Request")
    if key in OTHER_SWITCH_LABELS:
        state.write_other(session.email, key, value)
        return Response.json({"value": details.word(value)})
    spec = cards.setting_for_key(key, details)
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
