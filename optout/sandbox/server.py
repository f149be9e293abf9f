"""The HTTP server around the routes, and `Sandbox`, the handle tests and the CLI use."""

from __future__ import annotations

import re
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from optout.sandbox.botguard import BotGuard
from optout.sandbox.cookies import parse_cookie_header
from optout.sandbox.details import PageDetails
from optout.sandbox.exchange import Request, Response
from optout.sandbox.faults import Chaos, Faults
from optout.sandbox.forms import PageForm, site_forms
from optout.sandbox.router import dispatch
from optout.sandbox.state import SandboxAccount, SandboxState

_MAX_BODY = 1024 * 1024  # sign-in forms and settings bodies are tiny
# Challenge ids in paths answer a checkpoint: logs show them shortened.
_TOKEN = re.compile(r"[A-Za-z0-9_-]{24,}")


def _redact(text: str) -> str:
    return _TOKEN.sub(lambda m: m.group(0)[:4] + "…", text)


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # a stuck browser connection must not keep the process alive
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], state: SandboxState, verbose: bool) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6  # read by the base class when it binds
        super().__init__(address, _Handler)
        self.state = state
        self.verbose = verbose
        self.stopping = threading.Event()  # set on stop: held (hanging) requests let go
        self.hang_limit_s = 120.0
        self.bot_guard = BotGuard()

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A browser that closes a page drops its pending requests: not the server's fault.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def version_string(self) -> str:
        return "sandbox"

    def do_GET(self) -> None:
        self._answer()

    def do_HEAD(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self._answer()

    def do_PUT(self) -> None:
        self._answer()

    # Known but unsupported methods get 405 from the router, not the stdlib's 501.
    def do_DELETE(self) -> None:
        self._answer()

    def do_PATCH(self) -> None:
        self._answer()

    def do_OPTIONS(self) -> None:
        self._answer()

    def _read_body(self) -> bytes | None:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            return None
        if length < 0 or length > _MAX_BODY:
            return None
        return self.rfile.read(length) if length else b""

    def _answer(self) -> None:
        body = self._read_body()
        if body is None:
            self._send(Response(413, b"Request body too large or malformed"))
            return
        path, _, query = self.path.partition("?")
        request = Request(
            method=self.command,
            path=path,
            query_string=query,
            headers={name.lower(): value for name, value in self.headers.items()},
            cookies=parse_cookie_header(self.headers.get("Cookie")),
            body=body,
        )
        guard = self.server.bot_guard
        response = guard.answer(request) or dispatch(request, self.server.state)
        guard.watch(request, response)
        if response.hang:
            # Hold the request like a server that never answers, then drop it.
            self.server.stopping.wait(self.server.hang_limit_s)
            self.close_connection = True
            return
        self._send(response)

    def _send(self, response: Response) -> None:
        self.send_response(response.status)
        for name, value in response.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    # Request lines can carry tokens in queries and bodies carry passwords: log neither,
    # and nothing at all unless asked.
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        if self.server.verbose:
            path = _redact(self.path.partition("?")[0])
            sys.stderr.write(f"sandbox: {self.command} {path} -> {code}\n")

    def log_message(self, format: str, *args: object) -> None:
        # Error messages can quote the request line, query and all.
        if self.server.verbose:
            text = re.sub(r"\?\S*", "?…", format % args)
            sys.stderr.write(f"sandbox: {_redact(text)}\n")


class Sandbox:
    """A local imitation of LinkedIn's sign-in and settings pages, with its own truth."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        verbose: bool = False,
        signin_page: str = "classic",
        heavy: bool = False,
        bot_guard: bool = True,
        readable_draws: bool = False,
    ) -> None:
        """Bind at once (port 0 picks a free port), so `base_url` is known before serving;
        OSError if the address is taken. `signin_page` is what `/login` is (SIGNIN_PAGES);
        `heavy` gives setting pages the weight of LinkedIn's real ones (heavy.py);
        `bot_guard=False` lets browsers that show automation in (botguard.py);
        `readable_draws` draws only details that leave optout a source it can know
        (PageDetails.readable), for runs that must end in a known state: the demo, and
        tests of a path rather than of the details."""
        self._state = SandboxState()
        self._state.heavy = heavy
        self._state.readable_draws = readable_draws
        self.set_signin_page(signin_page)
        self._server = _Server((host, port), self._state, verbose)
        self._server.bot_guard.enabled = bot_guard
        self._thread: threading.Thread | None = None
        self._closed = False

    # --- serving -------------------------------------------------------------------

    def start(self) -> Sandbox:
        """Serve in a daemon thread; returns self so `Sandbox().start()` reads naturally."""
        if self._closed:
            raise RuntimeError("this sandbox was stopped; create a new one")
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._server.serve_forever, name="optout-sandbox", daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and free the port; the accounts' state stays readable."""
        if self._closed:
            return
        self._closed = True
        self._server.stopping.set()
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join()
            self._thread = None
        self._server.server_close()

    def serve_forever(self) -> None:
        """Serve in this thread until Ctrl-C (for `optout sandbox --port N`)."""
        if self._closed or self._thread is not None:
            raise RuntimeError("this sandbox is already serving or was stopped")
        try:
            self._server.serve_forever()
        except KeyboardInterrupt:
            pass  # Ctrl-C is the normal way to end a foreground sandbox
        finally:
            self._closed = True
            self._server.server_close()

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        host = f"[{host!s}]" if ":" in str(host) else str(host)
        return f"http://{host}:{port}"

    # --- server-side truth ---------------------------------------------------------

    def add_account(
        self,
        email: str,
        password: str,
        *,
        settings: dict[str, bool] | None = None,
        checkpoint: bool = False,
        variant: str = "current",
        lang: str = "en",
        faults: Faults | None = None,
        challenge: str | None = None,
        totp_secret: str | None = None,
        details: PageDetails | None = None,
    ) -> None:
        """Create a member. `settings` replaces the defaults; a setting id left out is
        one LinkedIn does not offer this member. `variant` picks the page LinkedIn
        serves them (PAGE_VARIANTS), `lang` its language, `faults` its misbehaviour.
        `challenge` (CHALLENGE_KINDS) is what every correct password leads to;
        `checkpoint=True` means "email_pin". A "totp" account without `totp_secret`
        gets a generated one. `details` fixes what its setting pages do where the real
        site is unknown; without it they are drawn from the email (see `set_details`).
        ValueError for a duplicate email or an unknown value."""
        self._state.add_account(
            email, password, settings=settings, checkpoint=checkpoint,
            variant=variant, lang=lang, faults=faults,
            challenge=challenge, totp_secret=totp_secret, details=details,
        )  # fmt: skip

    def set_details(self, email: str, details: PageDetails | None) -> None:
        """Fix the account's page details (details.py); None draws them again, from a
        hash of the email and the details seed, so an email always gets the same ones."""
        self._state.set_details(email, details)

    def details(self, email: str) -> PageDetails:
        """The page details the account is served now, set or drawn."""
        return self._state.details(email)

    def set_details_seed(self, seed: int | None) -> None:
        """Draw the details of every account not set explicitly from this seed (and the
        email); None goes back to drawing from the email alone."""
        self._state.details_seed = seed

    # --- signing in ------------------------------------------------------------------

    def set_signin_page(self, name: str, *, seed: int | None = None) -> None:
        """What /login is: "classic" (the form), "flagship" (leads to the single-page one),
        "2026" (drawn by script, no form, a hidden second copy of the fields), or
        "email-first" (the password field shows after "Continue"); "random" draws one
        per render. Script-drawn pages vary per render (language, which copy is hidden,
        whether Enter sends); `seed` makes the draws repeatable."""
        self._state.signin.choose(name, seed)

    def set_password_delay(self, seconds: float | None) -> None:
        """How long the email-first page takes to show its password field after
        "Continue"; None: it never does (a page optout cannot understand)."""
        if seconds is not None and seconds < 0:
            raise ValueError("the password delay must not be negative")
        self._state.signin.password_delay_s = seconds

    def signin_renders(self) -> list[dict[str, object]]:
        """What the latest renders of script-drawn sign-in pages drew, oldest first."""
        return self._state.signin.renders()

    def objections(self, email: str) -> list[dict[str, str]]:
        """What the Data Processing Objection Form received from this member: name, email,
        type, explanation, case."""
        return self._state.objections(email)

    def heavy_requests(self, *, reset: bool = False) -> dict[str, int]:
        """What browsers asked of heavy mode's weight: script, image, font, beacon,
        long-poll (counts); `reset` starts counting again."""
        counts = self._state.heavy_requests()
        if reset:
            self._state.reset_heavy_requests()
        return counts

    def set_chooser(self, enabled: bool, *, shown_after_s: float | None = None) -> None:
        """Whether /login shows "Welcome back" to a browser that remembers an account;
        `shown_after_s`: how long after loading it shows the accounts (None: drawn)."""
        self._state.chooser = enabled
        self._state.signin.chooser_delay_s = shown_after_s

    @property
    def app_timeout_s(self) -> float:
        """How long app and captcha challenges wait before the poll answers EXPIRED."""
        return self._state.app_timeout_s

    @app_timeout_s.setter
    def app_timeout_s(self, seconds: float) -> None:
        self._state.app_timeout_s = seconds

    def set_challenge(
        self, email: str, challenge: str | None, totp_secret: str | None = None
    ) -> None:
        self._state.set_challenge(email, challenge, totp_secret)

    def totp_secret(self, email: str) -> str | None:
        return self._state.totp_secret(email)

    def pending_pin(self, email: str) -> str | None:
        """The PIN of the account's newest open email or SMS challenge."""
        return self._state.pending_pin(email)

    def pending_challenge(self, email: str) -> str | None:
        """The kind of the account's newest open challenge, if any."""
        return self._state.pending_challenge(email)

    def solve(self, email: str) -> bool:
        """Approve the app notification or pass the captcha the account is waiting on;
        False if no such challenge is waiting."""
        return self._state.solve(email)

    def approve(self, email: str) -> bool:
        return self._state.solve(email)

    def session_tokens(self, email: str) -> list[str]:
        """The li_at values of the account's live sessions."""
        return self._state.session_tokens(email)

    def set_variant(self, email: str, variant: str | None = None, lang: str | None = None) -> None:
        self._state.set_variant(email, variant, lang)

    def set_faults(self, email: str, faults: Faults) -> None:
        self._state.set_faults(email, faults)

    def set_chaos(self, seed: int | None, rate: float = 0.3) -> None:
        """Seeded random delays, failures and lost saves for every account; None stops it."""
        self._state.chaos = None if seed is None else Chaos(seed, rate)

    @property
    def hang_limit_s(self) -> float:
        return self._server.hang_limit_s

    @hang_limit_s.setter
    def hang_limit_s(self, seconds: float) -> None:
        self._server.hang_limit_s = seconds

    @property
    def bot_guard(self) -> BotGuard:
        """The HTTP 999 answer to automated browsers: `.enabled`, `.refusals()`."""
        return self._server.bot_guard

    def account(self, email: str) -> SandboxAccount:
        return self._state.account(email)

    def setting(self, email: str, setting_id: str) -> bool:
        return self._state.setting(email, setting_id)

    def set_setting(self, email: str, setting_id: str, value: bool) -> None:
        self._state.set_setting(email, setting_id, value)

    def expire_sessions(self, email: str | None = None) -> None:
        self._state.expire_sessions(email)

    def stats(self, email: str) -> dict[str, int]:
        return self._state.stats(email)

    def page_views(self, email: str, *, reset: bool = False) -> dict[str, int]:
        """Loads of each setting page the account made, by path (a page with two
        switches is one load); `reset` starts counting again."""
        return self._state.page_views(email, reset=reset)

    def page_form(self, email: str, setting_id: str) -> PageForm | None:
        """The form of the page that shows the setting to this account (forms.py): its
        path, card, keys, value words and the rest; None if its variant has no such page."""
        account = self._state.account(email)
        return site_forms(account.details, account.variant).for_setting(setting_id)
