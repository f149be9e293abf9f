"""Finding a setting's switch on its page: by aria key, by structure, then by label.

Never by position among several switches and never by hashed CSS classes: a
page with several switches is read only where one of them is this setting's by
its key or its label.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from optout.core.selector_pack import Pack, PageVariant, SettingSpec
from optout.linkedin.page_kinds import path_of
from optout.linkedin.page_tools import ELEMENT_QUERY_MS, POLL_MS
from optout.linkedin.settings_pages import dom_queries

if TYPE_CHECKING:
    from playwright.async_api import Locator, Page

# The legend of a <fieldset> (a group of radios: yes_no_choice.py); null for anything else.
LEGEND_JS = "el => el.tagName === 'FIELDSET' ? el.querySelector(':scope > legend') : null"

# The ids of the elements that label a switch: its aria-labelledby, else its legend's id.
LABEL_IDS_JS = (
    "el => el.getAttribute('aria-labelledby') || ((LEGEND)(el) || {}).id || ''"
).replace("LEGEND", LEGEND_JS)

# The switch's accessible name, the way assistive technology computes it for an input
# (and for a fieldset, from its legend).
_NAME_JS = (
    """el => {
  const ids = (el.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean);
  let name = ids.map((id) => (document.getElementById(id) || {}).textContent || '').join(' ');
  if (!name.trim()) name = el.getAttribute('aria-label') || '';
  if (!name.trim() && el.labels) name = Array.from(el.labels).map((l) => l.textContent).join(' ');
  const legend = (LEGEND)(el);
  if (!name.trim() && legend) name = legend.textContent || '';
  return name;
}"""
).replace("LEGEND", LEGEND_JS)


# The switch's label ids and accessible name, in one look.
_LABELLED_JS = f"el => [({LABEL_IDS_JS})(el), ({_NAME_JS})(el)]"

_LABEL_IDS_JS = f"els => els.map({LABEL_IDS_JS})"


def normalize_text(text: str) -> str:
    """Compare wordings, not typography: case, spacing, curly quotes, final full stop."""
    text = unicodedata.normalize("NFKC", text).replace("\u2019", "'").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text).strip().rstrip(".").casefold()


# A setting's key as LinkedIn names them (`allowDataForGenerativeAI`): camelCase words.
# Ids a framework generates (`ember123`, `:r5:`, `«r0»`, `setting-desc-1f2e`) are not.
_KEY_SHAPE = re.compile(r"[a-z][a-z0-9]*(?:[A-Z][A-Za-z0-9]*)+")


def _names_a_setting(label_id: str) -> bool:
    """The label's id is a setting's key: a switch labelled by another setting's key is
    that setting's, even where the pack knows neither the key nor the label's words."""
    return _KEY_SHAPE.fullmatch(label_id) is not None


# A selector whose last part names an element by its id ("input#nonEssentialCookieConsent"):
# the pack names the setting's switch itself, as sure as its label's key.
_BY_OWN_ID = re.compile(r"#[\w-]+[^\s>+~]*$")


def _names_the_switch(selector: str) -> bool:
    return _BY_OWN_ID.search(selector.strip()) is not None


def _css_string(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def _keyed(selector: str, key: str) -> list[str]:
    """`selector` labelled by the element whose id is `key`: by aria-labelledby, or for a
    fieldset by its legend."""
    quoted = _css_string(key)
    forms = [f'{selector}[aria-labelledby~="{quoted}" i]']
    if "fieldset" in selector:
        forms.append(f'{selector}:has(> legend[id="{quoted}" i])')
    return forms


class SwitchFinder:
    def __init__(self, page: Page, pack: Pack, spec: SettingSpec) -> None:
        self.page = page
        self.spec = spec
        self.switch_count = 0  # switches on the page when this setting's was last found
        # How the switch last found was told to be this setting's: "key", "id" (its own,
        # as the pack names it), "label", or "only switch" (by structure alone: it may
        # be another's whose label is unknown).
        self.found_by = ""
        # Plain CSS that matches the switch last found alone (None: only Playwright's query
        # does): its state is read through it (optout.linkedin.settings_pages.dom_queries).
        self.query: str | None = None
        # What the look that found the switch also read of it (the probe `locate` was
        # given), so the first reading needs no look of its own; None if it read nothing.
        self.sampled: object = None
        self._look = dom_queries.Look({})  # the counts `locate` took, all at one moment
        # Why the switches on the page are not this setting's, as last seen: a page
        # still drawing may not have named them yet, so it is said only at the deadline.
        self.problem: str | None = None
        # Whether a switch on the page may be this setting's though it was not found as
        # it (named by nothing the pack knows): a "not available" text may be another's.
        self.unidentified = False
        self._other_labels = {
            normalize_text(text)
            for other in pack.settings.values()
            if other.id != spec.id
            for text in other.label_texts()
        }
        self._own_labels = {normalize_text(text) for text in spec.label_texts()}
        self._other_keys = {
            key.casefold()
            for other in pack.settings.values()
            if other.id != spec.id
            for key in other.aria_keys
        }
        # Pages the pack says hold other settings too: a switch there is this setting's
        # by its key or its label only, never as the page's only one (the other
        # setting's may be all the page shows).
        self._shared_paths = {
            variant.path.rstrip("/")
            for variant in spec.variants
            for other in pack.settings.values()
            if other.id != spec.id and other.variant_at(variant.path)
        }

    async def _name_of(self, element: Locator) -> str | None:
        """The switch's accessible name; None when it cannot be read now (redrawn, or a
        busy page): never taken for a name that is no setting's."""
        from playwright.async_api import Error as PlaywrightError

        try:
            return normalize_text(str(await element.evaluate(_NAME_JS, timeout=ELEMENT_QUERY_MS)))
        except PlaywrightError:
            return None

    async def locate(
        self, variant: PageVariant, *, probe: str | None = None, wait_ms: float = 0
    ) -> Locator | None:
        """The setting's switch on a page of `variant`; None if the page shows none, or
        none that is surely this setting's (`problem` says why). `query` is then the
        plain CSS that matches it alone, where there is one. `probe`: a JS function of
        the switch, asked in the same look where the switch is found by its key or id
        (`sampled`). `wait_ms`: where the page shows no switch yet, the look waits this
        long for one (wait_for_a_switch then has nothing more to wait for)."""
        self.problem, self.unidentified, self.query, self.sampled = None, False, None, None
        every = ", ".join(variant.switch)
        # The switch named as this setting's, in the order looked for: by key, by its id.
        named = [(keyed, "key") for keyed in self._keyed_forms(variant)]
        named += [(selector, "id") for selector in variant.switch if _names_the_switch(selector)]
        probed = [selector for selector, _ in named]
        await self._look_at([every, *probed, *variant.switch], probed, probe, wait_ms)
        self.switch_count = await self._count(every)
        if self.switch_count == 0:
            return None
        for selector, how in named:
            if await self._count(selector) == 1:
                return self._found(selector, how)
        for selector in variant.switch:
            count = await self._count(selector)
            if count == 0:
                continue
            if count == 1:
                shared = variant.path.rstrip("/") in self._shared_paths
                return await self._only_switch(selector, shared=shared)
            return await self._by_label(self.page.locator(selector), count)
        return None

    async def _look_at(
        self, selectors: list[str], named: list[str], probe: str | None, wait_ms: float
    ) -> None:
        """Every selector counted at one moment; the first of `named` that matches one
        switch alone read by `probe` in the same look."""
        from playwright.async_api import Error as PlaywrightError

        try:
            self._look = await dom_queries.look(
                self.page, selectors, probe=probe, probed=named, wait_ms=wait_ms
            )
        except PlaywrightError:
            if not wait_ms:
                raise
            # The page navigated while the look waited: looked at as it is now, unwaited.
            self._look = await dom_queries.look(self.page, selectors, probe=probe, probed=named)

    def _keyed_forms(self, variant: PageVariant) -> list[str]:
        """Each switch selector labelled by each of the setting's keys, in that order.
        The key is the id of the label; LinkedIn's keys may differ in case alone."""
        return [
            keyed
            for key in self.spec.aria_keys
            for selector in variant.switch
            for keyed in _keyed(selector, key)
        ]

    async def _count(self, selector: str) -> int:
        return await self._look.count(self.page, selector)

    def _found(self, selector: str, how: str) -> Locator:
        self.found_by, self.query = how, selector
        if selector == self._look.probed:
            self.sampled = self._look.value
        return self.page.locator(selector)

    async def _only_switch(self, selector: str, *, shared: bool) -> Locator | None:
        """The page's only switch, unless its label or its label's key is another
        setting's (this setting's row may then say "not available"), or the page holds
        other settings too and its label is not this one's."""
        from playwright.async_api import Error as PlaywrightError

        self.unidentified = True  # until the switch is read: it may be this setting's
        try:
            found, named = await dom_queries.on_only(
                self.page, selector, _LABELLED_JS, timeout_ms=ELEMENT_QUERY_MS
            )
        except PlaywrightError:
            return None
        if found != 1 or not isinstance(named, list) or len(named) != 2:
            return None  # redrawn meanwhile: looked at again in a moment
        label_ids, name = str(named[0] or "").split(), normalize_text(str(named[1]))
        self.problem = self._not_this_settings(name, label_ids, shared=shared)
        if self.problem:
            self.unidentified = not self._surely_another(name, label_ids)
            return None
        self.unidentified = False
        return self._found(selector, "label" if name in self._own_labels else "only switch")

    def _surely_another(self, name: str, label_ids: list[str]) -> bool:
        """A switch so named and labelled is another setting's."""
        return self._known_as_anothers(name, label_ids) or self._keyed_as_anothers(name, label_ids)

    def _known_as_anothers(self, name: str, label_ids: list[str]) -> bool:
        """Named by a key or words the pack gives another setting."""
        keys = {key.casefold() for key in label_ids}
        return bool(keys & self._other_keys) or name in self._other_labels

    def _keyed_as_anothers(self, name: str, label_ids: list[str]) -> bool:
        """Labelled by a key-shaped id and not by this setting's words: this setting's own
        keys were looked for first, so the key is another's (a page may hold a setting the
        member lacks beside one it has)."""
        return name not in self._own_labels and any(map(_names_a_setting, label_ids))

    def _not_this_settings(self, name: str, label_ids: list[str], *, shared: bool) -> str | None:
        """Why the page's only switch, so named and labelled, is not surely this setting's."""
        where = path_of(self.page.url)
        if self._known_as_anothers(name, label_ids):
            return f"The only switch on {where} belongs to another setting, not {self.spec.label}."
        if self._keyed_as_anothers(name, label_ids):
            return (
                f"The only switch on {where} is labelled by another setting's key "
                f"({' '.join(label_ids)}), not {self.spec.label}'s."
            )
        if name in self._own_labels:
            return None
        if shared:
            return (
                f"The only switch on {where} is not labelled as {self.spec.label}, and the "
                "page holds other settings too; optout will not guess whose it is."
            )
        return None

    async def wait_for_a_switch(self, variant: PageVariant) -> None:
        """Until some switch of `variant` appears (at once when one does) or POLL_MS passed."""
        from playwright.async_api import Error as PlaywrightError

        # Where switches were there when `locate` looked, they are not this setting's yet:
        # wait the whole POLL_MS; where they came since, look again at once. Where its
        # look waited for one and none came, it has waited already.
        if self._look.waited and not self.switch_count:
            return
        settled_ms = POLL_MS if self.switch_count else 0
        try:
            await dom_queries.wait_for_one(
                self.page, ", ".join(variant.switch), POLL_MS, settled_ms=settled_ms
            )
        except PlaywrightError:  # none yet, or the page is navigating
            return

    async def _by_label(self, candidates: Locator, count: int) -> Locator | None:
        names = [await self._name_of(candidates.nth(i)) for i in range(count)]
        if None in names:
            self.unidentified = True
            return None  # looked at again in a moment
        matches = [candidates.nth(i) for i, name in enumerate(names) if name in self._own_labels]
        if len(matches) != 1:
            self.problem = (
                f"{count} switches on {path_of(self.page.url)} and {len(matches)} labelled as "
                f"{self.spec.label}; optout will not guess which one to read."
            )
            self.unidentified = bool(matches) or not await self._all_others(candidates, names)
            return None
        self.found_by = "label"
        return await self._by_its_label_id(matches[0])

    async def _all_others(self, candidates: Locator, names: list[str | None]) -> bool:
        """Every one of the switches is surely another setting's."""
        from playwright.async_api import Error as PlaywrightError

        try:
            label_ids = await candidates.evaluate_all(_LABEL_IDS_JS)
        except PlaywrightError:
            return False
        if not isinstance(label_ids, list) or len(label_ids) != len(names):
            return False  # redrawn between the two looks
        return all(
            self._surely_another(name or "", str(ids).split())
            for name, ids in zip(names, label_ids, strict=True)
        )

    async def _by_its_label_id(self, match: Locator) -> Locator:
        """The match as a query by its own label's id where it has one: a position among
        switches would follow another switch if the page redrew them in another order."""
        from playwright.async_api import Error as PlaywrightError

        try:
            labelled_by = str(await match.evaluate(LABEL_IDS_JS, timeout=ELEMENT_QUERY_MS))
        except PlaywrightError:
            return match
        quoted = _css_string(labelled_by)
        for keyed in (f'[aria-labelledby="{quoted}"]', f'fieldset:has(> legend[id="{quoted}"])'):
            if labelled_by and await self._count(keyed) == 1:
                return self._found(keyed, "label")
        return match
