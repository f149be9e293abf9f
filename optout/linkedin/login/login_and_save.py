"""`optout login`: sign in fresh, and keep what it yields only once it worked."""

from __future__ import annotations

import asyncio

from optout.core import scrubber
from optout.core.config import Settings
from optout.core.errors import Refused
from optout.core.selector_pack import Pack
from optout.linkedin.account_errors import with_cooldown
from optout.linkedin.chromium.browser import launched
from optout.linkedin.login.sign_in import SignIn
from optout.linkedin.one_account import Progress, quiet
from optout.output.person import Person
from optout.storage import credentials
from optout.storage.accounts import AccountRegistry
from optout.storage.locks import held_meanwhile
from optout.storage.sessions import SessionStore


def sign_in_and_save(
    settings: Settings,
    pack: Pack,
    account: str,
    password: str | None,
    *,
    totp_secret: str | None = None,
    headed: bool = False,
    person: Person | None = None,
    say: Progress = quiet,
) -> None:
    """`optout login`: sign in fresh; only on success store what was given and the session.

    `password=None` (headed only): the person signs in in the window; no password is stored."""
    # Find out before signing in whether the keyring can keep what the sign-in yields.
    credentials.get_password(account, origin=settings.base_url)
    asyncio.run(
        _sign_in_and_save(
            settings, pack, account, password, totp_secret=totp_secret, headed=headed,
            person=person, say=say,
        )
    )  # fmt: skip


async def _sign_in_and_save(
    settings: Settings,
    pack: Pack,
    account: str,
    password: str | None,
    *,
    totp_secret: str | None,
    headed: bool,
    person: Person | None,
    say: Progress,
) -> None:
    registry = AccountRegistry(settings.paths.accounts_file)
    async with (
        held_meanwhile(settings.paths.locks_dir, account),
        launched(settings.browser, headed=headed, prefer_branded=headed) as session,
    ):
        context = await session.new_context()
        try:
            await SignIn(
                context, settings.base_url, pack, account, password,
                totp_secret=totp_secret, person=person, headed=headed,
                timeout_s=settings.timeout_s, say=say, debug_dir=settings.paths.debug_dir,
            ).run()  # fmt: skip
            if password is not None:
                credentials.set_password(account, password, origin=settings.base_url)
            if totp_secret is not None:
                credentials.set_totp_secret(account, totp_secret, origin=settings.base_url)
            cookies = await context.cookies()  # a session is its cookies (sessions.py)
            scrubber.remember_cookies(cookies, pack.signin.session_cookies)
            SessionStore.of(settings.paths).save(account, {"cookies": cookies})
            registry.record_login(account)
        except Refused as exc:
            raise with_cooldown(registry, account, exc) from exc
        finally:
            await context.close()
