"""How often a settling switch is looked at (reading_pace.py)."""

from __future__ import annotations

import asyncio

import pytest

from optout.linkedin.settings_pages import reading_pace
from optout.linkedin.settings_pages.reading_pace import SAMPLE_MS, STEADY_SAMPLE_MS, pause_ms

HOLDS = (3.0, 5.0)


@pytest.mark.parametrize("held", [0.0, 0.2, 0.99])
def test_a_switch_that_may_still_change_is_looked_at_often(held: float) -> None:
    assert pause_ms(held, steady_after_s=1.0, holds=HOLDS) == SAMPLE_MS


@pytest.mark.parametrize("held", [1.0, 1.5, 3.5, 4.2])
def test_a_switch_held_still_is_looked_at_seldom(held: float) -> None:
    assert pause_ms(held, steady_after_s=1.0, holds=HOLDS) == STEADY_SAMPLE_MS


@pytest.mark.parametrize(("held", "to_the_end_ms"), [(2.9, 100.0), (4.87, 130.0)])
def test_a_pause_never_runs_past_the_end_of_a_hold(held: float, to_the_end_ms: float) -> None:
    assert pause_ms(held, steady_after_s=1.0, holds=HOLDS) == pytest.approx(to_the_end_ms)


@pytest.mark.parametrize("held", [2.99, 5.0, 9.0])
def test_at_the_end_of_a_hold_or_past_every_hold_the_pause_is_short(held: float) -> None:
    assert pause_ms(held, steady_after_s=1.0, holds=HOLDS) == SAMPLE_MS


def test_news_of_the_settings_request_ends_a_long_pause_at_once() -> None:
    async def paused_until_news() -> bool:
        news = asyncio.Event()
        waiting = asyncio.ensure_future(reading_pace.pause(None, news, 600_000))  # type: ignore[arg-type]
        await asyncio.sleep(0)
        news.set()
        await asyncio.wait_for(waiting, 60)  # a pause that ignored the news would not end
        return waiting.done()

    assert asyncio.run(paused_until_news())


def test_a_long_pause_without_news_ends_when_it_is_due() -> None:
    async def paused() -> bool:
        news = asyncio.Event()
        await asyncio.wait_for(reading_pace.pause(None, news, STEADY_SAMPLE_MS), 60)  # type: ignore[arg-type]
        return not news.is_set()

    assert asyncio.run(paused())
