"""Every data-use setting at its real page: `check --all` and `off --all` end to end.

Each assertion is on the sandbox's server-side truth: what is stored for the
member, how many writes turned something on (never any), and how many times each
page was loaded (one load serves both switches of the marketing page).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from conftest import SETTING, Account, Optout, signed_in

from optout.core.selector_pack import load_pack
from optout.sandbox import PageDetails, Sandbox
from optout.storage import credentials

pytestmark = [pytest.mark.e2e, pytest.mark.keyring, pytest.mark.slow]

PACK = load_pack()
# Every setting the default page variant offers (the newer wording's is not among them).
OFFERED = [sid for sid in PACK.settings if sid != "ai-creation-tools"]
PAGES = {PACK.setting(sid).path for sid in OFFERED}
# Every page in one plain form, each switch named by its key: these tests are about
# reading every page and loading each once; the property test varies the details.
PLAIN = PageDetails(pages_alike=True)


MakeMember = Callable[..., Account]


def _states(ran_json: dict[str, Any]) -> dict[str, str]:
    return {s["id"]: s["state"] for s in ran_json["settings"]}


@pytest.fixture
def make_member(sandbox: Sandbox, real_keyring: str, optout: Optout) -> Iterator[MakeMember]:
    made: list[Account] = []

    def make(settings: dict[str, bool], details: PageDetails = PLAIN) -> Account:
        account = Account(f"all-{secrets.token_hex(4)}@example.com", secrets.token_urlsafe(12))
        sandbox.add_account(account.email, account.password, settings=settings, details=details)
        made.append(account)
        signed_in(optout, sandbox, account)
        return account

    yield make
    for account in made:
        credentials.forget_account(account.email, origin=sandbox.base_url)


def test_check_all_reads_every_page_once(
    optout: Optout, sandbox: Sandbox, make_member: MakeMember
) -> None:
    member = make_member(dict.fromkeys(OFFERED, True))
    sandbox.page_views(member.email, reset=True)
    ran = optout("check", "--all", "--json")
    assert ran.code == 1, ran.stderr
    assert _states(ran.json) == {**dict.fromkeys(OFFERED, "on"), "ai-creation-tools": "unavailable"}
    views = sandbox.page_views(member.email, reset=True)
    for page in PAGES:
        assert views.get(page) == 1, (page, views)
    assert sandbox.stats(member.email)["writes_on"] == 0


def test_off_all_switches_every_one_off_and_reads_it_back(
    optout: Optout, sandbox: Sandbox, make_member: MakeMember
) -> None:
    member = make_member(dict.fromkeys(OFFERED, True))
    ran = optout("off", "--all", "--json")
    assert ran.code == 0, ran.stderr
    for setting_id in OFFERED:
        assert sandbox.setting(member.email, setting_id) is False, setting_id
    stats = sandbox.stats(member.email)
    assert stats["writes_on"] == 0
    assert stats["writes_off"] == len(OFFERED)
    assert all(s["changed"] for s in ran.json["settings"] if s["id"] in OFFERED)

    ran = optout("check", "--all", "--json")
    assert ran.code == 0, ran.stderr
    assert set(_states(ran.json).values()) == {"off", "unavailable"}


def test_the_two_switches_of_one_page_are_each_their_own(
    optout: Optout, sandbox: Sandbox, make_member: MakeMember
) -> None:
    member = make_member({SETTING: False, "linkedin-marketing": False, "marketing-emails": True})
    ran = optout("check", "--group", "marketing", "--json")
    assert _states(ran.json) == {"linkedin-marketing": "off", "marketing-emails": "on"}
    assert ran.code == 1
    ran = optout("off", "--group", "marketing", "--json")
    assert ran.code == 0, ran.stderr
    assert sandbox.setting(member.email, "marketing-emails") is False
    assert sandbox.setting(member.email, "linkedin-marketing") is False
    assert sandbox.stats(member.email)["writes_off"] == 1  # only the one that was on
    assert sandbox.stats(member.email)["writes_on"] == 0


def test_a_setting_not_offered_reads_unavailable_and_the_others_are_read(
    optout: Optout, sandbox: Sandbox, make_member: MakeMember
) -> None:
    offered = {sid: False for sid in OFFERED if sid != "ads-by-gender"}
    offered["ads-by-age"] = True
    member = make_member(offered)
    ran = optout("check", "--group", "ads", "--json")
    states = _states(ran.json)
    assert states["ads-by-gender"] == "unavailable"
    assert states["ads-by-age"] == "on"
    assert ran.code == 1
    assert sandbox.setting(member.email, "ads-by-age") is True


def test_one_setting_not_understood_never_hides_the_others(
    optout: Optout, sandbox: Sandbox, make_member: MakeMember
) -> None:
    member = make_member(dict.fromkeys(OFFERED, False))
    # A member's override sends one setting to a page that does not exist.
    override = optout.home / "config" / "selectors.toml"
    override.parent.mkdir(parents=True, exist_ok=True)
    override.write_text(
        '[settings.ads-by-age]\nlabel = "A setting no index names"\n'
        '[[settings.ads-by-age.variants]]\nname = "moved"\n'
        'path = "/mypreferences/d/settings/no-such-page"\n'
        'switch = ["input[type=checkbox][role=switch]"]\nsettings_request = true\n'
    )
    ran = optout("check", "--all", "--json")
    assert ran.code == 4, ran.stderr
    states = _states(ran.json)
    assert states["ads-by-age"] == "unknown"
    assert {sid: states[sid] for sid in OFFERED if sid != "ads-by-age"} == {
        sid: "off" for sid in OFFERED if sid != "ads-by-age"
    }
    assert ran.json["error"]["kind"] == "layout_changed"
    assert sandbox.stats(member.email)["writes_on"] == 0
