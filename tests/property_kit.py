"""Which property rounds (test_property_details.py) optout must answer right, and which
it may rightly answer `unknown`: the page names the setting's switch, or its state, by
nothing optout can know."""

from __future__ import annotations

from dataclasses import dataclass

from optout.core.selector_pack import load_pack
from optout.sandbox import Faults, PageDetails
from optout.sandbox.details import ASKS_WITHIN_S, INVERTED_KEYS
from optout.sandbox.forms import PageForm
from optout.sandbox.prefs import VARIANT_PAGES
from optout.sandbox.settings_catalog import (
    AI_PAGE,
    CREATION_TOOLS,
    NEWER_PAGE,
    switches_beside_ai,
)

SETTING = "generative-ai-improvement"
PACK = load_pack()


@dataclass
class Round:
    seed: int
    email: str
    setting: str  # the one read (and switched)
    truths: dict[str, bool]  # every setting the member has; the one read unless `lacks`
    command: str
    faults: Faults
    details: PageDetails
    variant: str
    lang: str

    @property
    def truth(self) -> bool:
        return self.truths[self.setting]

    @property
    def lacks(self) -> bool:
        """The member does not have the setting read: its page says "not available"."""
        return self.setting not in self.truths

    @property
    def page_shows_state(self) -> bool:
        """No fault keeps the state from the page (chaos rounds are judged apart)."""
        return self.faults.api_status is None and not self.faults.api_hangs


def attributable(form: PageForm | None, plan: Round) -> bool:
    """The page tells which switch is this setting's, and shows its state or says the
    member lacks it, in ways optout can know: a round it must answer right."""
    return (
        _switch_known(form, plan) and _says_why(form, plan) and not _index_names_unknown(plan)
        and not _read_back_needs_a_lagging_index(form, plan)
        # A page that asks for its value later than optout holds a switch with no answer:
        # its placeholder counts only where the index agrees. One that draws its answer
        # late as well may do so past the 10 s a reading takes at most.
        and (form is None or form.details.ask_delay_s + form.details.draw_delay_s <= ASKS_WITHIN_S)
    )  # fmt: skip


def _switch_known(form: PageForm | None, plan: Round) -> bool:
    if form is None:
        return True
    if not _lacking_switch_named(form, plan):
        return False
    if not plan.lacks and not _own_answer_known(form, plan):
        return False
    if form.details.label_id == "key":
        return True
    beside = form.page.path == AI_PAGE and bool(switches_beside_ai(plan.variant))
    if plan.lacks and form.details.label_id != "key" and (beside or form.decoy_role_switch):
        # Switches of the page's own beside the notice, by generated ids and words no pack
        # knows: one may be this setting's, and the notice another's.
        return False
    if not form.reworded:
        return True
    several = len(form.order) > 1 or (bool(form.decoys) and form.decoy_role_switch)
    return not several and _named_by_a_source(form, plan)


def _own_answer_known(form: PageForm, plan: Round) -> bool:
    """The page's answer (its request's, or the data it carries inside itself) has an
    entry optout knows as this setting's: under one of the pack's keys, or named as the
    switch is labelled. Without one, that answer may be another card's, or the switch a
    placeholder drawn before a late request: it stands only where the index agrees."""
    spec = PACK.setting(plan.setting)
    keys = {key.casefold() for key in (*(spec.api.keys if spec.api else ()), *spec.aria_keys)}
    # The AI page served whole, and the older page, ask for nothing: no answer optout
    # reads. Their switch, even in the HTML as served, only the index can confirm.
    asked = form.card_request or form.page.path != AI_PAGE or plan.variant in VARIANT_PAGES
    if plan.variant == "psettings" and form.page.path == AI_PAGE:
        asked = False
    named = form.key(plan.setting).casefold() in keys or form.details.answer_names == "label"
    if asked and named and _value_read(form, plan):
        return True
    # The index's one row for the newer wording's page, where it links to it, has no value.
    newer_row = plan.variant == "newer-wording" and plan.details.newer_address != "redirect"
    return spec.index is not None and plan.details.index_words == "pack" and not newer_row


def _value_read(form: PageForm, plan: Round) -> bool:
    """The answer's entry says its value in words optout reads for sure: a list's, its own
    onValue/offValue, or the words the page shows for it. Otherwise (words it can only
    take as a hint, or under a key that says no) the switch may be read alone, and a
    placeholder the page draws anew only after any hold must not stand: it needs the
    index to agree."""
    return form.key(plan.setting) not in INVERTED_KEYS and form.details.words_read_for_sure


