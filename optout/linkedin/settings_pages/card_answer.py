"""What the settings page's own request says about a setting: an opinion, or none.

The request's answer is private and undocumented: the card's name, the key a
setting is listed under and the words of its values are all unconfirmed. So
nothing here is a condition. The pack's key is one way to find the setting's
entry among several, the switch's own label (the entry's `a11yName` or
`primaryDescription`, as the page draws it) another; the meaning of a value
comes from the entry's own `onValue`/`offValue` where it has them (not under a key
that says no, `exclude...`: in whose sense they are is unconfirmed), else from a
vocabulary of value words, else from the words the page shows for the chosen
value (its `settingDisplayValue`, "On", "Off"), else, as a hint only, from the
form of the toggle's two value words (`NOT_ALLOWED` beside `ALLOWED`); where the
shown words say the opposite, there is no opinion. Whatever does not fit is *no
opinion*, never a disagreement and never "absent".
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from optout.core.results import State
from optout.core.selector_pack import Vocabulary
from optout.linkedin.settings_pages.word_pairs import key_says_no, pair_meaning

_MAX_DEPTH = 8  # setting objects sit a few levels down; a deeper answer is not one of these
# A label shorter than this could be part of another's by chance ("On", "Ads").
_MIN_LABEL_CHARS = 12
# ... and a label text must be mostly the name: a phrase inside a longer text is not.
_MIN_LABEL_SHARE = 0.6
# A meaning read from the form of a toggle's two value words (word_pairs.py): a hint,
# which counts only where the switch agrees with it.
WORD_PAIR = "value words' form"
# A bare value word (ON, true) of an entry whose key says no (`excludeFrom...`), read as
# the switch's opposite: a hint, as WORD_PAIR is.
KEY_SAYS_NO = "value words under a key that says no"
# An entry's own onValue/offValue under a key that says no: whether they are in the
# switch's sense or the key's is unconfirmed, so they give no opinion.
DECLARED_UNDER_NO = "onValue/offValue under a key that says no"
# A value word read by what the same entry held when the index confirmed a reading in
# this run (learned_words.py): a hint, as WORD_PAIR is.
LEARNED = "a value word seen beside a state the index confirmed"
# An entry found only as the answers' one toggle: it may be another card's.
ONLY_TOGGLE = "only toggle"
# Where none of an entry's values is marked `selected`, its current value may sit in a
# field of its own: a guess (the PUT body carries the new value as `value`), so a value
# read there is a hint, as WORD_PAIR is.
VALUE_FIELDS = ("value", "selectedValue", "currentValue")
SELECTED_FLAG = "selected"  # the current value marked among the entry's values, as seen


@dataclass(frozen=True)
class CardEntry:
    """One setting object in a card answer, as far as it can be read."""

    key: str
    display_type: str | None
    on_value: str | None
    off_value: str | None
    selected: str | None  # the one value marked selected; None when not exactly one
    words: tuple[str, ...] = ()  # every value word the entry offers (never which is chosen)
    names: tuple[str, ...] = ()  # its a11yName and primaryDescription, folded (_folded)
    selected_shown: str | None = None  # what the page shows for the selected value
    selected_from: str = SELECTED_FLAG  # where `selected` was read: a flag, or a field

    @property
    def is_toggle(self) -> bool:
        return (self.display_type or "").upper() == "TOGGLE"

    @property
    def declares_values(self) -> bool:
        """The entry names its own onValue/offValue (then no other meaning counts)."""
        return self.on_value is not None or self.off_value is not None

    def meaning(self, vocabulary: Vocabulary) -> tuple[State | None, str]:
        """(on/off/None, where the meaning came from: "onValue/offValue", "vocabulary",
        "shown words", or WORD_PAIR: the two value words' form, where nothing else
        tells). The words shown for the value can only confirm the first two."""
        state, source = self._value_meaning(vocabulary)
        shown = vocabulary.shown_meaning(self.selected_shown)
        if state is not None and shown is not None and shown is not state:
            return None, f"{source} and the shown words disagree"
        if state is None and shown is not None and not self.declares_values:
            return shown, "shown words"
        if state is None and self.selected is not None and not self.declares_values:
            paired = pair_meaning(self.selected, self.words)
            if paired is not None and key_says_no(self.key):
                return None, "value words' form under a key that says no"
            if paired is not None:  # a hint the switch must agree with (WORD_PAIR)
                return paired, WORD_PAIR
        return state, source

    def _value_meaning(self, vocabulary: Vocabulary) -> tuple[State | None, str]:
        if self.selected is None:
            return None, "nothing selected"
        if self.declares_values:
            if key_says_no(self.key):
                # Its onValue may be the value that turns the switch on, or the one that
                # makes the key true (`exclude...`): the switch's opposite.
                return None, DECLARED_UNDER_NO
            if self.on_value == self.off_value:
                return None, "onValue equals offValue"
            if self.selected == self.on_value:
                return State.ON, "onValue/offValue"
            if self.selected == self.off_value:
                return State.OFF, "onValue/offValue"
            return None, "value is neither onValue nor offValue"
        state = vocabulary.meaning(self.selected)
        if state is not None and key_says_no(self.key):
            return (State.OFF if state is State.ON else State.ON), KEY_SAYS_NO
        return state, "vocabulary"


def _word(value: Any) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int) and not isinstance(value, bool):
        return str(value)
    return None


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


def _names(data: dict[str, Any]) -> tuple[str, ...]:
    texts = (data.get(name) for name in ("a11yName", "primaryDescription"))
    return tuple({folded for t in texts if isinstance(t, str) and (folded := _folded(t))})


def _entry(data: dict[str, Any]) -> CardEntry | None:
    key = data.get("key")
    values = data.get("settingDisplayValues")
    if not isinstance(key, str) or not key or not isinstance(values, list):
        return None
    choices = [v for v in values if isinstance(v, dict)]
    words = tuple(w for v in choices if (w := _word(v.get("value"))) is not None)
    selected, selected_from = _current_value(data, choices)
    if selected_from == SELECTED_FLAG:
        shown = {v.get("settingDisplayValue") for v in choices if v.get("selected") is True}
    else:
        shown = {v.get("settingDisplayValue") for v in choices if _word(v.get("value")) == selected}
    display_type = data.get("settingDisplayType")
    return CardEntry(
        key=key,
        display_type=display_type if isinstance(display_type, str) else None,
        on_value=_word(data.get("onValue")),
        off_value=_word(data.get("offValue")),
        selected=selected,
        words=words,
        names=_names(data),
        selected_shown=_shown(shown) if selected is not None else None,
        selected_from=selected_from,
    )


def _current_value(data: dict[str, Any], choices: list[dict[str, Any]]) -> tuple[str | None, str]:
    """(the entry's current value, where it was read): the one value marked selected;
    where none is, the one value its own fields (VALUE_FIELDS) hold. None when that is
    not exactly one value: several marked, or fields that differ."""
    chosen = {w for v in choices if v.get("selected") is True and (w := _word(v.get("value")))}
    if chosen:
        return (next(iter(chosen)) if len(chosen) == 1 else None), SELECTED_FLAG
    held = {name: w for name in VALUE_FIELDS if (w := _word(data.get(name))) is not None}
    if len(set(held.values())) != 1:
        return None, SELECTED_FLAG
    name, word = next(iter(held.items()))
    return word, name


def _shown(texts: set[Any]) -> str | None:
    """The one text shown for the selected value; None when there is not exactly one."""
    if len(texts) != 1:
        return None
    (text,) = texts
    return text if isinstance(text, str) else None


def entries_in_json(text: str | bytes) -> list[CardEntry]:
    """Every setting object in a JSON text (an answer's body, a block of the page's own
    data); none where it is not JSON: such a text says nothing."""
    try:
        return list(entries_in(json.loads(text)))
    except (TypeError, ValueError, RecursionError):
        return []


def entries_in(data: Any, depth: int = 0) -> Iterator[CardEntry]:
    """Every setting object anywhere in an answer, in document order, whatever its shape."""
    if depth > _MAX_DEPTH:
        return
    if isinstance(data, dict):
        entry = _entry(data)
        if entry is not None:
            yield entry
        for value in data.values():
            yield from entries_in(value, depth + 1)
    elif isinstance(data, list):
        for value in data:
            yield from entries_in(value, depth + 1)


@dataclass(frozen=True)
class Opinion:
    """What the answers say about one setting, and how its entry was found."""

    state: State | None  # ON, OFF, or None: no opinion
    entry: CardEntry | None = None
    found_by: str | None = None  # "pack key", "switch's aria key", "switch's label", "only toggle"
    meaning_from: str | None = None
    card: str | None = None  # the card's name in the request path
    notes: tuple[str, ...] = field(default=())

    @property
    def names_the_setting(self) -> bool:
        """The entry was found as this setting's (by a key or its label), whatever its
        value says; not merely as the answers' only toggle, which may be another card's."""
        return self.found_by not in (None, ONLY_TOGGLE)

    @property
    def is_hint(self) -> bool:
        """The state is a hint, which counts only where the switch agrees: read from the
        value words' form (WORD_PAIR), against a key that says no (KEY_SAYS_NO), or from a
        field guessed to hold the current value, or learned in this run (LEARNED)."""
        from_field = self.entry is not None and self.entry.selected_from != SELECTED_FLAG
        return self.meaning_from in (WORD_PAIR, KEY_SAYS_NO, LEARNED) or from_field


def _same_key(a: str, b: str) -> bool:
    # LinkedIn's keys are camelCase words; a guess may differ in case alone
    # (allowDataForGenerativeAi / allowDataForGenerativeAI).
    return a.casefold() == b.casefold()


def _nearly_all_of(a: str, b: str) -> bool:
    """The shorter of two texts is inside the longer, and is most of it."""
    shorter, longer = sorted((a, b), key=len)
    long_enough = len(shorter) >= max(_MIN_LABEL_CHARS, _MIN_LABEL_SHARE * len(longer))
    return long_enough and shorter in longer


def _labelled(name: str, labels: tuple[str, ...]) -> bool:
    """The entry's name is the switch's label, or nearly all of one of its label texts
    (which may carry a few more words, such as the state drawn beside it)."""
    return any(name == label or _nearly_all_of(name, label) for label in labels)


def _by_label(
    answers: list[tuple[str, list[CardEntry]]], switch_labels: Iterable[str]
) -> tuple[str, CardEntry] | None:
    """The one entry named as the switch is labelled; None when none is, or several."""
    labels = tuple(folded for text in switch_labels if (folded := _folded(text)))
    named: dict[str, tuple[str, CardEntry]] = {}
    for card, entries in answers[::-1]:  # the latest answer's entry stays
        for entry in entries:
            if any(_labelled(name, labels) for name in entry.names):
                named[entry.key.casefold()] = (card, entry)
    return next(iter(named.values())) if len(named) == 1 else None


def find_entry(
    answers: list[tuple[str, list[CardEntry]]],
    pack_keys: Iterable[str],
    aria_keys: Iterable[str],
    *,
    single_switch: bool,
    switch_labels: Iterable[str] = (),
) -> tuple[str, CardEntry, str] | None:
    """(card, entry, found by) for the setting, latest answer first; None if not found.
    `switch_labels`: the texts that label the switch on the page (its accessible name's
    parts), matched against the entries' own names."""
    pack_keys, aria_keys = tuple(pack_keys), tuple(aria_keys)
    for how, keys in (("pack key", pack_keys), ("switch's aria key", aria_keys)):
        for card, entries in answers:
            for entry in entries:
                if any(_same_key(entry.key, key) for key in keys):
                    return card, entry, how
    labelled = _by_label(answers, switch_labels)
    if labelled is not None:
        return (*labelled, "switch's label")
    if not single_switch:
        return None
    toggles = {entry.key.casefold(): (card, entry) for card, entries in answers[::-1]
               for entry in entries if entry.is_toggle}  # fmt: skip
    if len(toggles) != 1:
        return None
    card, entry = next(iter(toggles.values()))
    return card, entry, ONLY_TOGGLE


def opinion(
    answers: list[tuple[str, list[CardEntry]]],
    pack_keys: Iterable[str],
    aria_keys: Iterable[str],
    vocabulary: Vocabulary,
    *,
    single_switch: bool,
    switch_labels: Iterable[str] = (),
) -> Opinion:
    """The answers' opinion of the setting: answers are (card name, entries), latest first."""
    found = find_entry(
        answers, pack_keys, aria_keys, single_switch=single_switch, switch_labels=switch_labels
    )
    if found is None:
        return Opinion(None)
    card, entry, how = found
    state, source = entry.meaning(vocabulary)
    return Opinion(state, entry, how, source, card)
