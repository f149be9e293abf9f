"""The member settings the imitated Settings & Privacy area serves, and their pages.

Pages and `aria-labelledby` keys are the confirmed ones (linkedin-facts.md, from
brave/psst-component). What no public source shows (the card a page requests,
the setting's key in the answer, the value words) is not fixed here: each page
lists the names its card may have, each setting its aria key and one other name
its answer may use, and forms.py picks per account.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from optout.sandbox.details import AI_ARIA_KEY, CARD_NAMES
from optout.sandbox.i18n import words

SETTINGS_ROOT = "/mypreferences/d"
AI_SETTING = "generative-ai-improvement"
CREATION_TOOLS = "ai-creation-tools"


def _under_settings(slug: str) -> str:
    return f"{SETTINGS_ROOT}/settings/{slug}"


AI_PAGE = _under_settings("data-for-ai-improvement")
# The reported newer wording puts both AI settings on one page, with Yes/No.
NEWER_PAGE = _under_settings("generative-ai-and-other-models")
NEWER_PAGE_TITLE = words("en").newer_title  # its heading, as its index row names it
# Its address is unconfirmed: an account's details may serve it here, an address the
# selector pack does not know (PageDetails.newer_address).
MOVED_NEWER_PAGE = _under_settings("generative-ai-models")
PROMOTIONS_PAGE = _under_settings("linkedin-promotions")
INTERESTS_PAGE = f"{SETTINGS_ROOT}/interest-categories"
COOKIES_PAGE = f"{SETTINGS_ROOT}/member-cookies"
COOKIE_SWITCH_ID = "nonEssentialCookieConsent"


@dataclass(frozen=True)
class SettingSpec:
    """One member setting: the id optout uses, and the names LinkedIn gives it."""

    setting_id: str  # optout's id, e.g. "generative-ai-improvement"
    aria_key: str  # the id of its switch's label element (the cookie switch's own id)
    other_key: str  # a name its card answer may use instead of the aria key
    page: str  # path of the page that shows its switch
    title: str  # page heading and index row label
    description: str  # the question under the heading
    label: str  # the text next to the switch
    learn_more: str  # help article path
    default: bool = True  # what LinkedIn sets for a new member

    @property
    def label_key(self) -> str:
        """The label element's id when it is a key: the aria key, unless the switch has it."""
        return self.aria_key + "Label" if self.aria_key == COOKIE_SWITCH_ID else self.aria_key

    @property
    def key_forms(self) -> dict[str, str]:
        """The keys its card answer and PUT path may use: the aria key, a case variant of
        it (what a pack matching case-insensitively must still find), another name."""
        return {"aria": self.aria_key, "case": case_variant(self.aria_key), "other": self.other_key}


def case_variant(key: str) -> str:
    """The key as another casing convention writes it: an acronym run title-cased
    (allowDataForGenerativeAI -> allowDataForGenerativeAi), else a capital first letter."""
    run = re.search(r"[A-Z]{2,}", key)
    if run is not None:
        word = run.group(0)
        return key[: run.start()] + word[0] + word[1:].lower() + key[run.end() :]
    return key[:1].upper() + key[1:]


_ADS_HELP = "/help/linkedin/answer/a421454"

