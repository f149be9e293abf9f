"""The sandbox serves every data-use setting at its real page, in forms that vary.

Pages and `aria-labelledby` keys are the confirmed ones (linkedin-facts.md). What
no source confirms varies per account on every page, not only the AI one: these
tests read each page over HTTP and in Chromium, and check the server-side truth.
"""

from __future__ import annotations

import random
import re
import secrets
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sandbox_client import SandboxClient, plain_chromium, signed_in_page

from optout.sandbox import PageDetails, PageForm, Sandbox
from optout.sandbox.details import LABEL_IDS, SWITCH_DRAWN, VALUE_WORDS
from optout.sandbox.forms import KEY_FORMS, site_forms
from optout.sandbox.i18n import words
from optout.sandbox.settings_catalog import AI_PAGE, PAGES

ROOT = "/mypreferences/d"
# The facts table (brave/psst-component), plus the newer wording's AI creation tools.
TABLE = {
    "generative-ai-improvement": ("settings/data-for-ai-improvement", "allowDataForGenerativeAI"),
    "ai-creation-tools": ("settings/generative-ai-and-other-models", "allowAiCreationTools"),
    "social-economic-research": (
        "settings/policy-and-academic-research", "allowAnonymizedDataResearch"),
    "linkedin-marketing": (
        "settings/linkedin-promotions", "allowProfileAndActivityDataForMarketingAds"),
    "marketing-emails": ("settings/linkedin-promotions", "tipsForUsingLinkedinViaEmail"),
    "ads-data-sharing-affiliates": (
        "settings/share-data-with-select-partners", "shareDataWithTrustedPartners"),
    "ads-by-age": ("settings/ads-by-age", "allowAdsByAge"),
    "ads-by-gender": ("settings/ads-by-gender", "allowAdsByGender"),
    "ads-outside-linkedin": ("settings/ads-beyond-linkedin", "allowLinkedInAudienceNetwork"),
    "ads-from-business-data": (
        "settings/ads-interactions-with-business", "allowUseOfThirdPartyData"),
    "ads-conversion-tracking": ("settings/ads-related-actions", "allowConversionTrackings"),
    "ads-by-location": ("settings/ads-inferred-location", "allowIpToPersonalizeAds"),
    "ads-by-interests": ("interest-categories", "adsPrivacyAllowInterestsAndBehaviors"),
    "non-essential-cookies": ("member-cookies", "nonEssentialCookieConsent"),
}  # fmt: skip
PROMOTIONS = f"{ROOT}/settings/linkedin-promotions"
INTERESTS = f"{ROOT}/interest-categories"
COOKIES = f"{ROOT}/member-cookies"
COOKIE_SWITCH = "nonEssentialCookieConsent"
CARDS = "/mysettings-api/settingsApiSettingCards/"
PUTS = "/mysettings-api/settingsApiSettings/"
PASSWORD = "all settings pw"
PLAIN = PageDetails(pages_alike=True)  # every page in the plainest form: keys are aria keys


def _page(setting_id: str) -> str:
    return f"{ROOT}/{TABLE[setting_id][0]}"


def _variant(setting_id: str) -> str:
    return "newer-wording" if setting_id == "ai-creation-tools" else "current"


class Client(SandboxClient):
    def __init__(self, base_url: str) -> None:
        super().__init__(base_url, PASSWORD)

    def put(self, key: str, value: str, entry: dict[str, Any] | None = None) -> int:
        body: dict[str, object] = {
            "value": value, "settingDisplayType": "TOGGLE", "key": key, "hasChild": False,
        }  # fmt: skip
        if entry is not None:
            body["entityUrn"] = entry["entityUrn"]
        return int(self.put_body(key, body)[0])

    def answer(self, form: PageForm, path: str) -> dict[str, Any]:
        """The page's card answer: from its request, or from inside the page."""
        if not form.card_request:
            inline: dict[str, Any] = self.config(path)["inlineCard"]
            return inline
        status, answer = self.call("GET", CARDS + form.card)
        assert status == 200, form
        return dict(answer)


@pytest.fixture(scope="module")
def box() -> Iterator[Sandbox]:
    with Sandbox(bot_guard=False) as server:
        yield server


def _member(box: Sandbox, details: PageDetails | None = None, **account: Any) -> tuple[str, Client]:
    email = f"all-{secrets.token_hex(4)}@example.com"
    box.add_account(email, PASSWORD, details=details, **account)
    client = Client(box.base_url)
    client.sign_in(email)
    return email, client


