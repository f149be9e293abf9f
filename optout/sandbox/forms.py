"""Which form every setting page takes for one account, where the real site is unknown.

The AI page's form is the account's `PageDetails` as they are. Every other page
draws its own from a hash of those details and its path: its card's name, each
setting's key in the answer (the aria key, a case variant of it, or another
name), the value words, label ids, when the switch is drawn and whether it is
replaced, other cards and entries, and what only that page has (the order of
two switches, a cookie switch without role=switch or without a card request,
interest checkboxes before or after the switch). The same details always give
the same forms; over many accounts every form turns up on every page.
"""

from __future__ import annotations

import functools
import hashlib
import json
import random
from dataclasses import dataclass, replace

from optout.sandbox.details import ANSWER_KEYS, CARD_NAMES, PageDetails
from optout.sandbox.settings_catalog import (
    AI_PAGE,
    AI_SETTING,
    INTEREST_CATEGORIES,
    NEWER_PAGE,
    PAGES,
    PageSpec,
    setting_by_id,
)

KEY_FORMS = ("aria", "case", "other")
MIN_DECOYS = 3


@dataclass(frozen=True)
class PageForm:
    """How one setting page looks to one account."""

    page: PageSpec
    details: PageDetails  # `card` is this page's card, `answer_key` its first switch's key
    keys: tuple[tuple[str, str], ...]  # (setting id, key in the answer and PUT path), drawn order
    card_request: bool = True  # False: the state comes inside the page
    role_switch: bool = True  # the switch carries role=switch
    decoys: tuple[str, ...] = ()  # interest category keys listed as checkboxes
    decoys_first: bool = False  # the checkboxes come before the switch
    decoy_role_switch: bool = False  # the checkboxes carry role=switch as well
    # The switches' labels say it in other words than the usual ones: labels are not
    # confirmed, so the selector pack's wording must not be the only one served.
    reworded: bool = False

    @property
    def card(self) -> str:
        return self.details.card

    @property
    def order(self) -> tuple[str, ...]:
        return tuple(setting_id for setting_id, _ in self.keys)

    def key(self, setting_id: str) -> str:
        return dict(self.keys)[setting_id]

    def key_form(self, setting_id: str) -> str:
        """ "aria", "case" or "other"; "own" for an AI key the account's details name."""
        spec = setting_by_id(setting_id)
        forms = {} if spec is None else {v: k for k, v in spec.key_forms.items()}
        return forms.get(self.key(setting_id), "own")

    def to_json(self) -> dict[str, object]:
        return {
            "page": self.page.path,
            "card": self.card,
            "keys": dict(self.keys),
            "order": list(self.order),
            "details": self.details.to_json(),
            "card_request": self.card_request,
            "role_switch": self.role_switch,
            "decoys": list(self.decoys),
            "decoys_first": self.decoys_first,
            "decoy_role_switch": self.decoy_role_switch,
            "reworded": self.reworded,
        }


def _rng(details: PageDetails, path: str) -> random.Random:
    text = json.dumps(details.to_json(), sort_keys=True) + "|" + path
    digest = hashlib.sha256(text.encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))  # noqa: S311 - test scenarios


def _key(setting_id: str, form: str) -> str:
    spec = setting_by_id(setting_id)
    if spec is None:
        raise KeyError(setting_id)
    return spec.key_forms[form]


def _index(names: tuple[str, ...], name: str, missing: int) -> int:
    return names.index(name) if name in names else missing


def _alike(details: PageDetails, page: PageSpec) -> PageForm:
    """This page in the AI page's forms: its card and keys at the same place in its lists."""
    card = page.cards[_index(CARD_NAMES, details.card, 0) % len(page.cards)]
    form = KEY_FORMS[_index(ANSWER_KEYS, details.answer_key, len(KEY_FORMS) - 1)]
    keys = tuple((sid, _key(sid, form)) for sid in page.settings)
    own = replace(details, card=card, answer_key=keys[0][1])
    decoys = tuple(INTEREST_CATEGORIES) if page.kind == "interests" else ()
    return PageForm(page, own, keys, decoys=decoys)


def _drawn(details: PageDetails, page: PageSpec) -> PageForm:
    rng = _rng(details, page.path)
    drawn = PageDetails.random(rng)
    card = rng.choice(page.cards)
    order = page.settings if rng.random() < 0.6 else page.settings[::-1]
    keys = tuple((sid, _key(sid, rng.choice(KEY_FORMS))) for sid in order)
    own = replace(drawn, card=card, answer_key=keys[0][1])
    cookies = page.kind == "cookies"
    card_request = not cookies or rng.random() < 0.5
    role_switch = not cookies or rng.random() < 0.5
    decoys: tuple[str, ...] = ()
    if page.kind == "interests":
        names = list(INTEREST_CATEGORIES)
        shown = set(rng.sample(names, rng.randint(MIN_DECOYS, len(names))))
        decoys = tuple(name for name in names if name in shown)
    return PageForm(
        page, own, keys, card_request=card_request, role_switch=role_switch, decoys=decoys,
        decoys_first=bool(decoys) and rng.random() < 0.5,
        decoy_role_switch=bool(decoys) and rng.random() < 0.5,
        reworded=rng.random() < 0.3,
    )  # fmt: skip


def _newer(details: PageDetails, page: PageSpec) -> PageForm:
    """The newer wording's page: the AI setting as the details say, the creation tools
    in a form of their own, the page's card drawn."""
    other = _alike(details, page) if details.pages_alike else _drawn(details, page)
    keys = tuple(
        (sid, details.answer_key if sid == AI_SETTING else other.key(sid)) for sid in page.settings
    )
    return PageForm(page, replace(details, card=other.card), keys)


@dataclass(frozen=True)
class SiteForms:
    """Every setting page one account is served, in its form."""

    forms: tuple[PageForm, ...]

    def for_page(self, path: str) -> PageForm | None:
        return next((f for f in self.forms if f.page.path == path), None)

    def for_setting(self, setting_id: str) -> PageForm | None:
        return next((f for f in self.forms if setting_id in f.order), None)

    def for_card(self, card: str) -> PageForm | None:
        """The page whose own card request this is; pages with the state inside have none."""
        return next((f for f in self.forms if f.card_request and f.card == card), None)

    def owner_of_key(self, key: str) -> tuple[PageForm, str] | None:
        """The page a PUT key belongs to, and the setting id or interest category it names."""
        for form in self.forms:
            for setting_id, own in form.keys:
                if own == key:
                    return form, setting_id
            if key in form.decoys:
                return form, key
        return None


@functools.lru_cache(maxsize=512)
def site_forms(details: PageDetails, variant: str) -> SiteForms:
    """The account's pages: the newer wording shows the AI setting on its own page
    instead of the usual one, and only it has that page."""
    forms = []
    for page in PAGES:
        if page.path == NEWER_PAGE:
            if variant == "newer-wording":
                forms.append(_newer(details, page))
        elif page.path == AI_PAGE:
            if variant != "newer-wording":
                keys = ((AI_SETTING, details.answer_key),)
                forms.append(PageForm(page, details, keys, card_request=not details.served_whole))
        elif details.pages_alike:
            forms.append(_alike(details, page))
        else:
            forms.append(_drawn(details, page))
    return SiteForms(tuple(forms))
