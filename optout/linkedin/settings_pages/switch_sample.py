"""One look at a setting's switch: its state, whether it can be used, and what labels
it (the settled reading, settled_reading.py, takes such looks until they agree).

A native checkbox's `.checked` is the truth, not an aria attribute. The texts that
label the switch (its accessible name's parts) tell its entry in the settings
request's answer where that entry's key is not a known one; where the "switch" is a
group of Yes/No radios, its radios are read as a switch that shows the same
(yes_no_choice.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from optout.core.results import State
from optout.linkedin.page_tools import ELEMENT_QUERY_MS
from optout.linkedin.settings_pages import dom_queries
from optout.linkedin.settings_pages.switch_finder import LABEL_IDS_JS, LEGEND_JS
from optout.linkedin.settings_pages.yes_no_choice import RADIOS_JS, chosen, radios_of

if TYPE_CHECKING:
    from playwright.async_api import Locator

    from optout.core.selector_pack import Vocabulary

# The switch's state, whether it is disabled (as an input, or by aria-disabled) and still
# in the page, its label ids, the texts that label it, and its radios if it is a Yes/No
# choice.
SAMPLE_JS = (
    """el => {
  const ids = (LABEL_IDS)(el).split(/\\s+/).filter(Boolean);
  const texts = ids.map(id => document.getElementById(id)).filter(Boolean)
    .map(node => node.textContent || '');
  if (el.getAttribute('aria-label')) texts.push(el.getAttribute('aria-label'));
  for (const label of el.labels || []) texts.push(label.textContent || '');
  const legend = (LEGEND)(el);
  if (legend && !ids.includes(legend.id)) texts.push(legend.textContent || '');
  const disabled = el.disabled || el.getAttribute('aria-disabled') === 'true';
  return [el.checked, disabled, el.isConnected, ids.join(' '),
          texts.map(text => text.slice(0, 500)), (RADIOS)(el)];
}""".replace("LABEL_IDS", LABEL_IDS_JS)
    .replace("LEGEND", LEGEND_JS)
    .replace("RADIOS", RADIOS_JS)
)


@dataclass
class Sample:
    checked: bool
    usable: bool
    aria_keys: tuple[str, ...]
    labels: tuple[str, ...] = ()
    unclear: bool = False  # a Yes/No choice whose selected radio says nothing plain


async def _values(switch: Locator, query: str | None) -> Any:
    """What SAMPLE_JS says of the switch now; None where `query` matches it no more."""
    if query is None:
        return await switch.evaluate(SAMPLE_JS, timeout=ELEMENT_QUERY_MS)
    found, values = await dom_queries.on_only(
        switch.page, query, SAMPLE_JS, timeout_ms=ELEMENT_QUERY_MS
    )
    return values if found == 1 else None


async def sample(
    switch: Locator, query: str | None, vocabulary: Vocabulary, *, on_when_checked: bool,
    seen: Any = None,
) -> Sample | None:  # fmt: skip
    """The switch now, or None when the element went away (re-rendered). `query`: plain
    CSS that matches it alone, asked of the page itself (dom_queries.py).
    `vocabulary`: what a Yes/No choice's words mean. `seen`: what SAMPLE_JS said of it
    a moment ago, in the look that found it (then the page is not asked again)."""
    from playwright.async_api import Error as PlaywrightError

    try:
        values = seen if seen is not None else await _values(switch, query)
        if values is None:
            return None
        checked, disabled, connected, labelled_by, labels, radios = values
    except (PlaywrightError, TypeError, ValueError):  # gone, or not what was asked
        return None
    if not connected:
        return None
    texts = tuple(str(text) for text in labels) if isinstance(labels, list) else ()
    seen_now = Sample(bool(checked), not disabled, tuple(str(labelled_by).split()), texts)
    choice = radios_of(radios)
    if choice is not None:  # a Yes/No choice: as a switch that shows the same would be
        said = chosen(choice, vocabulary)
        seen_now.checked = (said is State.ON) == on_when_checked
        seen_now.unclear = said is None
        seen_now.usable = not seen_now.unclear and not all(radio.disabled for radio in choice)
    return seen_now


class Steadiness:
    """How long the switch has shown the same usable state (settled_reading.py)."""

    def __init__(self) -> None:
        self.value: bool | None = None
        self.since = 0.0

    def see(self, value: bool | None, now: float) -> None:
        if value is None or value != self.value:
            self.since = now
        self.value = value

    def reset(self) -> None:
        self.value = None
