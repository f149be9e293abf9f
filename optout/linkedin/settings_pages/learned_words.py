"""A value word of the settings request, learned beside a confirmed state, for the rest
of one page's run.

The answer's value words are unconfirmed, and optout may not know the words a page
uses (`SHARE`, `NOT_OPTED_OUT`). Where it cannot read them, a reading needs another
source: the Data privacy index. Once the index has confirmed a reading, the word the
setting's entry held then says that state for the rest of the run; and a different
word in the same entry says the other state, since a toggle has two. So the
read-back after a click need not hold 3 s for the index again, nor be overruled by an
index that still shows the value from before the change.

It stays a hint (Opinion.is_hint): it counts only where the switch agrees, after the
hint's hold, and a switch that disagrees is merely unconfirmed. It is learned only
from the index, never from the answer's own hints, and only from an entry that is
plainly this setting's (found by a key or the switch's label) and offers at most two
words.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from optout.core.results import State
from optout.linkedin.settings_pages.card_answer import LEARNED, CardEntry, Opinion
from optout.linkedin.settings_pages.privacy_index import INDEX_SOURCE


@dataclass(frozen=True)
class _Held:
    """What a setting's entry held: its key (folded), where its current value was read,
    and that value's word."""

    key: str
    selected_from: str
    word: str


def _held(entry: CardEntry | None) -> _Held | None:
    """What the entry holds, where its current word can stand for a state: one toggle
    value (or an entry that does not say what it is) among at most two words."""
    if entry is None or entry.selected is None:
        return None
    if entry.display_type is not None and not entry.is_toggle:
        return None
    if len(set(entry.words)) > 2:
        return None
    return _Held(entry.key.casefold(), entry.selected_from, entry.selected)


class LearnedWords:
    """What one page's answers said, as learned from its confirmed readings."""

    def __init__(self) -> None:
        self._learned: tuple[_Held, State] | None = None

    def note(self, opinion: Opinion, state: State, confirmed_by: str | None) -> None:
        """Learn the entry's word from a reading the index confirmed, where the answer
        itself said nothing readable."""
        held = _held(opinion.entry)
        if (
            confirmed_by != INDEX_SOURCE
            or state not in (State.ON, State.OFF)
            or opinion.state is not None
            or not opinion.names_the_setting
            or held is None
        ):
            return
        self._learned = (held, state)

    def apply(self, opinion: Opinion) -> Opinion:
        """The opinion, with the learned word's meaning where its own words say nothing."""
        if self._learned is None or opinion.state is not None or not opinion.names_the_setting:
            return opinion  # the common case, on every look at the switch: nothing to do
        learned, state = self._learned
        held = _held(opinion.entry)
        if held is None or (held.key, held.selected_from) != (learned.key, learned.selected_from):
            return opinion
        if held.word != learned.word:  # a toggle's other word: its other state
            state = State.OFF if state is State.ON else State.ON
        return replace(opinion, state=state, meaning_from=LEARNED)
