"""A member LinkedIn does not offer a setting to: `unavailable` only where the page
says so, in the pack's words, or in its words for "not offered" beside the setting's
own switch drawn disabled; `unknown` where the page says it in words optout cannot know.

Each test runs optout (real Chromium) against the sandbox and asserts the sandbox's
own truth: nothing written, and no other setting's switch taken for this one.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from conftest import SETTING, MakeAccount, Optout, signed_in, state_of

from optout.sandbox import PageDetails, Sandbox
from optout.sandbox.faults import Faults
from optout.sandbox.settings_catalog import switches_beside_ai

pytestmark = [pytest.mark.e2e, pytest.mark.keyring]

NEIGHBOUR = switches_beside_ai("neighbour")[0]


@pytest.mark.parametrize(
    ("variant", "lang", "index_words", "said"),
    [
        # Today's wording has no AI creation tools: its index names today's AI page.
        ("current", "en", "pack", "unavailable"),
        ("current", "fr", "pack", "unavailable"),
        # ... in words no pack lists: optout cannot know what the index says.
        ("current", "es", "unlisted", "unknown"),
        # The newer wording's page at an address the pack does not know, named on the
        # index in words no pack lists: the member has the setting, on.
        ("newer-wording", "de", "unlisted", "unknown"),
    ],
)
def test_ai_creation_tools_is_unavailable_only_where_the_index_says_so(
    optout: Optout, sandbox: Sandbox, make_account: MakeAccount,
    variant: str, lang: str, index_words: str, said: str,
) -> None:  # fmt: skip
    # Its address is a guess: a 404 there says nothing by itself.
    has_it = variant == "newer-wording"
    account = make_account(
        variant=variant, lang=lang,
        settings={SETTING: True, "ai-creation-tools": True} if has_it else None,
        details=PageDetails(newer_address="moved", index_words=index_words),
    )  # fmt: skip
    signed_in(optout, sandbox, account)
    ran = optout("check", "--setting", "ai-creation-tools", "--json")
    assert state_of(ran, "ai-creation-tools") == said, ran.stdout + ran.stderr
    assert ran.code == (0 if said == "unavailable" else 4), ran.stderr


@pytest.mark.parametrize(("lang", "words"), [("en", "pack"), ("fr", "pack"), ("de", "region")])
def test_setting_unavailable_for_this_member(
    optout: Optout, sandbox: Sandbox, make_account: MakeAccount, lang: str, words: str
) -> None:
    account = make_account(settings={}, lang=lang)
    # Other details as drawn; the page says so in the pack's words, for the member's
    # account or (in German, where the words that differ come mid-sentence) region.
    drawn = sandbox.details(account.email)
    sandbox.set_details(account.email, replace(drawn, lacking_words=words))
    signed_in(optout, sandbox, account)
    ran = optout("off", "--json")
    assert ran.code == 0, ran.stderr
    assert state_of(ran) == "unavailable"
    assert ran.json["status"] == "compliant"
    assert sandbox.stats(account.email)["setting_writes"] == 0
    ran = optout("check")
    assert ran.code == 0
    assert "unavailable" in ran.stdout


@pytest.mark.parametrize(
    ("lacking_switch", "mark"), [("none", "disabled"), ("disabled_on", "disabled"),
                                 ("disabled_on", "aria")]
)  # fmt: skip
def test_a_settings_request_refused_404_beside_the_pages_notice_is_unavailable(
    optout: Optout, sandbox: Sandbox, make_account: MakeAccount, lacking_switch: str, mark: str
) -> None:
    # The page asks for the card of a setting the member lacks, LinkedIn answers 404,
    # and the page says so a moment later: not LinkedIn failing (exit 5 on every
    # scheduled run). Its switch, where it draws one, is disabled as an input is, or by
    # aria-disabled alone: neither is read as the setting's state.
    details = PageDetails(
        lacking_answer="not_found", lacking_switch=lacking_switch, draw_delay_s=0.8,
        lacking_mark=mark,
    )  # fmt: skip
    account = make_account(settings={}, lang="de", details=details)
    signed_in(optout, sandbox, account)
    ran = optout("check", "--json")
    assert ran.code == 0, ran.stdout
    assert state_of(ran) == "unavailable"
    assert sandbox.stats(account.email)["setting_writes"] == 0


@pytest.mark.parametrize(
    ("label_id", "words", "lang", "state", "code"),
    [
        ("key", "pack", "fr", "unavailable", 0),
        ("generated", "pack", "en", "unknown", 4),
        # Nothing on the page says whose the switch is, nor that the member lacks the
        # setting: the page's only switch, not confirmed by any source, is not taken.
        ("generated", "unknown", "fr", "unknown", 4),
    ],
)
def test_another_settings_switch_alone_on_the_ai_page_is_never_taken_for_it(
    optout: Optout, sandbox: Sandbox, make_account: MakeAccount,
    label_id: str, words: str, lang: str, state: str, code: int,
) -> None:  # fmt: skip
    # The member lacks the AI setting; its page says so (in the pack's words, or in words
    # no pack knows) beside another setting's switch (on), labelled by that setting's key
    # or by a generated id and words no pack knows.
    details = PageDetails(label_id=label_id, lacking_words=words)
    account = make_account(variant="neighbour", settings={}, lang=lang, details=details)
    signed_in(optout, sandbox, account)
    for command in ("check", "off"):
        ran = optout(command, "--json")
        assert (state_of(ran), ran.code) == (state, code), ran.stdout + ran.stderr
    assert sandbox.account(account.email).others[NEIGHBOUR] is True
    assert sandbox.stats(account.email)["setting_writes"] == 0


@pytest.mark.parametrize(
    ("lacking_switch", "lang", "words"),
    [
        ("disabled_on", "en", "pack"),
        ("disabled_off", "de", "pack"),
        ("disabled_on", "fr", "hinted"),
    ],
)
def test_a_setting_the_page_says_is_not_available_is_so_though_its_switch_is_drawn(
    optout: Optout, sandbox: Sandbox, make_account: MakeAccount,
    lacking_switch: str, lang: str, words: str,
) -> None:  # fmt: skip
    # Beside the notice, in the pack's words or in words that say "not offered", the
    # page still draws the setting's switch, disabled.
    details = PageDetails(
        lacking_switch=lacking_switch, switch_drawn="after_answer", lacking_words=words
    )
    account = make_account(settings={}, lang=lang, details=details)
    signed_in(optout, sandbox, account)
    for command in ("check", "off"):
        ran = optout(command, "--json")
        assert (state_of(ran), ran.code) == ("unavailable", 0), ran.stdout + ran.stderr
    assert sandbox.stats(account.email)["setting_writes"] == 0


@pytest.mark.parametrize(
    ("lacking_switch", "words"), [("disabled_on", "unknown"), ("none", "hinted")]
)
def test_a_notice_in_words_optout_cannot_know_is_never_unavailable(
    optout: Optout, sandbox: Sandbox, make_account: MakeAccount, lacking_switch: str, words: str
) -> None:
    # Words no pack knows beside the disabled switch; or words that say only "not
    # offered" with no switch of the setting's own: the page does not plainly say so.
    details = PageDetails(
        lacking_switch=lacking_switch, switch_drawn="after_answer", lacking_words=words
    )
    account = make_account(settings={}, lang="es", details=details)
    signed_in(optout, sandbox, account)
    ran = optout("check", "--json")
    assert (state_of(ran), ran.code) == ("unknown", 4), ran.stdout + ran.stderr
    assert sandbox.stats(account.email)["setting_writes"] == 0


@pytest.mark.parametrize(
    ("variant", "lang", "lacking_switch"),
    [("current", "en", "none"), ("current", "fr", "disabled_on"), ("psettings", "en", "none"),
     ("current", "de", "none")],
)  # fmt: skip
def test_a_page_that_fails_in_the_packs_words_for_not_available_is_never_unavailable(
    optout: Optout, sandbox: Sandbox, make_account: MakeAccount,
    variant: str, lang: str, lacking_switch: str,
) -> None:  # fmt: skip
    # The member has the setting, on. The page fails softly: its answer lacks the setting,
    # and it says "This setting is not available right now. Please try again later.",
    # which begins as the pack's wording does, maybe beside the switch drawn disabled.
    details = PageDetails(lacking_switch=lacking_switch, switch_drawn="after_answer")
    account = make_account(
        variant=variant, lang=lang, details=details, faults=Faults(soft_failure=True)
    )
    signed_in(optout, sandbox, account)
    ran = optout("off", "--json", OPTOUT_TIMEOUT="6")
    assert (state_of(ran), ran.code) == ("unknown", 4), ran.stdout + ran.stderr
    assert ran.json["status"] != "compliant"
    assert sandbox.setting(account.email, SETTING) is True
    assert sandbox.stats(account.email)["setting_writes"] == 0
