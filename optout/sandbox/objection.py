"""LinkedIn's Data Processing Objection Form (/help/linkedin/ask/TS-DPRO): name, email,
type of objection and an explanation; the sandbox keeps every submission it gets."""

from __future__ import annotations

import html
import re

from optout.sandbox import pages
from optout.sandbox.exchange import Request, Response, Route
from optout.sandbox.guard import csrf_ok, current_session, login_redirect
from optout.sandbox.state import SandboxState

FORM_PATH = "/help/linkedin/ask/TS-DPRO"
OBJECTION_TYPES = {
    "ai-training": "Use of my data to train generative AI models",
    "research": "Use of my data for research",
    "advertising": "Use of my data for personalized advertising",
    "other": "Other processing of my data",
}


def form(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    session = current_session(request, state)
    if session is None:
        return login_redirect(request)
    options = "".join(
        f'<option value="{value}">{html.escape(label)}</option>'
        for value, label in OBJECTION_TYPES.items()
    )
    return Response.html(
        pages.objection_page(
            body=pages.Html(
                f'<form id="dpro-form" method="post" action="{FORM_PATH}/submit">'
                f'<input type="hidden" name="csrfToken" value="{session.jsessionid}">'
                '<label for="dpro-name">Full name</label>'
                '<input id="dpro-name" name="name" type="text" autocomplete="name" required>'
                '<label for="dpro-email">Email address</label>'
                '<input id="dpro-email" name="email" type="email" autocomplete="email" required>'
                '<label for="dpro-type">What do you object to?</label>'
                f'<select id="dpro-type" name="objectionType" required>'
                f'<option value="">Select</option>{options}</select>'
                '<label for="dpro-explanation">Explain your objection</label>'
                '<textarea id="dpro-explanation" name="explanation" rows="8" required></textarea>'
                '<button id="dpro-submit" type="submit">Submit</button>'
                "</form>"
            )
        )
    )


def submit(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    session = current_session(request, state)
    if session is None:
        return login_redirect(request)
    fields = request.form()
    if not csrf_ok(fields, session):
        return Response.html(pages.error_page(403), status=403)
    name, email = fields.get("name", "").strip(), fields.get("email", "").strip()
    # Browsers send a textarea's line breaks as CRLF.
    kind = fields.get("objectionType", "")
    text = fields.get("explanation", "").replace("\r\n", "\n").strip()
    if not (name and "@" in email and kind in OBJECTION_TYPES and text):
        return Response.html(pages.error_page(400), status=400)
    case = state.record_objection(
        session.email, {"name": name, "email": email, "type": kind, "explanation": text}
    )
    return Response.html(
        pages.objection_page(
            body=pages.Html(
                '<div id="dpro-received" role="status">'
                "<h2>Thanks, we received your request</h2>"
                f'<p>Your case number is <strong id="case-number">{case}</strong>. '
                "We'll email you a confirmation.</p></div>"
            )
        )
    )


ROUTES: tuple[Route, ...] = (
    Route(frozenset({"GET"}), re.compile(re.escape(FORM_PATH) + "/?"), form),
    Route(frozenset({"POST"}), re.compile(re.escape(FORM_PATH) + "/submit"), submit),
)
