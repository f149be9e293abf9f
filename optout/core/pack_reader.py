"""Reading the selector pack's TOML data into a Pack, refusing anything it does not know.

Every problem names the file and the key, so a broken override is easy to fix.
"""

from __future__ import annotations

import re
from typing import Any

from optout.core.errors import EnvironmentProblem
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
from optout.core.setting_choice import GROUPS


class _Reader:
    """Typed access to one TOML table that names the file and key on every error."""

    def __init__(self, source: str, table: dict[str, Any], where: str) -> None:
        self.source, self.table, self.where = source, table, where

    def _name(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def fail(self, key: str, problem: str) -> EnvironmentProblem:
        return EnvironmentProblem(f"Selector pack {self.source}: `{self._name(key)}` {problem}.")

    def only(self, *known: str) -> None:
        """Refuse keys the format does not have: a typo must not pass silently."""
        for key in self.table:
            if key not in known:
                raise self.fail(key, f"is not a known key (known: {', '.join(known)})")

    def text(self, key: str) -> str:
        value = self.table.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, "must be a non-empty string")
        return value

    def path(self, key: str) -> str:
        value = self.text(key)
        if not value.startswith("/"):
            raise self.fail(key, "must be a URL path starting with /")
        return value

    def texts(self, key: str, *, optional: bool = False) -> tuple[str, ...]:
        """A list of strings; `optional`: may be missing or empty."""
        value = self.table.get(key)
        if optional and (value is None or value == []):
            return ()
        if (
            not isinstance(value, list)
            or not value
            or not all(isinstance(v, str) and v.strip() for v in value)
        ):
            raise self.fail(key, "must be a non-empty list of non-empty strings")
        return tuple(value)

    def flag(self, key: str, *, default: bool | None = None) -> bool:
        value = self.table.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(key, "must be true or false")
        return value

    def sub(self, key: str, *, optional: bool = False) -> _Reader | None:
        value = self.table.get(key)
        if value is None and optional:
            return None
        if not isinstance(value, dict):
            raise self.fail(key, "must be a table")
        return _Reader(self.source, value, self._name(key))

    def must_sub(self, key: str) -> _Reader:
        reader = self.sub(key)
        if reader is None:  # not reached: a required table is never None
            raise self.fail(key, "must be a table")
        return reader

    def subs(self, key: str) -> list[_Reader]:
        value = self.table.get(key)
        if not isinstance(value, list) or not value or not all(isinstance(v, dict) for v in value):
            raise self.fail(key, "must be a non-empty array of tables ([[...]])")
        return [_Reader(self.source, v, f"{self._name(key)}[{i}]") for i, v in enumerate(value)]

    def by_language(self, key: str) -> dict[str, tuple[str, ...]]:
        table = self.sub(key, optional=True)
        if table is None:
            return {}
        return {lang: table.texts(lang) for lang in table.table}


def _variant(reader: _Reader) -> PageVariant:
    reader.only("name", "path", "switch", "settings_request", "may_carry_value")
    return PageVariant(
        name=reader.text("name"),
        path=reader.path("path"),
        switch=reader.texts("switch"),
        settings_request=reader.flag("settings_request", default=False),
        may_carry_value=reader.flag("may_carry_value", default=False),
    )


def _api(reader: _Reader | None) -> ApiSource | None:
    if reader is None:
        return None
    # `key` and `on_value` are the older form of these hints: still read, so an
    # override written for it keeps loading (a guessed on_value is no longer used).
    reader.only("path", "keys", "key", "card", "on_value")
    keys = reader.texts("keys", optional=True)
    if "key" in reader.table:
        keys = (*keys, reader.text("key"))
    card = reader.text("card") if "card" in reader.table else None
    if "on_value" in reader.table:
        reader.text("on_value")
    return ApiSource(reader.path("path"), keys, card)


def _values(reader: _Reader | None) -> Vocabulary:
    if reader is None:
        return Vocabulary()
    reader.only("on", "off", "shown_on", "shown_off")
    vocabulary = Vocabulary(
        reader.texts("on"), reader.texts("off"),
        reader.texts("shown_on", optional=True) or Vocabulary.shown_on,
        reader.texts("shown_off", optional=True) or Vocabulary.shown_off,
    )  # fmt: skip
    for on, off, name in (
        (vocabulary.on, vocabulary.off, "off"),
        (vocabulary.shown_on, vocabulary.shown_off, "shown_off"),
    ):
        shared = {w.casefold() for w in on} & {w.casefold() for w in off}
        if shared:
            raise reader.fail(name, f"repeats {sorted(shared)[0]!r}, a word listed as on")
    return vocabulary


def _index(reader: _Reader | None) -> IndexSource | None:
    if reader is None:
        return None
    reader.only("path", "link", "on", "off")
    return IndexSource(
        reader.path("path"), reader.text("link"), reader.texts("on"), reader.texts("off")
    )


def _listing(reader: _Reader | None, label: str, index: IndexSource | None) -> Listing | None:
    """The `listed` table; else the index's page, linking by the setting's label."""
    if reader is None:
        return Listing(index.path, (label,)) if index is not None else None
    reader.only("path", "names", "instead")
    return Listing(
        reader.path("path"), reader.texts("names"), reader.texts("instead", optional=True)
    )


