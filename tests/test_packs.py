"""The selector pack: the shipped one is valid, and a broken one is named precisely."""

from __future__ import annotations

import pytest

from optout.errors import EnvironmentProblem
from optout.packs import builtin_pack_path, load_pack, parse_pack

MINIMAL = """
version = "1"
[pages]
signed_in = ["/feed"]
login = ["/login"]
challenge = ["/checkpoint"]
refused = ["errorKey=x"]
[signin]
path = "/login"
session_cookie = "li_at"
username = ["#username"]
password = ["#password"]
submit = ["button[type=submit]"]
error = ["#error-for-password"]
[settings.generative-ai-improvement]
label = "Data for Generative AI Improvement"
path = "/mypreferences/d/settings/data-for-ai-improvement"
switch = ["input[role=switch]"]
on_when_checked = true
"""


def test_shipped_pack_loads() -> None:
    pack = load_pack()
    assert pack.version
    spec = pack.setting("generative-ai-improvement")
    assert spec.path == "/mypreferences/d/settings/data-for-ai-improvement"
    assert spec.on_when_checked is True
    assert builtin_pack_path().is_file()


def test_shipped_pack_never_selects_by_hashed_class() -> None:
    pack = load_pack()
    selectors = [s for spec in pack.settings.values() for s in spec.switch]
    assert selectors
    assert not [s for s in selectors if "._" in s or "[class" in s]


def test_minimal_pack_parses() -> None:
    pack = parse_pack(MINIMAL, "test.toml")
    assert list(pack.settings) == ["generative-ai-improvement"]


@pytest.mark.parametrize(
    ("broken", "named"),
    [
        (MINIMAL.replace('version = "1"', "version = 1"), "`version`"),
        (
            MINIMAL.replace('switch = ["input[role=switch]"]', "switch = []"),
            "`settings.generative-ai-improvement.switch`",
        ),
        (
            MINIMAL.replace('path = "/mypreferences', 'path = "mypreferences'),
            "`settings.generative-ai-improvement.path`",
        ),
        (
            MINIMAL.replace("on_when_checked = true", 'on_when_checked = "yes"'),
            "`settings.generative-ai-improvement.on_when_checked`",
        ),
        (MINIMAL.replace("[signin]", "[signon]"), "`signin`"),
        ("version = [", "not valid TOML"),
    ],
)
def test_broken_pack_names_file_and_key(broken: str, named: str) -> None:
    with pytest.raises(EnvironmentProblem) as caught:
        parse_pack(broken, "custom.toml")
    assert "custom.toml" in caught.value.message
    assert named in caught.value.message
