"""The settings request's answer as a hint: found by any key, read by any vocabulary, and
silent (never "absent", never a disagreement) where it does not fit."""

from __future__ import annotations

import itertools
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from optout.core.results import State
from optout.core.selector_pack import Vocabulary, load_pack
from optout.linkedin.settings_pages.calibration import Calibration, Observation, observe, suggest
from optout.linkedin.settings_pages.card_answer import DECLARED_UNDER_NO, entries_in, opinion
from optout.linkedin.settings_pages.settled_reading import HINTED_HOLD_S, answer_says

VOCAB = Vocabulary()
WORDS = {"ON/OFF": ("ON", "OFF"), "true/false": ("true", "false"),
         "ENABLED/DISABLED": ("ENABLED", "DISABLED"), "YES/NO": ("YES", "NO")}  # fmt: skip


def _setting(key: str, on: bool, words: tuple[str, str], *, own_values: bool) -> dict[str, Any]:
    on_word, off_word = words
    entry: dict[str, Any] = {
        "key": key,
        "settingDisplayType": "TOGGLE",
        "entityUrn": "urn:li:settingEntity:123",
        "settingDisplayValues": [
            {"settingDisplayValue": "On", "value": on_word, "selected": on},
            {"settingDisplayValue": "Off", "value": off_word, "selected": not on},
        ],
    }
    if own_values:
        entry |= {"onValue": on_word, "offValue": off_word}
    return entry


def _answers(*settings: dict[str, Any], card: str = "someCard") -> list[tuple[str, list[Any]]]:
    return [(card, list(entries_in({"header": {}, "settings": list(settings)})))]


@pytest.mark.parametrize(
    ("words", "own_values", "on", "case"),
    list(itertools.product(WORDS.values(), (True, False), (True, False), (str.upper, str.lower))),
)
def test_every_value_form_is_understood(
    words: tuple[str, str], own_values: bool, on: bool, case: Any
) -> None:
    cased = (case(words[0]), case(words[1]))
    answers = _answers(_setting("allowX", on, cased, own_values=own_values))
    said = opinion(answers, ("allowX",), (), VOCAB, single_switch=False)
    assert said.state is (State.ON if on else State.OFF)


@pytest.mark.parametrize("key_in_answer", ["allowX", "ALLOWX", "fromAria", "somethingElse"])
def test_the_entry_is_found_by_pack_key_aria_key_or_as_the_only_toggle(key_in_answer: str) -> None:
    answers = _answers(_setting(key_in_answer, True, ("ON", "OFF"), own_values=False))
    said = opinion(answers, ("allowX",), ("fromAria",), VOCAB, single_switch=True)
    assert said.state is State.ON
    expected = {"allowX": "pack key", "ALLOWX": "pack key", "fromAria": "switch's aria key"}
    assert said.found_by == expected.get(key_in_answer, "only toggle")


def test_another_key_on_a_page_of_several_switches_is_no_opinion() -> None:
    answers = _answers(
        _setting("first", True, ("ON", "OFF"), own_values=True),
        _setting("second", False, ("ON", "OFF"), own_values=True),
    )
    said = opinion(answers, ("allowX",), ("emberGenerated",), VOCAB, single_switch=False)
    assert said.state is None
    assert said.entry is None


def test_two_toggles_of_other_keys_on_a_one_switch_page_are_no_opinion() -> None:
    answers = _answers(
        _setting("first", True, ("ON", "OFF"), own_values=True),
        _setting("second", False, ("ON", "OFF"), own_values=True),
    )
    assert opinion(answers, ("allowX",), (), VOCAB, single_switch=True).state is None


LABEL = "Use my data for training content creation AI models"


def _named(key: str, on: bool, name: str, *, field: str = "a11yName") -> dict[str, Any]:
    return _setting(key, on, ("ON", "OFF"), own_values=False) | {field: name}


