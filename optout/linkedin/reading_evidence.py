"""What one account's run keeps of the pages it read: screenshots (a change as a pair,
before and after the click), the cleaned page when a state cannot be known, and
notes of where a page differed from the selector pack's hints. Keeping any of it
never fails the run."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from optout.core import scrubber
from optout.core.config import Settings
from optout.core.errors import OptoutError
from optout.core.results import State
from optout.core.selector_pack import Pack, SettingSpec
from optout.evidence.page_capture import save_evidence
from optout.evidence.screenshots import Phase, keep_screenshot
from optout.linkedin.settings_pages.calibration import Calibration, observe
from optout.linkedin.settings_pages.settings_page import SettingPage
from optout.storage.history import History

if TYPE_CHECKING:
    from playwright.async_api import Page

    from optout.storage.history import Screenshot


class ReadingEvidence:
    def __init__(
        self,
        settings: Settings,
        pack: Pack,
        account: str,
        history: History,
        progress: Callable[[str], None],
    ) -> None:
        self.settings = settings
        self.pack = pack
        self.account = account
        self.history = history
        self.progress = progress
        self._before: dict[str, Screenshot] = {}  # a change's first screenshot, by setting

    def calibrate(self, setting_page: SettingPage) -> None:
        """Note where the page differed from the pack's hints."""
        seen = observe(
            setting_page.spec, setting_page.opinion, setting_page.switch_aria_keys, self.pack.values
        )
        if seen is None:
            return
        try:
            # The notes are one file that each note reads and writes whole: this waits
            # for nothing, so the accounts of a run side by side never write it at once.
            Calibration(self.settings.paths.state_dir).record(seen)
        except OptoutError as exc:
            self.progress(f"Could not note what the page showed: {exc.message}")

    async def screenshot(
        self, page: Page, spec: SettingSpec, state: State, phase: Phase = "reading"
    ) -> None:
        """Evidence of what the page showed."""
        from playwright.async_api import Error as PlaywrightError

        pair = self._before.pop(spec.id, None) if phase == "after" else None
        try:
            shot = await keep_screenshot(
                page, self.settings.paths.state_dir, self.history, account=self.account,
                setting=spec.id, state=state.value, phase=phase, pair=pair,
            )  # fmt: skip
        except (PlaywrightError, OptoutError) as exc:
            self.progress(f"No screenshot kept: {exc}")
            return
        if phase == "before":
            self._before[spec.id] = shot

    async def keep_page(self, page: Page, spec: SettingSpec, *, clicked: bool) -> str:
        """Save a screenshot and the cleaned page; the sentences that say what and where."""
        done = (
            " The switch was clicked once to switch it off; what it shows now is not known."
            if clicked
            else " Nothing was clicked."
        )
        # Every secret of the run: the keyring's reads registered this account's own.
        folder = await save_evidence(
            page, self.settings.paths.debug_dir, spec.id, scrubber.values(), account=self.account
        )
        if folder is None:
            return done
        return (
            f"{done} Evidence (screenshot, page with secrets removed): {folder}."
            " Please report it, or adapt the selectors (`optout selectors path`)."
        )
