"""Which settings a command acts on: `--setting`, `--group`, `--all`, or the default."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from optout.core.selector_pack import Pack

# The setting that matters most, and what a command reads when told nothing else.
DEFAULT_SETTING = "generative-ai-improvement"
# What `--group` names; each setting of the pack belongs to one.
GROUPS = ("ai", "research", "ads", "marketing", "cookies")


@dataclass(frozen=True)
class SettingChoice:
    ids: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    every: bool = False

    def resolve(self, pack: Pack) -> list[str]:
        """The chosen ids in the pack's order, so settings sharing a page come together.
        Ids and groups add up; nothing chosen means the default setting."""
        if self.every:
            return list(pack.settings)
        chosen = set(self.ids) | {
            setting_id for setting_id, spec in pack.settings.items() if spec.group in self.groups
        }
        if not chosen:
            chosen = {DEFAULT_SETTING}
        ordered = [setting_id for setting_id in pack.settings if setting_id in chosen]
        return ordered + sorted(chosen - set(ordered))  # an id the pack lacks is reported later

    def argv(self) -> list[str]:
        """The same choice as command-line options, for a scheduled run."""
        if self.every:
            return ["--all"]
        args: list[str] = []
        for setting_id in self.ids:
            args += ["--setting", setting_id]
        for group in self.groups:
            args += ["--group", group]
        return args
