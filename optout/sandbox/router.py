"""Picks the route for a request and adds what LinkedIn adds to every answer."""

from __future__ import annotations

from optout.sandbox import admin, checkpoint, heavy, objection, pages, prefs, signin
from optout.sandbox.cookies import first_visit_cookies
from optout.sandbox.exchange import Request, Response, Route
from optout.sandbox.state import SandboxState

# Methods some route serves; any other method is refused with 405 wherever it is sent.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT"})

# First match wins, so catch-all routes come after the specific ones in each module.
ROUTES: tuple[Route, ...] = (
    *admin.ROUTES,
    *signin.ROUTES,
    *checkpoint.ROUTES,
    *heavy.ROUTES,
    *objection.ROUTES,
    *prefs.ROUTES,
)


def _method_not_allowed(allowed: set[str]) -> Response:
    response = Response(405, b"Method Not Allowed", [("Content-Type", "text/plain")])
    if allowed:
        if "GET" in allowed:
            allowed.add("HEAD")
        response.headers.append(("Allow", ", ".join(sorted(allowed))))
    return response


def _route(request: Request, state: SandboxState) -> Response:
    # HEAD is answered as GET; the server leaves out the body.
    method = "GET" if request.method == "HEAD" else request.method
    allowed: set[str] = set()
    for route in ROUTES:
        match = route.pattern.fullmatch(request.path)
        if match is None:
            continue
        if method in route.methods:
            return route.handler(request, state, match)
        allowed |= route.methods
    if allowed or request.method not in METHODS:
        return _method_not_allowed(allowed)
    return Response.html(pages.not_found_page(), status=404)


def dispatch(request: Request, state: SandboxState) -> Response:
    response = _route(request, state)
    # A browser LinkedIn has not seen yet gets its browser-id cookies with the first answer.
    if "bcookie" not in request.cookies and not request.path.startswith("/__sandbox"):
        for header in first_visit_cookies():
            response.set_cookie(header)
    return response