@pytest.mark.parametrize("field", ["a11yName", "primaryDescription"])
@pytest.mark.parametrize(
    "switch_labels",
    [(LABEL,), (f"  {LABEL.upper()}\n",), ("ember42 text", f"{LABEL} On")],
)
def test_an_entry_of_another_key_is_found_by_the_switchs_label(
    field: str, switch_labels: tuple[str, ...]
) -> None:
    answers = _answers(
        _named("showNotice", False, "Show a notice when AI features use my data", field=field),
        _named("unknownKey", True, LABEL, field=field),
        _named("invites", False, "Invite me to research about AI features", field=field),
    )
    # Even where the page has several switches: the label is the switch's own.
    said = opinion(answers, ("allowX",), ("ember42",), VOCAB, single_switch=False,
                   switch_labels=switch_labels)  # fmt: skip
    assert (said.state, said.found_by) == (State.ON, "switch's label")
    assert said.entry is not None
    assert said.entry.key == "unknownKey"


@pytest.mark.parametrize(
    ("names", "switch_labels"),
    [
        ((LABEL, LABEL), (LABEL,)),  # two entries of that name: neither is known to be it
        (("AI", "Other"), ("AI models",)),  # too short to be told by a part of the text
        # a phrase of the label is another setting's name, not this one's
        (("content creation AI models", "Other setting here"), (LABEL,)),
        (("Something else entirely", "Another thing"), (LABEL,)),
        ((LABEL, "Other setting here"), ()),  # the switch has no label texts
    ],
)
def test_a_label_that_names_no_single_entry_is_no_opinion(
    names: tuple[str, str], switch_labels: tuple[str, ...]
) -> None:
    answers = _answers(_named("first", True, names[0]), _named("second", False, names[1]))
    said = opinion(answers, (), (), VOCAB, single_switch=False, switch_labels=switch_labels)
    assert said.state is None


def test_a_key_decides_over_a_label() -> None:
    answers = _answers(_named("labelled", False, LABEL), _named("allowX", True, "Other words"))
    said = opinion(answers, ("allowX",), (), VOCAB, single_switch=False, switch_labels=(LABEL,))
    assert (said.state, said.found_by) == (State.ON, "pack key")


@pytest.mark.parametrize(
    "entry",
    [
        {"key": "allowX", "settingDisplayValues": [{"value": "MAYBE", "selected": True}]},
        {"key": "allowX", "settingDisplayValues": [{"value": "ON", "selected": False}]},
        {"key": "allowX", "onValue": "A", "offValue": "B",
         "settingDisplayValues": [{"value": "ON", "selected": True}]},
        {"key": "allowX", "settingDisplayValues": [{"value": "ON", "selected": True},
                                                   {"value": "OFF", "selected": True}]},
    ],
)  # fmt: skip
def test_values_that_do_not_fit_are_no_opinion(entry: dict[str, Any]) -> None:
    assert opinion(_answers(entry), ("allowX",), (), VOCAB, single_switch=True).state is None


@pytest.mark.parametrize("body", [None, [], "text", {"settings": "x"}, {"elements": [1, 2]}])
def test_answers_of_other_shapes_hold_no_setting(body: Any) -> None:
    assert list(entries_in(body)) == []


def test_a_nested_answer_is_read_and_the_latest_answer_wins() -> None:
    nested = {"data": {"elements": [{"card": {"settings": [
        _setting("allowX", False, ("true", "false"), own_values=False)]}}]}}  # fmt: skip
    older = ("cardA", list(entries_in(nested)))
    newer = _answers(_setting("allowX", True, ("true", "false"), own_values=False))[0]
    assert opinion([newer, older], ("allowX",), (), VOCAB, single_switch=False).state is State.ON
    assert opinion([older], ("allowX",), (), VOCAB, single_switch=False).state is State.OFF


