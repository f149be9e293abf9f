"""What the all-settings sandbox tests share: every setting's page and key, a member
signed in over HTTP, and drawn page details of a wanted form."""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from sandbox_client import SandboxClient

from optout.sandbox import PageDetails, PageForm, Sandbox
from optout.sandbox.forms import site_forms

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
PASSWORD = "all settings pw"
PLAIN = PageDetails(pages_alike=True)  # every page in the plainest form: keys are aria keys


def page_of(setting_id: str) -> str:
    return f"{ROOT}/{TABLE[setting_id][0]}"


def variant_of(setting_id: str) -> str:
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


def member(box: Sandbox, details: PageDetails | None = None, **account: Any) -> tuple[str, Client]:
    email = f"all-{secrets.token_hex(4)}@example.com"
    box.add_account(email, PASSWORD, details=details, **account)
    client = Client(box.base_url)
    client.sign_in(email)
    return email, client


def form_of(box: Sandbox, email: str, setting_id: str) -> PageForm:
    form = box.page_form(email, setting_id)
    assert form is not None
    return form


def details_where(path: str, wanted: Callable[[PageForm], bool]) -> PageDetails:
    """Drawn details whose form of the page at `path` is what the test needs, on a page
    that takes clicks as soon as it draws its switches (the tests click at once)."""
    rng = random.Random(path)
    # Rare forms (a late request on a page with a known key, say) take hundreds of draws;
    # each new detail drawn changes which ones.
    for _ in range(5000):
        details = replace(PageDetails.random(rng), listens_after_s=0.0)
        form = site_forms(details, "current").for_page(path)
        # The page's own drawn details must take clicks at once too.
        if form is not None and form.details.listens_after_s == 0 and wanted(form):
            return details
    raise AssertionError(f"no drawn details give {path} the wanted form")
