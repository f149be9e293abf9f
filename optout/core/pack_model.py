"""The selector pack as data: pages, sign-in, checkpoints, settings and their sources,
and the value words (`[values]`) with what a word means by them.

Frozen values, read from TOML by optout.core.pack_reader; nothing here touches a file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from optout.core.results import State


@dataclass(frozen=True)
class Vocabulary:
    """Value words that mean on or off where an entry does not say, and the words a page
    shows for a value (case-insensitive)."""

    on: tuple[str, ...] = ("ON", "true", "ENABLED", "YES")
    off: tuple[str, ...] = ("OFF", "false", "DISABLED", "NO")
    shown_on: tuple[str, ...] = ("On", "Yes")
    shown_off: tuple[str, ...] = ("Off", "No")

    def meaning(self, word: str) -> State | None:
        return _meaning(word, self.on, self.off)

    def shown_meaning(self, text: str | None) -> State | None:
        if text is None:
            return None
        return _meaning(" ".join(text.split()), self.shown_on, self.shown_off)


def _meaning(word: str, on: tuple[str, ...], off: tuple[str, ...]) -> State | None:
    folded = word.casefold()
    says_on = folded in {w.casefold() for w in on}
    says_off = folded in {w.casefold() for w in off}
    if says_on == says_off:
        return None
    return State.ON if says_on else State.OFF


@dataclass(frozen=True)
class PagePaths:
    signed_in: tuple[str, ...]
    login: tuple[str, ...]
    challenge: tuple[str, ...]
    refused: tuple[str, ...]
    restricted: tuple[str, ...]


@dataclass(frozen=True)
class SigninSelectors:
    path: str
    session_cookie: str
    username: tuple[str, ...]
    password: tuple[str, ...]
    submit: tuple[str, ...]
    error: tuple[str, ...]
    session_cookies: tuple[str, ...]
    chooser: str
    chooser_other: tuple[str, ...]
    chooser_other_text: tuple[str, ...]
    # On an email-first page, what goes on from the email to the password.
    continue_button: tuple[str, ...] = ()


# The checkpoint kinds optout knows: two take a code, two need a person.
CHALLENGE_KINDS = ("email_pin", "two_step", "app", "captcha")
CODE_CHALLENGES = ("email_pin", "two_step")


@dataclass(frozen=True)
class ChallengeSelectors:
    """How one kind of checkpoint page is told apart, and where its code goes."""

    kind: str
    form: str
    code: tuple[str, ...] = ()
    submit: tuple[str, ...] = ()
    error: tuple[str, ...] = ()


@dataclass(frozen=True)
class PageVariant:
    """One page LinkedIn is known to serve for a setting."""

    name: str
    path: str
    switch: tuple[str, ...]  # what a switch is on this page, most specific first
    # The page loads the value with the setting's `api` request: a reading waits for it.
    settings_request: bool
    # Unconfirmed whether it does: it may carry the value inside itself instead, so a
    # switch that holds still is read without the request (settled_reading.py).
    may_carry_value: bool = False


@dataclass(frozen=True)
class ApiSource:
    """The page's own settings request, read as a second source of the value.

    Only `path` is known; the keys and the card name are hints for finding the
    setting's entry in the answer, never conditions for reading it."""

    path: str
    keys: tuple[str, ...] = ()
    card: str | None = None


@dataclass(frozen=True)
class IndexSource:
    """The Data privacy index, which shows the value beside the setting."""

    path: str
    link: str
    on: tuple[str, ...]
    off: tuple[str, ...]


@dataclass(frozen=True)
class Listing:
    """Where a person finds the setting's page: the index page at `path` links to it
    by one of `names` (the setting's label, or the name of the page that holds it).
    `instead`: names of a page the index links to only where the member's wording has
    no such setting; for a setting only some members have, such a link is what says
    this member lacks it."""

    path: str
    names: tuple[str, ...]
    instead: tuple[str, ...] = ()


@dataclass(frozen=True)
class SettingSpec:
    id: str
    label: str
    group: str  # one of GROUPS
    on_when_checked: bool
    missing_means_unavailable: bool
    aria_keys: tuple[str, ...]
    labels: dict[str, tuple[str, ...]]
    unavailable: dict[str, tuple[str, ...]]
    api: ApiSource | None
    index: IndexSource | None
    variants: tuple[PageVariant, ...]
    listing: Listing | None = None  # followed where the pack's address is gone

    @property
    def path(self) -> str:
        """Where optout goes first; LinkedIn may redirect to another variant's path."""
        return self.variants[0].path

    def variant_at(self, path: str) -> PageVariant | None:
        wanted = path.rstrip("/") or "/"
        for variant in self.variants:
            if variant.path.rstrip("/") == wanted:
                return variant
        return None

    def label_texts(self) -> tuple[str, ...]:
        """Every known wording of the switch's label, English last."""
        ordered = sorted(self.labels, key=lambda lang: lang == "en")
        return tuple(text for lang in ordered for text in self.labels[lang])

    def unavailable_texts(self) -> tuple[str, ...]:
        return tuple(text for texts in self.unavailable.values() for text in texts)


# Kinds of resources a check may leave out: a page never needs them to show a switch.
RESOURCE_TYPES = ("image", "media", "font")


@dataclass(frozen=True)
class NetworkRules:
    """Requests a check does not need: refused before they leave the browser."""

    block_types: tuple[str, ...] = ()
    block_hosts: tuple[str, ...] = ()  # a host, or any host under it
    block_paths: tuple[str, ...] = ()  # path prefixes, on any host


@dataclass(frozen=True)
class ObjectionForm:
    """LinkedIn's Data Processing Objection Form: where it is and its fields."""

    path: str
    name: tuple[str, ...]
    email: tuple[str, ...]
    objection_type: tuple[str, ...]
    text: tuple[str, ...]
    submit: tuple[str, ...]
    received: tuple[str, ...]  # what shows once LinkedIn has the form
    reference: tuple[str, ...]  # the case number on that page, if any
    types: dict[str, str]  # optout's objection types -> the form's option values


@dataclass(frozen=True)
class Pack:
    version: str
    source: str
    pages: PagePaths
    signin: SigninSelectors
    challenges: tuple[ChallengeSelectors, ...]
    settings: dict[str, SettingSpec]
    network: NetworkRules = NetworkRules()
    objection: ObjectionForm | None = None
    values: Vocabulary = field(default_factory=Vocabulary)
    # Words that say something failed and may work later: while any shows, no "not
    # available" text proves that the member lacks a setting (settled_reading.py).
    failing: tuple[str, ...] = ()
    # Words that say a setting is not offered to the member, in no wording known whole:
    # heeded only beside the setting's own switch drawn disabled (settled_reading.py).
    not_offered: tuple[str, ...] = ()

    def setting(self, setting_id: str) -> SettingSpec:
        return self.settings[setting_id]
