"""What the tests of the settings page's parts share: members of the sandbox signed in
for them (their browser, pack and pages are conftest.py's fixtures)."""

from __future__ import annotations

import secrets
from typing import Any

from sandbox_client import SandboxClient

from optout.sandbox import PageDetails, Sandbox

AI = "generative-ai-improvement"
PASSWORD = "parts pw"
PLAIN = PageDetails(pages_alike=True)  # the plainest form: the pack's keys are the aria keys
TIMEOUT_S = 20


def new_member(
    box: Sandbox, details: PageDetails | None = PLAIN, **account: Any
) -> tuple[str, Any]:
    email = f"parts-{secrets.token_hex(4)}@example.com"
    box.add_account(email, PASSWORD, details=details, **account)
    client = SandboxClient(box.base_url, PASSWORD)
    client.sign_in(email)
    return email, client
