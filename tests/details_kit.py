"""The sandbox's page details over HTTP: a member with given `PageDetails`, signed in,
and the AI entry of a card answer."""

from __future__ import annotations

import secrets
from typing import Any

from sandbox_client import SandboxClient

from optout.sandbox import PageDetails, Sandbox

SETTING = "generative-ai-improvement"
PAGE = "/mypreferences/d/settings/data-for-ai-improvement"
CARDS = "/mysettings-api/settingsApiSettingCards/"
PUTS = "/mysettings-api/settingsApiSettings/"
PACK_KEY = "allowDataForGenerativeAi"  # the selector pack's guess, one answer among others
PASSWORD = "details pw"
NO_BODY = object()


class Client(SandboxClient):
    def __init__(self, base_url: str) -> None:
        super().__init__(base_url, PASSWORD)

    def put(self, key: str, body: dict[str, object]) -> tuple[int, Any]:
        return self.put_body(key, body)

    def page_config(self) -> dict[str, Any]:
        return self.config(PAGE)


def new_member(box: Sandbox, details: PageDetails | None, **account: Any) -> tuple[str, Client]:
    email = f"details-{secrets.token_hex(4)}@example.com"
    box.add_account(email, PASSWORD, details=details, **account)
    client = Client(box.base_url)
    client.sign_in(email)
    return email, client


def ai_entry(answer: dict[str, Any], key: str) -> dict[str, Any]:
    found: list[dict[str, Any]] = [s for s in answer["settings"] if s["key"] == key]
    assert len(found) == 1, answer
    return found[0]
