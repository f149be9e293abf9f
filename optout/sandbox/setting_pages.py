"""HTML of Settings & Privacy: the index pages and the shells of the setting pages."""

from __future__ import annotations

import html
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field

from optout.sandbox.catalog import CATEGORIES, Category, Row
from optout.sandbox.details import (
    AI_ARIA_KEY,
    BEACONS_EVERY_S,
    BEACONS_FOR_S,
    INVERTED_KEYS,
    PageDetails,
)
from optout.sandbox.i18n import Words, index_words, lacking_notice, words
from optout.sandbox.icons import icon
from optout.sandbox.pages import (
    Html,
    _base_css,
    _script_json,
    _template,
    _year,
    initials,
    member_cache_script,
    member_name,
    render,
)
from optout.sandbox.settings_catalog import (
    AI_PAGE,
    AI_SETTING,
    CREATION_TOOLS,
    PageSpec,
    setting_by_id,
)

# --- Settings & Privacy -------------------------------------------------------


def _settings_nav(current: str) -> Html:
    items = []
    for category in CATEGORIES:
        active = category.slug == current
        css = "_navItem_7e1d93 _navItemActive_7e1d93" if active else "_navItem_7e1d93"
        aria = ' aria-current="page"' if active else ""
        items.append(
            f'<a class="{css}" href="{category.path}"{aria}>'
            f"{icon(category.icon)}<span>{html.escape(category.title)}</span></a>"
        )
    return Html("\n      ".join(items))


# The element that holds a settings page's content, by PageDetails.main_element.
_MAIN_TAGS = {
    "main": ('<main id="main" class="_content_5a0b6e" tabindex="-1">', "</main>"),
    "div_role": ('<div id="main" role="main" class="_content_5a0b6e" tabindex="-1">', "</div>"),
    "div": ('<div id="main" class="_content_5a0b6e">', "</div>"),
}


def _settings_shell(
    email: str, *, title: str, current: str, content: Html, scripts: Html, lang: str = "en",
    main_element: str = "main",
) -> str:  # fmt: skip
    name = member_name(email)
    main_open, main_close = _MAIN_TAGS[main_element]
    return render(
        "settings.html",
        lang=lang,
        title=title,
        base_css=_base_css(),
        name=name,
        initials=initials(name),
        nav=_settings_nav(current),
        main_open=Html(main_open),
        content=content,
        main_close=Html(main_close),
        scripts=Html(member_cache_script() + scripts),
        year=_year(),
    )


def category_page(
    email: str, category: Category, values: Mapping[str, bool], lang: str = "en",
    details: PageDetails | None = None, newer_page: str | None = None,
) -> str:  # fmt: skip
    """An index page; `values` holds the member's settings (absent = not offered).
    `details` say how it draws their values (in the page, or by script a moment later).
    `newer_page`: where the newer wording's page is, for a member whose index links to it
    by its name in place of the AI settings' rows."""
    drawn = details or PageDetails()
    said = index_words(lang, drawn.index_words)
    sections = []
    for section in category.sections:
        rows = [
            link
            for row in section.rows
            if (link := _index_row(row, values, said, drawn, newer_page)) is not None
        ]
        if not rows:
            continue  # a section of settings the member has none of is left out
        sections.append(
            '<section class="li-card _sectionCard_8f3a21">'
            f'<h2 class="_sectionTitle_8f3a21">{html.escape(section.title)}</h2>'
            f"{''.join(rows)}</section>"
        )
    return _settings_shell(
        email,
        title=f"{category.title} | Settings | LinkedIn",
        current=category.slug,
        content=Html("\n    ".join(sections)),
        scripts=_values_later(drawn),
        lang=lang,
        main_element=drawn.main_element,
    )


# The settings the newer wording's page holds.
_ON_NEWER_PAGE = {AI_SETTING, CREATION_TOOLS}


