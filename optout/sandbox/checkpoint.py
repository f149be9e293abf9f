"""Checkpoint challenges after a correct password: PINs, codes, app approval, captcha."""

from __future__ import annotations

import re

from optout.sandbox import pages
from optout.sandbox.exchange import Request, Response, Route
from optout.sandbox.guard import safe_redirect
from optout.sandbox.signin import signed_in
from optout.sandbox.state import ChallengeView, SandboxState

_BAD_PIN = "The verification code you entered isn't valid. Please check the code and try again."
_BAD_RECOVERY_CODE = "The recovery code you entered isn't valid. Please try again."

_ID = r"(?P<challenge_id>[A-Za-z0-9_-]+)"


def _page(found: ChallengeView, *, error: str | None = None) -> Response:
    page = pages.challenge_page(
        challenge_id=found.challenge_id,
        challenge_path=f"/checkpoint/challenge/{found.challenge_id}",
        pin_error=error,
        kind=found.kind,
        email=found.email,
        expired=found.status == "EXPIRED",
    )
    return Response.html(page)


def challenge(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    found = state.challenge(match.group("challenge_id"))
    if found is None:
        return Response.redirect("/login")
    return _page(found)


def verify(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    form = request.form()
    challenge_id = form.get("challengeId", "")
    found = state.challenge(challenge_id)
    if found is None:
        return Response.redirect("/login")
    verdict = state.verify(challenge_id, form.get("pin", "").strip())
    if verdict.result == "passed" and verdict.session is not None:
        response = Response.redirect(safe_redirect(verdict.redirect) or "/feed/")
        signed_in(response, request, state, verdict.session)
        return response
    if verdict.result == "dead":
        return Response.redirect("/login")
    if verdict.result == "wrong":
        # The third wrong PIN still shows the error; the challenge behind it is gone.
        return _page(found, error=_BAD_PIN)
    return _page(state.challenge(challenge_id) or found)


def verify_code(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    # Recovery codes are not imitated: every one is refused.
    found = state.challenge(request.form().get("challengeId", ""))
    if found is None:
        return Response.redirect("/login")
    return _page(found, error=_BAD_RECOVERY_CODE)


def poll(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    found = state.challenge(match.group("challenge_id"))
    if found is None:
        return Response.json({"status": "EXPIRED"}, status=404)
    return Response.json({"status": found.status})


def captcha_frame(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    found = state.challenge(match.group("challenge_id"))
    if found is None or found.kind != "captcha":
        return Response.html(pages.not_found_page(), status=404)
    return Response.html(
        pages.captcha_frame_page(challenge_id=found.challenge_id, solved=found.status == "SOLVED")
    )


def captcha_tick(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    challenge_id = match.group("challenge_id")
    state.solve_captcha(challenge_id)
    return Response.redirect(f"/checkpoint/challenge/captcha-frame/{challenge_id}", status=303)


def try_another_way(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    challenge_id = match.group("challenge_id")
    if not state.try_another_way(challenge_id) and state.challenge(challenge_id) is None:
        return Response.redirect("/login")
    return Response.redirect(f"/checkpoint/challenge/{challenge_id}")


_GET = frozenset({"GET"})
_POST = frozenset({"POST"})

ROUTES: tuple[Route, ...] = (
    Route(_POST, re.compile(r"/checkpoint/challenge/verify"), verify),
    Route(_POST, re.compile(r"/checkpoint/challenge/verifyCode"), verify_code),
    Route(_GET, re.compile(r"/checkpoint/challengesV2/poll/" + _ID), poll),
    Route(_GET, re.compile(r"/checkpoint/challenge/captcha-frame/" + _ID), captcha_frame),
    Route(_POST, re.compile(r"/checkpoint/challenge/captcha-frame/" + _ID), captcha_tick),
    Route(_GET, re.compile(r"/checkpoint/challenge/" + _ID + "/try-another-way"), try_another_way),
    Route(_GET, re.compile(r"/checkpoint/challenge/" + _ID), challenge),
)
