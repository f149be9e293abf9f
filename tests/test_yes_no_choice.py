"""A Yes/No choice drawn as radios: read by its words, never by position, and switched
off only by the radio whose words mean off; any group that is not plainly one "on" and
one "off" radio, one of them selected, reads nothing."""

from __future__ import annotations

from typing import Any

import pytest

from optout.core.results import State
from optout.core.selector_pack import Pack, Vocabulary
from optout.linkedin.settings_pages.switch_finder import SwitchFinder
from optout.linkedin.settings_pages.yes_no_choice import (
    RADIOS_JS,
    Radio,
    choose_off,
    chosen,
    off_index,
    radios_of,
)

WORDS = Vocabulary(shown_on=("On", "Yes", "Oui"), shown_off=("Off", "No", "Non"))
AI = "generative-ai-improvement"
LABEL = "Use your data to train and develop AI models"


def _radios(*radios: tuple[bool, tuple[str, ...]]) -> tuple[Radio, ...]:
    return tuple(Radio(selected, False, words) for selected, words in radios)


@pytest.mark.parametrize(
    ("radios", "state", "off"),
    [
        (_radios((True, ("Yes",)), (False, ("No",))), State.ON, 1),
        (_radios((False, ("No",)), (True, ("Yes",))), State.ON, 0),
        (_radios((False, ("Yes",)), (True, ("No",))), State.OFF, 1),
        # The value attribute alone, in any case, or the member's language.
        (_radios((True, ("true",)), (False, ("false",))), State.ON, 1),
        (_radios((False, ("Oui", "OPTED_IN")), (True, ("Non", "OPTED_OUT"))), State.OFF, 1),
    ],
)
def test_a_plain_choice_reads_its_selected_radio(
    radios: tuple[Radio, ...], state: State, off: int
) -> None:
    assert chosen(radios, WORDS) is state
    assert off_index(radios, WORDS) == off


@pytest.mark.parametrize(
    "radios",
    [
        _radios((False, ("Yes",)), (False, ("No",))),  # neither selected: a placeholder
        _radios((True, ("Yes",)), (True, ("No",))),  # both (aria-checked can say so)
        _radios((True, ("Yes",)), (False, ("Yes",))),  # two "on"
        _radios((True, ("Yes", "OFF")), (False, ("No",))),  # its words disagree
        _radios((True, ("Allow",)), (False, ("Deny",))),  # words no list has
        _radios((True, ()), (False, ("No",))),  # a radio without words
        _radios((True, ("Yes",)), (False, ("No",)), (False, ("Ask me",))),  # not Yes/No
        _radios((True, ("Yes",))),
        (),
    ],
)
def test_any_other_group_reads_nothing(radios: tuple[Radio, ...]) -> None:
    assert chosen(radios, WORDS) is None


def test_radios_given_in_another_shape_read_nothing() -> None:
    assert radios_of(None) is None  # a switch
    assert radios_of([[True, False, ["Yes"]], "redrawn"]) == ()
    assert chosen(radios_of([[True, False, ["Yes"]], [False, False, "No"]]) or (), WORDS) is None


# --- in Chromium ------------------------------------------------------------------------

# Native radios in a fieldset, labels wrapping them, no value attributes (a radio
# without one has the value "on", which must not read as a word).
FIELDSET = f"""<main><fieldset><legend id="allowDataForGenerativeAI">{LABEL}</legend>
  <label><input type="radio" name="ai"> No</label>
  <label><input type="radio" name="ai" checked> Yes</label></fieldset></main>"""
# Custom radios: role=radio with aria-checked, words as their own text.
CUSTOM = (
    """<main><p id="ember12">LABEL</p>
  <div role="radiogroup" aria-labelledby="ember12">
  <div role="radio" aria-checked="true" tabindex="0">Yes</div>
  <div role="radio" aria-checked="false" tabindex="-1">No</div></div>
  <script>for (const r of document.querySelectorAll('[role=radio]')) r.addEventListener('click',
    () => { for (const o of document.querySelectorAll('[role=radio]'))
      o.setAttribute('aria-checked', String(o === r)); });</script></main>"""
).replace("LABEL", LABEL)


@pytest.mark.e2e
@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize(("markup", "found_by"), [(FIELDSET, "key"), (CUSTOM, "label")])
async def test_the_group_is_found_read_and_switched_off(
    page: Any, pack: Pack, markup: str, found_by: str
) -> None:
    await page.set_content(markup)
    spec = pack.setting(AI)
    finder = SwitchFinder(page, pack, spec)
    group = await finder.locate(spec.variants[0])
    assert group is not None, finder.problem
    assert finder.found_by == found_by
    radios = radios_of(await group.evaluate(RADIOS_JS))
    assert radios is not None
    assert chosen(radios, pack.values) is State.ON
    index = off_index(radios, pack.values)
    assert index is not None
    await choose_off(group, index, pack.values)
    after = radios_of(await group.evaluate(RADIOS_JS))
    assert after is not None
    assert chosen(after, pack.values) is State.OFF


@pytest.mark.e2e
@pytest.mark.asyncio(loop_scope="module")
async def test_a_radio_that_does_not_mean_off_is_never_chosen(page: Any, pack: Pack) -> None:
    # The page redrew its radios in the other order after they were read: the radio
    # at the index read as "off" now says Yes, and is left alone.
    await page.set_content(FIELDSET)
    group = page.locator("fieldset")
    await group.evaluate("f => f.append(f.querySelector('label'))")  # No moves after Yes
    await choose_off(group, 0, pack.values)
    radios = radios_of(await group.evaluate(RADIOS_JS))
    assert radios is not None
    assert chosen(radios, pack.values) is State.ON
    assert [radio.words for radio in radios] == [("Yes",), ("No",)]


# A framework that draws the group again as it is first pressed: the radio held for
# the click leaves the page before its click lands.
REDRAWN_WHEN_PRESSED = FIELDSET.replace(
    "</main>",
    """<script>document.addEventListener('mousedown', () => {
  const old = document.querySelector('fieldset');
  old.replaceWith(old.cloneNode(true));
}, { once: true, capture: true });</script></main>""",
)


@pytest.mark.e2e
@pytest.mark.asyncio(loop_scope="module")
async def test_a_group_drawn_again_as_it_is_pressed_is_chosen_anew(page: Any, pack: Pack) -> None:
    await page.set_content(REDRAWN_WHEN_PRESSED)
    group = page.locator("fieldset")
    first = await group.element_handle()
    await choose_off(group, 0, pack.values)
    assert not await first.evaluate("f => f.isConnected"), "the page drew the group again"
    radios = radios_of(await group.evaluate(RADIOS_JS))
    assert radios is not None
    assert chosen(radios, pack.values) is State.OFF


@pytest.mark.e2e
@pytest.mark.asyncio(loop_scope="module")
async def test_a_switch_is_no_choice(page: Any) -> None:
    await page.set_content('<main><input type="checkbox" role="switch" checked></main>')
    assert radios_of(await page.locator("input").evaluate(RADIOS_JS)) is None
