"""The selector pack: the shipped one is valid, a member's override merges over it, and a
broken file is named with its key."""

from __future__ import annotations

from pathlib import Path

import pytest

from optout.core.errors import EnvironmentProblem
from optout.core.results import State
from optout.core.selector_pack import builtin_pack_path, load_pack, parse_pack

BUILTIN = builtin_pack_path().read_text(encoding="utf-8")


def test_shipped_pack_loads() -> None:
    pack = load_pack()
    assert pack.version
    spec = pack.setting("generative-ai-improvement")
    assert spec.path == "/mypreferences/d/settings/data-for-ai-improvement"
    assert spec.on_when_checked is True
    assert {v.name for v in spec.variants} >= {"mypreferences", "psettings"}
    assert spec.variant_at("/psettings/data-for-ai-improvement/") is not None
    assert spec.variant_at("/feed") is None
    assert {"en", "fr", "de", "es"} <= set(spec.labels)
    assert spec.label_texts()[-1] in spec.labels["en"]  # English is the last resort


def test_words_for_not_offered_are_read_in_every_language() -> None:
    pack = load_pack()
    assert {"not offered", "pas disponible", "nicht verfügbar", "no está disponible"} <= set(
        pack.not_offered
    )
    start = BUILTIN.index("[not_offered]")
    end = BUILTIN.index("# --- Data for Generative AI Improvement")
    assert parse_pack(BUILTIN[:start] + BUILTIN[end:], "x.toml").not_offered == ()


def test_words_shown_for_a_value_in_italian_portuguese_and_dutch() -> None:
    values = load_pack().values
    for on, off in (("Sì", "No"), ("Sim", "Não"), ("Aan", "Uit"), ("Ativado", "Desativado")):
        assert (values.shown_meaning(on), values.shown_meaning(off)) == (State.ON, State.OFF)


def test_words_that_say_a_page_failed_are_read_in_every_language() -> None:
    pack = load_pack()
    assert {"try again", "réessayer", "später erneut", "más tarde"} <= set(pack.failing)
    start = BUILTIN.index("[failing]")
    end = BUILTIN.index("[not_offered]")
    assert parse_pack(BUILTIN[:start] + BUILTIN[end:], "x.toml").failing == ()


def test_shipped_pack_never_selects_by_hashed_class() -> None:
    pack = load_pack()
    selectors = [s for spec in pack.settings.values() for v in spec.variants for s in v.switch]
    assert selectors
    assert not [s for s in selectors if "._" in s or "[class" in s]


def test_variants_with_a_settings_request_need_an_api() -> None:
    text = BUILTIN.replace(
        "[settings.generative-ai-improvement.api]", "[settings.generative-ai-improvement.apx]"
    )
    with pytest.raises(EnvironmentProblem, match="apx"):
        parse_pack(text, "custom.toml")


def test_override_merges_over_the_builtin(tmp_path: Path) -> None:
    (tmp_path / "selectors.toml").write_text(
        'version = "local-1"\n'
        "[settings.generative-ai-improvement.labels]\n"
        'it = ["Usa i miei dati per addestrare modelli di IA"]\n'
    )
    pack = load_pack(tmp_path)
    spec = pack.setting("generative-ai-improvement")
    assert pack.version == "local-1"
    assert "it" in spec.labels
    assert "fr" in spec.labels  # untouched tables stay
    assert str(tmp_path / "selectors.toml") in pack.source


def test_override_can_add_a_setting(tmp_path: Path) -> None:
    (tmp_path / "selectors.toml").write_text(
        "[settings.social-economic-research]\n"
        'label = "Social, economic, and workplace research"\n'
        "on_when_checked = true\n"
        "[[settings.social-economic-research.variants]]\n"
        'name = "mypreferences"\n'
        'path = "/mypreferences/d/settings/research"\n'
        'switch = ["main input[role=switch]"]\n'
    )
    assert "social-economic-research" in load_pack(tmp_path).settings


def test_settings_are_listed_by_their_names_on_the_index() -> None:
    pack = load_pack()
    ai, tools = pack.setting("generative-ai-improvement"), pack.setting("ai-creation-tools")
    newer = "Generative AI and other models"  # the newer wording's page, no address known
    assert ai.listing is not None
    assert ai.listing.names[:2] == (ai.label, newer)
    assert tools.listing is not None
    assert tools.listing.names[:2] == (tools.label, newer)
    # Where none of its names is on the index, only a link to today's AI page by its
    # name says the member lacks the AI creation tools (today's wording has none).
    assert tools.listing.instead[0] == ai.label
    assert set(tools.listing.instead) <= set(ai.listing.names)
    assert not ai.listing.instead
    assert tools.listing.path == ai.listing.path == "/mypreferences/d/categories/privacy"
    # Without a `listed` table, the index that shows its value, by its label.
    research = pack.setting("social-economic-research")
    assert research.index is not None
    assert research.listing is not None
    assert (research.listing.path, research.listing.names) == (
        research.index.path,
        (research.label,),
    )


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (('version = "2026', "version = 2026"), "not valid TOML"),
        (
            (
                '"input[type=checkbox][role=switch]"]\nsettings_request = true',
                '"input[type=checkbox][role=switch]", 7]\nsettings_request = true',
            ),
            "variants[0].switch`",
        ),
        (('path = "/psettings/', 'path = "psettings/'), "variants[1].path`"),
        (("on_when_checked = true", 'on_when_checked = "yes"'), ".on_when_checked`"),
        (("[signin]", "[signon]"), "`signon` is not a known key"),
        (("aria_keys = [", "aria_kyes = ["), "`settings.generative-ai-improvement.aria_kyes`"),
        (('name = "psettings"', 'name = "mypreferences"'), "same name"),
        (("names = [", "name = ["), "`settings.generative-ai-improvement.listed.name`"),
        (('de = ["nicht verfügbar"', 'de = [3, "nicht verfügbar"'), "`not_offered.de`"),
    ],
)
def test_broken_pack_names_file_and_key(change: tuple[str, str], named: str) -> None:
    old, new = change
    assert old in BUILTIN
    with pytest.raises(EnvironmentProblem) as caught:
        parse_pack(BUILTIN.replace(old, new, 1), "custom.toml")
    assert "custom.toml" in caught.value.message
    assert named in caught.value.message


def test_broken_override_names_the_override(tmp_path: Path) -> None:
    (tmp_path / "selectors.toml").write_text("[settings.generative-ai-improvement]\nlabel = 3\n")
    with pytest.raises(EnvironmentProblem) as caught:
        load_pack(tmp_path)
    assert str(tmp_path / "selectors.toml") in caught.value.message
    assert "`settings.generative-ai-improvement.label`" in caught.value.message
