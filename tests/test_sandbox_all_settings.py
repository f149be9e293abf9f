"""The sandbox serves every data-use setting at its real page, in forms that vary.

Pages and `aria-labelledby` keys are the confirmed ones (linkedin-facts.md). What
no source confirms varies per account on every page, not only the AI one: these
tests read each page over HTTP and check the server-side truth
(test_sandbox_all_settings_browser.py does the same in Chromium).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from all_settings_kit import (
    CARDS,
    COOKIE_SWITCH,
    COOKIES,
    INTERESTS,
    PLAIN,
    PROMOTIONS,
    ROOT,
    TABLE,
    details_where,
    form_of,
    member,
    page_of,
    variant_of,
)

from optout.sandbox import PageDetails, PageForm, Sandbox
from optout.sandbox.details import (
    ANSWER_NAMES,
    LABEL_IDS,
    SHOWN_WORDS,
    SWITCH_DRAWN,
    UNLISTED_WORDS,
    VALUE_WORDS,
)
from optout.sandbox.forms import KEY_FORMS, site_forms
from optout.sandbox.i18n import words
from optout.sandbox.settings_catalog import AI_PAGE, AI_SETTING, MOVED_NEWER_PAGE, NEWER_PAGE, PAGES


def _entry(answer: dict[str, Any], key: str) -> dict[str, Any]:
    found = [s for s in answer["settings"] if s["key"] == key]
    assert len(found) == 1, (key, answer)
    return dict(found[0])


@pytest.mark.parametrize("setting_id", TABLE)
def test_every_setting_is_served_at_its_page_with_its_aria_key(
    box: Sandbox, setting_id: str
) -> None:
    email, client = member(box, PLAIN, variant=variant_of(setting_id))
    form = form_of(box, email, setting_id)
    page, aria = page_of(setting_id), TABLE[setting_id][1]
    assert form.page.path == page
    rows = {row["key"]: row for row in client.config(page)["rows"]}
    row = rows[aria]  # in the plain form the answer's key is the aria key
    if setting_id == "non-essential-cookies":
        assert row["switchId"] == COOKIE_SWITCH
        assert row["labelId"] != COOKIE_SWITCH
    else:
        assert row["labelId"] == aria
    entry = _entry(client.answer(form, page), aria)
    assert [v["value"] for v in entry["settingDisplayValues"] if v["selected"]] == ["ON"]
    assert box.page_views(email) == {page: 1}


@pytest.mark.parametrize("setting_id", TABLE)
def test_a_put_changes_that_setting_and_no_other(box: Sandbox, setting_id: str) -> None:
    variant = variant_of(setting_id)
    email, client = member(box, variant=variant)  # forms drawn from the email
    form = form_of(box, email, setting_id)
    key = form.key(setting_id)
    entry = _entry(client.answer(form, form.page.path), key)
    before = box.account(email).settings
    on, off = form.details.words_of(key)  # swapped under a key that says no
    assert client.put(key, off.lower() + "?", entry) == 400
    assert client.put(key, off, entry) == 200
    assert box.account(email).settings == {**before, setting_id: False}
    assert client.put(key, on, entry) == 200
    assert box.account(email).settings == before
    stats = box.stats(email)
    assert (stats["writes_off"], stats["writes_on"], stats["other_writes"]) == (1, 1, 0)


def test_the_promotions_page_has_two_switches_that_save_apart(box: Sandbox) -> None:
    orders = set()
    for _ in range(6):
        email, client = member(box)
        form = form_of(box, email, "linkedin-marketing")
        assert form is form_of(box, email, "marketing-emails")
        orders.add(form.order)
        config = client.config(PROMOTIONS)
        assert [row["key"] for row in config["rows"]] == [form.key(s) for s in form.order]
        answer = client.answer(form, PROMOTIONS)
        assert [s["key"] for s in answer["settings"]][-2:] == [form.key(s) for s in form.order]
        first, second = form.order
        assert client.put(form.key(first), form.details.word(False, form.key(first))) == 200
        assert (box.setting(email, first), box.setting(email, second)) == (False, True)
        assert client.put(form.key(second), form.details.word(False, form.key(second))) == 200
        assert box.setting(email, second) is False
        assert box.page_views(email, reset=True) == {PROMOTIONS: 1}
        assert box.page_views(email) == {}
        assert box.stats(email)["settings_page_views"] == 1
    # Both orders turn up, among these accounts or among further drawn details.
    drawn = {site_forms(PageDetails.random(random.Random(i)), "current").for_page(PROMOTIONS)
             for i in range(40)}  # fmt: skip
    assert orders | {f.order for f in drawn if f} == {
        ("linkedin-marketing", "marketing-emails"),
        ("marketing-emails", "linkedin-marketing"),
    }


def test_a_promotions_setting_the_member_lacks_is_said_in_its_row(box: Sandbox) -> None:
    settings = {"linkedin-marketing": True}
    email, client = member(box, PLAIN, settings=settings)
    config = client.config(PROMOTIONS)
    assert config["key"] == ""  # no page-wide notice: each row says it
    notice = words("en").unavailable  # in the pack's words: only the AI page varies them
    assert [(r["offered"], r["notice"]) for r in config["rows"]] == [
        (True, notice),
        (False, notice),
    ]
    answer = client.call("GET", CARDS + form_of(box, email, "linkedin-marketing").card)[1]
    assert [s["key"] for s in answer["settings"]] == ["allowProfileAndActivityDataForMarketingAds"]
    assert client.put("tipsForUsingLinkedinViaEmail", "OFF") == 404


def _cookie_form(role: bool, request: bool) -> Callable[[PageForm], bool]:
    return lambda form: (form.role_switch, form.card_request) == (role, request)


def test_the_cookie_page_varies_its_role_and_its_request(box: Sandbox) -> None:
    seen = set()
    for role, request in [(True, True), (True, False), (False, True), (False, False)]:
        details = details_where(COOKIES, _cookie_form(role, request))
        email, client = member(box, details)
        form = form_of(box, email, "non-essential-cookies")
        config = client.config(COOKIES)
        assert config["roleSwitch"] is role
        assert config["rows"][0]["switchId"] == COOKIE_SWITCH
        assert (config["inlineCard"] is None) is request
        status = client.call("GET", CARDS + form.card)[0]
        assert status == (200 if request else 404)
        key = form.key("non-essential-cookies")
        _entry(client.answer(form, COOKIES), key)
        assert client.put(key, form.details.word(False, key)) == 200
        assert box.setting(email, "non-essential-cookies") is False
        seen.add((role, request))
    assert len(seen) == 4


def test_interest_categories_are_decoys_that_store_nothing_that_matters(box: Sandbox) -> None:
    email, client = member(box)
    form = form_of(box, email, "ads-by-interests")
    config = client.config(INTERESTS)
    master = form.key("ads-by-interests")
    assert [row["key"] for row in config["rows"]] == [master]
    decoys = config["decoys"]
    assert len(decoys) == len(form.decoys) >= 3
    assert all(d["setting"]["key"] != master for d in decoys)
    assert master not in [s["key"] for s in client.answer(form, INTERESTS)["settings"][:-1]]
    before = box.account(email).settings
    for decoy in decoys:
        assert client.put(decoy["setting"]["key"], form.details.off_value, decoy["setting"]) == 200
    assert box.account(email).settings == before
    stats = box.stats(email)
    assert (stats["writes_off"], stats["writes_on"]) == (0, 0)
    assert stats["other_writes"] == len(decoys)


@pytest.mark.parametrize(
    "slug",
    [
        "social-economic-workplace-research",
        "data-sharing-with-affiliates-and-partners",
        "ads-outside-of-linkedin",
        "data-for-generative-ai-improvement",
    ],
)
def test_guessed_addresses_are_not_found(box: Sandbox, slug: str) -> None:
    _, client = member(box)
    assert client.call("GET", f"{ROOT}/settings/{slug}")[0] == 404


def test_index_pages_link_every_setting_at_its_real_address(box: Sandbox) -> None:
    # The newer wording's page where the AI setting's address redirects (the index
    # as it is for every other account): test_newer_page_is_linked_by_its_name.
    details = PageDetails.drawn("index-links", 7)
    details = replace(details, newer_address="redirect")
    email, client = member(box, details, variant="newer-wording")
    box.set_setting(email, "ads-by-age", False)
    links: dict[str, list[str]] = {}
    for category in ("privacy", "ads"):
        status, page = client.call("GET", f"{ROOT}/categories/{category}")
        assert status == 200
        # The value as served, or as its script will draw it (`index_values`).
        for href, later, value in re.findall(
            r'href="([^"]+)">.*?<span class="_rowEnd_c47d02">'
            r'(?:<span class="_rowValue_c47d02"(?: data-value="(\w+)")?>(\w*)</span>)?',
            page,
        ):
            links.setdefault(href, []).append(later or value)
    for setting_id in TABLE:
        assert page_of(setting_id) in links, setting_id
    assert links[page_of("ads-by-age")] == ["Off"]
    assert links[PROMOTIONS] == ["On", "On"]
    assert links[page_of("generative-ai-improvement")] == ["On"]
    _, plain = member(box, settings={"ads-by-age": True})
    ads = plain.call("GET", f"{ROOT}/categories/ads")[1]
    assert page_of("ads-by-age") in ads
    assert page_of("ads-by-gender") not in ads  # not offered: not listed


def test_faults_reach_every_page(box: Sandbox) -> None:
    from optout.sandbox import Faults

    email, client = member(box, PLAIN, faults=Faults(page_status=503))
    for setting_id in ("ads-by-age", "marketing-emails", "non-essential-cookies"):
        assert client.call("GET", page_of(setting_id))[0] == 503
    box.set_faults(email, Faults(api_status=999))
    assert client.call("GET", CARDS + form_of(box, email, "ads-by-gender").card)[0] == 999
    box.set_faults(email, Faults(save_lost=True))
    assert client.put("allowAdsByGender", "OFF") == 200
    assert box.setting(email, "ads-by-gender") is True
    assert box.stats(email)["writes_off"] == 1


@pytest.mark.parametrize("path", [p.path for p in PAGES if p.path != AI_PAGE])
def test_every_form_turns_up_on_every_other_page(path: str) -> None:
    variant = "newer-wording" if path.endswith("generative-ai-and-other-models") else "current"
    forms = [site_forms(PageDetails.drawn(f"m{i}@example.com"), variant).for_page(path)
             for i in range(400)]  # fmt: skip
    drawn = [f for f in forms if f is not None]
    assert len(drawn) == 400
    page = drawn[0].page
    assert {f.card for f in drawn} == set(page.cards)
    for setting_id in page.settings:
        # The AI setting's key may also be one of the details' own (INVERTED_KEY).
        own = {"own"} if setting_id == AI_SETTING else set()
        assert set(KEY_FORMS) <= {f.key_form(setting_id) for f in drawn} <= set(KEY_FORMS) | own
    details = [f.details for f in drawn]
    assert {d.value_words for d in details} == set(VALUE_WORDS + UNLISTED_WORDS)
    assert {d.shown_words for d in details} == set(SHOWN_WORDS)
    assert {d.label_id for d in details} == set(LABEL_IDS)
    assert {d.switch_drawn for d in details} == set(SWITCH_DRAWN)
    for name in ("declares_values", "replaced_on_hydration", "on_first"):
        assert {getattr(d, name) for d in details} == {True, False}, name
    assert {d.extra_cards for d in details} == {0, 1, 2}
    assert {d.answer_extras for d in details} == {0, 1, 2}
    assert {d.draw_delay_s > 0 for d in details} == {True, False}
    assert {d.answer_names for d in details} == set(ANSWER_NAMES)
    if page.kind == "cookies":
        assert {(f.role_switch, f.card_request) for f in drawn} == {
            (a, b) for a in (True, False) for b in (True, False)}  # fmt: skip
    if page.kind == "interests":
        assert {(f.decoys_first, f.decoy_role_switch) for f in drawn} == {
            (a, b) for a in (True, False) for b in (True, False)}  # fmt: skip
    if len(page.settings) > 1 and variant == "current":
        assert {f.order for f in drawn} == {page.settings, page.settings[::-1]}


@pytest.mark.parametrize(
    ("address", "page", "truths"),
    [
        ("gone", NEWER_PAGE, {"generative-ai-improvement": True, "ai-creation-tools": True}),
        ("moved", MOVED_NEWER_PAGE, {"generative-ai-improvement": False}),
        ("moved", MOVED_NEWER_PAGE, {"ai-creation-tools": True}),  # the AI setting lacking
    ],
)
def test_newer_page_is_linked_by_its_name(
    box: Sandbox, address: str, page: str, truths: dict[str, bool]
) -> None:
    # Where the AI setting's address does not lead to the newer wording's page (404, or
    # a redirect to an address the pack does not know), the index links to it by name,
    # for a member who has either setting on it.
    details = PageDetails(newer_address=address)
    _, client = member(box, details, variant="newer-wording", settings=truths)
    index = client.call("GET", f"{ROOT}/categories/privacy")[1]
    links = dict(re.findall(r'href="([^"]+)"><span class="_rowLabel_c47d02">([^<]+)<', index))
    assert links.get(page) == "Generative AI and other models"
    assert AI_PAGE not in links
    assert "AI creation tools" not in index  # on the newer page, not a row of its own
    status, shown = client.call("GET", AI_PAGE)  # redirects followed
    if address == "gone":
        assert status == 404
        assert client.call("GET", NEWER_PAGE)[0] == 200
    else:
        assert status == 200
        assert "setting-config" in shown
        assert client.call("GET", NEWER_PAGE)[0] == 404
