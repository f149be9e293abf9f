"""Runs that read nothing of a setting: told once it has lasted, per setting, and not
told again because runs in between failed in another way. The scheduled run's own
follow-up, with its real history and a real local webhook receiver."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from optout.core.config import Settings, load_settings
from optout.core.errors import ChallengeRequired, LayoutChanged, OptoutError, SiteUnavailable
from optout.core.results import Mode, RunResult, SettingResult, State
from optout.scheduled.run import follow_up
from optout.storage.history import History

# apprise, loaded in this process here (the scheduled run loads it the same way), still
# imports the standard library's imghdr, deprecated since Python 3.11.
pytestmark = pytest.mark.filterwarnings("ignore:'imghdr' is deprecated:DeprecationWarning")

ACCOUNT = "member@example.com"
AI = ("generative-ai-improvement", "Data for Generative AI Improvement")
TOOLS = ("ai-creation-tools", "AI creation tools for your profile and messages")
FAILING = SiteUnavailable("LinkedIn failed to serve the page (HTTP 503).")


@pytest.fixture
def messages() -> Iterator[tuple[str, list[str]]]:
    """A local webhook receiver (apprise's json://) and the messages it got."""
    got: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            got.append(json.loads(body)["message"])
            self.send_response(200)
            self.end_headers()

        def log_message(self, *_: object) -> None:
            return None

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"json://127.0.0.1:{server.server_address[1]}/hook", got
    server.shutdown()
    server.server_close()


def _settings(tmp_path: Path, url: str, history_days: int | None = None) -> Settings:
    config = tmp_path / "home" / "config"
    config.mkdir(parents=True)
    (config / "config.toml").write_text(f"notify = [{json.dumps(url)}]\n")
    env = {"OPTOUT_HOME": str(tmp_path / "home")}
    if history_days is not None:
        env["OPTOUT_HISTORY_DAYS"] = str(history_days)
    return load_settings(env)


def _run(
    settings: Settings, at: datetime, error: OptoutError | None, *states: tuple[str, str, State]
) -> None:
    """A scheduled run at `at`: recorded, then followed up as the scheduled run does."""
    result = RunResult(ACCOUNT, Mode.CHECK, checked_at=at, error=error)
    result.settings = [SettingResult(sid, label, state) for sid, label, state in states]
    History.of(settings).record(result, duration_s=1, scheduled=True)
    follow_up(settings, [result])


def test_one_setting_unread_for_days_is_told_while_another_reads(
    tmp_path: Path, messages: tuple[str, list[str]]
) -> None:
    url, got = messages
    settings = _settings(tmp_path, url)
    start = datetime.now(UTC) - timedelta(days=10)
    _run(settings, start, None, (*AI, State.OFF), (*TOOLS, State.UNAVAILABLE))
    for day in range(1, 5):  # the AI page fails; the other reads "unavailable" every time
        _run(settings, start + timedelta(days=day), FAILING,
             (*AI, State.UNKNOWN), (*TOOLS, State.UNAVAILABLE))  # fmt: skip
    assert len(got) == 1
    assert got[0].startswith(f"optout has not read {AI[1]} of {ACCOUNT} since")
    assert "HTTP 503" in got[0]


def test_runs_failing_in_other_ways_between_tell_nothing_again(
    tmp_path: Path, messages: tuple[str, list[str]]
) -> None:
    url, got = messages
    settings = _settings(tmp_path, url)
    start = datetime.now(UTC) - timedelta(days=10)
    not_understood = LayoutChanged("Could not know the state of the AI setting.")
    _run(settings, start, None, (*AI, State.OFF))
    _run(settings, start + timedelta(hours=1), not_understood, (*AI, State.UNKNOWN))
    told = len(got)
    assert told == 1  # the page not understood: one notice
    assert "could not read the switch" in got[0]
    _run(settings, start + timedelta(hours=2), FAILING, (*AI, State.UNKNOWN))
    _run(settings, start + timedelta(hours=3), not_understood, (*AI, State.UNKNOWN))
    assert len(got) == told  # nothing told again because LinkedIn failed in between
    _run(settings, start + timedelta(days=2), FAILING, (*AI, State.UNKNOWN))
    assert len(got) == told + 1
    assert "has not read" in got[-1]
    _run(settings, start + timedelta(days=3), ChallengeRequired("A checkpoint."))
    _run(settings, start + timedelta(days=4), FAILING, (*AI, State.UNKNOWN))
    sent = [message for message in got if "has not read" in message]
    assert len(sent) == 1, got


def test_a_short_history_still_tells(tmp_path: Path, messages: tuple[str, list[str]]) -> None:
    """OPTOUT_HISTORY_DAYS=1 keeps less than the usual wait: told after half a day."""
    url, got = messages
    settings = _settings(tmp_path, url, history_days=1)
    start = datetime.now(UTC) - timedelta(hours=20)
    _run(settings, start, FAILING)
    assert got == []
    _run(settings, start + timedelta(hours=13), FAILING)
    assert len(got) == 1
    assert got[0].startswith(f"optout has not read any of the settings of {ACCOUNT}")
