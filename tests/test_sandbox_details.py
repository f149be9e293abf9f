"""The sandbox varies what no public source confirms about the setting pages.

Each account's `PageDetails` decide the AI card's name, the setting's key in the
card answer, the value words, whether the switch is drawn before the answer or
replaced while hydrating, and which other cards and keys the page sees. These
tests check the sandbox really serves each variation over HTTP
(test_sandbox_details_browser.py: in Chromium).
"""

from __future__ import annotations

import json
import random
import re
import secrets
from collections.abc import Iterator
from dataclasses import replace

import pytest
from details_kit import CARDS, PACK_KEY, PASSWORD, SETTING, Client, ai_entry, new_member

from optout.core.selector_pack import load_pack
from optout.sandbox import PageDetails, Sandbox
from optout.sandbox.details import (
    AI_ARIA_KEY,
    ANSWER_KEYS,
    ANSWER_NAMES,
    CARD_NAMES,
    DECLARED_SENSES,
    INDEX_VALUES,
    INDEX_WORDS,
    INVERTED_KEY,
    INVERTED_KEYS,
    LABEL_IDS,
    LACKING_MARKS,
    LACKING_WORDS,
    LEGACY_DRAW_S,
    LEGACY_DRAWINGS,
    MAX_INDEX_LAG_S,
    MAX_LISTENS_AFTER_S,
    SHOWN_WORDS,
    SWITCH_DRAWN,
    UNLISTED_WORDS,
    VALUE_WORDS,
)
from optout.sandbox.i18n import LACKING_NOTICES, words


@pytest.fixture(scope="module")
def box() -> Iterator[Sandbox]:
    # A plain Playwright browser shows automation; the bot guard is tested in test_fingerprint.py.
    with Sandbox(bot_guard=False) as server:
        server.hang_limit_s = 5  # card requests held by api_hangs let go soon
        yield server


# --- the dataclass -----------------------------------------------------------------


def test_random_details_cover_every_choice_and_the_guesses_are_not_the_only_answers() -> None:
    rng = random.Random(7)
    drawn = [PageDetails.random(rng) for _ in range(400)]
    assert {d.card for d in drawn} == set(CARD_NAMES)
    assert {d.answer_key for d in drawn} == {*ANSWER_KEYS, *INVERTED_KEYS}
    assert all(d.value_words in VALUE_WORDS for d in drawn if d.answer_key in INVERTED_KEYS)
    assert {d.declared_sense for d in drawn} == set(DECLARED_SENSES)
    assert {d.value_words for d in drawn} == set(VALUE_WORDS + UNLISTED_WORDS)
    assert {d.shown_words for d in drawn} == set(SHOWN_WORDS)
    assert {d.index_values for d in drawn} == set(INDEX_VALUES)
    assert {d.index_words for d in drawn} == set(INDEX_WORDS)
    assert all((d.index_delay_s > 0) == (d.index_values != "in_page") for d in drawn)
    assert {d.switch_drawn for d in drawn} == set(SWITCH_DRAWN)
    assert {d.label_id for d in drawn} == set(LABEL_IDS)
    assert {d.declares_values for d in drawn} == {True, False}
    assert {d.replaced_on_hydration for d in drawn} == {True, False}
    assert {d.extra_cards for d in drawn} == {0, 1, 2}
    assert {d.answer_extras for d in drawn} == {0, 1, 2}
    assert {d.answer_names for d in drawn} == set(ANSWER_NAMES)
    assert {d.others_first for d in drawn} == {True, False}
    assert {d.others_flipped for d in drawn} == {True, False}
    assert {d.lacking_words for d in drawn} == set(LACKING_WORDS)
    assert {d.lacking_mark for d in drawn} == set(LACKING_MARKS)
    assert {d.beacons for d in drawn} == {True, False}
    # The older page is drawn by its server on half the pages, by script on the others.
    assert {d.legacy_drawn for d in drawn} == set(LEGACY_DRAWINGS)
    assert len(drawn) / 3 < sum(d.legacy_drawn == "server" for d in drawn) < len(drawn) * 2 / 3
    assert all(LEGACY_DRAW_S[0] <= d.legacy_draw_s <= LEGACY_DRAW_S[1] for d in drawn)
    # Most indexes show a change at once; some only once their cache is out of date.
    lagging = [d.index_lag_s for d in drawn if d.index_lag_s > 0]
    assert 0 < len(lagging) < len(drawn) / 2
    assert all(30 <= lag <= MAX_INDEX_LAG_S for lag in lagging)
    assert all(d.readable().index_lag_s == 0 for d in drawn)
    # Most pages take clicks as soon as they draw the state; some only up to 2 s later.
    late = [d.listens_after_s for d in drawn if d.listens_after_s > 0]
    assert 0 < len(late) < len(drawn) / 2
    assert max(late) <= MAX_LISTENS_AFTER_S
    # The pack's guess (key and "true") is one answer, and not the common one.
    guessed = [d for d in drawn if d.answer_key == PACK_KEY and d.value_words == "true/false"]
    assert 0 < len(guessed) < len(drawn) / 4
    # The confirmed label id is the common case.
    assert sum(d.label_id == "key" for d in drawn) > len(drawn) * 0.6


