"""What a toggle's two value words mean by their form alone, where no list has them.

The value words of the settings request's answer are unconfirmed, and a list of
guesses cannot hold them all. Two words of one toggle often say their meaning by
how they differ: `NOT_ALLOWED` beside `ALLOWED`, `DISALLOW` beside `ALLOW`,
`OPT_OUT` beside `OPT_IN`, `TOGGLE_OFF` beside `TOGGLE_ON`, `0` beside `1`. This is
a hint, never a condition: the settled reading counts it only where it agrees with
the switch, and then only after a hold of its own (settled_reading.py); a pair it
cannot read, or one whose "on" word already says "no" (`NOT_OPTED_OUT` beside
`OPTED_OUT`), gives no meaning.
"""

from __future__ import annotations

import itertools
import re

from optout.core.results import State

# Words put before the other word, and prefixes glued to its first part, that turn it
# into its opposite (`NOT_ALLOWED`, `DISALLOW`, `INACTIVE`); "in" and "de" only glued
# (`IN_SCOPE` is not "not in scope").
_NEGATION_WORDS = ("not", "no", "non", "dont")
_NEGATION_PREFIXES = ("not", "non", "dis", "un", "in", "de")
# Words that differ in one part only, that part saying on or off.
_OPPOSITES = {
    ("on", "off"), ("in", "out"), ("true", "false"), ("yes", "no"), ("1", "0"),
    ("enabled", "disabled"), ("enable", "disable"), ("allow", "deny"),
    ("allowed", "denied"), ("granted", "denied"), ("active", "inactive"),
    ("include", "exclude"), ("included", "excluded"), ("show", "hide"),
    ("shown", "hidden"), ("visible", "hidden"), ("permit", "restrict"),
    ("permitted", "restricted"), ("allowed", "restricted"), ("consented", "withdrawn"),
    ("granted", "revoked"), ("accepted", "declined"), ("accepted", "rejected"),
}  # fmt: skip
# Parts that say "off" already: a word holding one is no "on" to be negated.
_SAYS_NO = {off for _, off in _OPPOSITES} | {"not", "non", "none", "never"}


def _parts(word: str) -> list[str]:
    """A value word's parts: split at anything not a letter or digit, and where a
    lower-case letter meets a capital (`optedOut`), folded."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", word)
    return [part.casefold() for part in re.split(r"[^0-9A-Za-z]+", spaced) if part]


def _negates(no: list[str], yes: list[str]) -> bool:
    """`no` is `yes` with a negation in front: as a part of its own (`NOT_`, `DO_NOT_`),
    or glued on."""
    if len(no) == len(yes) + 1 and no[1:] == yes and no[0] in _NEGATION_WORDS:
        return True
    if no[:2] == ["do", "not"] and no[2:] == yes and yes:
        return True
    if len(no) != len(yes) or not yes or no[1:] != yes[1:]:
        return False
    return any(no[0] == prefix + yes[0] for prefix in _NEGATION_PREFIXES)


def _opposed(on: list[str], off: list[str]) -> bool:
    """The two differ in one part only, which says on in one and off in the other."""
    if len(on) != len(off):
        return False
    differing = [(a, b) for a, b in zip(on, off, strict=True) if a != b]
    return len(differing) == 1 and differing[0] in _OPPOSITES


def _off_word(first: str, second: str) -> str | None:
    """Which of the two words says off; None where their form does not tell."""
    for on, off in ((first, second), (second, first)):
        on_parts, off_parts = _parts(on), _parts(off)
        if not on_parts or set(on_parts) & _SAYS_NO:
            continue  # an "on" that says no already (OPT_OUT_TRUE): its opposite is not off
        if _opposed(on_parts, off_parts) or _negates(off_parts, on_parts):
            return off
    return None


# Parts of a setting's key that make it say "no" to what its switch allows
# (`excludeFromGenerativeAITraining`, `aiTrainingOptOut`, `genAiOptedOut`): its bare value
# words (ON, true) then mean the switch's opposite. A key that says no unseen here has its
# words read plainly, at once, and a placeholder could agree with them: so the list leans
# wide (a word here wrongly only makes a reading wait and need the switch to agree).
_KEY_SAYS_NO = {
    "exclude", "excluded", "exclusion", "disallow", "disallowed", "block", "blocked",
    "deny", "denied", "prevent", "restrict", "restricted", "restriction", "disable",
    "disabled", "hide", "hidden", "optout", "optedout", "optsout", "no", "not", "dont",
    "without", "withhold", "withheld", "withdraw", "withdrawn", "revoke", "revoked",
    "decline", "declined", "refuse", "refused", "reject", "rejected", "suppress",
    "suppressed", "forbid", "forbidden", "objectto", "objection",
}  # fmt: skip


def key_says_no(key: str) -> bool:
    """The key names the opposite of the switch: a part from _KEY_SAYS_NO, or OPT_OUT.
    A hint, as the words' form is."""
    parts = _parts(key)
    pairs = {f"{a}{b}" for a, b in itertools.pairwise(parts)}
    return bool((set(parts) | pairs) & _KEY_SAYS_NO)


def pair_meaning(selected: str, words: tuple[str, ...]) -> State | None:
    """What `selected` means as one of a toggle's two value words; None where the
    toggle does not offer exactly two, or their form does not say which is which."""
    distinct = tuple(dict.fromkeys(words))
    if len(distinct) != 2 or selected not in distinct:
        return None
    off = _off_word(*distinct)
    if off is None:
        return None
    return State.OFF if selected == off else State.ON
