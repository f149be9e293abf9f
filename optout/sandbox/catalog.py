"""What the imitated Settings & Privacy area contains: its settings and its index pages.

Everything the sandbox knows about one setting lives in one row of `SETTINGS`, so
adding a setting is adding a row: its page, card and key all follow from it.
"""

from __future__ import annotations

from dataclasses import dataclass

SETTINGS_ROOT = "/mypreferences/d"


@dataclass(frozen=True)
class SettingSpec:
    """One member setting: the id optout uses, and the names LinkedIn gives it."""

    setting_id: str  # optout's id, e.g. "generative-ai-improvement"
    card: str  # GET /mysettings-api/settingsApiSettingCards/<card>
    key: str  # PUT /mysettings-api/settingsApiSettings/<key>
    slug: str  # page at /mypreferences/d/settings/<slug>
    category: str  # the index page that links to it
    title: str  # page heading and index row label
    description: str  # the question under the heading
    label: str  # the text next to the switch
    learn_more: str  # help article path
    default: bool  # what LinkedIn sets for a new member

    @property
    def page_path(self) -> str:
        return f"{SETTINGS_ROOT}/settings/{self.slug}"


SETTINGS: tuple[SettingSpec, ...] = (
    SettingSpec(
        setting_id="generative-ai-improvement",
        card="dataForGenerativeAiImprovement",
        key="allowDataForGenerativeAi",
        slug="data-for-ai-improvement",
        category="privacy",
        title="Data for Generative AI Improvement",
        description=(
            "Can LinkedIn and its affiliates use your personal data and content you create "
            "on LinkedIn to train generative AI models that create content?"
        ),
        label="Use my data for training content creation AI models",
        learn_more="/help/linkedin/answer/a5538339",
        default=True,
    ),
    SettingSpec(
        setting_id="ai-creation-tools",
        card="generativeAiAndOtherModels",
        key="allowAiCreationTools",
        slug="generative-ai-and-other-models",
        category="privacy",
        title="Generative AI and other models",
        description="Choose how LinkedIn uses your data for AI.",
        label="AI creation tools for your profile and messages",
        learn_more="/help/linkedin/answer/a5538339",
        default=True,
    ),
    SettingSpec(
        setting_id="social-economic-research",
        card="socialEconomicWorkplaceResearch",
        key="allowAnonymizedDataResearch",
        slug="social-economic-workplace-research",
        category="privacy",
        title="Social, economic, and workplace research",
        description=(
            "Can LinkedIn use your data for research with trusted partners on social, "
            "economic and workplace trends?"
        ),
        label="Use my data for social, economic, and workplace research",
        learn_more="/help/linkedin/answer/a1342443",
        default=True,
    ),
    SettingSpec(
        setting_id="ads-data-sharing-affiliates",
        card="shareDataWithAffiliatesAndPartners",
        key="allowDataSharingWithAffiliates",
        slug="data-sharing-with-affiliates-and-partners",
        category="ads",
        title="Share data with affiliates and partners",
        description=(
            "Can LinkedIn share your data with its affiliates, such as Microsoft, and with "
            "partners, to show you more relevant ads on their sites and services?"
        ),
        label="Share my data with affiliates and partners for ads",
        learn_more="/help/linkedin/answer/a1370702",
        default=True,
    ),
    SettingSpec(
        setting_id="ads-outside-linkedin",
        card="adsOutsideOfLinkedIn",
        key="allowLinkedInAudienceNetwork",
        slug="ads-outside-of-linkedin",
        category="ads",
        title="Ads outside of LinkedIn",
        description=(
            "Can LinkedIn use your data to show you ads on other sites and apps through the "
            "LinkedIn Audience Network?"
        ),
        label="Show me ads outside of LinkedIn based on my LinkedIn data",
        learn_more="/help/linkedin/answer/a417056",
        default=True,
    ),
)

# The reported newer wording puts both AI settings on one page, with Yes/No.
NEWER_PAGE_SLUG = "generative-ai-and-other-models"
NEWER_CARD = "generativeAiAndOtherModels"
NEWER_LABELS = {
    "generative-ai-improvement": "Use your data to train and develop AI models",
    "ai-creation-tools": "AI creation tools for your profile and messages",
}

# Settings each page variant offers a new member (the newer wording adds one).
# Settings offered beside the AI one to every member, whatever the page variant.
_RELATED = ("social-economic-research", "ads-data-sharing-affiliates", "ads-outside-linkedin")
_OFFERED = {"newer-wording": ("generative-ai-improvement", "ai-creation-tools", *_RELATED)}
_OFFERED_DEFAULT = ("generative-ai-improvement", *_RELATED)

# Page-local switches of the multi-switch page, by API key: (label, LinkedIn default).
OTHER_SWITCH_LABELS = {
    "allowProfilePhotoInAiSearch": "Show my profile photo in AI-powered search results",
    "allowSponsoredContentPersonalization": "Use my data for personalized sponsored content",
}
OTHER_SWITCHES = {
    "allowProfilePhotoInAiSearch": True,
    "allowSponsoredContentPersonalization": False,
}

_BY_ID = {spec.setting_id: spec for spec in SETTINGS}
_BY_CARD = {spec.card: spec for spec in SETTINGS}
_BY_KEY = {spec.key: spec for spec in SETTINGS}
_BY_SLUG = {spec.slug: spec for spec in SETTINGS}