def _index_row(
    row: Row, values: Mapping[str, bool], said: Words, drawn: PageDetails, newer_page: str | None
) -> str | None:
    """One row of an index, as a link; None for a setting LinkedIn does not list."""
    spec = setting_by_id(row.setting_id) if row.setting_id else None
    if spec is not None and newer_page is not None and spec.setting_id in _ON_NEWER_PAGE:
        # One row, where the AI setting's was, for the page of both, with no value.
        if spec.setting_id != AI_SETTING or not _ON_NEWER_PAGE & set(values):
            return None
        return _index_link(newer_page, said.newer_title, "")
    if spec is not None and spec.setting_id not in values:
        return None  # LinkedIn does not list settings it does not offer the member
    href, label = (spec.page if spec else "#"), row.label
    value = _row_value(said, values[spec.setting_id], drawn.index_values) if spec else ""
    if spec is not None and spec.setting_id == AI_SETTING:
        label = said.title
    return _index_link(href, label, value)


def _index_link(href: str, label: str, value: str) -> str:
    return (
        f'<a class="_listRow_c47d02" href="{href}">'
        f'<span class="_rowLabel_c47d02">{html.escape(label)}</span>'
        f'<span class="_rowEnd_c47d02">{value}{icon("chevron", 16)}</span></a>'
    )


def _row_value(said: Words, value: bool, index_values: str) -> str:
    """A row's value as served: its word, nothing yet, or the other word for now."""
    word, other = (said.on, said.off) if value else (said.off, said.on)
    shown = {"in_page": word, "by_script": "", "placeholder": other}[index_values]
    later = "" if index_values == "in_page" else f' data-value="{html.escape(word)}"'
    return f'<span class="_rowValue_c47d02"{later}>{html.escape(shown)}</span>'


def _values_later(details: PageDetails) -> Html:
    """The script that draws the rows' values a moment after load, as an index whose
    values come from a request of its own would."""
    if details.index_values == "in_page":
        return Html("")
    delay_ms = round(details.index_delay_s * 1000)
    return Html(
        "<script>setTimeout(() => { for (const row of document.querySelectorAll("
        "'[data-value]')) row.textContent = row.dataset.value; }, "
        f"{delay_ms});</script>"
    )


@dataclass(frozen=True)
class SwitchRow:
    key: str  # the API key the row reads and saves
    label: str
    label_id: str | None = None  # the label element's id; None: generated per render
    offered: bool = True  # the member has it: a switch drawn before the answer is right
    switch_id: str | None = None  # the input's own id; None: generated per render
    # When the answer lacks it, its row says "not available" in these words
    # (details.LACKING_WORDS); None: the row says nothing.
    notice: str | None = None


@dataclass(frozen=True)
class Decoy:
    """A checkbox of the page's own (an interest category): never a setting's switch."""

    label: str
    setting: dict[str, object]  # its object in the answer's shape, for the page's save
    label_id: str | None = None


@dataclass(frozen=True)
class PageOptions:
    """What varies between the setting pages the sandbox serves."""

    card: str
    rows: tuple[SwitchRow, ...]
    primary_key: str  # the row whose absence means "not available for this member"
    lang: str = "en"
    title: str | None = None  # the card's own title unless set
    yes_no: bool = False  # the newer wording shows Yes/No instead of On/Off
    redesigned: bool = False  # a custom div toggle instead of a native input
    render_delay_s: float = 0.0
    hydration_delay_s: float = 0.0
    heavy_assets: Html | None = None  # heavy mode: the weight of the real page
    details: PageDetails = field(default_factory=PageDetails)  # where the site is unknown
    extra_cards: tuple[str, ...] = ()  # other cards the page requests beside its own
    role_switch: bool = True  # the switches carry role=switch
    inline_card: dict[str, object] | None = None  # the answer inside the page: no request
    decoys: tuple[Decoy, ...] = ()
    decoys_first: bool = False
    decoy_role_switch: bool = False
    lacking_words: str = "pack"  # how the page says its setting is not available
    served_switch: bool | None = None  # the switch in the HTML as sent, checked or not


