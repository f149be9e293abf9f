"""Notices to the member through apprise (mail, ntfy, Slack, Discord, webhooks...).

The URLs come from the keyring (`optout schedule install --notify` or
`--notify-stdin`) and the config file, never from the scheduled job's argv or the
environment, and are never logged or printed whole: a URL carries its secret
anywhere, the host included (`ntfy://<topic>`, `pbul://<token>`), so only its
scheme and a fingerprint are ever shown.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass

from optout.core.config import Settings

log = logging.getLogger("optout.scheduled.notices")


@dataclass(frozen=True)
class Notice:
    title: str
    body: str


@dataclass(frozen=True)
class Delivery:
    target: str  # masked(url): the scheme and a fingerprint, nothing secret
    ok: bool
    reason: str = ""


_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://")
FINGERPRINT_LENGTH = 6


def fingerprint(url: str) -> str:
    """A short digest of the whole URL: the same target always shows the same one."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:FINGERPRINT_LENGTH]


def masked(url: str) -> str:
    """`scheme://…#fingerprint`: enough to tell targets apart, nothing to reuse."""
    scheme = _SCHEME.match(url.strip())
    shown = f"{scheme[1].lower()}://…" if scheme else "(unreadable URL)"
    return f"{shown}#{fingerprint(url)}"


def read_urls(lines: Iterable[str]) -> list[str]:
    """Notice targets one per line (`--notify-stdin`), blank lines and `#` comments skipped."""
    found = (line.strip() for line in lines)
    return [line for line in found if line and not line.startswith("#")]


def configured_urls(settings: Settings) -> list[str]:
    """The keyring's URLs, then the config file's, without repeats."""
    from optout.core import scrubber
    from optout.storage import credentials

    urls = credentials.get_notify_urls(home_id(settings)) + list(settings.notify_urls)
    for url in settings.notify_urls:
        scrubber.remember_url(url)  # the keyring's are registered as they are read
    return list(dict.fromkeys(urls))


def home_id(settings: Settings) -> str:
    """A short stable id of this optout home (its config dir)."""
    resolved = str(settings.paths.config_dir.expanduser().resolve())
    return hashlib.sha256(resolved.encode("utf-8")).hexdigest()[:8]


def _quiet_apprise() -> None:
    # apprise logs details of URLs and failed requests: they may hold the secret.
    logging.getLogger("apprise").setLevel(logging.CRITICAL + 1)


def check_url(url: str) -> str | None:
    """Why apprise cannot use `url`, or None if it can."""
    import apprise

    _quiet_apprise()
    if apprise.Apprise.instantiate(url) is None:
        return f"{masked(url)} is not a notification URL apprise understands"
    return None


def send(urls: list[str], notice: Notice) -> list[Delivery]:
    """Send `notice` to each URL on its own, so one failing target does not hide the
    others' success."""
    import apprise

    _quiet_apprise()
    deliveries = []
    for url in urls:
        target = masked(url)
        plugin = apprise.Apprise.instantiate(url)
        if plugin is None:
            deliveries.append(Delivery(target, False, "not a notification URL apprise knows"))
            continue
        try:
            ok = bool(plugin.notify(title=notice.title, body=notice.body))
        except Exception as exc:  # a plugin's own failure must not end the run
            ok = False
            log.debug("notice to %s raised %s", target, type(exc).__name__)
        deliveries.append(Delivery(target, ok, "" if ok else "the target did not accept it"))
        log.info("notice %r to %s: %s", notice.title, target, "sent" if ok else "FAILED")
    return deliveries
