"""What real pages showed where the pack's hints did not hold, and the override that fits.

The settings request's key, card name and value words are unconfirmed, so the
pack only guesses them. When a page shows otherwise, optout notes the names it
saw (keys, card, value words, request path: never which value is selected, nor
anything else of the member's data) in the state dir. `optout doctor` shows the
note; `optout selectors suggest` turns it into a pack override, so a member can
report one file and the pack follows LinkedIn without a release.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from optout.core.private_files import read_file, write_private_file
from optout.core.results import State
from optout.core.selector_pack import Pack, SettingSpec, Vocabulary
from optout.linkedin.settings_pages.card_answer import (
    DECLARED_UNDER_NO,
    KEY_SAYS_NO,
    LEARNED,
    SELECTED_FLAG,
    WORD_PAIR,
    CardEntry,
    Opinion,
)

FILE_NAME = "calibration.json"


@dataclass
class Observation:
    """One setting's page, as far as it differed from the pack's hints."""

    setting: str
    seen_at: str  # UTC, ISO 8601: when first seen as it is, renewed once a day
    missed: list[str] = field(default_factory=list)  # which hints did not hold
    card: str | None = None
    entry_key: str | None = None
    found_by: str | None = None
    display_type: str | None = None
    on_value: str | None = None
    off_value: str | None = None
    value_words: list[str] = field(default_factory=list)
    switch_aria_keys: list[str] = field(default_factory=list)


def _same(a: str, b: str) -> bool:
    return a.casefold() == b.casefold()


def _entry_missed(
    spec: SettingSpec, opinion: Opinion, entry: CardEntry, vocabulary: Vocabulary
) -> list[str]:
    missed = []
    keys = spec.api.keys if spec.api else ()
    if not any(_same(entry.key, key) for key in keys):
        missed.append(f"the answer lists the setting as {entry.key!r}, not a pack key")
    pack_card = spec.api.card if spec.api else None
    if opinion.card and opinion.card != pack_card and not _same(opinion.card, entry.key):
        missed.append(f"the card is named {opinion.card!r}, not after its key")
    meaning = _meaning_missed(opinion, entry, vocabulary)
    if meaning is not None:
        missed.append(meaning)
    if entry.selected_from != SELECTED_FLAG:
        missed.append(
            f"no value is marked selected; its {entry.selected_from!r} field was read as "
            "the current value (a hint)"
        )
    return missed


def _meaning_missed(opinion: Opinion, entry: CardEntry, vocabulary: Vocabulary) -> str | None:
    """What the pack lacked to read the entry's value, where it lacked anything."""
    source = opinion.meaning_from
    if source == "onValue/offValue":
        own = (entry.on_value or "", entry.off_value or "")
        if (vocabulary.meaning(own[0]), vocabulary.meaning(own[1])) == (State.ON, State.OFF):
            return None
        return f"the value words {own[0]!r}/{own[1]!r} are not in the pack's [values]"
    if source == "shown words":
        return (
            f"the value word {entry.selected!r} is not in the pack's [values] "
            f"(read by the words shown for it, {entry.selected_shown!r})"
        )
    if source == WORD_PAIR:
        return (
            f"the value words {'/'.join(entry.words)} are not in the pack's [values] "
            "(read, as a hint, by their form)"
        )
    if source == KEY_SAYS_NO:
        return (
            f"the key {entry.key!r} says no: its value {entry.selected!r} was read, as a "
            "hint, as the switch's opposite"
        )
    if source == DECLARED_UNDER_NO:
        return (
            f"the key {entry.key!r} says no: its onValue/offValue may be in its own sense "
            "or the switch's, so its value was not read"
        )
    if opinion.state is None or source == LEARNED:
        return "the value words were not understood"
    return None


def observe(
    spec: SettingSpec,
    opinion: Opinion,
    switch_aria_keys: tuple[str, ...],
    vocabulary: Vocabulary | None = None,
) -> Observation | None:
    """What to note about this reading; None when every hint held."""
    seen = Observation(spec.id, datetime.now(UTC).isoformat(timespec="seconds"))
    entry = opinion.entry
    if entry is not None:
        seen.missed = _entry_missed(spec, opinion, entry, vocabulary or Vocabulary())
        seen.card, seen.entry_key, seen.found_by = opinion.card, entry.key, opinion.found_by
        seen.display_type, seen.on_value, seen.off_value = (
            entry.display_type, entry.on_value, entry.off_value,
        )  # fmt: skip
        seen.value_words = sorted(set(entry.words))
    keyed = [k for k in switch_aria_keys if any(_same(k, a) for a in spec.aria_keys)]
    # Only a key worth suggesting: one the answer also uses (generated ids are noise).
    if not keyed and entry is not None and any(_same(k, entry.key) for k in switch_aria_keys):
        seen.missed.append("the switch's aria-labelledby key is not in the pack")
        seen.switch_aria_keys = list(switch_aria_keys)
    return seen if seen.missed else None