def _form(box: Sandbox, email: str, setting_id: str) -> PageForm:
    form = box.page_form(email, setting_id)
    assert form is not None
    return form


def _details_where(path: str, wanted: Callable[[PageForm], bool]) -> PageDetails:
    """Drawn details whose form of the page at `path` is what the test needs."""
    rng = random.Random(path)
    for _ in range(500):
        details = PageDetails.random(rng)
        form = site_forms(details, "current").for_page(path)
        if form is not None and wanted(form):
            return details
    raise AssertionError(f"no drawn details give {path} the wanted form")


def _entry(answer: dict[str, Any], key: str) -> dict[str, Any]:
    found = [s for s in answer["settings"] if s["key"] == key]
    assert len(found) == 1, (key, answer)
    return dict(found[0])


# --- over HTTP ----------------------------------------------------------------------


@pytest.mark.parametrize("setting_id", TABLE)
def test_every_setting_is_served_at_its_page_with_its_aria_key(
    box: Sandbox, setting_id: str
) -> None:
    email, client = _member(box, PLAIN, variant=_variant(setting_id))
    form = _form(box, email, setting_id)
    page, aria = _page(setting_id), TABLE[setting_id][1]
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
    variant = _variant(setting_id)
    email, client = _member(box, variant=variant)  # forms drawn from the email
    form = _form(box, email, setting_id)
    key = form.key(setting_id)
    entry = _entry(client.answer(form, form.page.path), key)
    before = box.account(email).settings
    assert client.put(key, form.details.off_value.lower() + "?", entry) == 400
    assert client.put(key, form.details.off_value, entry) == 200
    assert box.account(email).settings == {**before, setting_id: False}
    assert client.put(key, form.details.on_value, entry) == 200
    assert box.account(email).settings == before
    stats = box.stats(email)
    assert (stats["writes_off"], stats["writes_on"], stats["other_writes"]) == (1, 1, 0)


def test_the_promotions_page_has_two_switches_that_save_apart(box: Sandbox) -> None:
    orders = set()
    for _ in range(6):
        email, client = _member(box)
        form = _form(box, email, "linkedin-marketing")
        assert form is _form(box, email, "marketing-emails")
        orders.add(form.order)
        config = client.config(PROMOTIONS)
        assert [row["key"] for row in config["rows"]] == [form.key(s) for s in form.order]
        answer = client.answer(form, PROMOTIONS)
        assert [s["key"] for s in answer["settings"]][-2:] == [form.key(s) for s in form.order]
        first, second = form.order
        assert client.put(form.key(first), form.details.off_value) == 200
        assert (box.setting(email, first), box.setting(email, second)) == (False, True)
        assert client.put(form.key(second), form.details.off_value) == 200
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
    email, client = _member(box, PLAIN, settings=settings)
    config = client.config(PROMOTIONS)
    assert config["key"] == ""  # no page-wide notice: each row says it
    assert [(r["offered"], r["notice"]) for r in config["rows"]] == [(True, True), (False, True)]
    answer = client.call("GET", CARDS + _form(box, email, "linkedin-marketing").card)[1]
    assert [s["key"] for s in answer["settings"]] == ["allowProfileAndActivityDataForMarketingAds"]
    assert client.put("tipsForUsingLinkedinViaEmail", "OFF") == 404


def _cookie_form(role: bool, request: bool) -> Callable[[PageForm], bool]:
    return lambda form: (form.role_switch, form.card_request) == (role, request)


def test_the_cookie_page_varies_its_role_and_its_request(box: Sandbox) -> None:
    seen = set()
    for role, request in [(True, True), (True, False), (False, True), (False, False)]:
        details = _details_where(COOKIES, _cookie_form(role, request))
        email, client = _member(box, details)
        form = _form(box, email, "non-essential-cookies")
        config = client.config(COOKIES)
        assert config["roleSwitch"] is role
        assert config["rows"][0]["switchId"] == COOKIE_SWITCH
        assert (config["inlineCard"] is None) is request
        status = client.call("GET", CARDS + form.card)[0]
        assert status == (200 if request else 404)
        key = form.key("non-essential-cookies")
        _entry(client.answer(form, COOKIES), key)
        assert client.put(key, form.details.off_value) == 200
        assert box.setting(email, "non-essential-cookies") is False
        seen.add((role, request))
    assert len(seen) == 4