SETTINGS: tuple[SettingSpec, ...] = (
    SettingSpec(
        AI_SETTING, AI_ARIA_KEY, "dataForGenAiImprovement", AI_PAGE,
        "Data for Generative AI Improvement",
        "Can LinkedIn and its affiliates use your personal data and content you create on "
        "LinkedIn to train generative AI models that create content?",
        "Use my data for training content creation AI models", "/help/linkedin/answer/a5538339",
    ),
    SettingSpec(
        CREATION_TOOLS, "allowAiCreationTools", "aiCreationToolsForProfile", NEWER_PAGE,
        "AI creation tools",
        "Can LinkedIn use your data to power AI creation tools for your profile and messages?",
        "AI creation tools for your profile and messages", "/help/linkedin/answer/a5538339",
    ),
    SettingSpec(
        "social-economic-research", "allowAnonymizedDataResearch",
        "socialEconomicWorkplaceResearch", _under_settings("policy-and-academic-research"),
        "Social, economic, and workplace research",
        "Can LinkedIn use your data for research with trusted partners on social, economic "
        "and workplace trends?",
        "Use my data for social, economic, and workplace research",
        "/help/linkedin/answer/a1342443",
    ),
    SettingSpec(
        "linkedin-marketing", "allowProfileAndActivityDataForMarketingAds",
        "linkedinPromotionsWithYourData", PROMOTIONS_PAGE, "LinkedIn promotions",
        "Can LinkedIn use your profile and activity data to promote its own products and "
        "services to you, on and off LinkedIn?",
        "Use my profile and activity data to market LinkedIn to me",
        "/help/linkedin/answer/a1342446",
    ),
    SettingSpec(
        "marketing-emails", "tipsForUsingLinkedinViaEmail", "marketingEmails", PROMOTIONS_PAGE,
        "Marketing emails", "Can LinkedIn email you tips and offers for using LinkedIn?",
        "Send me tips for using LinkedIn by email",
        "/help/linkedin/answer/a1342446",
    ),
    SettingSpec(
        "ads-data-sharing-affiliates", "shareDataWithTrustedPartners",
        "allowDataSharingWithAffiliates", _under_settings("share-data-with-select-partners"),
        "Share data with affiliates and partners",
        "Can LinkedIn share your data with its affiliates, such as Microsoft, and with "
        "partners, to show you more relevant ads on their sites and services?",
        "Share my data with affiliates and partners for ads", "/help/linkedin/answer/a1370702",
    ),
    SettingSpec(
        "ads-by-age", "allowAdsByAge", "ageRangeForAds", _under_settings("ads-by-age"),
        "Age range", "Can LinkedIn use your age range to show you more relevant ads?",
        "Use my age range to personalize ads", _ADS_HELP,
    ),
    SettingSpec(
        "ads-by-gender", "allowAdsByGender", "inferredGenderForAds",
        _under_settings("ads-by-gender"), "Gender",
        "Can LinkedIn use your inferred gender to show you more relevant ads?",
        "Use my inferred gender to personalize ads", _ADS_HELP,
    ),
    SettingSpec(
        "ads-outside-linkedin", "allowLinkedInAudienceNetwork", "adsBeyondLinkedIn",
        _under_settings("ads-beyond-linkedin"), "Ads outside of LinkedIn",
        "Can LinkedIn use your data to show you ads on other sites and apps through the "
        "LinkedIn Audience Network?",
        "Show me ads outside of LinkedIn based on my LinkedIn data",
        "/help/linkedin/answer/a417056",
    ),
    SettingSpec(
        "ads-from-business-data", "allowUseOfThirdPartyData", "interactionsWithBusinesses",
        _under_settings("ads-interactions-with-business"), "Interactions with businesses",
        "Can LinkedIn use data that businesses share about you to show you more relevant ads?",
        "Use data from businesses I interact with to personalize ads", _ADS_HELP,
    ),
    SettingSpec(
        "ads-conversion-tracking", "allowConversionTrackings", "adRelatedActions",
        _under_settings("ads-related-actions"), "Measure ad success",
        "Can LinkedIn use the actions you take after seeing an ad to measure how ads perform?",
        "Use my ad-related actions to measure ad success", _ADS_HELP,
    ),
    SettingSpec(
        "ads-by-location", "allowIpToPersonalizeAds", "inferredCityLocation",
        _under_settings("ads-inferred-location"), "Inferred city location",
        "Can LinkedIn use the city it infers from your IP address to show you more relevant ads?",
        "Use my inferred city location to personalize ads", _ADS_HELP,
    ),
    SettingSpec(
        "ads-by-interests", "adsPrivacyAllowInterestsAndBehaviors", "interestsAndTraits",
        INTERESTS_PAGE, "Interests and traits",
        "Can LinkedIn use the interests and traits it infers from your activity for ads?",
        "Use my inferred interests and traits to personalize ads", _ADS_HELP,
    ),
    SettingSpec(
        "non-essential-cookies", COOKIE_SWITCH_ID, "allowNonEssentialCookies", COOKIES_PAGE,
        "Cookie preferences",
        "LinkedIn and its partners use non-essential cookies for advertising and analytics.",
        "Accept non-essential cookies", "/legal/cookie-policy",
    ),
)  # fmt: skip


@dataclass(frozen=True)
class PageSpec:
    """One setting page: its path, the names its card may have, the settings it shows."""

    path: str
    cards: tuple[str, ...]  # GET /mysettings-api/settingsApiSettingCards/<card>
    settings: tuple[str, ...]  # setting ids, in the order the page usually draws them
    category: str  # the index page its back link leads to
    kind: str = "switches"  # or "cookies" (input#nonEssentialCookieConsent), "interests"
    title: str | None = None  # the first setting's title unless set
    description: str | None = None

    @property
    def heading(self) -> str:
        return self.title or _BY_ID[self.settings[0]].title

    @property
    def about(self) -> str:
        return self.description or _BY_ID[self.settings[0]].description

    @property
    def learn_more(self) -> str:
        return _BY_ID[self.settings[0]].learn_more


def _page(path: str, category: str, settings: str, *cards: str, **more: str) -> PageSpec:
    return PageSpec(path, cards, tuple(settings.split()), category, **more)