class Calibration:
    """The state dir's note of observations, one per setting (the latest)."""

    def __init__(self, state_dir: Path) -> None:
        self.path = state_dir / FILE_NAME

    def load(self) -> dict[str, Observation]:
        raw = read_file(self.path)
        if raw is None:
            return {}
        try:
            data = json.loads(raw)
            known = Observation.__dataclass_fields__
            return {
                sid: Observation(**{k: v for k, v in item.items() if k in known})
                for sid, item in data.get("settings", {}).items()
            }
        except (ValueError, TypeError, AttributeError):
            return {}  # a damaged note is only a lost hint: the next run writes it anew

    def record(self, seen: Observation) -> bool:
        """Keep `seen` as the setting's note; whether the file was written. A note that
        says what the kept one says, seen the same day, is not written again: a run of
        many accounts, or a scheduled run, would otherwise rewrite the file every time."""
        notes = self.load()
        kept = notes.get(seen.setting)
        if kept is not None and _same_note(kept, seen) and kept.seen_at[:10] == seen.seen_at[:10]:
            return False
        notes[seen.setting] = seen
        body = {"settings": {sid: asdict(obs) for sid, obs in sorted(notes.items())}}
        write_private_file(self.path, (json.dumps(body, indent=2) + "\n").encode())
        return True


def _same_note(a: Observation, b: Observation) -> bool:
    """The same observation, whenever each was seen."""
    return {**asdict(a), "seen_at": ""} == {**asdict(b), "seen_at": ""}


def _toml_list(words: list[str]) -> str:
    return "[" + ", ".join(json.dumps(w) for w in words) + "]"


def _values_table(pack: Pack, notes: dict[str, Observation]) -> list[str]:
    vocabulary: Vocabulary = pack.values
    on, off = list(vocabulary.on), list(vocabulary.off)
    for seen in notes.values():
        for word, words in ((seen.on_value, on), (seen.off_value, off)):
            if word and vocabulary.meaning(word) is None and word not in words:
                words.append(word)
    if (tuple(on), tuple(off)) == (vocabulary.on, vocabulary.off):
        return []
    return ["[values]", f"on = {_toml_list(on)}", f"off = {_toml_list(off)}", ""]


def _setting_tables(spec: SettingSpec, seen: Observation) -> list[str]:
    lines = [f"# {spec.label}: seen {seen.seen_at}; " + "; ".join(seen.missed)]
    aria = [k for k in seen.switch_aria_keys if not any(_same(k, a) for a in spec.aria_keys)]
    if aria:
        lines += [f"[settings.{spec.id}]", f"aria_keys = {_toml_list([*aria, *spec.aria_keys])}"]
    api = []
    keys = list(spec.api.keys) if spec.api else []
    if seen.entry_key and not any(_same(seen.entry_key, k) for k in keys):
        api.append(f"keys = {_toml_list([seen.entry_key, *keys])}")
    if seen.card and seen.card != (spec.api.card if spec.api else None):
        api.append(f"card = {json.dumps(seen.card)}")
    if api:
        lines += [f"[settings.{spec.id}.api]", *api]
    return [*lines, ""]


def suggest(pack: Pack, notes: dict[str, Observation]) -> str:
    """A pack override (TOML) that makes the hints match what the pages showed."""
    lines: list[str] = []
    for sid, seen in sorted(notes.items()):
        spec = pack.settings.get(sid)
        if spec is not None:
            lines += _setting_tables(spec, seen)
    lines += _values_table(pack, notes)
    return "\n".join(lines).rstrip() + "\n" if lines else ""


def describe(seen: Observation) -> str:
    """One line for `optout doctor`."""
    return f"{seen.setting} ({seen.seen_at}): " + "; ".join(seen.missed)


def as_json(notes: dict[str, Observation]) -> dict[str, Any]:
    return {sid: asdict(seen) for sid, seen in notes.items()}