def test_defaults_follow_the_email_and_the_seed() -> None:
    assert PageDetails.drawn("a@example.com") == PageDetails.drawn("a@example.com")
    emails = [f"m{i}@example.com" for i in range(30)]
    assert len({PageDetails.drawn(e) for e in emails}) > 20
    assert PageDetails.drawn("a@example.com", 3) == PageDetails.drawn("a@example.com", 3)
    assert PageDetails.drawn("a@example.com", 3) != PageDetails.drawn("a@example.com", 4)
    # The plain default is no guess of the pack's either.
    assert PageDetails().answer_key == AI_ARIA_KEY
    assert PageDetails().value_words == "ON/OFF"


def test_json_round_trip_and_refusals() -> None:
    details = PageDetails.random(random.Random(1))
    assert PageDetails.from_json(json.loads(json.dumps(details.to_json()))) == details
    partial = PageDetails.from_json({"value_words": "YES/NO"}, details)
    assert partial == replace(details, value_words="YES/NO")
    for bad in (
        {"colour": "red"},
        {"value_words": "si/no"},
        {"extra_cards": 9},
        {"declares_values": "yes"},
        {"card": "has/slash"},
        {"draw_delay_s": -1},
    ):
        with pytest.raises(ValueError, match="page detail"):
            PageDetails.from_json(bad)
    with pytest.raises(ValueError, match="JSON object"):
        PageDetails.from_json([1])


# --- the card answer and the PUT ---------------------------------------------------


@pytest.mark.parametrize("value_words", VALUE_WORDS + UNLISTED_WORDS)
@pytest.mark.parametrize("declares", [True, False])
def test_card_answer_speaks_the_accounts_words(
    box: Sandbox, value_words: str, declares: bool
) -> None:
    details = PageDetails(value_words=value_words, declares_values=declares, on_first=declares)
    email, client = new_member(box, details, lang="fr")
    on, off = value_words.split("/")
    status, answer = client.call("GET", CARDS + details.card)
    assert status == 200
    entry = ai_entry(answer, details.answer_key)
    assert entry["settingDisplayType"] == "TOGGLE"
    assert ("onValue" in entry, "offValue" in entry) == (declares, declares)
    if declares:
        assert (entry["onValue"], entry["offValue"]) == (on, off)
    said = words("fr")
    assert entry["a11yName"] == said.label == entry["primaryDescription"]
    assert entry["description"] == said.description
    assert re.fullmatch(r"urn:li:settingEntity:\d+", entry["entityUrn"])
    shown = entry["settingDisplayValues"]
    assert [v["value"] for v in shown] == ([on, off] if declares else [off, on])
    assert {v["settingDisplayValue"] for v in shown} == {said.on, said.off}
    assert [v["value"] for v in shown if v["selected"]] == [on]

    body = {
        "value": off, "settingDisplayType": "TOGGLE", "entityUrn": entry["entityUrn"],
        "key": details.answer_key, "hasChild": False,
    }  # fmt: skip
    other = next(w for w in VALUE_WORDS if w != value_words).split("/")[1]
    assert client.put(details.answer_key, {**body, "value": other})[0] == 400
    assert client.put(details.answer_key, {**body, "value": off.lower() + "x"})[0] == 400
    assert box.stats(email)["writes_off"] == 0
    assert client.put(details.answer_key, body) == (200, {"value": off})
    assert box.setting(email, SETTING) is False
    assert client.put(details.answer_key, {**body, "value": on}) == (200, {"value": on})
    assert box.setting(email, SETTING) is True
    stats = box.stats(email)
    assert (stats["writes_off"], stats["writes_on"], stats["setting_writes"]) == (1, 1, 2)