def card_url(card: str, details: PageDetails) -> str:
    """Where a page asks for a card, in the form the details say (CARD_ADDRESSES)."""
    cards = "/mysettings-api/settingsApiSettingCards"
    if details.card_address == "query":
        return f"{cards}?q=cardKey&cardKey={card}"
    if details.card_address == "decorated":
        return f"{cards}/{card}?decorationId=com.linkedin.voyager.dash.deco.settings.SettingCard-9"
    return f"{cards}/{card}"


def _details_config(options: PageOptions) -> dict[str, object]:
    details = options.details
    return {
        "onValue": details.on_value,  # the page's own words, where a setting has none
        "offValue": details.off_value,
        "invertedKeys": list(INVERTED_KEYS),  # keys whose words are the page's, swapped
        "declaredSense": details.declared_sense,  # ... and whose onValue means the key true
        "switchDrawn": details.switch_drawn,
        "replaceOnHydration": details.replaced_on_hydration,
        "drawDelayMs": int(details.draw_delay_s * 1000),
        "askDelayMs": int(details.ask_delay_s * 1000),
        "listensAfterMs": int(details.listens_after_s * 1000),
        "beaconsEveryMs": int(BEACONS_EVERY_S * 1000) if details.beacons else 0,
        "beaconsForMs": int(BEACONS_FOR_S * 1000),
        "extraCardUrls": [card_url(card, details) for card in options.extra_cards],
        "othersFirst": details.others_first,
        "roleSwitch": options.role_switch,
        "inlineCard": options.inline_card,
        "decoys": [
            {"label": d.label, "labelId": d.label_id, "setting": d.setting} for d in options.decoys
        ],
        "decoysFirst": options.decoys_first,
        "decoyRoleSwitch": options.decoy_role_switch,
        # Yes/No as a switch or as two radios, in the answer's order of values.
        "choice": details.yes_no_control if options.yes_no else "switch",
        "onFirst": details.on_first,
    }


def _config(page: PageSpec, options: PageOptions) -> dict[str, object]:
    said = words(options.lang)
    rows = [
        {"key": row.key, "label": row.label, "labelId": row.label_id, "offered": row.offered,
         "switchId": row.switch_id,
         "notice": lacking_notice(options.lang, row.notice) if row.notice else None}
        for row in options.rows
    ]  # fmt: skip
    return {
        "cardUrl": card_url(options.card, options.details),
        "putBase": "/mysettings-api/settingsApiSettings/",
        "key": options.primary_key,
        "rows": rows,
        "title": options.title,
        "onWord": "Yes" if options.yes_no else said.on,
        "offWord": "No" if options.yes_no else said.off,
        "words": {
            "back": said.back,
            "learnMore": said.learn_more,
            "knowMore": said.know_more,
            "saved": said.saved,
            "notSaved": said.not_saved,
            "interests": "Your interest categories",
        },
        "redesigned": options.redesigned,
        "renderDelayMs": int(options.render_delay_s * 1000),
        "hydrationDelayMs": int(options.hydration_delay_s * 1000),
        # The AI page of a member LinkedIn excludes may still draw its switch, disabled
        # ("even if your setting appears turned on"), labelled by its key.
        "lackingSwitch": options.details.lacking_switch if page.path == AI_PAGE else "none",
        "lackingLabelId": AI_ARIA_KEY,
        "lackingMark": options.details.lacking_mark,
        "lackingNotice": lacking_notice(options.lang, options.lacking_words),
        # ... and its settings request may be answered 404, the page still saying so.
        "lackingNotFound": page.path == AI_PAGE and options.details.lacking_answer == "not_found",
        "lackingHeader": {
            "title": said.title,
            "description": said.description,
            "learnMoreUrl": page.learn_more,
        },
        "backHref": f"/mypreferences/d/categories/{page.category}",
        "backIcon": icon("back", 20),
        **_details_config(options),
    }


