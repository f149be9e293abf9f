"""The settings API's words: card answers, setting objects and PUT bodies, per account.

What no public source confirms (a card's name, a setting's key, the value words)
comes from the page's form for the account (forms.py); the shape of a setting
object follows linkedin-facts.md: key, settingDisplayType, onValue/offValue, a11yName,
description, primaryDescription, settingDisplayValues and entityUrn.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, replace

from optout.sandbox.details import PageDetails
from optout.sandbox.forms import PageForm, site_forms
from optout.sandbox.i18n import words
from optout.sandbox.settings_catalog import (
    AI_PAGE,
    AI_SETTING,
    INTEREST_CATEGORIES,
    NEWER_LABELS,
    NEWER_PAGE,
    OTHER_SWITCH_LABELS,
    SettingSpec,
    setting_by_id,
    switches_beside_ai,
)
from optout.sandbox.state import SandboxAccount


@dataclass(frozen=True)
class Toggle:
    """A TOGGLE the settings API lists: its key, its label and its value."""

    key: str
    label: str
    value: bool
    description: str = ""


# Setting objects an AI card answer may list before its own (answer_extras): keys
# the page never draws a switch for, so the answer's first entry is not the AI one.
ANSWER_EXTRAS = (
    Toggle("showGenerativeAiDataNotice", "Show a notice when AI features use my data", True),
    Toggle("allowAiFeedbackResearchInvites", "Invite me to research about AI features", False),
)
# The same for the other setting pages.
OTHER_ANSWER_EXTRAS = (
    Toggle("showSettingChangeNotice", "Show a notice when this setting changes", True),
    Toggle("allowSettingsFeedbackInvites", "Invite me to give feedback on these settings", False),
)
# Other cards a setting page may request beside its own (extra_cards).
DECOY_CARDS: dict[str, tuple[str, Toggle]] = {
    "aiFeatureHighlights": (
        "AI features on LinkedIn",
        Toggle("showAiFeatureHighlights", "Show me highlights of new AI features", True),
    ),
    "settingsRecommendations": (
        "Recommended for you",
        Toggle("showSettingsRecommendations", "Recommend settings to review", False),
    ),
}


def entity_urn(key: str) -> str:
    # Stable per key, so a PUT body can be checked against what the card answered.
    return f"urn:li:settingEntity:{zlib.crc32(key.encode()) % 900 + 100}"


def _names(toggle: Toggle, details: PageDetails) -> dict[str, str]:
    """The object's a11yName and primaryDescription, as the details have them."""
    if details.answer_names == "absent":
        return {}
    name = toggle.label if details.answer_names == "label" else f"Setting {toggle.key}"
    return {"a11yName": name, "primaryDescription": name}


def setting_object(
    toggle: Toggle, details: PageDetails, lang: str, *, yes_no: bool = False
) -> dict[str, object]:
    """One TOGGLE as the card answer lists it, in the account's value words."""
    said = words(lang)
    shown = {True: "Yes" if yes_no else said.on, False: "No" if yes_no else said.off}
    order = (True, False) if details.on_first else (False, True)
    data: dict[str, object] = {
        "key": toggle.key,
        "settingDisplayType": "TOGGLE",
        **_names(toggle, details),
        "description": toggle.description,
        "settingDisplayValues": [
            {
                **({"settingDisplayValue": shown[choice]} if details.shows_words else {}),
                "value": details.word(choice, toggle.key),
                "selected": choice == toggle.value,
            }
            for choice in order
        ],
        "entityUrn": entity_urn(toggle.key),
        "hasChild": False,
    }
    if details.declares_values:
        data["onValue"], data["offValue"] = details.declared_words(toggle.key)
    return data


def switch_label(spec: SettingSpec, page: str, lang: str, *, reworded: bool = False) -> str:
    """The text next to a setting's switch on a page, in the member's language where known;
    `reworded`: a wording of the page's own instead of the usual one."""
    if page == NEWER_PAGE:
        return NEWER_LABELS.get(lang, NEWER_LABELS["en"])[spec.setting_id]
    if spec.setting_id == AI_SETTING:
        return words(lang).label
    return f"Allow LinkedIn this: {spec.title.lower()}" if reworded else spec.label