def test_values_may_show_no_words(box: Sandbox) -> None:
    details = PageDetails(value_words="allow/deny", declares_values=False, shown_words="absent")
    _, client = new_member(box, details)
    entry = ai_entry(client.call("GET", CARDS + details.card)[1], details.answer_key)
    assert "onValue" not in entry
    assert entry["settingDisplayValues"] == [
        {"value": "allow", "selected": True},
        {"value": "deny", "selected": False},
    ]


@pytest.mark.parametrize("card", CARD_NAMES)
@pytest.mark.parametrize("key", ANSWER_KEYS)
def test_card_name_and_key_are_the_accounts_own(box: Sandbox, card: str, key: str) -> None:
    details = PageDetails(card=card, answer_key=key)
    email, client = new_member(box, details)
    status, answer = client.call("GET", CARDS + card)
    assert status == 200
    assert ai_entry(answer, key)["key"] == key
    for other in CARD_NAMES:
        if other != card:
            assert client.call("GET", CARDS + other)[0] == 404
    for other in ANSWER_KEYS:
        if other != key:
            assert client.put(other, {"value": "OFF"})[0] == 404
    assert client.put(key, {"value": "OFF", "key": "somethingElse"})[0] == 400
    assert client.put(key, {"value": "OFF", "entityUrn": "urn:li:settingEntity:1"})[0] == 400
    assert box.setting(email, SETTING) is True
    assert client.put(key, {"value": "OFF"})[0] == 200
    assert box.setting(email, SETTING) is False
    config = client.page_config()
    assert config["cardUrl"] == CARDS + card
    assert config["key"] == key


@pytest.mark.parametrize("names", ANSWER_NAMES)
def test_setting_objects_are_named_by_the_label_by_other_words_or_not_at_all(
    box: Sandbox, names: str
) -> None:
    details = PageDetails(answer_names=names, answer_extras=1)
    _, client = new_member(box, details)
    extra, ai = client.call("GET", CARDS + details.card)[1]["settings"]
    label = words("en").label
    if names == "label":
        assert ai["a11yName"] == ai["primaryDescription"] == label
        assert extra["a11yName"] == extra["primaryDescription"] != label
    elif names == "reworded":
        for entry in (extra, ai):
            assert entry["a11yName"] == entry["primaryDescription"] == f"Setting {entry['key']}"
    else:
        assert all("a11yName" not in e and "primaryDescription" not in e for e in (extra, ai))
    if names != "label":
        assert label not in json.dumps([extra, ai])


def test_other_keys_in_the_answer_come_first(box: Sandbox) -> None:
    details = PageDetails(answer_extras=2)
    _, client = new_member(box, details)
    settings = client.call("GET", CARDS + details.card)[1]["settings"]
    assert len(settings) == 3
    assert settings[-1]["key"] == details.answer_key
    assert all(s["settingDisplayType"] == "TOGGLE" for s in settings)
    assert client.put(settings[0]["key"], {"value": "OFF"})[0] == 404  # never drawn


