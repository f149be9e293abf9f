"""A setting drawn as a Yes/No choice, a pair of radios, where a switch would be.

The newer wording is reported with "Yes/No" (linkedin-facts.md, one source, how the
page draws it unconfirmed). Where a page draws a group of radios (`role=radiogroup`,
or a `<fieldset>`; the pack's switch selectors say which), the group stands where a
switch would: it is found as a switch is (by its key or label, or as the page's only
one), and read by the words of its selected radio, its label's and its value's,
against the pack's value words and the words shown for a value. It is switched off by
selecting the radio whose words mean off, never by position.

A group that is not one radio plainly meaning on and one plainly meaning off, with
one of them selected, reads nothing: a guess at what an unnamed radio means could
call a member's setting off while it is on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from optout.core.results import State
from optout.linkedin.page_tools import receives_click

if TYPE_CHECKING:
    from playwright.async_api import Locator

    from optout.core.selector_pack import Vocabulary

RADIOS = "input[type=radio], [role=radio]"

# Whether a radio is selected: a native one's `.checked`, a drawn one's aria-checked.
_SELECTED_JS = "(r) => r.matches('input') ? r.checked : r.getAttribute('aria-checked') === 'true'"

# One radio: [selected, disabled, its words]. The value attribute as written (a radio
# without one has the value "on", which is no word of the page's).
_RADIO_JS = (
    """(r) => {
  const native = r.matches('input');
  const words = [r.getAttribute('aria-label') || ''];
  for (const id of (r.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean)) {
    words.push((document.getElementById(id) || {}).textContent || '');
  }
  if (native) {
    for (const label of r.labels || []) words.push(label.textContent || '');
    words.push(r.getAttribute('value') || '');
  } else {
    words.push(r.textContent || '');
  }
  return [(SELECTED)(r), r.matches(':disabled') || r.getAttribute('aria-disabled') === 'true',
          words.map((word) => word.trim().slice(0, 200)).filter(Boolean)];
}"""
).replace("SELECTED", _SELECTED_JS)

# The radios of a group, each as _RADIO_JS says; null for a switch (an input itself).
RADIOS_JS = (
    "(el) => el.matches('input, [role=switch]') ? null : "
    f"Array.from(el.querySelectorAll('{RADIOS}')).map({_RADIO_JS})"
)


@dataclass(frozen=True)
class Radio:
    selected: bool
    disabled: bool
    words: tuple[str, ...]


def radios_of(raw: object) -> tuple[Radio, ...] | None:
    """The radios as RADIOS_JS gave them; None for a switch. Where any radio came in
    another shape (the page redrawn as it was read), no radios: a group that reads nothing."""
    if not isinstance(raw, list):
        return None
    radios = []
    for item in raw:
        if isinstance(item, list) and len(item) == 3 and isinstance(item[2], list):
            radios.append(Radio(item[0] is True, item[1] is True, tuple(map(str, item[2]))))
    return tuple(radios) if len(radios) == len(raw) else ()


def meaning(words: tuple[str, ...], vocabulary: Vocabulary) -> State | None:
    """ON or OFF where the radio's words say one and never the other."""
    said = {vocabulary.shown_meaning(word) or vocabulary.meaning(word.strip()) for word in words}
    said.discard(None)
    return said.pop() if len(said) == 1 else None


def _meanings(radios: tuple[Radio, ...], vocabulary: Vocabulary) -> list[State | None] | None:
    """Each radio's meaning, where the group is one "on" and one "off"."""
    meanings = [meaning(radio.words, vocabulary) for radio in radios]
    plain = len(meanings) == 2 and set(meanings) == {State.ON, State.OFF}
    return meanings if plain else None


def chosen(radios: tuple[Radio, ...], vocabulary: Vocabulary) -> State | None:
    """What the group's selected radio says; None when that is not plain."""
    meanings = _meanings(radios, vocabulary)
    if meanings is None:
        return None
    picked = [said for radio, said in zip(radios, meanings, strict=True) if radio.selected]
    return picked[0] if len(picked) == 1 else None


def off_index(radios: tuple[Radio, ...], vocabulary: Vocabulary) -> int | None:
    """Which radio of the group means off; None when the group is not plain."""
    meanings = _meanings(radios, vocabulary)
    return None if meanings is None else meanings.index(State.OFF)


# A click from inside the page, for a radio covered by a styled one; only if not selected.
# False where the radio is no longer on the page (redrawn since it was held).
_SELECT_JS = (
    "(r) => { if (!r.isConnected) return false; "
    f"if (!({_SELECTED_JS})(r)) r.click(); return true; }}"
)
# A page that redraws its group as it is clicked (a framework's hydration) is given
# a few tries, each with the radio held anew and its words read again.
CHOOSE_TRIES = 3


async def choose_off(group: Locator, index: int, vocabulary: Vocabulary) -> None:
    """Select the group's radio `index`, once it is seen to mean off: the node is held
    from its reading to its click, so a redraw in another order cannot make the click
    choose on. Where the page redrew the group before the click, its radio is held and
    read anew. Raises Playwright's Error where the page went away meanwhile."""
    for _ in range(CHOOSE_TRIES):
        if await _choose_once(group, index, vocabulary):
            return


async def _choose_once(group: Locator, index: int, vocabulary: Vocabulary) -> bool:
    """One try of choose_off; False where the radio left the page before its click."""
    from playwright.async_api import Error as PlaywrightError

    radio = await group.locator(RADIOS).nth(index).element_handle(timeout=3_000)
    try:
        selected, _, words = await radio.evaluate(_RADIO_JS)
        if selected or meaning(tuple(map(str, words)), vocabulary) is not State.OFF:
            return True
        if await receives_click(radio):
            try:
                await radio.check(timeout=3_000)
                return True
            except PlaywrightError:
                pass  # covered after all, or redrawn as it was clicked
        return bool(await radio.evaluate(_SELECT_JS))
    finally:
        await radio.dispose()
