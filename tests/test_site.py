"""Page kinds by URL path (never by text), and which HTTP answers are refusals."""

from __future__ import annotations

import pytest

from optout.core.errors import SiteUnavailable
from optout.core.selector_pack import load_pack
from optout.linkedin.page_kinds import PageKind, check_status, classify

PAGES = load_pack().pages


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://www.linkedin.com/feed/", PageKind.SIGNED_IN),
        ("https://www.linkedin.com/login?session_redirect=%2Ffeed%2F", PageKind.LOGIN),
        ("https://www.linkedin.com/uas/login", PageKind.LOGIN),
        ("https://www.linkedin.com/authwall?trk=x", PageKind.LOGIN),
        ("https://www.linkedin.com/checkpoint/lg/login-submit", PageKind.LOGIN),
        ("https://www.linkedin.com/checkpoint/challenge/AgF123", PageKind.CHALLENGE),
        ("https://www.linkedin.com/uas/consumer-email-challenge", PageKind.CHALLENGE),
        (
            "https://www.linkedin.com/checkpoint/lg/login?errorKey=challenge_global_internal_error",
            PageKind.REFUSED,
        ),
        ("https://www.linkedin.com/flagship-web/login/login-restriction/", PageKind.RESTRICTED),
        (
            "https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement",
            PageKind.OTHER,
        ),
        ("https://www.linkedin.com/feedback", PageKind.OTHER),
        ("https://www.linkedin.com/loginhelp", PageKind.OTHER),
    ],
)
def test_classify(url: str, kind: PageKind) -> None:
    assert classify(url, PAGES) is kind


@pytest.mark.parametrize("status", [429, 999, 500, 503])
def test_refusals(status: int) -> None:
    with pytest.raises(SiteUnavailable, match=str(status)):
        check_status(status, "the page")


@pytest.mark.parametrize("status", [200, 302, 404])
def test_not_refusals(status: int) -> None:
    check_status(status, "the page")
