"""The index pages of the imitated Settings & Privacy area: categories, sections, rows.

The settings themselves and their pages are in settings_catalog.py; a row that
names a setting links to its page and shows its value.
"""

from __future__ import annotations

from dataclasses import dataclass

from optout.sandbox.settings_catalog import SETTINGS_ROOT


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
                    Row("AI creation tools for your profile and messages", "ai-creation-tools"),
                    Row("Cookie preferences", "non-essential-cookies"),
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
                (
                    Row("Inferred city location", "ads-by-location"),
                    Row("Interests and traits", "ads-by-interests"),
                    Row("Age range", "ads-by-age"),
                    Row("Gender", "ads-by-gender"),
                ),
            ),
            Section(
                "Third-party data",
                (
                    Row("Interactions with businesses", "ads-from-business-data"),
                    Row("Share data with affiliates and partners", "ads-data-sharing-affiliates"),
                    Row("Ads outside of LinkedIn", "ads-outside-linkedin"),
                    Row("Measure ad success", "ads-conversion-tracking"),
                ),
            ),
            Section(
                "LinkedIn's own marketing",
                (
                    Row("LinkedIn promotions", "linkedin-marketing"),
                    Row("Marketing emails", "marketing-emails"),
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