def setting_page(email: str, page: PageSpec, options: PageOptions) -> str:
    """The shell of a setting page; setting_app.js fills `#main` from the API."""
    calm = " _skeletonCalm_7c2e91" if options.details.honours_reduced_motion else ""
    skeleton = Html(
        f'<div class="li-card _skeleton_7c2e91{calm}" aria-busy="true" aria-label="Loading">'
        + '<div class="_skeletonBar_7c2e91"></div>' * 3
        + "</div>"
    )
    own = [row for row in options.rows if row.key == options.primary_key]
    if options.served_switch is not None and own:
        skeleton = Html(skeleton + _switch_as_served(own[0], options.served_switch))
    config = _config(page, options)
    scripts = Html(
        (options.heavy_assets or "")
        + f'<script id="setting-config" type="application/json">{_script_json(config)}</script>\n'
        + f"<script>\n{_template('setting_choice.js')}</script>\n"
        + f"<script>\n{_template('setting_app.js')}</script>"
    )
    return _settings_shell(
        email,
        title="Settings | LinkedIn",
        current=page.category,
        content=skeleton,
        scripts=scripts,
        lang=options.lang,
        main_element=options.details.main_element,
    )


def _switch_as_served(row: SwitchRow, checked: bool) -> str:
    """The switch as a server draws it into the page it sends (the script draws it anew)."""
    label_id = row.label_id or "served-" + secrets.token_hex(4)
    state = " checked" if checked else ""
    return (
        f'<p id="{label_id}">{html.escape(row.label)}</p><input type="checkbox" role="switch" '
        f'aria-labelledby="{label_id}"{state}>'
    )


def psettings_page(
    email: str, *, checked: bool, offered: bool, label_id: str | None = None,
    lacking_words: str = "pack", main_element: str = "main", drawn: str = "server",
    draw_s: float = 0.0,
) -> str:  # fmt: skip
    """The older page: a visually hidden input under a styled label, drawn as `drawn`
    says (details.LEGACY_DRAWINGS; by script `draw_s` after it loads).
    `lacking_words`: how it tells a member who lacks the setting (details.LACKING_WORDS);
    `main_element`: what holds the content (details.MAIN_ELEMENTS)."""
    label_id = label_id or "setting-desc-" + secrets.token_hex(4)
    input_id = "toggle-" + secrets.token_hex(4)
    if offered:
        shown = checked if drawn == "server" else False
        switch = (
            f'<p class="config-setting-card__setting-item-primary-desc" id="{label_id}">'
            "Use my data for training content creation AI models</p>"
            f'<input type="checkbox" role="switch" class="a11y-text" id="{input_id}" '
            f'aria-labelledby="{label_id}" {"checked " if shown else ""}/>'
            f'<label class="_legacyToggle_91b2" for="{input_id}">'
            '<span class="_legacyTrack_91b2"></span>'
            f'<span class="_legacyText_91b2">{"On" if shown else "Off"}</span></label>'
        )
        # Drawn by script: the markup in a template, the state in attributes of its own.
        body = f"<template>{switch}</template>" if drawn == "script" else switch
        if drawn != "server":
            on, after_ms = str(checked).lower(), round(draw_s * 1000)
            body += f'<i hidden data-legacy-on="{on}" data-after-ms="{after_ms}"></i>'
    else:
        notice = lacking_notice("en", lacking_words).replace("\u2019", "'")  # typed, in English
        body = f"<p>{html.escape(notice, quote=False)}</p>"
    content = Html(
        '<section class="li-card config-setting-card">'
        '<h1 class="banner-title">Data for Generative AI Improvement</h1>'
        f'<div class="config-setting-card__setting-item">{body}</div></section>'
    )
    return _settings_shell(
        email,
        title="Data for Generative AI Improvement | Settings | LinkedIn",
        current="privacy",
        content=content,
        scripts=Html(
            f"<style>{_template('legacy.css')}</style>\n<script>\n{_template('legacy_setting.js')}</script>"
        ),
        main_element=main_element,
    )
