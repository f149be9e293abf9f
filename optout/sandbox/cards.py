"""The settings API's words: card answers, setting objects and PUT bodies, per account.

What no public source confirms (the AI card's name, its key, the value words)
comes from the account's `PageDetails`; the shape of a setting object follows
linkedin-facts.md: key, settingDisplayType, onValue/offValue, a11yName,
description, primaryDescription, settingDisplayValues and entityUrn.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from optout.sandbox.catalog import (
    NEWER_CARD,
    NEWER_LABELS,
    OTHER_SWITCH_LABELS,
    SettingSpec,
    setting_by_card,
    setting_by_id,
    setting_by_key,
)
from optout.sandbox.details import AI_ARIA_KEY, PageDetails
from optout.sandbox.i18n import words
from optout.sandbox.state import SandboxAccount

AI_SETTING = "generative-ai-improvement"


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


def answer_key(spec: SettingSpec, details: PageDetails) -> str:
    """The setting's key in card answers and PUT paths."""
    return details.answer_key if spec.setting_id == AI_SETTING else spec.key


def label_key(spec: SettingSpec) -> str:
    """The key the label element is named by, when its id is a key at all."""
    return AI_ARIA_KEY if spec.setting_id == AI_SETTING else spec.key


def card_name(spec: SettingSpec, details: PageDetails) -> str:
    return details.card if spec.setting_id == AI_SETTING else spec.card


def setting_for_card(card: str, details: PageDetails) -> SettingSpec | None:
    """The setting whose card this is for the account (the AI card's name is its own)."""
    if card == details.card:
        return setting_by_id(AI_SETTING)
    spec = setting_by_card(card)
    return None if spec is None or spec.setting_id == AI_SETTING else spec


def setting_for_key(key: str, details: PageDetails) -> SettingSpec | None:
    if key == details.answer_key:
        return setting_by_id(AI_SETTING)
    spec = setting_by_key(key)
    return None if spec is None or spec.setting_id == AI_SETTING else spec


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
        "a11yName": toggle.label,
        "description": toggle.description,
        "primaryDescription": toggle.label,
        "settingDisplayValues": [
            {
                "settingDisplayValue": shown[choice],
                "value": details.word(choice),
                "selected": choice == toggle.value,
            }
            for choice in order
        ],
        "entityUrn": entity_urn(toggle.key),
        "hasChild": False,
    }
    if details.declares_values:
        data["onValue"], data["offValue"] = details.on_value, details.off_value
    return data


def _listed(card: str, account: SandboxAccount) -> tuple[SettingSpec, list[Toggle]] | None:
    """The card's header setting and the toggles it lists; None for an unknown card."""
    values, details = account.settings, account.details
    said = words(account.lang)
    if card == NEWER_CARD:
        if account.variant != "newer-wording":
            return None
        listed = [
            Toggle(answer_key(spec, details), NEWER_LABELS[sid], values[sid], spec.description)
            for sid in NEWER_LABELS
            if (spec := setting_by_id(sid)) is not None and sid in values
        ]
        header = setting_by_id("ai-creation-tools")
        return None if header is None else (header, listed)
    spec = setting_for_card(card, details)
    if spec is None:
        return None
    is_ai = spec.setting_id == AI_SETTING
    listed = []
    if spec.setting_id in values:
        label, about = (said.label, said.description) if is_ai else (spec.label, spec.description)
        listed.append(Toggle(answer_key(spec, details), label, values[spec.setting_id], about))
    if account.variant == "multi-switch" and is_ai:
        listed += [Toggle(key, OTHER_SWITCH_LABELS[key], on) for key, on in account.others.items()]
    return spec, listed


def card_answer(card: str, account: SandboxAccount) -> dict[str, object] | None:
    """The answer to GET .../settingsApiSettingCards/<card>; None for an unknown card."""
    details, lang = account.details, account.lang
    if card in DECOY_CARDS:
        title, toggle = DECOY_CARDS[card]
        settings = [setting_object(toggle, details, lang)]
        header = {"title": title, "description": "", "learnMoreUrl": ""}
        return {"header": header, "settings": settings}
    found = _listed(card, account)
    if found is None:
        return None
    spec, listed = found
    yes_no = card == NEWER_CARD
    objects = [setting_object(t, details, lang, yes_no=yes_no) for t in listed]
    if spec.setting_id == AI_SETTING:
        extras = ANSWER_EXTRAS[: details.answer_extras]
        objects = [setting_object(t, details, lang) for t in extras] + objects
    said = words(lang)
    is_ai = spec.setting_id == AI_SETTING
    return {
        "header": {
            "title": said.title if is_ai else spec.title,
            "description": said.description if is_ai else spec.description,
            "learnMoreUrl": spec.learn_more,
        },
        "settings": objects,
    }


def requested_value(body: object, key: str, details: PageDetails) -> bool | None:
    """What a PUT body asks for, in the account's own value words; None when it does
    not fit (another vocabulary, another key or entity than the path's)."""
    if not isinstance(body, dict):
        return None
    if body.get("key", key) != key or body.get("entityUrn", entity_urn(key)) != entity_urn(key):
        return None
    if body.get("settingDisplayType", "TOGGLE") != "TOGGLE":
        return None
    return details.parse(body.get("value"))
