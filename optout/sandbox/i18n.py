"""The words of the setting pages and the Data privacy index, per language."""

from __future__ import annotations

from dataclasses import dataclass, replace

LANGUAGES = ("en", "fr", "de", "es")


@dataclass(frozen=True)
class Words:
    title: str  # heading of the AI setting page and its index row
    newer_title: str  # the newer wording's page, as its index row names it
    description: str
    label: str  # text next to the AI switch
    on: str
    off: str
    unavailable: str
    back: str
    learn_more: str
    know_more: str
    saved: str
    not_saved: str


WORDS: dict[str, Words] = {
    "en": Words(
        title="Data for Generative AI Improvement",
        newer_title="Generative AI and other models",
        description=(
            "Can LinkedIn and its affiliates use your personal data and content you create "
            "on LinkedIn to train generative AI models that create content?"
        ),
        label="Use my data for training content creation AI models",
        on="On",
        off="Off",
        # Typographic apostrophes here, typed ones on the older page: a page may print either.
        unavailable="This setting isn\u2019t available for your account.",
        back="Back",
        learn_more="Learn more",
        know_more="Want to know more? ",
        saved="Your setting has been updated",
        not_saved="Your setting couldn't be updated. Please try again.",
    ),
    "fr": Words(
        title="Données pour l'amélioration de l'IA générative",
        newer_title="IA générative et autres modèles",
        description=(
            "LinkedIn et ses sociétés affiliées peuvent-ils utiliser vos données personnelles "
            "et le contenu que vous créez sur LinkedIn pour entraîner des modèles d'IA "
            "générative qui créent du contenu ?"
        ),
        label="Utiliser mes données pour entraîner des modèles d'IA de création de contenu",
        on="Activé",
        off="Désactivé",
        unavailable="Ce paramètre n\u2019est pas disponible pour votre compte.",
        back="Retour",
        learn_more="En savoir plus",
        know_more="Vous voulez en savoir plus ? ",
        saved="Votre paramètre a été mis à jour",
        not_saved="Votre paramètre n'a pas pu être mis à jour. Veuillez réessayer.",
    ),
    "de": Words(
        title="Daten zur Verbesserung generativer KI",
        newer_title="Generative KI und andere Modelle",
        description=(
            "Dürfen LinkedIn und verbundene Unternehmen Ihre personenbezogenen Daten und "
            "Inhalte, die Sie auf LinkedIn erstellen, zum Trainieren generativer KI-Modelle "
            "verwenden, die Inhalte erstellen?"
        ),
        label="Meine Daten für das Training von KI-Modellen zur Inhaltserstellung verwenden",
        on="Ein",
        off="Aus",
        unavailable="Diese Einstellung ist für Ihr Konto nicht verfügbar.",
        back="Zurück",
        learn_more="Weitere Informationen",
        know_more="Möchten Sie mehr erfahren? ",
        saved="Ihre Einstellung wurde aktualisiert",
        not_saved="Ihre Einstellung konnte nicht aktualisiert werden. Bitte erneut versuchen.",
    ),
    "es": Words(
        title="Datos para la mejora de la IA generativa",
        newer_title="IA generativa y otros modelos",
        description=(
            "¿Pueden LinkedIn y sus filiales usar tus datos personales y el contenido que "
            "creas en LinkedIn para entrenar modelos de IA generativa que crean contenido?"
        ),
        label="Usar mis datos para entrenar modelos de IA de creación de contenido",
        on="Sí",
        off="No",
        unavailable="Esta configuración no está disponible para tu cuenta.",
        back="Atrás",
        learn_more="Más información",
        know_more="¿Quieres saber más? ",
        saved="Se ha actualizado tu configuración",
        not_saved="No se ha podido actualizar tu configuración. Inténtalo de nuevo.",
    ),
}


def words(lang: str) -> Words:
    return WORDS[lang]


# Other ways the AI page may tell a member they lack the setting (details.LACKING_WORDS):
# words that say only "not offered", the setting's own sentence for a country or region,
# and words that say nothing optout could know.
LACKING_NOTICES: dict[str, dict[str, str]] = {
    "hinted": {
        "en": "This option is not offered in your country or region.",
        "fr": "Cette option n\u2019est pas proposée dans votre pays ou région.",
        "de": "Diese Option wird in Ihrem Land oder Ihrer Region nicht angeboten.",
        "es": "Esta opción no se ofrece en tu país o región.",
    },
    "region": {
        "en": "This setting isn\u2019t available in your country or region.",
        "fr": "Ce paramètre n\u2019est pas disponible dans votre pays ou votre région.",
        "de": "Diese Einstellung ist in Ihrem Land bzw. Ihrer Region nicht verfügbar.",
        "es": "Esta configuración no está disponible en tu país o región.",
    },
    # Not a lack: a failure that begins as the pack's wording does (Faults.soft_failure).
    "failing": {
        "en": "This setting is not available right now. Please try again later.",
        "fr": "Ce paramètre n\u2019est pas disponible pour le moment. Réessayez plus tard.",
        "de": "Diese Einstellung ist für Ihr Konto nicht verfügbar. Bitte später erneut versuchen.",
        "es": "Esta configuración no está disponible. Inténtalo de nuevo más tarde.",
    },
    "unknown": {
        "en": "Members in your region can\u2019t change this.",
        "fr": "Les membres de votre région ne peuvent pas modifier ceci.",
        "de": "Mitglieder in Ihrer Region können dies nicht ändern.",
        "es": "Los miembros de tu región no pueden cambiar esto.",
    },
}


# Words of the Data privacy index's values that no pack lists (details.INDEX_WORDS); in
# German the "off" word is a pack's: one value understood, the other not.
UNLISTED_INDEX_WORDS: dict[str, tuple[str, str]] = {
    "en": ("Enabled", "Disabled"),
    "fr": ("Oui", "Non"),
    "de": ("An", "Aus"),
    "es": ("Activado", "Desactivado"),
}
# ... and names of its AI rows that no pack lists: today's page's, the newer wording's.
UNLISTED_INDEX_NAMES: dict[str, tuple[str, str]] = {
    "en": ("Generative AI data", "AI models and your data"),
    "fr": ("Données et IA générative", "Vos données et les modèles d'IA"),
    "de": ("Daten und generative KI", "Ihre Daten und KI-Modelle"),
    "es": ("Datos e IA generativa", "Tus datos y los modelos de IA"),
}


def index_words(lang: str, how: str) -> Words:
    """The words of `lang` with the index's values and AI rows worded `how`."""
    if how != "unlisted":
        return WORDS[lang]
    on, off = UNLISTED_INDEX_WORDS[lang]
    title, newer_title = UNLISTED_INDEX_NAMES[lang]
    return replace(WORDS[lang], on=on, off=off, title=title, newer_title=newer_title)


def lacking_notice(lang: str, how: str) -> str:
    """What the AI page says to a member who lacks the setting, worded `how`."""
    return LACKING_NOTICES[how][lang] if how in LACKING_NOTICES else WORDS[lang].unavailable
