"""Value words learned beside a reading the Data privacy index confirmed: what is learned,
from what alone, and that the meaning stays a hint the switch must agree with."""

from __future__ import annotations

from dataclasses import replace

import pytest

from optout.core.results import State
from optout.linkedin.settings_pages.card_answer import LEARNED, ONLY_TOGGLE, CardEntry, Opinion
from optout.linkedin.settings_pages.learned_words import LearnedWords
from optout.linkedin.settings_pages.privacy_index import INDEX_SOURCE
from optout.linkedin.settings_pages.settled_reading import REQUEST_SOURCE, answer_says

KEY = "dataForGenAiImprovement"


def _unread(selected: str | None, **entry: object) -> Opinion:
    """An opinion of the setting's own entry (found by the switch's label) whose value
    word optout cannot read."""
    fields: dict[str, object] = {
        "key": KEY, "display_type": "TOGGLE", "on_value": None, "off_value": None,
        "selected": selected, "words": (selected or "SHARE",),
    }  # fmt: skip
    fields.update(entry)
    return Opinion(None, CardEntry(**fields), found_by="switch's label")  # type: ignore[arg-type]


def _learned_from(opinion: Opinion, state: State = State.ON) -> LearnedWords:
    learned = LearnedWords()
    learned.note(opinion, state, INDEX_SOURCE)
    return learned


@pytest.mark.parametrize("state", [State.ON, State.OFF])
def test_the_same_word_says_the_confirmed_state_and_another_word_the_other(state: State) -> None:
    learned = _learned_from(_unread("SHARE"), state)
    same = learned.apply(_unread("SHARE"))
    assert (same.state, same.meaning_from) == (state, LEARNED)
    other = learned.apply(_unread("DO_NOT_SHARE", words=("SHARE", "DO_NOT_SHARE")))
    assert other.state is (State.OFF if state is State.ON else State.ON)
    assert other.is_hint
    # The key may be written in another case; the word may not.
    assert learned.apply(_unread("SHARE", key=KEY.upper())).state is state


def test_a_learned_meaning_is_a_hint_the_switch_must_agree_with() -> None:
    said = _learned_from(_unread("SHARE")).apply(_unread("DO_NOT_SHARE"))
    assert said.state is State.OFF
    # The switch showing on is not contradicted, only left unconfirmed (a longer hold,
    # the index): no learned word can make a reading wrong, only spare a wait.
    assert answer_says(said, State.ON, to_click=False)[0] is None
    assert answer_says(said, State.OFF, to_click=False)[0] is State.OFF


@pytest.mark.parametrize(
    "source",
    [
        pytest.param((_unread("SHARE"), REQUEST_SOURCE), id="confirmed by the answer itself"),
        pytest.param((_unread("SHARE"), None), id="not confirmed"),
        pytest.param((replace(_unread("SHARE"), state=State.ON), INDEX_SOURCE), id="readable"),
        pytest.param((replace(_unread("SHARE"), found_by=ONLY_TOGGLE), INDEX_SOURCE), id="toggle"),
        pytest.param((_unread("SHARE", words=("A", "B", "SHARE")), INDEX_SOURCE), id="3 words"),
        pytest.param((_unread("SHARE", display_type="SELECT"), INDEX_SOURCE), id="not a toggle"),
        pytest.param((_unread(None), INDEX_SOURCE), id="nothing selected"),
    ],
)
def test_nothing_is_learned_but_from_the_index_beside_the_settings_own_entry(
    source: tuple[Opinion, str | None],
) -> None:
    opinion, confirmed_by = source
    learned = LearnedWords()
    learned.note(opinion, State.ON, confirmed_by)
    assert learned.apply(_unread("SHARE")).state is None
    assert learned.apply(_unread("DO_NOT_SHARE")).state is None


def test_an_unknown_reading_teaches_nothing() -> None:
    learned = LearnedWords()
    learned.note(_unread("SHARE"), State.UNKNOWN, INDEX_SOURCE)
    assert learned.apply(_unread("DO_NOT_SHARE")).state is None


@pytest.mark.parametrize(
    "later",
    [
        pytest.param(_unread("OTHER", key="showAiHighlights"), id="another key"),
        pytest.param(_unread("OTHER", selected_from="value"), id="read from another field"),
        pytest.param(replace(_unread("OTHER"), found_by=ONLY_TOGGLE), id="only toggle"),
        pytest.param(_unread("OTHER", words=("A", "B", "OTHER")), id="three words"),
        pytest.param(replace(_unread("OTHER"), state=State.ON), id="its own reading stands"),
    ],
)
def test_a_learned_word_says_nothing_of_another_entry(later: Opinion) -> None:
    assert _learned_from(_unread("SHARE")).apply(later) == later