def shown_settings(account: SandboxAccount) -> dict[str, bool]:
    """The settings the member's pages show: all the member has, but the AI setting on
    pages that fail softly (Faults.soft_failure), which say it is not available."""
    if not account.faults.soft_failure:
        return account.settings
    return {key: value for key, value in account.settings.items() if key != AI_SETTING}


def ai_notice_words(account: SandboxAccount) -> str:
    """How the AI setting's own page says it is not available (i18n.LACKING_NOTICES): as
    a failure where the pages fail softly, else in the words the details draw."""
    return "failing" if account.faults.soft_failure else account.details.lacking_words


def _toggles(form: PageForm, account: SandboxAccount) -> list[Toggle]:
    """The toggles the page's card lists: its settings the member has, in drawn order."""
    said, values = words(account.lang), shown_settings(account)
    listed = []
    for setting_id, key in form.keys:
        spec = setting_by_id(setting_id)
        if spec is None or setting_id not in values:
            continue
        about = said.description if setting_id == AI_SETTING else spec.description
        label = switch_label(spec, form.page.path, account.lang, reworded=form.reworded)
        listed.append(Toggle(key, label, values[setting_id], about))
    if form.order == (AI_SETTING,):
        listed += [
            Toggle(key, OTHER_SWITCH_LABELS[key], account.others[key])
            for key in switches_beside_ai(account.variant)
        ]
    return listed


def page_answer(form: PageForm, account: SandboxAccount) -> dict[str, object]:
    """The page's card answer, as its request gets it or as the page carries it inside."""
    details, lang = form.details, account.lang
    yes_no = form.page.path == NEWER_PAGE
    extras = ANSWER_EXTRAS if form.order == (AI_SETTING,) else OTHER_ANSWER_EXTRAS
    objects = [setting_object(t, details, lang) for t in extras[: details.answer_extras]]
    objects += [setting_object(t, details, lang, yes_no=yes_no) for t in _toggles(form, account)]
    said, is_ai = words(lang), form.page.path == AI_PAGE
    return {
        "header": {
            "title": said.title if is_ai else form.page.heading,
            "description": said.description if is_ai else form.page.about,
            "learnMoreUrl": form.page.learn_more,
        },
        "settings": objects,
    }


def decoy_objects(form: PageForm, account: SandboxAccount) -> list[dict[str, object]]:
    """The interest categories the page lists as checkboxes, as setting objects."""
    return [
        setting_object(
            Toggle(key, INTEREST_CATEGORIES[key], account.others.get(key, True)),
            form.details, account.lang,
        )
        for key in form.decoys
    ]  # fmt: skip


def card_answer(card: str, account: SandboxAccount) -> dict[str, object] | None:
    """The answer to GET .../settingsApiSettingCards/<card>; None for a card unknown, or
    none for this member (404)."""
    details, lang = account.details, account.lang
    if card in DECOY_CARDS:
        title, toggle = DECOY_CARDS[card]
        if details.others_flipped:
            toggle = replace(toggle, value=not toggle.value)
        settings = [setting_object(toggle, details, lang)]
        header = {"title": title, "description": "", "learnMoreUrl": ""}
        return {"header": header, "settings": settings}
    form = site_forms(details, account.variant).for_card(card)
    if form is None or _not_found_for_lacking(form, account):
        return None
    return page_answer(form, account)


def _not_found_for_lacking(form: PageForm, account: SandboxAccount) -> bool:
    """The AI page's card is no card at all (404) for a member who lacks the setting,
    where the details say LinkedIn answers so (LACKING_ANSWERS)."""
    return (
        form.page.path == AI_PAGE
        and account.details.lacking_answer == "not_found"
        and AI_SETTING not in account.settings
    )


def requested_value(body: object, key: str, details: PageDetails) -> bool | None:
    """What a PUT body asks for, in the account's own value words; None when it does
    not fit (another vocabulary, another key or entity than the path's)."""
    if not isinstance(body, dict):
        return None
    if body.get("key", key) != key or body.get("entityUrn", entity_urn(key)) != entity_urn(key):
        return None
    if body.get("settingDisplayType", "TOGGLE") != "TOGGLE":
        return None
    return details.parse(body.get("value"), key)