def test_onvalue_decides_over_the_vocabulary() -> None:
    # A value word that means "on" in the vocabulary is the entry's offValue here.
    entry = {"key": "allowX", "onValue": "NO_OPT_OUT", "offValue": "ON",
             "settingDisplayValues": [{"value": "ON", "selected": True}]}  # fmt: skip
    said = opinion(_answers(entry), ("allowX",), (), VOCAB, single_switch=True)
    assert said.state is State.OFF
    assert said.meaning_from == "onValue/offValue"


def test_a_missed_hint_becomes_a_valid_override(tmp_path: Path) -> None:
    pack = load_pack()
    spec = pack.setting("generative-ai-improvement")
    entry = _setting("aiTrainingConsent", True, ("GRANTED", "DENIED"), own_values=True)
    said = opinion(_answers(entry, card="aiCard"), (), ("aiTrainingConsent",), pack.values,
                   single_switch=True)  # fmt: skip
    assert said.state is State.ON
    seen = observe(spec, said, ("aiTrainingConsent",), pack.values)
    assert seen is not None
    assert seen.entry_key == "aiTrainingConsent"
    assert "GRANTED" in seen.value_words
    assert seen.card == "aiCard"
    notes = Calibration(tmp_path)
    notes.record(seen)
    assert (tmp_path / "calibration.json").stat().st_mode & 0o077 == 0
    text = suggest(pack, notes.load())
    override = tmp_path / "selectors.toml"
    override.write_text(text)
    fitted = load_pack(override=override)
    fitted_spec = fitted.setting("generative-ai-improvement")
    assert fitted_spec.api is not None
    assert "aiTrainingConsent" in fitted_spec.api.keys
    assert "aiTrainingConsent" in fitted_spec.aria_keys
    assert fitted.values.meaning("GRANTED") is State.ON
    # With the override, the same answer is found by the pack's key.
    again = opinion(
        _answers(entry, card="aiCard"), fitted_spec.api.keys, (), fitted.values, single_switch=False
    )
    assert again.found_by == "pack key"
    assert observe(fitted_spec, again, (), fitted.values) is None  # every hint holds now


def test_a_note_already_kept_is_not_written_again_the_same_day(tmp_path: Path) -> None:
    notes = Calibration(tmp_path)
    seen = Observation("generative-ai-improvement", "2026-12-06T07:00:00+00:00", ["a hint"])
    assert notes.record(seen)
    later = replace(seen, seen_at="2026-12-06T09:30:00+00:00")
    assert not notes.record(later)  # the same note, the same day: the file stays as it is
    assert notes.load()[seen.setting].seen_at == seen.seen_at
    assert notes.record(replace(later, missed=["another hint"]))  # it says something new
    assert notes.load()[seen.setting].missed == ["another hint"]
    next_day = replace(later, missed=["another hint"], seen_at="2026-12-07T06:00:00+00:00")
    assert notes.record(next_day)  # seen again on a later day: renewed
    assert notes.load()[seen.setting].seen_at == next_day.seen_at


def test_nothing_is_noted_when_every_hint_held() -> None:
    pack = load_pack()
    spec = pack.setting("generative-ai-improvement")
    entry = _setting("allowDataForGenerativeAI", False, ("ON", "OFF"), own_values=False)
    said = opinion(_answers(entry, card="allowDataForGenerativeAI"), spec.api.keys if spec.api
                   else (), (), pack.values, single_switch=True)  # fmt: skip
    assert said.state is State.OFF
    assert observe(spec, said, ("allowDataForGenerativeAI",), pack.values) is None


def _shown_entry(selected: str, shown: str | None, **own: str) -> dict[str, Any]:
    other = {"value": "other", "selected": False}
    chosen: dict[str, Any] = {"value": selected, "selected": True}
    if shown is not None:
        chosen["settingDisplayValue"] = shown
        other["settingDisplayValue"] = "?"
    return {"key": "allowX", "settingDisplayValues": [other, chosen], **own}


PACK_VOCABULARY = load_pack().values


