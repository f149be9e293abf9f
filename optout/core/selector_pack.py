"""Load and validate the selector pack (selectors/linkedin.toml, plus the member's override).

The pack is data: where each setting lives, how to find its switch, what
"off" looks like, and where a second source of its value is. Every problem is
reported with the file and the key, so a broken override is easy to fix.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from optout.core.errors import EnvironmentProblem
from optout.core.setting_choice import GROUPS
from optout.linkedin.card_answer import Vocabulary

PACK_FILE = "linkedin.toml"
OVERRIDE_FILE = "selectors.toml"


@dataclass(frozen=True)
class PagePaths:
    signed_in: tuple[str, ...]
    login: tuple[str, ...]
    challenge: tuple[str, ...]
    refused: tuple[str, ...]
    restricted: tuple[str, ...]


@dataclass(frozen=True)
class SigninSelectors:
    path: str
    session_cookie: str
    username: tuple[str, ...]
    password: tuple[str, ...]
    submit: tuple[str, ...]
    error: tuple[str, ...]
    session_cookies: tuple[str, ...]
    chooser: str
    chooser_other: tuple[str, ...]
    chooser_other_text: tuple[str, ...]
    # On an email-first page, what goes on from the email to the password.
    continue_button: tuple[str, ...] = ()


# The checkpoint kinds optout knows: two take a code, two need a person.
CHALLENGE_KINDS = ("email_pin", "two_step", "app", "captcha")
CODE_CHALLENGES = ("email_pin", "two_step")


@dataclass(frozen=True)
class ChallengeSelectors:
    """How one kind of checkpoint page is told apart, and where its code goes."""

    kind: str
    form: str
    code: tuple[str, ...] = ()
    submit: tuple[str, ...] = ()
    error: tuple[str, ...] = ()


@dataclass(frozen=True)
class PageVariant:
    """One page LinkedIn is known to serve for a setting."""

    name: str
    path: str
    switch: tuple[str, ...]  # what a switch is on this page, most specific first
    # The page loads the value with the setting's `api` request: a reading waits for it.
    settings_request: bool


@dataclass(frozen=True)
class ApiSource:
    """The page's own settings request, read as a second source of the value.

    Only `path` is known; the keys and the card name are hints for finding the
    setting's entry in the answer, never conditions for reading it."""

    path: str
    keys: tuple[str, ...] = ()
    card: str | None = None


@dataclass(frozen=True)
class IndexSource:
    """The Data privacy index, which shows the value beside the setting."""

    path: str
    link: str
    on: tuple[str, ...]
    off: tuple[str, ...]


@dataclass(frozen=True)
class SettingSpec:
    id: str
    label: str
    group: str  # one of GROUPS
    on_when_checked: bool
    missing_means_unavailable: bool
    aria_keys: tuple[str, ...]
    labels: dict[str, tuple[str, ...]]
    unavailable: dict[str, tuple[str, ...]]
    api: ApiSource | None
    index: IndexSource | None
    variants: tuple[PageVariant, ...]

    @property
    def path(self) -> str:
        """Where optout goes first; LinkedIn may redirect to another variant's path."""
        return self.variants[0].path

    def variant_at(self, path: str) -> PageVariant | None:
        wanted = path.rstrip("/") or "/"
        for variant in self.variants:
            if variant.path.rstrip("/") == wanted:
                return variant
        return None

    def label_texts(self) -> tuple[str, ...]:
        """Every known wording of the switch's label, English last."""
        ordered = sorted(self.labels, key=lambda lang: lang == "en")
        return tuple(text for lang in ordered for text in self.labels[lang])

    def unavailable_texts(self) -> tuple[str, ...]:
        return tuple(text for texts in self.unavailable.values() for text in texts)


# Kinds of resources a check may leave out: a page never needs them to show a switch.
RESOURCE_TYPES = ("image", "media", "font")


@dataclass(frozen=True)
class NetworkRules:
    """Requests a check does not need: refused before they leave the browser."""

    block_types: tuple[str, ...] = ()
    block_hosts: tuple[str, ...] = ()  # a host, or any host under it
    block_paths: tuple[str, ...] = ()  # path prefixes, on any host


