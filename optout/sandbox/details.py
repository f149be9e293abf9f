"""The details of the setting pages that no public source confirms, varied per account.

linkedin-facts.md marks the AI card's name, its key in the card answer and the
value words of a TOGGLE as unconfirmed, and the same holds for every other
setting page (whose forms forms.py derives from these details). A sandbox that
always served one guess could never show that optout copes with another, so every account gets one
`PageDetails`: set explicitly, drawn from a sandbox-wide seed, or (by default)
drawn from a hash of the account's email, so plain tests see variety too and a
given email always gets the same page.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

# The confirmed `aria-labelledby` key of the AI switch (brave/psst-component).
AI_ARIA_KEY = "allowDataForGenerativeAI"

# Names the AI setting's card may have: `card` is any of these, or another word.
CARD_NAMES = (
    "dataForGenerativeAiImprovement",
    "dataForAiImprovement",
    "generativeAiImprovement",
    "allowDataForGenerativeAI",
)
# Keys the AI setting may have in the card answer (and in its PUT path): the aria
# key, the selector pack's guess (lower-case "i"), or another name altogether.
ANSWER_KEYS = (AI_ARIA_KEY, "allowDataForGenerativeAi", "dataForGenAiImprovement")
# ... or a key that says no to what the switch allows: its value words are the switch's
# opposite (its `ON` is the switch's off). Drawn only with the bare VALUE_WORDS.
INVERTED_KEYS = ("excludeFromGenerativeAiTraining", "generativeAiTrainingOptedOut")
INVERTED_KEY = INVERTED_KEYS[0]
# Whose sense such a key's declared onValue/offValue are in: the switch's (onValue turns
# it on) or the key's own (onValue makes the key true: the switch off). Unconfirmed.
DECLARED_SENSES = ("switch", "key")
# The four value vocabularies of a TOGGLE, written "ON/OFF"; and words that no list of
# optout's has, which only the setting object's onValue/offValue, or the words shown
# for the value, can explain: the first two hint at their meaning by their form, the
# third does not, and the last's "on" says "not" (its form must not be read).
VALUE_WORDS = ("ON/OFF", "true/false", "ENABLED/DISABLED", "YES/NO")
UNLISTED_WORDS = (
    "OPTED_IN/OPTED_OUT",
    "allow/deny",
    "PERMITTED/FORBIDDEN",
    "NOT_OPTED_OUT/OPTED_OUT",
)
# What each value of a setting object shows (settingDisplayValue): words of the
# account's language, or nothing (the field left out).
SHOWN_WORDS = ("language", "absent")
# Whose id the label element has: the setting's key, or a framework's "ember123".
LABEL_IDS = ("key", "generated")
# Whether the page draws its switch after the card answer arrives, or before it
# (unchecked, then set from the answer).
SWITCH_DRAWN = ("after_answer", "before_answer")
# What a setting object's a11yName and primaryDescription say: the switch's label as
# the page draws it, other words, or nothing (the fields left out).
ANSWER_NAMES = ("label", "reworded", "absent")
# How the Data privacy index draws each row's value: in the page as served, by script a
# moment after load (from settingsApiSneakPeeks, the facts say, unconfirmed), or by
# script after first showing the other value as a placeholder.
INDEX_VALUES = ("in_page", "by_script", "placeholder")
# The words of the index's values and AI rows' names (unconfirmed): the pack's, or words
# of the member's language no pack lists (i18n.UNLISTED_INDEX_WORDS, UNLISTED_INDEX_NAMES),
# one of the values a pack's in German.
INDEX_WORDS = ("pack", "unlisted")
# What the page of a member who lacks the setting shows beside its notice: nothing, or
# the setting's switch, disabled, checked or not (an under-18 member's "appears on").
LACKING_SWITCHES = ("none", "disabled_on", "disabled_off")
# How that switch is marked disabled: as an input is (`disabled`), or by `aria-disabled`
# alone, the page ignoring its clicks.
LACKING_MARKS = ("disabled", "aria")
# How the page's settings request answers for a member who lacks the setting: its card
# without the setting, or HTTP 404 (no such card for them), the page saying "not
# available" either way.
LACKING_ANSWERS = ("omitted", "not_found")
# How a page with the newer wording's Yes/No draws it: as a switch, or as two radios in a
# `role=radiogroup` labelled by the label's id, or in a <fieldset> whose legend is the label.
YES_NO_CONTROLS = ("switch", "radiogroup", "fieldset")
# Where the newer wording's page is, for an account that has it: the pack's address, the
# AI setting's address redirecting there; the same, the AI setting's address gone (404);
# or an address the pack does not know, the AI setting's redirecting there. Where the
# AI setting's address does not redirect, the Data privacy index links to the page by
# its name ("Generative AI and other models"), as the one report of it describes.
NEWER_ADDRESSES = ("redirect", "gone", "moved")
# How the AI page tells a member who lacks the setting (its wording is unconfirmed): in
# the pack's exact words; in other words that only say "not offered" (i18n.LACKING_NOTICES);
# or in words that say nothing optout knows: these two are `unavailable` only beside the
# setting's own switch drawn disabled (the hinted ones), else `unknown`. Or in the
# pack's sentence for the member's country or region rather than account (the facts
# name region as the main reason a member lacks it): German puts the words that differ
# mid-sentence, so a pack that knows only the account's form cannot read it.
LACKING_WORDS = ("pack", "hinted", "unknown", "region")
REGION_SHARE = 0.5  # of drawn pages whose notice would be in the pack's words
MAX_INDEX_DELAY_S = 0.8
MAX_EXTRA_CARDS = 2
MAX_ANSWER_EXTRAS = 2
MAX_DRAW_DELAY_S = 0.6
# On some pages the real switch comes later than any hold of optout's after the answer
# (a framework that waits on a further request or a lazy script; unconfirmed), the switch
# drawn early a placeholder until then.
LATE_DRAW_SHARE, LATE_DRAW_S = 0.1, (3.2, 4.5)
# How long a page may wait, its switch drawn as a placeholder, before it asks for its own
# card (another request first, or a slow network; unconfirmed): up to ASKS_WITHIN_S, longer
# than optout's hold of a switch with no answer (3 s), and, past it, longer than its hold
# of a switch on a page that asks by script (5 s), after which it trusts only the index.
MAX_ASK_DELAY_S, ASKS_WITHIN_S = 7.5, 4.5
# How long after drawing the switch's state the page's script may begin to take clicks
# (a late hydration: when LinkedIn's does is unconfirmed). A click before is lost, and
# the page then draws the state it knows.
MAX_LISTENS_AFTER_S = 2.0
# The Data privacy index may show a setting's value from before its latest change for a
# while (a cache; unconfirmed): on this share of drawn pages, for up to this long.
INDEX_LAG_SHARE, MAX_INDEX_LAG_S = 0.25, 120.0
# What holds the settings pages' content, `#main` (the facts name only the id): a <main>
# element, a <div> with role=main, or a bare <div>.
MAIN_ELEMENTS = ("main", "div_role", "div")
# The AI page served whole: its switch drawn from data inside the page, in no form the
# pack reads, and no settings request (the facts name one; whether every page makes it
# is unconfirmed). Then only the Data privacy index can confirm what the switch shows.
SERVED_WHOLE_SHARE = 0.1
# How a page names the card it asks for (the facts show the path's form; a Rest.li finder
# in the query, or a decoration after the card, would be as plausible): `path`
# .../settingsApiSettingCards/<card>, `query` ...?q=cardKey&cardKey=<card>, `decorated`
# .../<card>?decorationId=...
CARD_ADDRESSES = ("path", "query", "decorated")
# How the older /psettings/ page draws its switch (the pack takes it for drawn whole by the
# server; the facts name no such page for this setting): in its HTML as served; by script
# a moment later, from data in no form the pack reads; or in its HTML as an unchecked
# placeholder its script then sets. Either script draws within LEGACY_DRAW_S.
LEGACY_DRAWINGS = ("server", "script", "placeholder")
LEGACY_DRAW_S = (0.3, 1.5)
INVERTED_SHARE = 0.15  # of drawn pages whose AI setting is listed under one of INVERTED_KEYS
BEACONS_EVERY_S, BEACONS_FOR_S = 0.25, 6.0  # a page with `beacons`: how often, how long


def _word(value: object) -> bool:
    # Card names and keys end up in URL paths the routes match with \w+.
    return isinstance(value, str) and value.isidentifier() and value.isascii()


@dataclass(frozen=True)
class PageDetails:
    """What one account's setting pages look like where the real site is unknown."""

    card: str = CARD_NAMES[1]  # GET .../settingsApiSettingCards/<card> of the AI page
    answer_key: str = AI_ARIA_KEY  # the AI setting's `key` in the answer and PUT path
    value_words: str = "ON/OFF"  # one of VALUE_WORDS
    declares_values: bool = True  # setting objects carry onValue/offValue
    label_id: str = "key"  # one of LABEL_IDS
    switch_drawn: str = "after_answer"  # one of SWITCH_DRAWN
    replaced_on_hydration: bool = False  # the switch node is swapped for a new one
    extra_cards: int = 0  # other card requests the page makes beside its own
    answer_extras: int = 0  # other setting objects listed first in the card answer
    on_first: bool = True  # settingDisplayValues lists the "on" choice first
    draw_delay_s: float = 0.0  # after the answer arrives, the switch comes this much later
    ask_delay_s: float = 0.0  # the page asks for its own card this long after it loads
    # The other setting pages draw their own forms from these details (forms.py);
    # alike, they take this page's, with their own card and key in the same form.
    pages_alike: bool = False
    answer_names: str = "label"  # one of ANSWER_NAMES
    # The page asks for its first other card, and shows it, before asking for its own:
    # another card's answer is in while this setting's is not even asked for yet.
    others_first: bool = False
    others_flipped: bool = False  # the other cards' toggles show the opposite values
    shown_words: str = "language"  # one of SHOWN_WORDS
    index_values: str = "in_page"  # one of INDEX_VALUES
    index_delay_s: float = 0.0  # after the index page loads, its script draws the values
    index_words: str = "pack"  # one of INDEX_WORDS
    lacking_switch: str = "none"  # one of LACKING_SWITCHES
    lacking_answer: str = "omitted"  # one of LACKING_ANSWERS
    yes_no_control: str = "switch"  # one of YES_NO_CONTROLS
    newer_address: str = "redirect"  # one of NEWER_ADDRESSES
    lacking_words: str = "pack"  # one of LACKING_WORDS
    # The loading skeleton stops its shimmer where the browser asks for reduced motion
    # (`prefers-reduced-motion: reduce`), as accessible pages do; unconfirmed for LinkedIn.
    honours_reduced_motion: bool = False
    listens_after_s: float = 0.0  # the page takes clicks this long after drawing the state
    lacking_mark: str = "disabled"  # one of LACKING_MARKS
    # The page POSTs its own events (page views, render timings) as it draws, up to
    # BEACONS_FOR_S: writes that are not a save, whether or not it took a click.
    beacons: bool = False
    index_lag_s: float = 0.0  # the index shows the value from before a change this long
    main_element: str = "main"  # one of MAIN_ELEMENTS
    served_whole: bool = False  # the AI page asks for no card (SERVED_WHOLE_SHARE)
    card_address: str = "path"  # one of CARD_ADDRESSES
    # ... served whole, with the switch in its HTML as sent, its script drawing it anew.
    switch_served: bool = False
    declared_sense: str = "switch"  # one of DECLARED_SENSES (a key that says no only)
    legacy_drawn: str = "server"  # one of LEGACY_DRAWINGS
    legacy_draw_s: float = LEGACY_DRAW_S[0]  # ... by script: this long after the page loads

    def __post_init__(self) -> None:
        problems = [
            name
            for name, ok in (
                ("card", _word(self.card)),
                ("answer_key", _word(self.answer_key)),
                ("value_words", self.value_words in VALUE_WORDS + UNLISTED_WORDS),
                # A key that says no comes only with the bare VALUE_WORDS.
                (
                    "answer_key",
                    self.answer_key not in INVERTED_KEYS or self.value_words in VALUE_WORDS,
                ),
                ("declared_sense", self.declared_sense in DECLARED_SENSES),
                ("legacy_drawn", self.legacy_drawn in LEGACY_DRAWINGS),
                ("legacy_draw_s", LEGACY_DRAW_S[0] <= self.legacy_draw_s <= LEGACY_DRAW_S[1]),
                ("shown_words", self.shown_words in SHOWN_WORDS),
                ("index_values", self.index_values in INDEX_VALUES),
                ("index_words", self.index_words in INDEX_WORDS),
                ("lacking_switch", self.lacking_switch in LACKING_SWITCHES),
                ("lacking_mark", self.lacking_mark in LACKING_MARKS),
                ("lacking_answer", self.lacking_answer in LACKING_ANSWERS),
                ("yes_no_control", self.yes_no_control in YES_NO_CONTROLS),
                ("newer_address", self.newer_address in NEWER_ADDRESSES),
                ("lacking_words", self.lacking_words in LACKING_WORDS),
                ("main_element", self.main_element in MAIN_ELEMENTS),
                ("card_address", self.card_address in CARD_ADDRESSES),
                ("index_delay_s", 0 <= self.index_delay_s <= 10),
                ("index_lag_s", 0 <= self.index_lag_s <= MAX_INDEX_LAG_S),
                ("label_id", self.label_id in LABEL_IDS),
                ("switch_drawn", self.switch_drawn in SWITCH_DRAWN),
                ("extra_cards", 0 <= self.extra_cards <= MAX_EXTRA_CARDS),
                ("answer_extras", 0 <= self.answer_extras <= MAX_ANSWER_EXTRAS),
                ("draw_delay_s", 0 <= self.draw_delay_s <= 10),
                ("ask_delay_s", 0 <= self.ask_delay_s <= 10),
                ("listens_after_s", 0 <= self.listens_after_s <= 10),
                ("answer_names", self.answer_names in ANSWER_NAMES),
            )
            if not ok
        ]
        if problems:
            raise ValueError(f"page details out of range: {', '.join(problems)}")

    @property
    def on_value(self) -> str:
        return self.value_words.split("/")[0]

    @property
    def off_value(self) -> str:
        return self.value_words.split("/")[1]

    @property
    def shows_words(self) -> bool:
        return self.shown_words == "language"

    @property
    def words_read_for_sure(self) -> bool:
        """The answer says the value in words optout reads for sure: a list's, its own
        onValue/offValue, or the words shown for it (not under a key that says no)."""
        return self.value_words in VALUE_WORDS or self.declares_values or self.shows_words

    def words_of(self, key: str | None = None) -> tuple[str, str]:
        """(on word, off word) of the switch whose key is `key`: the page's own, swapped
        for a key that says no (INVERTED_KEYS)."""
        return (
            (self.off_value, self.on_value)
            if key in INVERTED_KEYS
            else (self.on_value, self.off_value)
        )

    def declared_words(self, key: str | None = None) -> tuple[str, str]:
        """(onValue, offValue) as the answer declares them for `key`: the switch's words
        (words_of), or for a key that says no in the key's own sense (declared_sense)."""
        if key in INVERTED_KEYS and self.declared_sense == "key":
            return self.on_value, self.off_value
        return self.words_of(key)

    def word(self, value: bool, key: str | None = None) -> str:
        return self.words_of(key)[0 if value else 1]

    def parse(self, word: object, key: str | None = None) -> bool | None:
        """The stored value a PUT's `value` word asks for; None for any other word."""
        if not isinstance(word, str):
            return None
        on, off = self.words_of(key)
        return {on: True, off: False}.get(word)

    @classmethod
    def random(cls, rng: random.Random) -> PageDetails:
        """Details drawn at random; the confirmed label id stays the common case."""
        drawn = cls(
            card=rng.choice(CARD_NAMES),
            answer_key=rng.choice(ANSWER_KEYS),
            value_words=rng.choice(VALUE_WORDS),
            declares_values=rng.random() < 0.5,
            label_id="key" if rng.random() < 0.75 else "generated",
            switch_drawn=rng.choice(SWITCH_DRAWN),
            replaced_on_hydration=rng.random() < 0.5,
            extra_cards=rng.randint(0, MAX_EXTRA_CARDS),
            answer_extras=rng.randint(0, MAX_ANSWER_EXTRAS),
            on_first=rng.random() < 0.5,
            draw_delay_s=round(rng.uniform(0, MAX_DRAW_DELAY_S), 2) if rng.random() < 0.5 else 0.0,
            # Newer details are drawn after the older ones, so those stay what they were.
            answer_names="label" if rng.random() < 0.5 else rng.choice(ANSWER_NAMES[1:]),
            others_first=rng.random() < 0.5,
            others_flipped=rng.random() < 0.5,
        )
        unlisted = rng.choice(UNLISTED_WORDS) if rng.random() < 0.25 else None
        shown = "absent" if rng.random() < 0.25 else "language"
        index = rng.choice(INDEX_VALUES)
        index_delay = round(rng.uniform(0.1, MAX_INDEX_DELAY_S), 2) if index != "in_page" else 0.0
        lacking = rng.choice(LACKING_SWITCHES[1:]) if rng.random() < 0.5 else "none"
        lacking_answer = "not_found" if rng.random() < 0.3 else "omitted"
        drawn = replace(
            drawn, value_words=unlisted or drawn.value_words, shown_words=shown,
            index_values=index, index_delay_s=index_delay, lacking_switch=lacking,
            lacking_answer=lacking_answer, yes_no_control=rng.choice(YES_NO_CONTROLS),
            newer_address=rng.choice(NEWER_ADDRESSES),
            lacking_words=rng.choice(("hinted", "unknown")) if rng.random() < 0.4 else "pack",
            index_words="unlisted" if rng.random() < 0.3 else "pack",
            ask_delay_s=round(rng.uniform(1, MAX_ASK_DELAY_S), 1) if rng.random() < 0.1 else 0.0,
            honours_reduced_motion=rng.random() < 0.5,
            listens_after_s=(
                round(rng.uniform(0.3, MAX_LISTENS_AFTER_S), 1) if rng.random() < 0.25 else 0.0
            ),
            lacking_mark=rng.choice(LACKING_MARKS),
            beacons=rng.random() < 0.5,
        )  # fmt: skip
        if rng.random() < INVERTED_SHARE and drawn.value_words in VALUE_WORDS:
            drawn = replace(drawn, answer_key=INVERTED_KEY)
        # Drawn last, so the draws above stay what they were for every seed.
        if rng.random() < REGION_SHARE and drawn.lacking_words == "pack":
            drawn = replace(drawn, lacking_words="region")
        if rng.random() < INDEX_LAG_SHARE:
            drawn = replace(drawn, index_lag_s=round(rng.uniform(30, MAX_INDEX_LAG_S)))
        drawn = replace(drawn, main_element=rng.choice(MAIN_ELEMENTS))
        drawn = replace(drawn, served_whole=rng.random() < SERVED_WHOLE_SHARE)
        drawn = replace(drawn, card_address=rng.choice(CARD_ADDRESSES))
        drawn = replace(drawn, switch_served=rng.random() < 0.5)
        # Which key that says no, and in whose sense its declared values are: drawn last too.
        if drawn.answer_key in INVERTED_KEYS:
            key, sense = rng.choice(INVERTED_KEYS), rng.choice(DECLARED_SENSES)
            drawn = replace(drawn, answer_key=key, declared_sense=sense)
        legacy = "server" if rng.random() < 0.5 else rng.choice(LEGACY_DRAWINGS[1:])
        draw_s = round(rng.uniform(*LEGACY_DRAW_S), 1)
        drawn = replace(drawn, legacy_drawn=legacy, legacy_draw_s=draw_s)
        late = rng.random() < LATE_DRAW_SHARE
        return replace(drawn, draw_delay_s=round(rng.uniform(*LATE_DRAW_S), 1)) if late else drawn

    @classmethod
    def drawn(cls, email: str, seed: int | None = None) -> PageDetails:
        """The account's details unless set: from its email, and the seed if there is one."""
        text = email if seed is None else f"{seed}:{email}"
        digest = hashlib.sha256(text.encode()).digest()
        return cls.random(random.Random(int.from_bytes(digest[:8], "big")))  # noqa: S311

    def readable(self) -> PageDetails:
        """These details with the setting's entry in the page's answer named as its switch
        is labelled, its value in words optout reads for sure (a list's, its own
        onValue/offValue, or the words shown for it; under a key that does not say no), and
        the Data privacy index in the pack's words: a page that always leaves optout a
        source it can know, where others may rightly read `unknown` (an answer with no
        entry known as the setting's, or in words it cannot read, and an index in other
        words; a setting the index shows no value of has only the answer); and a page that
        takes clicks as soon as it draws the switch's state (a late one takes a change more
        clicks and loads, and an index that shows every change at once, as the tests of one
        path should not see unasked; so the AI page asks for its card)."""
        return replace(
            self, answer_names="label", index_words="pack", listens_after_s=0.0,
            index_lag_s=0.0, served_whole=False,
            value_words=self.value_words if self.words_read_for_sure else VALUE_WORDS[0],
            answer_key=AI_ARIA_KEY if self.answer_key in INVERTED_KEYS else self.answer_key,
        )  # fmt: skip

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: object, base: PageDetails | None = None) -> PageDetails:
        """From a JSON object; fields left out keep `base`'s. ValueError names a bad field."""
        if not isinstance(data, dict):
            raise ValueError("details must be a JSON object")
        known = {f.name: f.type for f in fields(cls)}
        values: dict[str, Any] = {}
        for name, value in data.items():
            kind = known.get(name)
            if kind is None:
                raise ValueError(f"unknown page detail {name!r}")
            number = isinstance(value, int | float) and not isinstance(value, bool)
            ok = {
                "str": isinstance(value, str),
                "bool": isinstance(value, bool),
                "int": number and isinstance(value, int),
                "float": number,
            }[str(kind)]
            if not ok:
                raise ValueError(f"page detail {name!r} has a value of the wrong type")
            values[name] = float(value) if kind == "float" else value
        return replace(base or cls(), **values)
