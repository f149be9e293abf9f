"""Notices to the member through apprise (mail, ntfy, Slack, Discord, webhooks...).

The URLs come from the keyring (`optout schedule install --notify`) and the
config file, never from argv or the environment, and are never logged or
printed whole: a URL often carries a token or a password, so only its scheme
and host are ever shown.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

from optout.config import Settings

log = logging.getLogger("optout.notify")


@dataclass(frozen=True)
class Notice:
    title: str
    body: str


@dataclass(frozen=True)
class Delivery:
    target: str  # the URL without anything secret: scheme://host
    ok: bool
    reason: str = ""


def masked(url: str) -> str:
    """scheme://host[:port] of a notification URL: enough to tell targets apart."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "(unreadable URL)"
    return f"{parts.scheme}://{host}{port}" if parts.scheme else "(unreadable URL)"


def configured_urls(settings: Settings) -> list[str]:
    """The keyring's URLs, then the config file's, without repeats."""
    from optout import credentials

    urls = credentials.get_notify_urls(home_id(settings)) + list(settings.notify_urls)
    return list(dict.fromkeys(urls))


def home_id(settings: Settings) -> str:
    """A short stable id of this optout home (its config dir)."""
    import hashlib

    resolved = str(settings.paths.config_dir.expanduser().resolve())
    return hashlib.sha256(resolved.encode("utf-8")).hexdigest()[:8]


def check_url(url: str) -> str | None:
    """Why apprise cannot use `url`, or None if it can."""
    import apprise

    if apprise.Apprise.instantiate(url) is None:
        return f"{masked(url)} is not a notification URL apprise understands"
    return None


def send(urls: list[str], notice: Notice) -> list[Delivery]:
    """Send `notice` to each URL on its own, so one failing target does not hide the
    others' success."""
    import apprise

    # apprise logs details of failed requests that can include the URL.
    logging.getLogger("apprise").setLevel(logging.CRITICAL + 1)
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