@pytest.mark.parametrize(
    ("shown", "state"),
    [("On", State.ON), ("off", State.OFF), ("Activé", State.ON), (" Aus ", State.OFF),
     ("Yes", State.ON), ("No", State.OFF), ("Maybe", None), (None, None)],
)  # fmt: skip
def test_unknown_value_words_are_read_by_the_words_shown(shown: str | None, state: State) -> None:
    said = opinion(
        _answers(_shown_entry("OPTED_IN", shown)), ("allowX",), (), PACK_VOCABULARY,
        single_switch=True,
    )  # fmt: skip
    assert said.state is state
    assert said.meaning_from == ("shown words" if state else "vocabulary")


@pytest.mark.parametrize(
    "entry",
    [
        _shown_entry("ON", "Off"),  # the value word says on, the words shown off
        _shown_entry("A", "On", onValue="B", offValue="A"),  # onValue/offValue say off
        _shown_entry("C", "On", onValue="B", offValue="A"),  # declared, and neither
    ],
)
def test_words_shown_never_overrule_the_value(entry: dict[str, Any]) -> None:
    said = opinion(_answers(entry), ("allowX",), (), PACK_VOCABULARY, single_switch=True)
    assert said.state is None


def test_words_shown_confirm_the_value() -> None:
    entry = _shown_entry("B", "Off", onValue="A", offValue="B")
    said = opinion(_answers(entry), ("allowX",), (), PACK_VOCABULARY, single_switch=True)
    assert (said.state, said.meaning_from) == (State.OFF, "onValue/offValue")


def test_a_value_read_by_the_words_shown_is_noted() -> None:
    pack = load_pack()
    spec = pack.setting("generative-ai-improvement")
    entry = {**_shown_entry("OPTED_IN", "On"), "key": "allowDataForGenerativeAI"}
    said = opinion(_answers(entry), ("allowDataForGenerativeAI",), (), pack.values,
                   single_switch=True)  # fmt: skip
    assert (said.state, said.meaning_from) == (State.ON, "shown words")
    seen = observe(spec, said, (), pack.values)
    assert seen is not None
    assert any("'OPTED_IN' is not in the pack's [values]" in note for note in seen.missed)


def _unflagged(**fields: Any) -> dict[str, Any]:
    """An entry whose values carry no `selected` flag, its own fields as given."""
    return {"key": "allowX", "settingDisplayType": "TOGGLE", "onValue": "IN", "offValue": "OUT",
            "settingDisplayValues": [{"value": "IN"}, {"value": "OUT"}], **fields}  # fmt: skip


@pytest.mark.parametrize("field", ["value", "selectedValue", "currentValue"])
@pytest.mark.parametrize(("value", "state"), [("IN", State.ON), ("OUT", State.OFF)])
def test_a_current_value_in_a_field_of_its_own_is_a_hint(
    field: str, value: str, state: State
) -> None:
    said = opinion(_answers(_unflagged(**{field: value})), ("allowX",), (), VOCAB,
                   single_switch=True)  # fmt: skip
    assert (said.state, said.is_hint) == (state, True)
    # ... which counts only where the switch agrees, after the longer hold.
    assert answer_says(said, state, to_click=False) == (state, HINTED_HOLD_S)
    other = State.OFF if state is State.ON else State.ON
    assert answer_says(said, other, to_click=False)[0] is None


@pytest.mark.parametrize(
    "entry",
    [
        _unflagged(value="IN", selectedValue="OUT"),  # fields that differ
        _unflagged(value={"nested": "IN"}),  # not a value word
        _unflagged(),  # no field at all
    ],
)
def test_fields_that_do_not_name_one_value_are_no_opinion(entry: dict[str, Any]) -> None:
    said = opinion(_answers(entry), ("allowX",), (), VOCAB, single_switch=True)
    assert said.state is None


def test_a_selected_flag_decides_over_a_field() -> None:
    entry = _unflagged(value="IN")
    entry["settingDisplayValues"] = [{"value": "IN"}, {"value": "OUT", "selected": True}]
    said = opinion(_answers(entry), ("allowX",), (), VOCAB, single_switch=True)
    assert (said.state, said.is_hint) == (State.OFF, False)