def default_settings(variant: str = "current") -> dict[str, bool]:
    """A new member's settings on a page variant, at LinkedIn's defaults."""
    offered = _OFFERED.get(variant, _OFFERED_DEFAULT)
    return {spec.setting_id: spec.default for spec in SETTINGS if spec.setting_id in offered}


def setting_by_id(setting_id: str) -> SettingSpec | None:
    return _BY_ID.get(setting_id)


def setting_by_card(card: str) -> SettingSpec | None:
    return _BY_CARD.get(card)


def setting_by_key(key: str) -> SettingSpec | None:
    return _BY_KEY.get(key)


def setting_by_slug(slug: str) -> SettingSpec | None:
    return _BY_SLUG.get(slug)


@dataclass(frozen=True)
class Row:
    """One line of an index page; rows backed by a setting show its value and link to it."""

    label: str
    setting_id: str | None = None


@dataclass(frozen=True)
class Section:
    title: str
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Category:
    slug: str  # page at /mypreferences/d/categories/<slug>
    title: str
    icon: str  # name in icons.py
    sections: tuple[Section, ...]

    @property
    def path(self) -> str:
        return f"{SETTINGS_ROOT}/categories/{self.slug}"


def _rows(*labels: str) -> tuple[Row, ...]:
    return tuple(Row(label) for label in labels)


CATEGORIES: tuple[Category, ...] = (
    Category(
        "account",
        "Account preferences",
        "person",
        (
            Section(
                "Profile information",
                _rows(
                    "Name, location, and industry",
                    "Personal demographic information",
                    "Verifications",
                ),
            ),
            Section("Display", _rows("Dark mode")),
            Section(
                "General preferences",
                _rows(
                    "Language",
                    "Content language",
                    "Autoplay videos",
                    "Sound effects",
                    "Showing profile photos",
                    "Feed preferences",
                    "People you unfollowed",
                ),
            ),
            Section("Account management", _rows("Hibernate account", "Close account")),
        ),
    ),
    Category(
        "sign-in-and-security",
        "Sign in & security",
        "lock",
        (
            Section(
                "Account access",
                _rows(
                    "Email addresses",
                    "Phone numbers",
                    "Change password",
                    "Passkeys",
                    "Where you're signed in",
                    "Devices that remember your password",
                    "Two-step verification",
                ),
            ),
        ),
    ),
    Category(
        "visibility",
        "Visibility",
        "eye",
        (
            Section(
                "Visibility of your profile & network",
                _rows(
                    "Profile viewing options",
                    "Page visit visibility",
                    "Edit your public profile",
                    "Who can see or download your email address",
                    "Who can see your connections",
                    "Who can see members you follow",
                    "Who can see your last name",
                    "Profile discovery and visibility off LinkedIn",
                    "Blocking",
                ),
            ),
            Section(
                "Visibility of your LinkedIn activity",
                _rows(
                    "Manage active status",
                    "Share profile updates with your network",
                    "Notify connections when you're in the news",
                    "Mentioned by others",
                    "Followers",
                ),
            ),
        ),
    ),
    Category(
        "privacy",
        "Data privacy",
        "shield",
        (
            Section(
                "How LinkedIn uses your data",
                (
                    *_rows(
                        "Manage your data and activity",
                        "Get a copy of your data",
                        "Search history",
                        "Personal demographic information",
                    ),
                    Row("Social, economic, and workplace research", "social-economic-research"),
                    Row("Data for Generative AI Improvement", "generative-ai-improvement"),
                ),
            ),
            Section(
                "Who can reach you",
                _rows(
                    "Invitations to connect",
                    "Invitations from your network",
                    "Messages",
                    "Research invites",
                ),
            ),
            Section(
                "Messaging experience",
                _rows(
                    "Focused Inbox",
                    "Read receipts and typing indicators",
                    "Messaging suggestions",
                    "Message nudges",
                    "Harmful message detection",
                ),
            ),
            Section(
                "Job seeking preferences",
                _rows(
                    "Job application settings",
                    "Share your profile when you click Apply for a job",
                    "Signal your interest to recruiters at companies you've created job alerts for",
                    "Stored job applicant accounts",
                ),
            ),
            Section("Other applications", _rows("Permitted services")),
        ),
    ),
    Category(
        "ads",
        "Advertising data",
        "ad",
        (
            Section(
                "Profile data",
                _rows(
                    "Connections",
                    "Companies you follow",
                    "Groups",
                    "Education",
                    "Job information",
                    "Employer",
                ),
            ),
            Section(
                "Activity and inferred data",
                _rows("Inferred city location", "Interests and traits", "Age range", "Gender"),
            ),
            Section(
                "Third-party data",
                (
                    Row("Share data with affiliates and partners", "ads-data-sharing-affiliates"),
                    Row("Ads outside of LinkedIn", "ads-outside-linkedin"),
                    Row("Measure ad success"),
                ),
            ),
        ),
    ),
    Category(
        "notifications",
        "Notifications",
        "bell",
        (
            Section(
                "Notifications you receive",
                _rows(
                    "Searching for a job",
                    "Hiring someone",
                    "Connecting with others",
                    "Network catch-up updates",
                    "Posting and commenting",
                    "Messaging",
                    "Groups",
                    "Pages",
                    "Attending events",
                    "News and reports",
                    "Updating your profile",
                    "Verifications",
                ),
            ),
        ),
    ),
)

_CATEGORY_BY_SLUG = {category.slug: category for category in CATEGORIES}


def category_by_slug(slug: str) -> Category | None:
    return _CATEGORY_BY_SLUG.get(slug)