def _setting(setting_id: str, spec: _Reader) -> SettingSpec:
    spec.only(
        "label", "group", "on_when_checked", "missing_means_unavailable", "aria_keys",
        "labels", "unavailable", "api", "index", "listed", "variants",
    )  # fmt: skip
    group = spec.text("group")
    if group not in GROUPS:
        raise spec.fail("group", f"must be one of {', '.join(GROUPS)}")
    variants = tuple(_variant(v) for v in spec.subs("variants"))
    names = [v.name for v in variants]
    if len(set(names)) != len(names):
        raise spec.fail("variants", "has two variants with the same name")
    if any(v.settings_request for v in variants) and spec.sub("api", optional=True) is None:
        raise spec.fail("api", "is needed: a variant says its page makes a settings request")
    label, index = spec.text("label"), _index(spec.sub("index", optional=True))
    return SettingSpec(
        id=setting_id,
        label=label,
        group=group,
        on_when_checked=spec.flag("on_when_checked"),
        missing_means_unavailable=spec.flag("missing_means_unavailable", default=False),
        aria_keys=spec.texts("aria_keys", optional=True),
        labels=spec.by_language("labels"),
        unavailable=spec.by_language("unavailable"),
        api=_api(spec.sub("api", optional=True)),
        index=index,
        variants=variants,
        listing=_listing(spec.sub("listed", optional=True), label, index),
    )


def _challenges(table: _Reader) -> tuple[ChallengeSelectors, ...]:
    table.only(*CHALLENGE_KINDS)
    found = []
    for kind in CHALLENGE_KINDS:
        reader = table.sub(kind, optional=True)
        if reader is None:
            continue
        if kind in CODE_CHALLENGES:
            reader.only("form", "code", "submit", "error")
            found.append(
                ChallengeSelectors(
                    kind,
                    reader.text("form"),
                    reader.texts("code"),
                    reader.texts("submit"),
                    reader.texts("error"),
                )
            )
        else:
            reader.only("form")
            found.append(ChallengeSelectors(kind, reader.text("form")))
    return tuple(found)


def parse_pack_data(data: dict[str, Any], source: str) -> Pack:
    root = _Reader(source, data, "")
    root.only(
        "version", "pages", "signin", "challenges", "network", "objection", "values",
        "failing", "not_offered", "settings",
    )  # fmt: skip
    pages = root.must_sub("pages")
    pages.only("signed_in", "login", "challenge", "refused", "restricted")
    signin = root.must_sub("signin")
    signin.only(
        "path", "session_cookie", "session_cookies", "username", "password", "submit", "error",
        "chooser", "chooser_other", "chooser_other_text", "continue_button",
    )  # fmt: skip
    settings_table = root.must_sub("settings")
    for setting_id in settings_table.table:
        # Ids end up in file names, history rows and command lines.
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,63}", setting_id):
            raise settings_table.fail(setting_id, "is not a setting id (a-z, 0-9 and -)")
    settings = {
        setting_id: _setting(setting_id, settings_table.must_sub(setting_id))
        for setting_id in settings_table.table
    }
    if not settings:
        raise EnvironmentProblem(f"Selector pack {source}: `settings` names no setting.")
    return Pack(
        version=root.text("version"),
        source=source,
        pages=PagePaths(
            signed_in=pages.texts("signed_in"),
            login=pages.texts("login"),
            challenge=pages.texts("challenge"),
            refused=pages.texts("refused"),
            restricted=pages.texts("restricted"),
        ),
        signin=SigninSelectors(
            path=signin.path("path"),
            session_cookie=signin.text("session_cookie"),
            username=signin.texts("username"),
            password=signin.texts("password"),
            submit=signin.texts("submit"),
            error=signin.texts("error"),
            session_cookies=signin.texts("session_cookies"),
            chooser=signin.text("chooser"),
            chooser_other=signin.texts("chooser_other"),
            chooser_other_text=signin.texts("chooser_other_text"),
            continue_button=signin.texts("continue_button", optional=True),
        ),
        challenges=_challenges(root.must_sub("challenges")),
        settings=settings,
        network=_network(root.sub("network", optional=True)),
        objection=_objection(root.sub("objection", optional=True)),
        values=_values(root.sub("values", optional=True)),
        failing=_words(root, "failing"),
        not_offered=_words(root, "not_offered"),
    )


def _words(root: _Reader, key: str) -> tuple[str, ...]:
    """A table of word lists by language, as one list: the page's language is not known."""
    return tuple(text for texts in root.by_language(key).values() for text in texts)


def _objection(table: _Reader | None) -> ObjectionForm | None:
    if table is None:
        return None
    table.only("path", "name", "email", "type", "text", "submit", "received", "reference", "types")
    types = table.must_sub("types")
    return ObjectionForm(
        path=table.path("path"),
        name=table.texts("name"),
        email=table.texts("email"),
        objection_type=table.texts("type"),
        text=table.texts("text"),
        submit=table.texts("submit"),
        received=table.texts("received"),
        reference=table.texts("reference", optional=True),
        types={kind: types.text(kind) for kind in types.table},
    )


def _network(table: _Reader | None) -> NetworkRules:
    if table is None:
        return NetworkRules()
    table.only("block_types", "block_hosts", "block_paths")
    types = table.texts("block_types", optional=True)
    unknown = [kind for kind in types if kind not in RESOURCE_TYPES]
    if unknown:
        raise table.fail(
            "block_types", f"has {unknown[0]!r} (blockable: {', '.join(RESOURCE_TYPES)})"
        )
    return NetworkRules(
        types, table.texts("block_hosts", optional=True), table.texts("block_paths", optional=True)
    )
