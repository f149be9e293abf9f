"""The selector pack (selectors/linkedin.toml, plus the member's override), in one place.

The pack is data: where each setting lives, how to find its switch, what
"off" looks like, and where a second source of its value is. Its parts live
beside this module: the data (pack_model), reading and checking its TOML
(pack_reader), and finding, merging and loading the files (pack_loading).
"""

from __future__ import annotations

from optout.core.pack_loading import (
    OVERRIDE_FILE,
    PACK_FILE,
    builtin_pack_path,
    load_pack,
    merge,
    override_path,
    parse_pack,
)
from optout.core.pack_model import (
    CHALLENGE_KINDS,
    CODE_CHALLENGES,
    RESOURCE_TYPES,
    ApiSource,
    ChallengeSelectors,
    IndexSource,
    Listing,
    NetworkRules,
    ObjectionForm,
    Pack,
    PagePaths,
    PageVariant,
    SettingSpec,
    SigninSelectors,
    Vocabulary,
)
from optout.core.pack_reader import parse_pack_data

__all__ = [
    "CHALLENGE_KINDS",
    "CODE_CHALLENGES",
    "OVERRIDE_FILE",
    "PACK_FILE",
    "RESOURCE_TYPES",
    "ApiSource",
    "ChallengeSelectors",
    "IndexSource",
    "Listing",
    "NetworkRules",
    "ObjectionForm",
    "Pack",
    "PagePaths",
    "PageVariant",
    "SettingSpec",
    "SigninSelectors",
    "Vocabulary",
    "builtin_pack_path",
    "load_pack",
    "merge",
    "override_path",
    "parse_pack",
    "parse_pack_data",
]