def test_interest_categories_are_decoys_that_store_nothing_that_matters(box: Sandbox) -> None:
    email, client = _member(box)
    form = _form(box, email, "ads-by-interests")
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
    _, client = _member(box)
    assert client.call("GET", f"{ROOT}/settings/{slug}")[0] == 404


def test_index_pages_link_every_setting_at_its_real_address(box: Sandbox) -> None:
    email, client = _member(box, variant="newer-wording")
    box.set_setting(email, "ads-by-age", False)
    links: dict[str, list[str]] = {}
    for category in ("privacy", "ads"):
        status, page = client.call("GET", f"{ROOT}/categories/{category}")
        assert status == 200
        for href, value in re.findall(
            r'href="([^"]+)">.*?<span class="_rowEnd_c47d02">'
            r'(?:<span class="_rowValue_c47d02">(\w+)</span>)?',
            page,
        ):
            links.setdefault(href, []).append(value)
    for setting_id in TABLE:
        assert _page(setting_id) in links, setting_id
    assert links[_page("ads-by-age")] == ["Off"]
    assert links[PROMOTIONS] == ["On", "On"]
    assert links[_page("generative-ai-improvement")] == ["On"]
    _, plain = _member(box, settings={"ads-by-age": True})
    ads = plain.call("GET", f"{ROOT}/categories/ads")[1]
    assert _page("ads-by-age") in ads
    assert _page("ads-by-gender") not in ads  # not offered: not listed


def test_faults_reach_every_page(box: Sandbox) -> None:
    from optout.sandbox import Faults

    email, client = _member(box, PLAIN, faults=Faults(page_status=503))
    for setting_id in ("ads-by-age", "marketing-emails", "non-essential-cookies"):
        assert client.call("GET", _page(setting_id))[0] == 503
    box.set_faults(email, Faults(api_status=999))
    assert client.call("GET", CARDS + _form(box, email, "ads-by-gender").card)[0] == 999
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
        assert {f.key_form(setting_id) for f in drawn} == set(KEY_FORMS), setting_id
    details = [f.details for f in drawn]
    assert {d.value_words for d in details} == set(VALUE_WORDS)
    assert {d.label_id for d in details} == set(LABEL_IDS)
    assert {d.switch_drawn for d in details} == set(SWITCH_DRAWN)
    for name in ("declares_values", "replaced_on_hydration", "on_first"):
        assert {getattr(d, name) for d in details} == {True, False}, name
    assert {d.extra_cards for d in details} == {0, 1, 2}
    assert {d.answer_extras for d in details} == {0, 1, 2}
    assert {d.draw_delay_s > 0 for d in details} == {True, False}
    if page.kind == "cookies":
        assert {(f.role_switch, f.card_request) for f in drawn} == {
            (a, b) for a in (True, False) for b in (True, False)}  # fmt: skip
    if page.kind == "interests":
        assert {(f.decoys_first, f.decoy_role_switch) for f in drawn} == {
            (a, b) for a in (True, False) for b in (True, False)}  # fmt: skip
    if len(page.settings) > 1 and variant == "current":
        assert {f.order for f in drawn} == {page.settings, page.settings[::-1]}


# --- in Chromium ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from plain_chromium()


def _open(browser: Any, box: Sandbox, client: Client) -> Any:
    return signed_in_page(browser, box.base_url, client)


def _saved(page: Any) -> None:
    """Wait until the last save is answered and the page takes clicks again."""
    from playwright.sync_api import expect

    expect(page.locator(".artdeco-toast-item__message")).to_have_text(words("en").saved)
    page.wait_for_function("() => !document.querySelector('input:disabled')")


@pytest.mark.e2e
@pytest.mark.parametrize("setting_id", TABLE)
def test_browser_each_switch_is_found_by_its_key_and_saves_alone(
    box: Sandbox, browser: Any, setting_id: str
) -> None:
    from playwright.sync_api import expect

    email, client = _member(box, PLAIN, variant=_variant(setting_id))
    page = _open(browser, box, client)
    page.goto(box.base_url + _page(setting_id))
    aria = TABLE[setting_id][1]
    if setting_id == "non-essential-cookies":
        switch = page.locator(f"input#{COOKIE_SWITCH}[type=checkbox]")
    else:
        switch = page.locator(f"input[type=checkbox][role=switch][aria-labelledby='{aria}']")
        expect(page.locator(f"p#{aria}")).to_be_visible()
    expect(switch).to_be_checked()
    before = box.account(email).settings
    switch.click()
    _saved(page)
    expect(switch).not_to_be_checked()
    assert box.account(email).settings == {**before, setting_id: False}
    assert box.stats(email)["writes_on"] == 0
    assert box.page_views(email) == {_page(setting_id): 1}
    page.context.close()