def _named_by_a_source(form: PageForm, plan: Round) -> bool:
    """A page's only switch, named by neither its key nor its label, is known for the
    setting's where its request lists the setting under one of the pack's keys, or the
    index shows its value in the pack's words (SettingPage._switch_named)."""
    spec = PACK.setting(plan.setting)
    keys = {key.casefold() for key in (spec.api.keys if spec.api else ())}
    if form.card_request and form.key(plan.setting).casefold() in keys:
        return True
    return spec.index is not None and plan.details.index_words == "pack"


def _read_back_needs_a_lagging_index(form: PageForm | None, plan: Round) -> bool:
    """An `off` that changes the setting while the index shows the value from before
    (`index_lag_s`), with no other source for the read-back: honestly `unknown`."""
    if form is None or plan.command != "off" or plan.lacks or not plan.truth:
        return False
    spec = PACK.setting(plan.setting)
    keys = (*spec.aria_keys, *(spec.api.keys if spec.api else ()))
    keyed = any(form.key(plan.setting).casefold() == key.casefold() for key in keys)
    # The AI setting's address leads an account on another variant to that one's page.
    on_ai_page = form.page.path == AI_PAGE and plan.variant in VARIANT_PAGES
    variant = spec.variant_at(VARIANT_PAGES[plan.variant] if on_ai_page else form.page.path)
    named = keyed or form.details.label_id == "key" or not form.reworded
    asks = variant is not None and variant.settings_request and form.card_request
    answers = asks and named and (keyed or form.details.answer_names == "label")
    answers = answers and _value_read(form, plan)
    return plan.details.index_lag_s > 0 and not answers


def _lacking_switch_named(form: PageForm, plan: Round) -> bool:
    """Where a lacking member's AI page still draws the setting's switch, disabled (by
    its key), it is known for the setting's only as the page's one switch: beside others
    the notice may be another's."""
    if not plan.lacks or form.details.lacking_switch == "none" or form.page.path != AI_PAGE:
        return True
    return not switches_beside_ai(plan.variant) and not form.decoy_role_switch


def _says_why(form: PageForm | None, plan: Round) -> bool:
    """A member who lacks the setting is told so on its page, except on the newer
    wording's page, which says it only of the AI setting, and on an AI page whose words
    optout cannot know as saying it (words_unknown)."""
    if not plan.lacks or form is None:
        return True
    if form.page.path == NEWER_PAGE:
        return plan.setting == SETTING
    return not words_unknown(form, plan)


def _index_names_unknown(plan: Round) -> bool:
    """Where the setting is, or that the member's wording has none of it, only the Data
    privacy index tells, by the name of an AI row in words no pack lists: the newer
    wording's page where the AI setting's address is gone or leads to an address the
    pack does not know, and today's page for the AI creation tools it lacks. For those,
    an index with no AI row at all (a member who lacks the AI setting too: LinkedIn
    lists no setting it does not offer) tells no more."""
    if plan.variant != "newer-wording" and plan.setting == CREATION_TOOLS:
        return plan.details.index_words == "unlisted" or SETTING not in plan.truths
    if plan.details.index_words != "unlisted" or plan.variant != "newer-wording":
        return False
    address = plan.details.newer_address
    if address == "moved":
        return plan.setting in (SETTING, CREATION_TOOLS)
    return address == "gone" and plan.setting == SETTING


def words_unknown(form: PageForm | None, plan: Round) -> bool:
    """The AI page tells a lacking member in words no pack knows, or in words that say
    only "not offered", with no switch of the setting's own beside them: `unavailable`
    there would not be the page saying so. So does an index that names today's AI page
    in words no pack lists, for the AI creation tools (_index_names_unknown)."""
    if plan.lacks and plan.setting == CREATION_TOOLS and plan.variant != "newer-wording":
        return _index_names_unknown(plan)
    if not plan.lacks or form is None or form.page.path != AI_PAGE or plan.setting != SETTING:
        return False
    words = form.details.lacking_words
    # The older page, served whole, never draws a lacking member's switch.
    drawn = form.details.lacking_switch != "none" and plan.variant != "psettings"
    return words == "unknown" or (words == "hinted" and not drawn)
