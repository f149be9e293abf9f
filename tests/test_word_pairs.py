"""The form of a toggle's two value words, read as a hint (word_pairs.py), and what the
settled reading makes of that hint (settled_reading.answer_says)."""

from __future__ import annotations

import pytest

from optout.core.results import State
from optout.core.selector_pack import Vocabulary, load_pack
from optout.linkedin.settings_pages.calibration import observe
from optout.linkedin.settings_pages.card_answer import (
    WORD_PAIR,
    CardEntry,
    Opinion,
    entries_in,
    opinion,
)
from optout.linkedin.settings_pages.settled_reading import (
    CONFIRMED_HOLD_S,
    HINTED_HOLD_S,
    UNCONFIRMED_HOLD_S,
    answer_says,
)
from optout.linkedin.settings_pages.word_pairs import key_says_no, pair_meaning


@pytest.mark.parametrize(
    ("on", "off"),
    [
        ("ALLOWED", "NOT_ALLOWED"), ("ALLOW", "DISALLOW"), ("OPT_IN", "OPT_OUT"),
        ("OPTED_IN", "OPTED_OUT"), ("optedIn", "optedOut"), ("TOGGLE_ON", "TOGGLE_OFF"),
        ("1", "0"), ("allow", "deny"), ("ACTIVE", "INACTIVE"), ("SHOW", "HIDE"),
        ("SHARE_DATA", "NOT_SHARE_DATA"), ("ENABLE_ALL", "DISABLE_ALL"),
        ("GENAI_TRAINING_PERMITTED", "GENAI_TRAINING_RESTRICTED"), ("CONSENTED", "WITHDRAWN"),
        ("SHARE", "DO_NOT_SHARE"), ("share", "dontShare"), ("GRANTED", "REVOKED"),
    ],
)  # fmt: skip
def test_two_words_that_differ_by_a_negation_or_an_opposite_say_which_is_which(
    on: str, off: str
) -> None:
    for words in ((on, off), (off, on)):  # in either order
        assert pair_meaning(on, words) is State.ON
        assert pair_meaning(off, words) is State.OFF


@pytest.mark.parametrize(
    "words",
    [
        ("PERMITTED", "FORBIDDEN"),  # nothing in their form
        ("NOT_OPTED_OUT", "OPTED_OUT"),  # "not" of a word that says no already
        ("DO_NOT_RESTRICT", "RESTRICT"),  # ... in two parts
        ("OPT_OUT_TRUE", "OPT_OUT_FALSE"),  # true of an opt-out is off
        ("SCOPE", "IN_SCOPE"),  # "in" is a negation only glued on (INACTIVE)
        ("DISCLOSE_FULL", "DISCLOSE_ANONYMOUS", "HIDE"),  # not a toggle's two
        ("ON",),
        ("OPTED_IN", "OPTED_IN"),
    ],
)
def test_words_whose_form_does_not_tell_give_no_meaning(words: tuple[str, ...]) -> None:
    assert all(pair_meaning(word, words) is None for word in words)


def test_a_word_the_toggle_does_not_offer_gives_no_meaning() -> None:
    assert pair_meaning("MAYBE", ("ALLOWED", "NOT_ALLOWED")) is None


def _toggle(selected: str, other: str, **extra: str) -> list[tuple[str, list[CardEntry]]]:
    values = [{"value": selected, "selected": True}, {"value": other, "selected": False}]
    data = {"key": "allowX", "settingDisplayType": "TOGGLE", "settingDisplayValues": values}
    return [("card", list(entries_in({**data, **extra})))]


def test_the_form_is_read_only_where_nothing_else_tells() -> None:
    vocabulary = Vocabulary()
    said = opinion(_toggle("NOT_ALLOWED", "ALLOWED"), ("allowX",), (), vocabulary,
                   single_switch=True)  # fmt: skip
    assert (said.state, said.meaning_from) == (State.OFF, WORD_PAIR)
    # The entry's own onValue/offValue rule, even against the form.
    declared = _toggle("NOT_ALLOWED", "ALLOWED", onValue="NOT_ALLOWED", offValue="ALLOWED")
    said = opinion(declared, ("allowX",), (), vocabulary, single_switch=True)
    assert (said.state, said.meaning_from) == (State.ON, "onValue/offValue")


@pytest.mark.parametrize("dom", [State.ON, State.OFF])
def test_a_hint_counts_only_where_the_switch_agrees_and_after_a_longer_hold(dom: State) -> None:
    hint = Opinion(State.ON, meaning_from=WORD_PAIR)
    said, needed = answer_says(hint, dom, to_click=False)
    if dom is State.ON:
        assert (said, needed) == (State.ON, HINTED_HOLD_S)
    else:  # not a disagreement: no opinion, and the reading waits as for none
        assert said is None
    assert CONFIRMED_HOLD_S < HINTED_HOLD_S < UNCONFIRMED_HOLD_S
    # A meaning from the vocabulary is an opinion either way: agreeing or not.
    listed = Opinion(State.ON, meaning_from="vocabulary")
    assert answer_says(listed, dom, to_click=False) == (State.ON, CONFIRMED_HOLD_S)


def test_a_value_read_by_its_form_is_noted_for_the_pack() -> None:
    pack = load_pack()
    spec = pack.setting("generative-ai-improvement")
    answers = _toggle("OPT_IN", "OPT_OUT")
    said = opinion(answers, spec.api.keys if spec.api else (), (), pack.values,
                   single_switch=True, switch_labels=())  # fmt: skip
    seen = observe(spec, said, (), pack.values)
    assert seen is not None
    assert any("OPT_IN/OPT_OUT are not in the pack's [values]" in note for note in seen.missed)


@pytest.mark.parametrize(
    ("key", "says_no"),
    [
        ("excludeFromGenerativeAITraining", True), ("aiTrainingOptOut", True),
        ("OPT_OUT_OF_AI", True), ("blockAiTraining", True), ("dontUseMyData", True),
        ("generativeAiTrainingOptedOut", True), ("withholdDataFromAi", True),
        ("objectToAiTraining", True), ("aiConsentRevoked", True), ("declineAiTraining", True),
        ("objectsInFeed", False), ("optedInToAi", False),
        ("allowDataForGenerativeAI", False), ("dataForGenAiImprovement", False),
        ("notificationsForAi", False), ("nonstopTraining", False), ("optInToAi", False),
    ],
)  # fmt: skip
def test_a_key_says_no_by_a_part_of_its_own(key: str, says_no: bool) -> None:
    assert key_says_no(key) is says_no
