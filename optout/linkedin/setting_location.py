"""Getting to a setting's page, and knowing which of its pages the browser is on.

LinkedIn may redirect a setting's address to another page it serves for it, send
a sign-in or checkpoint page instead, or drop the address altogether; then the
setting is looked for by its name on its Settings & Privacy index, as a person
would.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from optout.core.config import origin_of
from optout.core.errors import LayoutChanged
from optout.core.selector_pack import Pack, PageVariant, SettingSpec
from optout.linkedin.page_kinds import PageKind, classify, path_of
from optout.linkedin.page_tools import ELEMENT_QUERY_MS, navigate
from optout.linkedin.sign_in import challenge_error, refusal_error, restricted_error
from optout.linkedin.switch_finder import normalize_text

if TYPE_CHECKING:
    from playwright.async_api import Page

    from optout.linkedin.page_requests import PageRequests


class SessionExpired(Exception):
    """LinkedIn sent a sign-in page instead of the setting: the saved session is over."""


class SettingLocation:
    """One setting's page: its address, the HTTP status of its last load, the variant shown."""

    def __init__(
        self, page: Page, base_url: str, pack: Pack, spec: SettingSpec, *,
        timeout_s: float, requests: PageRequests,
    ) -> None:  # fmt: skip
        self.page = page
        self.base_url = base_url
        self.pack = pack
        self.spec = spec
        self.timeout_s = timeout_s
        self.requests = requests  # forgotten on every load: a new load must confirm itself
        self.status: int | None = None  # HTTP status of the last load
        self.variant: PageVariant = spec.variants[0]
        self.found: PageVariant | None = None  # the page as found on the index, if moved

    @property
    def url(self) -> str:
        return self.base_url + (self.found.path if self.found else self.spec.path)

    async def open(self, *, reload: bool = False, loaded_by: SettingLocation | None = None) -> None:
        """Load the setting's page; with `loaded_by`, another setting of the same page
        has just loaded it, and this one reads it as it is."""
        if loaded_by is not None:
            self.status, self.found = loaded_by.status, loaded_by.found
            self.ensure()
            return
        reload = reload and self.variant_at(path_of(self.page.url)) is not None
        self.requests.reset()
        self.status = await navigate(
            self.page,
            self.url,
            f"the {self.spec.label} page",
            reload=reload,
            timeout_s=self.timeout_s,
        )
        if self.status == 404 and not self.spec.missing_means_unavailable and not reload:
            await self._follow_the_index()
        self.ensure()

    def variant_at(self, path: str) -> PageVariant | None:
        return self.spec.variant_at(path) or (
            self.found if self.found and self.found.path == path.rstrip("/") else None
        )

    async def _follow_the_index(self) -> None:
        """The pack's address is gone: find the setting's page the way a person would, by
        its name on its Settings & Privacy index page, and read it with the pack's
        switch selectors and second sources."""
        from playwright.async_api import Error as PlaywrightError

        index = self.spec.index
        if index is None:
            return
        await navigate(self.page, self.base_url + index.path, "the settings index",
                 timeout_s=self.timeout_s)  # fmt: skip
        if classify(self.page.url, self.pack.pages) is not PageKind.OTHER:
            return  # sign-in or checkpoint: ensure() says so
        named = re.compile(re.escape(normalize_text(self.spec.label)), re.IGNORECASE)
        links = self.page.get_by_role("link", name=named)
        if await links.count() != 1:
            return
        try:
            href = await links.first.get_attribute("href", timeout=ELEMENT_QUERY_MS)
        except PlaywrightError:
            return  # drawn away as it was read
        target = urljoin(self.page.url, href or "")
        if origin_of(target) != origin_of(self.base_url):
            return  # never leave LinkedIn for a link on its page
        path = path_of(target)
        first = self.spec.variants[0]
        # Whether this page asks for its value with a request is not known: it may, so
        # a switch without a second opinion must hold still as long as on such a page.
        self.found = PageVariant("found on the index", path.rstrip("/"), first.switch, True)
        self.requests.reset()
        self.status = await navigate(self.page, self.base_url + path, f"the {self.spec.label} page",
                               timeout_s=self.timeout_s)  # fmt: skip

    def ensure(self) -> None:
        """Raise unless the browser shows one of the setting's pages; note which one."""
        url = self.page.url
        kind = classify(url, self.pack.pages)
        if kind is PageKind.LOGIN:
            raise SessionExpired(url)
        if kind is PageKind.CHALLENGE:
            raise challenge_error(url)
        if kind is PageKind.REFUSED:
            raise refusal_error(url)
        if kind is PageKind.RESTRICTED:
            raise restricted_error(url)
        variant = self.variant_at(path_of(url))
        if variant is None:
            raise LayoutChanged(
                f"LinkedIn showed {path_of(url)} instead of the {self.spec.label} page; "
                "it may have moved the setting."
            )
        self.variant = variant
