"""What the tests of the settings page's parts share: members of the sandbox signed in
for them (their browser, pack and pages are conftest.py's fixtures), and one setting's
parts put together on a page of its own."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from typing import Any

from sandbox_client import SandboxClient, signed_in_page_async

from optout.core.selector_pack import Pack
from optout.linkedin.settings_pages.page_requests import PageRequests
from optout.linkedin.settings_pages.setting_location import SettingLocation
from optout.linkedin.settings_pages.settled_reading import SettledReader
from optout.linkedin.settings_pages.switch_finder import SwitchFinder
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


@dataclass
class Parts:
    page: Any
    requests: PageRequests
    location: SettingLocation
    finder: SwitchFinder
    reader: SettledReader


async def parts_of(
    box: Sandbox, browser: Any, pack: Pack, pages: list[Any], client: Any, setting_id: str
) -> Parts:
    page = await signed_in_page_async(browser, box.base_url, client)
    pages.append(page)
    spec = pack.setting(setting_id)
    requests = PageRequests(page, [spec.api], pack.values)
    location = SettingLocation(
        page, box.base_url, pack, spec, timeout_s=TIMEOUT_S, requests=requests
    )
    finder = SwitchFinder(page, pack, spec)
    reader = SettledReader(location, requests, finder, find_timeout_s=TIMEOUT_S / 2)
    return Parts(page, requests, location, finder, reader)


async def found_switch(parts: Parts, finder: SwitchFinder | None = None) -> Any:
    """The finder's switch once the page has drawn one of its switches."""
    finder = finder or parts.finder
    deadline = time.monotonic() + 10
    while (switch := await finder.locate(parts.location.variant)) is None:
        assert time.monotonic() < deadline, finder.problem
        await finder.wait_for_a_switch(parts.location.variant)
    return switch
