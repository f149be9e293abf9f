"""Getting to a setting's page, and knowing which of its pages the browser is on.

LinkedIn may redirect a setting's address to another page it serves for it, send
a sign-in or checkpoint page instead, or drop the address altogether; then the
setting is looked for by its name on its Settings & Privacy index, as a person
would.
"""

from __future__ import annotations

import contextlib
import re
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from optout.core.config import origin_of
from optout.core.errors import LayoutChanged
from optout.core.selector_pack import Pack, PageVariant, SettingSpec
from optout.linkedin.login.sign_in import challenge_error, refusal_error, restricted_error
from optout.linkedin.page_kinds import PageKind, classify, path_of
from optout.linkedin.page_tools import ELEMENT_QUERY_MS, navigate
from optout.linkedin.settings_pages.switch_finder import normalize_text

if TYPE_CHECKING:
    from playwright.async_api import Page

    from optout.linkedin.settings_pages.page_requests import PageRequests

# Links into setting pages: an index drawn by script has some once its rows are drawn.
SETTING_LINKS = "a[href*='/settings/']"
LINKS_WAIT_MS = 2_000


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
        # The index links to a page by a name of the listing's `instead`: the member's
        # wording has no such setting (so a 404 at its address says the member lacks it).
        self.lacking_listed = False

    @property
    def url(self) -> str:
        return self.base_url + (self.found.path if self.found else self.spec.path)

    async def open(self, *, reload: bool = False, loaded_by: SettingLocation | None = None) -> None:
        """Load the setting's page; with `loaded_by`, another setting of the same page
        has just loaded it, and this one reads it as it is."""
        if loaded_by is not None:
            self.status, self.found = loaded_by.status, loaded_by.found
            self.lacking_listed = False  # the other setting's index question, not this one's
            self.ensure()
            return
        reload = reload and self.variant_at(path_of(self.page.url)) is not None
        if not reload:
            self.lacking_listed = False
        self.requests.reset()
        self.status = await navigate(
            self.page,
            self.url,
            f"the {self.spec.label} page",
            reload=reload,
            timeout_s=self.timeout_s,
        )
        if self.status == 404 and not reload:
            await self._follow_the_index()
        elif not reload and self._elsewhere():
            await self._confirm_on_the_index()
        self.ensure()

    def variant_at(self, path: str) -> PageVariant | None:
        return self.spec.variant_at(path) or (
            self.found if self.found and self.found.path == path.rstrip("/") else None
        )

    async def _follow_the_index(self) -> None:
        """The pack's address is gone: find the setting's page the way a person would, by
        its name on its Settings & Privacy index page, and read it with the pack's switch
        selectors and second sources. Where the index links to no page of that name, the
        browser stays on the pack's address, whose 404 then says what it says (for a
        setting only some members have: that this one lacks it, where the index says so)."""
        path = await self._listed_path()
        if path is None:
            return
        self._found_on_the_index(path)
        self.requests.reset()
        self.status = await navigate(self.page, self.base_url + path, f"the {self.spec.label} page",
                               timeout_s=self.timeout_s)  # fmt: skip

    def _elsewhere(self) -> bool:
        """LinkedIn sent the browser to a page of its own that the pack does not know."""
        url = self.page.url
        return classify(url, self.pack.pages) is PageKind.OTHER and not self.variant_at(
            path_of(url)
        )

    async def _confirm_on_the_index(self) -> None:
        """LinkedIn redirected the setting's address to a page the pack does not know:
        it is read as the setting's page only where the index, too, links to it by one
        of the setting's names."""
        here = path_of(self.page.url).rstrip("/")
        listed = await self._listed_path()
        if listed is not None and listed.rstrip("/") == here:
            self._found_on_the_index(here)

    def _found_on_the_index(self, path: str) -> None:
        """Read the page at `path` with the pack's switch selectors and second sources.
        Whether it asks for its value with a request is not known: it may, so a switch
        without a second opinion must hold still as long as on such a page."""
        first = self.spec.variants[0]
        self.found = PageVariant("found on the index", path.rstrip("/"), first.switch, True)

    async def _listed_path(self) -> str | None:
        """The path the index links to by one of the setting's names, read in a page of
        its own; None where the setting is listed nowhere, or the index links to no page
        by its names, or off LinkedIn. Where it links to none by its names, whether it
        links to one by a name of the listing's `instead` is noted (`lacking_listed`)."""
        listing = self.spec.listing
        if listing is None:
            return None
        index = await self.page.context.new_page()
        try:
            url = self.base_url + listing.path
            await navigate(index, url, "the settings index", timeout_s=self.timeout_s)
            self._raise_unless_settings(index.url)
            href = await _link_named(index, listing.names)
            if href is None and listing.instead:
                self.lacking_listed = await _link_named(index, listing.instead) is not None
            url = index.url
        finally:
            await index.close()
        target = urljoin(url, href or "")
        if href is None or origin_of(target) != origin_of(self.base_url):
            return None  # never leave LinkedIn for a link on its page
        return path_of(target)

    def _raise_unless_settings(self, url: str) -> None:
        """Raise where LinkedIn sent a sign-in, checkpoint or refusal page instead."""
        kind = classify(url, self.pack.pages)
        if kind is PageKind.LOGIN:
            raise SessionExpired(url)
        if kind is PageKind.CHALLENGE:
            raise challenge_error(url)
        if kind is PageKind.REFUSED:
            raise refusal_error(url)
        if kind is PageKind.RESTRICTED:
            raise restricted_error(url)

    def lacking_by_404(self) -> bool:
        """The setting's address answered 404. For a setting only some members have, that
        says this member lacks it where the pack names no index to look on, or where the
        index, linking to no page by the setting's names, links to one by a name that
        says the member's wording has none (`instead`). Else optout cannot tell: raised."""
        spec, address = self.spec, path_of(self.page.url)
        if not spec.missing_means_unavailable:
            raise LayoutChanged(
                f"LinkedIn answered {address} with 404 (no such page); "
                f"it may have moved the {spec.label} setting."
            )
        if spec.listing is None or self.lacking_listed:
            return True
        raise LayoutChanged(
            f"LinkedIn answered {address} with 404 (no such page), and its settings index "
            f"links to no page by a name optout knows for {spec.label}: whether you have "
            f"this setting cannot be told."
        )

    def ensure(self) -> None:
        """Raise unless the browser shows one of the setting's pages; note which one."""
        url = self.page.url
        self._raise_unless_settings(url)
        variant = self.variant_at(path_of(url))
        if variant is None:
            raise LayoutChanged(
                f"LinkedIn showed {path_of(url)} instead of the {self.spec.label} page; "
                "it may have moved the setting."
            )
        self.variant = variant


async def _link_named(page: Page, names: tuple[str, ...]) -> str | None:
    """The href of the one link named by one of `names`, in their order; None if none
    is. An index that draws its rows by script is given a moment to draw one."""
    from playwright.async_api import Error as PlaywrightError

    with contextlib.suppress(PlaywrightError):  # a page of no such links: looked at as it is
        await page.locator(SETTING_LINKS).first.wait_for(timeout=LINKS_WAIT_MS)
    for name in names:
        named = re.compile(re.escape(normalize_text(name)), re.IGNORECASE)
        links = page.get_by_role("link", name=named)
        if await links.count() != 1:
            continue
        try:
            return await links.first.get_attribute("href", timeout=ELEMENT_QUERY_MS)
        except PlaywrightError:
            continue  # drawn away as it was read
    return None