def test_a_member_without_the_setting_gets_no_entry_and_no_early_switch(box: Sandbox) -> None:
    details = PageDetails(answer_extras=1, switch_drawn="before_answer")
    _, client = new_member(box, details, settings={"social-economic-research": True})
    answer = client.call("GET", CARDS + details.card)[1]
    assert [s["key"] for s in answer["settings"]] == ["showGenerativeAiDataNotice"]
    config = client.page_config()
    assert [row["offered"] for row in config["rows"]] == [False]
    assert client.put(details.answer_key, {"value": "OFF"})[0] == 404


def test_a_member_with_the_setting_always_finds_it_listed(box: Sandbox) -> None:
    rng = random.Random(11)
    for _ in range(12):
        # A page that asks for its card (one served whole carries the answer inside).
        details = replace(PageDetails.random(rng), served_whole=False, card_address="path")
        _, client = new_member(box, details)
        answer = client.call("GET", CARDS + details.card)[1]
        ai_entry(answer, details.answer_key)
        assert [row["offered"] for row in client.page_config()["rows"]] == [True]


@pytest.mark.parametrize("how", LACKING_WORDS)
def test_a_lacking_members_notice_is_in_the_accounts_words(box: Sandbox, how: str) -> None:
    _, client = new_member(box, PageDetails(lacking_words=how), settings={}, lang="fr")
    shown = client.page_config()["lackingNotice"]
    assert shown == (words("fr").unavailable if how == "pack" else LACKING_NOTICES[how]["fr"])
    if how == "unknown":  # in no language a word the pack takes for "not offered"
        hints = [hint.lower() for hint in load_pack().not_offered]
        for notice in LACKING_NOTICES[how].values():
            said = notice.lower().replace("\u2019", "'")
            assert not any(hint in said for hint in hints), notice


def test_page_config_carries_the_details(box: Sandbox) -> None:
    details = PageDetails(
        value_words="ENABLED/DISABLED", label_id="generated", switch_drawn="before_answer",
        replaced_on_hydration=True, extra_cards=2, draw_delay_s=0.25,
    )  # fmt: skip
    _, client = new_member(box, details)
    config = client.page_config()
    assert (config["onValue"], config["offValue"]) == ("ENABLED", "DISABLED")
    assert config["switchDrawn"] == "before_answer"
    assert config["replaceOnHydration"] is True
    assert config["drawDelayMs"] == 250
    assert config["rows"][0]["labelId"] is None  # generated per render
    assert len(config["extraCardUrls"]) == 2
    for url in config["extraCardUrls"]:
        status, answer = client.call("GET", url)
        assert status == 200
        assert all(s["key"] != details.answer_key for s in answer["settings"])
    keyed = Client(box.base_url)
    email = f"keyed-{secrets.token_hex(3)}@example.com"
    box.add_account(email, PASSWORD, details=PageDetails(label_id="key"), variant="multi-switch")
    keyed.sign_in(email)
    ids = [row["labelId"] for row in keyed.page_config()["rows"]]
    assert ids == [
        "allowProfilePhotoInAiSearch",
        AI_ARIA_KEY,
        "allowSponsoredContentPersonalization",
    ]


def test_newer_wording_and_multi_switch_use_the_accounts_key_and_words(box: Sandbox) -> None:
    details = PageDetails(answer_key=PACK_KEY, value_words="YES/NO", declares_values=False)
    email, client = new_member(box, details, variant="newer-wording")
    newer = box.page_form(email, SETTING)
    assert newer is not None
    assert newer.page.path.endswith("/generative-ai-and-other-models")
    answer = client.call("GET", CARDS + newer.card)[1]
    entry = ai_entry(answer, PACK_KEY)
    assert [v["settingDisplayValue"] for v in entry["settingDisplayValues"]] == ["Yes", "No"]
    assert client.put(PACK_KEY, {"value": "NO"})[0] == 200
    assert box.setting(email, SETTING) is False

    details = PageDetails(answer_key="dataForGenAiImprovement", value_words="true/false")
    email, client = new_member(box, details, variant="multi-switch")
    answer = client.call("GET", CARDS + details.card)[1]
    assert len(answer["settings"]) == 3
    assert client.put("allowProfilePhotoInAiSearch", {"value": "false"})[0] == 200
    assert box.account(email).others["allowProfilePhotoInAiSearch"] is False
    assert box.setting(email, SETTING) is True


