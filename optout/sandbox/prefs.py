"""Settings & Privacy: the index pages, the setting pages and the settings API behind them."""

from __future__ import annotations

import dataclasses
import re
import secrets
import time

from optout.sandbox import cards, heavy, pages, setting_pages
from optout.sandbox.catalog import category_by_slug
from optout.sandbox.cookies import unquote_value
from optout.sandbox.details import AI_ARIA_KEY, PageDetails
from optout.sandbox.exchange import Request, Response, Route
from optout.sandbox.faults import Faults
from optout.sandbox.forms import site_forms
from optout.sandbox.guard import csrf_ok, current_session, login_redirect, unauthorized
from optout.sandbox.page_options import page_options
from optout.sandbox.settings_catalog import (
    AI_PAGE,
    AI_SETTING,
    MOVED_NEWER_PAGE,
    NEWER_PAGE,
    OTHER_SWITCH_LABELS,
    SETTINGS_ROOT,
    page_by_path,
)
from optout.sandbox.state import SandboxState
from optout.sandbox.truth import SandboxAccount

LEGACY_PAGE = "/psettings/data-for-ai-improvement"
# Where the AI setting's address leads for accounts on another page variant.
VARIANT_PAGES = {
    "psettings": LEGACY_PAGE,
    "newer-wording": NEWER_PAGE,
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
    page = setting_pages.category_page(
        session.email, found, state.index_values(session.email), account.lang, account.details,
        newer_page=_newer_page_listed(account),
    )  # fmt: skip
    return Response.html(page)


def _newer_page(account: SandboxAccount) -> str | None:
    """Where the account's newer wording's page is; None for an account without one."""
    if account.variant != "newer-wording":
        return None
    return MOVED_NEWER_PAGE if account.details.newer_address == "moved" else NEWER_PAGE


def _newer_page_listed(account: SandboxAccount) -> str | None:
    """The newer wording's page, where the index links to it by its name: wherever the
    AI setting's own address does not lead there (PageDetails.newer_address)."""
    listed = account.details.newer_address in ("gone", "moved")
    return _newer_page(account) if listed else None


def _catalog_path(path: str, account: SandboxAccount) -> str | None:
    """The page of the catalog an address serves this account; None for none (404)."""
    path = path.rstrip("/")
    newer = _newer_page(account)
    if newer == MOVED_NEWER_PAGE and path in (NEWER_PAGE, MOVED_NEWER_PAGE):
        return NEWER_PAGE if path == MOVED_NEWER_PAGE else None
    return path


def _variant_redirect(page_path: str, account: SandboxAccount) -> Response | None:
    """Where the AI setting's address leads an account on another page variant."""
    if page_path != AI_PAGE or account.variant not in VARIANT_PAGES:
        return None
    newer = _newer_page(account)
    if newer is not None and account.details.newer_address == "gone":
        return Response.html(pages.not_found_page(), status=404)
    return Response.redirect(newer or VARIANT_PAGES[account.variant])


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


def setting_page(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    session = current_session(request, state)
    if session is None:
        return login_redirect(request)
    account = state.account(session.email)
    path = _catalog_path(request.path, account)
    page = page_by_path(path) if path is not None else None
    forms = site_forms(account.details, account.variant)
    form = None if page is None else forms.for_page(page.path)
    redirect = _variant_redirect(page.path, account) if page is not None else None
    if redirect is not None:
        return redirect
    if page is None or form is None:
        # An address LinkedIn never had, or a page this member's variant does not have.
        return Response.html(pages.not_found_page(), status=404)
    trouble = _trouble(state, account.faults, page=True)
    if trouble is not None:
        return trouble
    state.count_settings_page_view(session.email, page.path)
    chaos_delay = state.chaos.hydration_delay_s() if state.chaos else 0.0
    options = page_options(form, account, chaos_delay)
    if state.heavy:
        options = dataclasses.replace(
            options,
            heavy_assets=heavy.assets(request),
            render_delay_s=max(options.render_delay_s, heavy.RENDER_DELAY_S),
        )
    return Response.html(setting_pages.setting_page(session.email, page, options))


def legacy_page(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    """The older /psettings/ page, for accounts on that variant: drawn by the server, or
    by script (PageDetails.legacy_drawn)."""
    session = current_session(request, state)
    if session is None:
        return login_redirect(request)
    account = state.account(session.email)
    trouble = _trouble(state, account.faults, page=True)
    if trouble is not None:
        return trouble
    state.count_settings_page_view(session.email, LEGACY_PAGE)
    offered = AI_SETTING in cards.shown_settings(account)
    checked = account.settings.get(AI_SETTING, False)
    details = account.details
    label_id = AI_ARIA_KEY if details.label_id == "key" else None
    page = setting_pages.psettings_page(
        session.email, checked=checked, offered=offered, label_id=label_id,
        lacking_words=cards.ai_notice_words(account), main_element=details.main_element,
        drawn=details.legacy_drawn, draw_s=details.legacy_draw_s,
    )  # fmt: skip
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
    details = state.details(session.email)
    return _store(state, session.email, AI_SETTING, value, details, details.answer_key)


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
    # The card after the path, or in the query (PageDetails.card_address).
    card = match.group("card") or request.query("cardKey")
    answer = cards.card_answer(card, account) if card else None
    if answer is None:
        return _api_error(404, "Not Found")
    return Response.json(answer)


def _store(
    state: SandboxState, email: str, setting_id: str, value: bool, details: PageDetails, key: str
) -> Response:
    """A member's save, through the faults and chaos that may drop it; the answer
    speaks the value words of the page's `details`."""
    if state.take_expiry_fault(email):
        return _api_error(401, "Unauthorized")
    faults = state.account(email).faults
    outcome = state.chaos.save_outcome() if state.chaos else "stored"
    if faults.save_fails_once:
        state.set_faults(email, dataclasses.replace(faults, save_fails_once=False))
    if faults.save_fails or faults.save_fails_once or outcome == "failed":
        state.write_setting(email, setting_id, value, store=False)
        return _api_error(500, "Internal Server Error")
    lost = faults.save_lost or outcome == "lost"
    state.write_setting(email, setting_id, value, store=not lost)
    return Response.json({"value": details.word(value, key)})


def write_setting(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    session = current_session(request, state)
    if session is None:
        return unauthorized(request)
    token = unquote_value(request.headers.get("csrf-token", ""))
    if not secrets.compare_digest(token.encode(), session.jsessionid.encode()):
        return _api_error(403, "CSRF check failed.")
    key, account = match.group("key"), state.account(session.email)
    owner = site_forms(account.details, account.variant).owner_of_key(key)
    details = account.details if owner is None else owner[0].details
    try:
        body: object = request.json()
    except ValueError:
        body = None
    value = cards.requested_value(body, key, details)
    if value is None:
        return _api_error(400, "Bad Request")
    if key in OTHER_SWITCH_LABELS or (owner is not None and key in owner[0].decoys):
        state.write_other(session.email, key, value)
        return Response.json({"value": details.word(value, key)})
    if owner is None or not state.offered(session.email, owner[1]):
        return _api_error(404, "Not Found")
    if state.chaos is not None:
        time.sleep(state.chaos.delay_s())
    return _store(state, session.email, owner[1], value, details, key)


def other_api(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    if current_session(request, state) is None:
        return unauthorized(request)
    return _api_error(404, "Not Found")


def page_event(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    """A page's own event (setting_app.js, `beacons`): taken, and says nothing."""
    return Response(204, b"", [])


_GET = frozenset({"GET"})
_ANY = frozenset({"GET", "POST", "PUT"})

ROUTES: tuple[Route, ...] = (
    Route(_GET, re.compile(r"/mypreferences/d/?"), settings_home),
    Route(_GET, re.compile(r"/mypreferences/d/categories/(?P<slug>[a-z-]+)/?"), category),
    Route(_GET, re.compile(r"/mypreferences/d/settings/(?P<slug>[a-z-]+)/?"), setting_page),
    Route(
        _GET, re.compile(r"/mypreferences/d/(?:interest-categories|member-cookies)/?"), setting_page
    ),
    Route(_GET, re.compile(r"/mypreferences(/.*)?"), other_page),
    Route(_GET, re.compile(LEGACY_PAGE + "/?"), legacy_page),
    Route(frozenset({"POST"}), re.compile(LEGACY_PAGE + "/?"), legacy_save),
    Route(
        _GET, re.compile(r"/mysettings-api/settingsApiSettingCards(?:/(?P<card>\w+))?/?"), read_card
    ),
    Route(
        frozenset({"PUT"}),
        re.compile(r"/mysettings-api/settingsApiSettings/(?P<key>\w+)"),
        write_setting,
    ),
    Route(_ANY, re.compile(r"/mysettings-api(/.*)?"), other_api),
    Route(frozenset({"POST"}), re.compile(r"/voyager/api/pageInstanceEvents"), page_event),
)