@pytest.mark.e2e
def test_browser_promotions_switches_never_change_each_other(box: Sandbox, browser: Any) -> None:
    from playwright.sync_api import expect

    details = _details_where(PROMOTIONS, lambda f: f.order[0] == "marketing-emails" and (
        f.details.label_id, f.details.switch_drawn, f.details.replaced_on_hydration
    ) == ("generated", "before_answer", True))  # fmt: skip
    email, client = _member(box, details)
    page = _open(browser, box, client)
    page.goto(box.base_url + PROMOTIONS)
    labels = page.locator("p._settingLabel_a81f2c")
    expect(labels).to_have_count(2)
    page.wait_for_timeout(700)  # past the replacement of the switches drawn early
    texts = labels.all_inner_texts()
    assert texts == [
        "Send me tips for using LinkedIn by email",
        "Use my profile and activity data to market LinkedIn to me",
    ]
    switches = [
        page.locator(f"input[role=switch][aria-labelledby='{labels.nth(i).get_attribute('id')}']")
        for i in range(2)
    ]
    for switch in switches:
        expect(switch).to_be_checked()
    switches[0].click()
    _saved(page)
    expect(switches[1]).to_be_checked()
    assert box.setting(email, "marketing-emails") is False
    assert box.setting(email, "linkedin-marketing") is True
    switches[1].click()
    _saved(page)
    assert box.setting(email, "linkedin-marketing") is False
    assert box.stats(email)["writes_off"] == 2
    assert box.page_views(email) == {PROMOTIONS: 1}
    page.context.close()


@pytest.mark.e2e
def test_browser_promotions_row_says_a_setting_is_not_available(box: Sandbox, browser: Any) -> None:
    from playwright.sync_api import expect

    _, client = _member(box, PLAIN, settings={"linkedin-marketing": True})
    page = _open(browser, box, client)
    page.goto(box.base_url + PROMOTIONS)
    row = page.locator("._settingRow_a81f2c", has=page.locator("#tipsForUsingLinkedinViaEmail"))
    expect(row.get_by_text(words("en").unavailable)).to_be_visible()
    assert page.locator("input[role=switch]").count() == 1
    page.context.close()


@pytest.mark.e2e
def test_browser_interest_checkboxes_are_not_the_switch(box: Sandbox, browser: Any) -> None:
    from playwright.sync_api import expect

    details = _details_where(INTERESTS, lambda f: f.decoys_first and f.decoy_role_switch and (
        f.details.label_id == "key"))  # fmt: skip
    email, client = _member(box, details)
    form = _form(box, email, "ads-by-interests")
    page = _open(browser, box, client)
    page.goto(box.base_url + INTERESTS)
    master = page.locator(
        "input[role=switch][aria-labelledby='adsPrivacyAllowInterestsAndBehaviors']"
    )
    expect(master).to_be_checked()
    boxes = page.locator("input[type=checkbox]")
    assert boxes.count() == 1 + len(form.decoys)
    first = boxes.first  # the decoys come first on this form
    assert first.get_attribute("aria-labelledby") == form.decoys[0]
    before = box.account(email).settings
    for i in range(len(form.decoys)):
        boxes.nth(i).click()
        _saved(page)
    expect(master).to_be_checked()
    assert box.account(email).settings == before
    assert box.stats(email)["other_writes"] == len(form.decoys)
    master.click()
    _saved(page)
    assert box.setting(email, "ads-by-interests") is False
    page.context.close()


@pytest.mark.e2e
def test_browser_cookie_switch_without_role_or_request(box: Sandbox, browser: Any) -> None:
    from playwright.sync_api import expect

    details = _details_where(COOKIES, lambda f: not f.role_switch and not f.card_request)
    email, client = _member(box, details)
    form = _form(box, email, "non-essential-cookies")
    page = _open(browser, box, client)
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url) if CARDS in r.url else None)
    page.goto(box.base_url + COOKIES)
    switch = page.locator(f"#{COOKIE_SWITCH}")
    expect(switch).to_be_checked()
    assert switch.get_attribute("role") is None
    assert page.locator("[role=switch]").count() == 0
    assert not any(url.endswith(CARDS + form.card) for url in asked)
    switch.click()
    _saved(page)
    assert box.setting(email, "non-essential-cookies") is False
    page.context.close()
