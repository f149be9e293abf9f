"""HTML of the imitated pages, filled from the template files next to this module.

Templates use `{{name}}` slots. Values are HTML-escaped unless they are `Html`,
which marks markup this module built itself, so echoed input can never inject markup.
"""

from __future__ import annotations

import datetime
import functools
import html
import json
import re
import secrets
from collections.abc import Mapping
from importlib import resources

from optout.sandbox.icons import icon

_SLOT = re.compile(r"\{\{([a-z_]+)\}\}")


class Html(str):
    """A string of trusted markup: inserted into templates as is."""

    __slots__ = ()


@functools.cache
def _template(name: str) -> str:
    return resources.files("optout.sandbox").joinpath("templates", name).read_text("utf-8")


def render(name: str, /, **values: str) -> Html:
    """Fill every slot of a template; a missing or unused value is a bug, so it raises."""
    text = _template(name)
    slots = set(_SLOT.findall(text))
    if slots != set(values):
        raise KeyError(f"{name}: slots {sorted(slots)} but values {sorted(values)}")

    def fill(match: re.Match[str]) -> str:
        value = values[match.group(1)]
        return value if isinstance(value, Html) else html.escape(value)

    return Html(_SLOT.sub(fill, text))


def _base_css() -> Html:
    return Html(_template("base.css"))


def _year() -> str:
    return str(datetime.datetime.now(datetime.UTC).year)


# --- the member ---------------------------------------------------------------


def member_name(email: str) -> str:
    """A display name guessed from the email, e.g. jane.doe42@x -> "Jane Doe"."""
    local = email.partition("@")[0]
    words = [w for w in re.split(r"[._+\-]+", re.sub(r"\d+", "", local)) if w]
    return " ".join(w.capitalize() for w in words) or "LinkedIn Member"


def initials(name: str) -> str:
    return "".join(word[0] for word in name.split()[:2]).upper()


# --- signing in ---------------------------------------------------------------


def _error_slot(message: Html | None) -> tuple[str, Html]:
    """(extra class, content) for one field's error box; hidden when there is no error."""
    if message is None:
        return " hidden__imp", Html("")
    return "", message


def login_page(
    *,
    username: str = "",
    session_redirect: str = "",
    username_error: Html | None = None,
    password_error: Html | None = None,
) -> str:
    user_hidden, user_error = _error_slot(username_error)
    pass_hidden, pass_error = _error_slot(password_error)
    return render(
        "login.html",
        base_css=_base_css(),
        login_css=Html(_template("login.css")),
        login_csrf=secrets.token_hex(16),
        session_redirect=session_redirect,
        username=username,
        username_state=" form__input--error" if username_error else "",
        username_error=user_error,
        username_error_hidden=user_hidden,
        password_state=" form__input--error" if password_error else "",
        password_error=pass_error,
        password_error_hidden=pass_hidden,
        year=_year(),
    )


