"""The sign-in pages drawn by script: LinkedIn's 2026 `/login`, and an email-first one.

The 2026 page has no `<form>`, ids generated per render (`«r0»`), a hidden second
copy of the fields and localized `<button type="button">`s; only the `autocomplete`
attributes stay put. The email-first page shows its password field only after
"Continue", a moment later, or (to imitate a page optout cannot understand) never.
Each render draws its details from the sandbox's sign-in random generator, so a
seeded sandbox serves the same pages again.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass

from optout.sandbox import pages

SCRIPTED_PAGES = ("2026", "email-first")
SUBMIT_PATH = "/login/api/submit"
LANDING = "/feed/foryou/"  # where the 2026 page lands once signed in
# How the spare copy of the fields is hidden; "offscreen" moves it out of view only, and
# "clipped" puts it in a box of no height that hides what overflows (marked aria-hidden):
# a browser's own test of visibility still finds either visible.
HIDING = ("attribute", "display", "visibility", "offscreen", "clipped")


@dataclass(frozen=True)
class SignInWords:
    sign_in: str
    email: str
    password: str
    show: str
    hide: str
    forgot: str
    continue_: str
    wait: str
    google: str
    apple: str
    passkey: str
    or_: str
    join: str
    empty_email: str
    error: str


WORDS: dict[str, SignInWords] = {
    "en": SignInWords(
        "Sign in", "Email or phone", "Password", "Show", "Hide", "Forgot password?",
        "Continue", "One moment…", "Continue with Google", "Sign in with Apple",
        "Sign in with a passkey", "or", "New to LinkedIn? Join now",
        "Please enter an email address or phone number",
        "Something went wrong. Please try again.",
    ),
    "fr": SignInWords(
        "S'identifier", "E-mail ou téléphone", "Mot de passe", "Afficher", "Masquer",
        "Mot de passe oublié ?", "Continuer", "Un instant…", "Continuer avec Google",
        "Se connecter avec Apple", "S'identifier avec une clé d'accès", "ou",
        "Nouveau sur LinkedIn ? Inscrivez-vous",
        "Veuillez saisir une adresse e-mail ou un numéro de téléphone",
        "Un problème est survenu. Veuillez réessayer.",
    ),
    "de": SignInWords(
        "Einloggen", "E-Mail-Adresse oder Telefonnummer", "Passwort", "Anzeigen",
        "Verbergen", "Passwort vergessen?", "Weiter", "Einen Moment…",
        "Weiter mit Google", "Mit Apple anmelden", "Mit Passkey einloggen", "oder",
        "Neu bei LinkedIn? Jetzt Mitglied werden",
        "Bitte geben Sie eine E-Mail-Adresse oder Telefonnummer ein.",
        "Etwas ist schiefgelaufen. Bitte versuchen Sie es erneut.",
    ),
    "es": SignInWords(
        "Iniciar sesión", "Email o teléfono", "Contraseña", "Mostrar", "Ocultar",
        "¿Has olvidado tu contraseña?", "Continuar", "Un momento…",
        "Continuar con Google", "Iniciar sesión con Apple",
        "Iniciar sesión con una clave de acceso", "o", "¿Eres nuevo en LinkedIn? Únete ahora",
        "Introduce una dirección de email o un número de teléfono",
        "Se ha producido un error. Inténtalo de nuevo.",
    ),
    "nl": SignInWords(
        "Inloggen", "E-mailadres of telefoonnummer", "Wachtwoord", "Weergeven",
        "Verbergen", "Wachtwoord vergeten?", "Doorgaan", "Een ogenblik…",
        "Doorgaan met Google", "Inloggen met Apple", "Inloggen met een toegangssleutel",
        "of", "Nieuw op LinkedIn? Word nu lid",
        "Voer een e-mailadres of telefoonnummer in",
        "Er is iets misgegaan. Probeer het opnieuw.",
    ),
}  # fmt: skip


def scripted_login_page(
    kind: str, *, session_redirect: str, rng: random.Random, password_delay_s: float | None
) -> tuple[str, dict[str, object]]:
    """The page for `kind` (SCRIPTED_PAGES), and what this render drew (for tests)."""
    lang = rng.choice(sorted(WORDS))
    drawn: dict[str, object] = {
        "page": kind,
        "lang": lang,
        "hidden_first": rng.random() < 0.5,  # the hidden copy comes first in the page
        "hide_by": rng.choice(HIDING),
        "enter_submits": rng.random() < 0.5,  # Enter in the password field signs in
        "enter_continues": rng.random() < 0.5,  # Enter in the email field continues
    }
    config = {
        **drawn,
        "mode": kind,
        "idStart": rng.randrange(0, 40),
        "renderDelayMs": rng.randrange(50, 300),
        "passwordDelayMs": None if password_delay_s is None else int(password_delay_s * 1000),
        "submitUrl": SUBMIT_PATH,
        "sessionRedirect": session_redirect,
        "words": {name.rstrip("_"): text for name, text in asdict(WORDS[lang]).items()},
    }
    return pages.script_drawn_page(config=config, script="login_scripted.js"), drawn
