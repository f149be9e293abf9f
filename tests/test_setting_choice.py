"""Which settings a command acts on, and README's table of them kept in step with the pack."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import Optout

from optout.core.selector_pack import load_pack
from optout.core.setting_choice import DEFAULT_SETTING, GROUPS, SettingChoice
from optout.sandbox import Sandbox

README = Path(__file__).resolve().parents[1] / "README.md"
# The 13 settings of brave/psst-component and the newer AI wording: (id, group, page).
CONFIRMED = {
    "generative-ai-improvement": "/mypreferences/d/settings/data-for-ai-improvement",
    "social-economic-research": "/mypreferences/d/settings/policy-and-academic-research",
    "linkedin-marketing": "/mypreferences/d/settings/linkedin-promotions",
    "marketing-emails": "/mypreferences/d/settings/linkedin-promotions",
    "ads-data-sharing-affiliates": "/mypreferences/d/settings/share-data-with-select-partners",
    "ads-by-age": "/mypreferences/d/settings/ads-by-age",
    "ads-by-gender": "/mypreferences/d/settings/ads-by-gender",
    "ads-outside-linkedin": "/mypreferences/d/settings/ads-beyond-linkedin",
    "ads-from-business-data": "/mypreferences/d/settings/ads-interactions-with-business",
    "ads-conversion-tracking": "/mypreferences/d/settings/ads-related-actions",
    "ads-by-location": "/mypreferences/d/settings/ads-inferred-location",
    "ads-by-interests": "/mypreferences/d/interest-categories",
    "non-essential-cookies": "/mypreferences/d/member-cookies",
}


def _readme_rows() -> list[tuple[str, str, str]]:
    text = README.read_text(encoding="utf-8")
    section = text.split("## The settings optout knows", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([a-z0-9-]+)` \| (\w+) \| `([^`]+)`", section, re.MULTILINE)
    assert rows, "README's settings table is missing"
    return rows


def test_readme_table_is_the_pack() -> None:
    pack = load_pack()
    rows = _readme_rows()
    assert [row[0] for row in rows] == list(pack.settings)
    for setting_id, group, page in rows:
        spec = pack.setting(setting_id)
        assert group == spec.group, setting_id
        assert page == spec.path, setting_id


def test_every_confirmed_setting_is_at_its_confirmed_page_with_its_key_first() -> None:
    pack = load_pack()
    for setting_id, page in CONFIRMED.items():
        assert pack.setting(setting_id).path == page
    assert "ai-creation-tools" in pack.settings
    assert pack.setting("generative-ai-improvement").aria_keys[0] == "allowDataForGenerativeAI"
    assert pack.setting("linkedin-marketing").aria_keys[0] == (
        "allowProfileAndActivityDataForMarketingAds"
    )
    assert pack.setting("marketing-emails").aria_keys[0] == "tipsForUsingLinkedinViaEmail"
    assert (
        "#nonEssentialCookieConsent" in pack.setting("non-essential-cookies").variants[0].switch[0]
    )
    assert {spec.group for spec in pack.settings.values()} == set(GROUPS)


def test_choice_resolves_ids_and_groups_in_pack_order() -> None:
    pack = load_pack()
    assert SettingChoice().resolve(pack) == [DEFAULT_SETTING]
    assert SettingChoice(every=True).resolve(pack) == list(pack.settings)
    marketing = SettingChoice(groups=("marketing",)).resolve(pack)
    assert marketing == ["linkedin-marketing", "marketing-emails"]
    mixed = SettingChoice(ids=("non-essential-cookies",), groups=("ai",)).resolve(pack)
    assert mixed == ["generative-ai-improvement", "ai-creation-tools", "non-essential-cookies"]
    ads = SettingChoice(groups=("ads",)).resolve(pack)
    assert ads
    assert all(pack.setting(sid).group == "ads" for sid in ads)


def test_choice_as_arguments_round_trips() -> None:
    assert SettingChoice(every=True).argv() == ["--all"]
    assert SettingChoice(("ads-by-age",), ("ai", "cookies")).argv() == [
        "--setting", "ads-by-age", "--group", "ai", "--group", "cookies",
    ]  # fmt: skip


@pytest.mark.parametrize(
    "args",
    [["--all", "--group", "ai"], ["--group", "nope"], ["--setting", "nope"]],
)
def test_a_choice_that_does_not_fit_is_a_usage_error(
    tmp_path: Path, sandbox: Sandbox, args: list[str]
) -> None:
    ran = Optout(tmp_path, sandbox.base_url)("check", *args, "--account", "a@example.com")
    assert ran.code == 2
    assert "Traceback" not in ran.stderr