def mask_email(email: str) -> str:
    """j***@example.com: what a challenge page shows of the address it wrote to."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}"


def first_name(email: str) -> str:
    return member_name(email).split()[0]


def chooser_page(
    *, emails: list[str], session_redirect: str, another_href: str, shown_after_s: float = 0.0
) -> str:
    """ "Welcome back": one button per account this browser remembers; its script shows
    them (and the way to another account) `shown_after_s` after the page has loaded."""
    buttons = []
    for email in emails:
        name = member_name(email)
        buttons.append(
            f'      <button class="member-profile__details" type="button" '
            f'data-email="{html.escape(email)}">'
            f'<span class="li-avatar">{html.escape(initials(name))}</span>'
            '<span class="member-profile-block">'
            f'<span class="member-profile__name">{html.escape(name)}</span>'
            f'<span class="member-profile__email">{html.escape(email)}</span>'
            f'<span class="member-profile__continue">Continue as {html.escape(first_name(email))}'
            "</span></span></button>"
        )
    return render(
        "chooser.html",
        base_css=_base_css(),
        login_css=Html(_template("login.css")),
        accounts=Html("\n".join(buttons)),
        login_csrf=secrets.token_hex(16),
        session_redirect=session_redirect,
        another_href=another_href,
        shown_after_ms=str(int(shown_after_s * 1000)),
        year=_year(),
    )


def flagship_login_page(*, session_redirect: str, render_delay_s: float = 0.3) -> str:
    config = {
        "submitUrl": "/flagship-web/login/api/submit",
        "sessionRedirect": session_redirect,
        "renderDelayMs": int(render_delay_s * 1000),
    }
    return render(
        "flagship.html",
        base_css=_base_css(),
        config=Html(_script_json(config)),
        script=Html(_template("flagship_login.js")),
        year=_year(),
    )


def script_drawn_page(*, config: Mapping[str, object], script: str) -> str:
    """A sign-in page that `script` (a template file) draws after load from `config`."""
    return render(
        "flagship.html",
        base_css=_base_css(),
        config=Html(_script_json(config)),
        script=Html(_template(script)),
        year=_year(),
    )


def _challenge_shell(card: Html, *, polls: bool) -> str:
    scripts = Html(f"<script>\n{_template('challenge_poll.js')}</script>") if polls else Html("")
    return render("challenge.html", base_css=_base_css(), card=card, scripts=scripts, year=_year())


def _csrf_token() -> str:
    return f"ajax:{secrets.randbelow(10**19):019d}"


def challenge_page(
    *,
    challenge_id: str,
    challenge_path: str,
    pin_error: str | None,
    kind: str = "email_pin",
    email: str = "",
    expired: bool = False,
) -> str:
    """The checkpoint page for one challenge kind (see state.CHALLENGE_KINDS)."""
    hidden, error = _error_slot(None if pin_error is None else Html(html.escape(pin_error)))
    if kind == "email_pin":
        card = render(
            "challenge_email_pin.html",
            csrf_token=_csrf_token(),
            challenge_id=challenge_id,
            challenge_path=challenge_path,
            masked_email=mask_email(email),
            pin_error=error,
            pin_error_hidden=hidden,
        )
        return _challenge_shell(card, polls=False)
    if kind in ("sms", "totp"):
        sms = kind == "sms"
        card = render(
            "challenge_two_step.html",
            csrf_token=_csrf_token(),
            challenge_id=challenge_id,
            challenge_type="SMSPinChallenge" if sms else "AuthenticatorAppChallenge",
            prompt="Enter the code we sent to your phone number ending in 42"
            if sms
            else "Enter the 6-digit code from your authenticator app",
            pin_error=error,
            pin_error_hidden=hidden,
        )
        return _challenge_shell(card, polls=False)
    expired_hidden = "" if expired else " hidden__imp"
    if kind == "app":
        card = render(
            "challenge_app.html",
            csrf_token=_csrf_token(),
            challenge_id=challenge_id,
            waiting_hidden=" hidden__imp" if expired else "",
            expired_hidden=expired_hidden,
        )
    else:
        card = render(
            "challenge_captcha.html",
            csrf_token=_csrf_token(),
            challenge_id=challenge_id,
            expired_hidden=expired_hidden,
        )
    return _challenge_shell(card, polls=True)


def captcha_frame_page(*, challenge_id: str, solved: bool) -> str:
    return render(
        "captcha_frame.html",
        challenge_id=challenge_id,
        checked="true" if solved else "false",
        disabled=" disabled" if solved else "",
        tick="\u2713" if solved else "",
    )


def notice_page(*, notice_id: str, title: str, heading: str, body: Html) -> str:
    """A page that only tells the member something: refusals and restrictions."""
    return render(
        "notice.html",
        base_css=_base_css(),
        notice_id=notice_id,
        title=title,
        heading=heading,
        body=body,
        year=_year(),
    )


def restriction_page() -> str:
    body = Html(
        "<p>We've restricted your account temporarily because we noticed some unusual "
        "activity.</p><p>To get back into your account, please verify your identity with a "
        "photo of a government-issued ID.</p>"
        '<form class="notice__upload" method="post" enctype="multipart/form-data" '
        'action="/flagship-web/login/login-restriction/">'
        '<label for="id-upload">Upload a photo of your ID</label><br>'
        '<input id="id-upload" name="idDocument" type="file" accept="image/*"></form>'
        '<a class="notice__action" href="/help/linkedin/answer/a1340522">Learn more</a>'
    )
    return notice_page(
        notice_id="login-restriction",
        title="Account restricted | LinkedIn",
        heading="Your account has been restricted",
        body=body,
    )


def sign_in_error_page() -> str:
    body = Html(
        "<p>Something went wrong. We couldn't sign you in right now; please try again later.</p>"
        '<a class="notice__action" href="/login">Back to sign in</a>'
    )
    return notice_page(
        notice_id="login-error",
        title="LinkedIn Login, Sign in | LinkedIn",
        heading="Something went wrong",
        body=body,
    )


def authwall_page() -> str:
    return render("authwall.html", base_css=_base_css())


def error_page(status: int) -> str:
    """What LinkedIn answers when it refuses (999, 429) or fails (5xx)."""
    if status == 999:
        text = "Request denied"
    elif status == 429:
        text = "Too many requests. Please try again later."
    else:
        text = "Something went wrong. Please try again later."
    return (
        f"<!doctype html><html lang=en><head><meta charset=utf-8><title>LinkedIn</title></head>"
        f"<body><h1>{html.escape(text)}</h1><p>Error {status}</p></body></html>"
    )


def objection_page(*, body: Html) -> str:
    """The Help Center's Data Processing Objection Form, or its confirmation."""
    return render("help_form.html", base_css=_base_css(), body=body)


def not_found_page() -> str:
    return render("not_found.html", base_css=_base_css())


# --- the feed -----------------------------------------------------------------


def _global_nav(email: str) -> Html:
    name = member_name(email)
    return render(
        "global_nav.html",
        search_icon=Html(icon("search", 16)),
        home_icon=Html(icon("home")),
        network_icon=Html(icon("network")),
        jobs_icon=Html(icon("jobs")),
        messaging_icon=Html(icon("messaging")),
        bell_icon=Html(icon("bell")),
        home_active=" global-nav__link--active",
        initials=initials(name),
        name=name,
        email=email,
    )


def member_cache_script() -> Html:
    """What a signed-in page leaves in the browser's local storage (member_cache.js)."""
    return Html(f"<script>\n{_template('member_cache.js')}</script>")


def feed_page(email: str) -> str:
    name = member_name(email)
    return render(
        "feed.html",
        base_css=_base_css(),
        nav_css=Html(_template("global_nav.css")),
        global_nav=_global_nav(email),
        initials=initials(name),
        name=name,
        email=email,
        photo_icon=Html(icon("photo")),
        pencil_icon=Html(icon("pencil")),
        like_icon=Html(icon("like", 20)),
        comment_icon=Html(icon("comment", 20)),
        repost_icon=Html(icon("repost", 20)),
        send_icon=Html(icon("send", 20)),
        year=_year(),
        member_cache=member_cache_script(),
    )


def _script_json(data: object) -> str:
    # "<" escaped so the JSON cannot close the <script> element it sits in.
    return json.dumps(data).replace("<", "\\u003c")