@dataclass(frozen=True)
class ObjectionForm:
    """LinkedIn's Data Processing Objection Form: where it is and its fields."""

    path: str
    name: tuple[str, ...]
    email: tuple[str, ...]
    objection_type: tuple[str, ...]
    text: tuple[str, ...]
    submit: tuple[str, ...]
    received: tuple[str, ...]  # what shows once LinkedIn has the form
    reference: tuple[str, ...]  # the case number on that page, if any
    types: dict[str, str]  # optout's objection types -> the form's option values


@dataclass(frozen=True)
class Pack:
    version: str
    source: str
    pages: PagePaths
    signin: SigninSelectors
    challenges: tuple[ChallengeSelectors, ...]
    settings: dict[str, SettingSpec]
    network: NetworkRules = NetworkRules()
    objection: ObjectionForm | None = None
    values: Vocabulary = field(default_factory=Vocabulary)

    def setting(self, setting_id: str) -> SettingSpec:
        return self.settings[setting_id]


def builtin_pack_path() -> Path:
    """The pack shipped with optout: inside the wheel, or beside the source tree."""
    packaged = resources.files("optout").joinpath("_selectors", PACK_FILE)
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "selectors" / PACK_FILE


def override_path(config_dir: Path) -> Path:
    return config_dir / OVERRIDE_FILE


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
        assert reader is not None
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
    reader.only("name", "path", "switch", "settings_request")
    return PageVariant(
        name=reader.text("name"),
        path=reader.path("path"),
        switch=reader.texts("switch"),
        settings_request=reader.flag("settings_request", default=False),
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
    reader.only("on", "off")
    vocabulary = Vocabulary(reader.texts("on"), reader.texts("off"))
    shared = {w.casefold() for w in vocabulary.on} & {w.casefold() for w in vocabulary.off}
    if shared:
        raise reader.fail("off", f"repeats {sorted(shared)[0]!r}, a word listed under `on`")
    return vocabulary


def _index(reader: _Reader | None) -> IndexSource | None:
    if reader is None:
        return None
    reader.only("path", "link", "on", "off")
    return IndexSource(
        reader.path("path"), reader.text("link"), reader.texts("on"), reader.texts("off")
    )


def _setting(setting_id: str, spec: _Reader) -> SettingSpec:
    spec.only(
        "label", "group", "on_when_checked", "missing_means_unavailable", "aria_keys",
        "labels", "unavailable", "api", "index", "variants",
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
    return SettingSpec(
        id=setting_id,
        label=spec.text("label"),
        group=group,
        on_when_checked=spec.flag("on_when_checked"),
        missing_means_unavailable=spec.flag("missing_means_unavailable", default=False),
        aria_keys=spec.texts("aria_keys", optional=True),
        labels=spec.by_language("labels"),
        unavailable=spec.by_language("unavailable"),
        api=_api(spec.sub("api", optional=True)),
        index=_index(spec.sub("index", optional=True)),
        variants=variants,
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
        "version", "pages", "signin", "challenges", "network", "objection", "values", "settings"
    )
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
    )


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


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise EnvironmentProblem(f"Cannot read the selector pack {path}: {exc.strerror}.") from exc
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise EnvironmentProblem(f"Selector pack {path} is not valid TOML: {exc}.") from exc


def parse_pack(text: str, source: str) -> Pack:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise EnvironmentProblem(f"Selector pack {source} is not valid TOML: {exc}.") from exc
    return parse_pack_data(data, source)


def merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Tables merge key by key; any other value (lists included) is replaced."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def load_pack(
    config_dir: Path | None = None, *, path: Path | None = None, override: Path | None = None
) -> Pack:
    """The built-in pack (or `path`) with the member's override merged in: `override`, or
    else `selectors.toml` in `config_dir` when it exists."""
    base_path = path or builtin_pack_path()
    data = _read_toml(base_path)
    source = str(base_path)
    if override is None and config_dir is not None and override_path(config_dir).is_file():
        override = override_path(config_dir)
    if override is not None:
        data = merge(data, _read_toml(override))
        source = f"{base_path} + {override}"
    return parse_pack_data(data, source)