def test_a_value_read_from_a_field_is_noted() -> None:
    pack = load_pack()
    spec = pack.setting("generative-ai-improvement")
    entry = {**_unflagged(selectedValue="IN"), "key": "allowDataForGenerativeAI"}
    said = opinion(_answers(entry), ("allowDataForGenerativeAI",), (), pack.values,
                   single_switch=True)  # fmt: skip
    seen = observe(spec, said, (), pack.values)
    assert seen is not None
    assert any("'selectedValue' field" in note for note in seen.missed)


# A key that says no to what its switch allows (`excludeFrom...`, `...OptOut`): its bare
# value words mean the switch's opposite. A hint, which counts only where the switch
# agrees.
@pytest.mark.parametrize(
    "key", ["excludeFromGenerativeAITraining", "aiTrainingOptOut", "DISALLOW_AI_TRAINING"]
)
@pytest.mark.parametrize(("selected_on_word", "state"), [(True, State.OFF), (False, State.ON)])
def test_bare_value_words_under_a_key_that_says_no_are_the_switchs_opposite_as_a_hint(
    key: str, selected_on_word: bool, state: State
) -> None:
    entry = _setting(key, selected_on_word, ("ON", "OFF"), own_values=False)
    for value in entry["settingDisplayValues"]:
        del value["settingDisplayValue"]  # no words shown: the value word alone tells
    said = opinion(_answers(entry), (), (), VOCAB, single_switch=True)
    assert (said.state, said.is_hint) == (state, True)
    assert answer_says(said, state, to_click=False) == (state, HINTED_HOLD_S)
    other = State.OFF if state is State.ON else State.ON
    assert answer_says(said, other, to_click=False)[0] is None


@pytest.mark.parametrize("selected_on_word", [True, False])
def test_a_key_that_says_no_makes_declared_values_and_word_forms_no_opinion(
    selected_on_word: bool,
) -> None:
    # The entry's own onValue/offValue may name the value that turns the switch on or the
    # one that makes the key true: either reading could be the wrong one, so neither is
    # made, whatever the words shown beside them.
    declared = _setting("excludeFromX", selected_on_word, ("ON", "OFF"), own_values=True)
    said = opinion(_answers(declared), (), (), VOCAB, single_switch=True)
    assert (said.state, said.meaning_from) == (None, DECLARED_UNDER_NO)
    seen = observe(load_pack().setting("generative-ai-improvement"), said, (), VOCAB)
    assert seen is not None
    assert any("onValue/offValue may be in its own sense" in note for note in seen.missed)
    # The same entry under a key that says yes is read by its declared values.
    plain = _setting("allowX", selected_on_word, ("ON", "OFF"), own_values=True)
    said = opinion(_answers(plain), (), (), VOCAB, single_switch=True)
    assert (said.state, said.is_hint) == (State.ON if selected_on_word else State.OFF, False)
    # Words whose form says yes or no may say it of the key or of the switch: no opinion.
    formed = _setting("excludeFromX", True, ("ALLOWED", "NOT_ALLOWED"), own_values=False)
    for value in formed["settingDisplayValues"]:
        del value["settingDisplayValue"]
    assert opinion(_answers(formed), (), (), VOCAB, single_switch=True).state is None


def test_a_value_read_against_a_key_that_says_no_is_noted() -> None:
    pack = load_pack()
    spec = pack.setting("generative-ai-improvement")
    entry = _setting("excludeFromGenerativeAITraining", False, ("ON", "OFF"), own_values=False)
    for value in entry["settingDisplayValues"]:
        del value["settingDisplayValue"]
    said = opinion(_answers(entry), (), (), pack.values, single_switch=True)
    seen = observe(spec, said, (), pack.values)
    assert seen is not None
    assert any("says no" in note for note in seen.missed)