PAGES: tuple[PageSpec, ...] = (
    _page(AI_PAGE, "privacy", AI_SETTING, *CARD_NAMES),
    _page(NEWER_PAGE, "privacy", f"{AI_SETTING} {CREATION_TOOLS}", "generativeAiAndOtherModels",
          "generativeAiModels", "aiCreationTools", "allowAiCreationTools",
          title=NEWER_PAGE_TITLE,
          description="Choose how LinkedIn uses your data for AI."),
    _page(_under_settings("policy-and-academic-research"), "privacy", "social-economic-research",
          "policyAndAcademicResearch", "socialEconomicWorkplaceResearch",
          "anonymizedDataResearch", "allowAnonymizedDataResearch"),
    _page(PROMOTIONS_PAGE, "ads", "linkedin-marketing marketing-emails", "linkedinPromotions",
          "linkedInPromotions", "marketingPreferences",
          "allowProfileAndActivityDataForMarketingAds",
          description="Choose how LinkedIn uses your data to market its own products to you."),
    _page(_under_settings("share-data-with-select-partners"), "ads", "ads-data-sharing-affiliates",
          "shareDataWithSelectPartners", "dataSharingWithAffiliatesAndPartners",
          "trustedPartners", "shareDataWithTrustedPartners"),
    _page(_under_settings("ads-by-age"), "ads", "ads-by-age",
          "adsByAge", "ageRange", "adsAgeRange", "allowAdsByAge"),
    _page(_under_settings("ads-by-gender"), "ads", "ads-by-gender",
          "adsByGender", "inferredGender", "adsGender", "allowAdsByGender"),
    _page(_under_settings("ads-beyond-linkedin"), "ads", "ads-outside-linkedin",
          "adsBeyondLinkedin", "adsOutsideOfLinkedIn", "linkedInAudienceNetwork",
          "allowLinkedInAudienceNetwork"),
    _page(_under_settings("ads-interactions-with-business"), "ads", "ads-from-business-data",
          "adsInteractionsWithBusiness", "interactionsWithBusiness", "thirdPartyData",
          "allowUseOfThirdPartyData"),
    _page(_under_settings("ads-related-actions"), "ads", "ads-conversion-tracking",
          "adsRelatedActions", "measureAdSuccess", "conversionTracking",
          "allowConversionTrackings"),
    _page(_under_settings("ads-inferred-location"), "ads", "ads-by-location",
          "adsInferredLocation", "inferredCity", "ipLocation", "allowIpToPersonalizeAds"),
    _page(INTERESTS_PAGE, "ads", "ads-by-interests", "interestCategories", "interestsAndTraits",
          "adsPrivacyInterests", "adsPrivacyAllowInterestsAndBehaviors", kind="interests"),
    _page(COOKIES_PAGE, "privacy", "non-essential-cookies", "memberCookies",
          "cookiePreferences", "cookieConsent", COOKIE_SWITCH_ID, kind="cookies"),
)  # fmt: skip

# The newer wording's labels, by language (reported in English only: the others are
# guesses, which the pack lists too).
NEWER_LABELS = {
    "en": {
        AI_SETTING: "Use your data to train and develop AI models",
        CREATION_TOOLS: "AI creation tools for your profile and messages",
    },
    "fr": {
        AI_SETTING: "Utiliser vos données pour entraîner et développer des modèles d\u2019IA",
        CREATION_TOOLS: "Outils de création IA pour votre profil et vos messages",
    },
    "de": {
        AI_SETTING: "Ihre Daten zum Trainieren und Entwickeln von KI-Modellen verwenden",
        CREATION_TOOLS: "KI-Tools zur Inhaltserstellung für Ihr Profil und Ihre Nachrichten",
    },
    "es": {
        AI_SETTING: "Usar tus datos para entrenar y desarrollar modelos de IA",
        CREATION_TOOLS: "Herramientas de creación con IA para tu perfil y tus mensajes",
    },
}

# Page-local switches of the multi-switch page, by API key: (label, LinkedIn default).
OTHER_SWITCH_LABELS = {
    "allowProfilePhotoInAiSearch": "Show my profile photo in AI-powered search results",
    "allowSponsoredContentPersonalization": "Use my data for personalized sponsored content",
}
OTHER_SWITCHES = {
    "allowProfilePhotoInAiSearch": True,
    "allowSponsoredContentPersonalization": False,
}


def switches_beside_ai(variant: str) -> tuple[str, ...]:
    """The keys of the page-local switches the AI page shows on a variant, in order."""
    keys = tuple(OTHER_SWITCH_LABELS)
    return {"multi-switch": keys, "neighbour": keys[:1]}.get(variant, ())


# The interests LinkedIn inferred, listed as checkboxes under the interests switch:
# page-local choices, never settings optout acts on.
INTEREST_CATEGORIES = {
    "interestSoftwareDevelopment": "Software development",
    "interestCloudComputing": "Cloud computing",
    "interestProjectManagement": "Project management",
    "interestMarketing": "Marketing and advertising",
    "interestPersonalFinance": "Personal finance",
    "interestTravel": "Travel",
    "interestRemoteWork": "Remote work",
}

_BY_ID = {spec.setting_id: spec for spec in SETTINGS}
_PAGE_BY_PATH = {page.path: page for page in PAGES}


def default_settings(variant: str = "current") -> dict[str, bool]:
    """A new member's settings on a page variant, at LinkedIn's defaults; only the
    newer wording offers the AI creation tools."""
    return {
        spec.setting_id: spec.default
        for spec in SETTINGS
        if spec.setting_id != CREATION_TOOLS or variant == "newer-wording"
    }


def setting_by_id(setting_id: str) -> SettingSpec | None:
    return _BY_ID.get(setting_id)


def page_by_path(path: str) -> PageSpec | None:
    return _PAGE_BY_PATH.get(path.rstrip("/") or "/")
