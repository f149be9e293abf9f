"""What one setting page shows one account: its rows, card, words and checkboxes."""

from __future__ import annotations

from optout.sandbox.cards import (
    DECOY_CARDS,
    ai_notice_words,
    decoy_objects,
    page_answer,
    shown_settings,
    switch_label,
)
from optout.sandbox.forms import PageForm
from optout.sandbox.i18n import words
from optout.sandbox.setting_pages import Decoy, PageOptions, SwitchRow
from optout.sandbox.settings_catalog import (
    AI_PAGE,
    AI_SETTING,
    COOKIE_SWITCH_ID,
    INTEREST_CATEGORIES,
    NEWER_PAGE,
    OTHER_SWITCH_LABELS,
    setting_by_id,
    switches_beside_ai,
)
from optout.sandbox.state import SandboxAccount


def _several(form: PageForm) -> bool:
    # A page of several settings says "not available" in the row of the one it lacks;
    # the newer wording's page says it only for the AI setting, as a one-setting page does.
    return len(form.order) > 1 and form.page.path != NEWER_PAGE


def _notice_words(form: PageForm, setting_id: str, account: SandboxAccount) -> str:
    """How the page words "not available": the AI page varies it for the AI setting; a
    page that fails softly says it of the AI setting as a failure."""
    if setting_id == AI_SETTING and (form.page.path == AI_PAGE or account.faults.soft_failure):
        return ai_notice_words(account)
    return "pack"


def _rows(form: PageForm, account: SandboxAccount) -> tuple[SwitchRow, ...]:
    keyed = form.details.label_id == "key"
    switch_id = COOKIE_SWITCH_ID if form.page.kind == "cookies" else None
    rows = []
    for setting_id, key in form.keys:
        spec = setting_by_id(setting_id)
        if spec is None:
            raise KeyError(setting_id)
        rows.append(
            SwitchRow(
                key,
                switch_label(spec, form.page.path, account.lang, reworded=form.reworded),
                spec.label_key if keyed else None,
                offered=setting_id in shown_settings(account),
                switch_id=switch_id,
                notice=_notice_words(form, setting_id, account) if _several(form) else None,
            )
        )
    if form.page.path == AI_PAGE:
        beside = [
            SwitchRow(key, OTHER_SWITCH_LABELS[key], key if keyed else None)
            for key in switches_beside_ai(account.variant)
        ]
        rows = [*beside[:1], *rows, *beside[1:]]
    return tuple(rows)


def _decoys(form: PageForm, account: SandboxAccount) -> tuple[Decoy, ...]:
    keyed = form.details.label_id == "key"
    return tuple(
        Decoy(INTEREST_CATEGORIES[key], setting, key if keyed else None)
        for key, setting in zip(form.decoys, decoy_objects(form, account), strict=True)
    )


def page_options(form: PageForm, account: SandboxAccount, chaos_delay: float) -> PageOptions:
    """The page as the account's form and faults make it (chaos_delay: chaos's hydration)."""
    faults, details, path = account.faults, form.details, form.page.path
    is_ai = path == AI_PAGE
    title = form.page.heading if path == NEWER_PAGE else None
    if is_ai:
        title = words(account.lang).title
    return PageOptions(
        card=form.card,
        rows=_rows(form, account),
        primary_key="" if _several(form) else form.keys[0][1],
        lang=account.lang,
        title=title,
        yes_no=path == NEWER_PAGE,
        redesigned=is_ai and account.variant == "redesigned",
        render_delay_s=faults.render_delay_s,
        hydration_delay_s=max(faults.hydration_delay_s, chaos_delay),
        details=details,
        extra_cards=tuple(DECOY_CARDS)[: details.extra_cards],
        role_switch=form.role_switch,
        inline_card=None if form.card_request else page_answer(form, account),
        decoys=_decoys(form, account),
        decoys_first=form.decoys_first,
        decoy_role_switch=form.decoy_role_switch,
        lacking_words=_notice_words(form, form.keys[0][0], account),
        served_switch=_served_switch(form, account),
    )


def _served_switch(form: PageForm, account: SandboxAccount) -> bool | None:
    """The AI setting's state, where its page is served whole with the switch in its HTML
    (PageDetails.switch_served); None where the HTML as sent holds no switch."""
    details = form.details
    served = not form.card_request and details.switch_served and form.page.path == AI_PAGE
    if not served or AI_SETTING not in shown_settings(account):
        return None
    return account.settings[AI_SETTING]