# --- setting them ------------------------------------------------------------------


def test_python_api_sets_and_draws_details(box: Sandbox) -> None:
    email = f"py-{secrets.token_hex(3)}@example.com"
    box.add_account(email, PASSWORD)
    assert box.details(email) == PageDetails.drawn(email)
    assert box.account(email).details == box.details(email)
    chosen = PageDetails(card="generativeAiImprovement", value_words="YES/NO")
    box.set_details(email.upper(), chosen)
    assert box.details(email) == chosen
    fixed = f"fixed-{secrets.token_hex(3)}@example.com"
    box.add_account(fixed, PASSWORD, details=chosen)
    try:
        box.set_details_seed(42)
        box.set_details(email, None)
        assert box.details(email) == PageDetails.drawn(email, 42)
        assert box.details(fixed) == chosen  # set explicitly: the seed does not touch it
    finally:
        box.set_details_seed(None)
    assert box.details(email) == PageDetails.drawn(email)
    with pytest.raises(KeyError):
        box.details("nobody@example.com")


def test_admin_api_sets_and_draws_details(box: Sandbox) -> None:
    admin = Client(box.base_url)
    email = f"admin-{secrets.token_hex(3)}@example.com"
    new = {"email": email, "password": PASSWORD, "details": {"value_words": "ENABLED/DISABLED"}}
    status, created = admin.call("POST", "/__sandbox/accounts", new)
    assert status == 201
    expected = replace(PageDetails.drawn(email), value_words="ENABLED/DISABLED")
    assert created["details"] == expected.to_json()
    path = f"/__sandbox/accounts/{email}/details"
    status, shown = admin.call("PUT", path, {"answer_key": "dataForGenAiImprovement"})
    assert status == 200
    assert shown == replace(expected, answer_key="dataForGenAiImprovement").to_json()
    assert admin.call("GET", f"/__sandbox/accounts/{email}")[1]["details"] == shown
    assert admin.call("PUT", path, {"value_words": "maybe"})[0] == 400
    assert admin.call("PUT", "/__sandbox/accounts/nobody@x.y/details", {})[0] == 404
    bad = {"email": "bad@example.com", "password": "pw", "details": {"nope": 1}}
    assert admin.call("POST", "/__sandbox/accounts", bad)[0] == 400

    assert admin.call("PUT", "/__sandbox/details", {"seed": 5}) == (200, {"seed": 5})
    try:
        assert admin.call("GET", "/__sandbox/details")[1] == {"seed": 5}
        assert admin.call("PUT", path, None)[1] == PageDetails.drawn(email, 5).to_json()
        assert admin.call("PUT", "/__sandbox/details", {"seed": "x"})[0] == 400
    finally:
        assert admin.call("PUT", "/__sandbox/details", {"seed": None})[0] == 200
    assert box.details(email) == PageDetails.drawn(email)


def test_a_key_that_says_no_lists_the_switchs_on_by_its_off_word(box: Sandbox) -> None:
    details = PageDetails(answer_key=INVERTED_KEY, value_words="ON/OFF", declares_values=False)
    email, client = new_member(box, details, lang="en")
    status, answer = client.call("GET", CARDS + details.card)
    assert status == 200
    entry = ai_entry(answer, INVERTED_KEY)
    assert [v["value"] for v in entry["settingDisplayValues"] if v["selected"]] == ["OFF"]
    body = {
        "value": "ON", "settingDisplayType": "TOGGLE", "entityUrn": entry["entityUrn"],
        "key": INVERTED_KEY, "hasChild": False,
    }  # fmt: skip
    assert client.put(INVERTED_KEY, body) == (200, {"value": "ON"})
    assert box.setting(email, SETTING) is False
    with pytest.raises(ValueError, match="answer_key"):
        PageDetails(answer_key=INVERTED_KEY, value_words="OPTED_IN/OPTED_OUT")
