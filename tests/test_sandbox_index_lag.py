"""The sandbox's Data privacy index, where it may lag behind a change (a cache; whether
LinkedIn's does is unconfirmed): PageDetails.index_lag_s."""

from __future__ import annotations

import re

import pytest
from details_kit import CARDS, PAGE, SETTING, ai_entry, new_member

from optout.sandbox import PageDetails, Sandbox
from optout.sandbox.details import AI_ARIA_KEY
from optout.sandbox.i18n import words


@pytest.mark.parametrize("lag_s", [0.0, 60.0])
def test_a_lagging_index_shows_the_value_from_before_the_members_change(
    box: Sandbox, lag_s: float
) -> None:
    details = PageDetails(index_lag_s=lag_s)  # the index in the pack's words, in the page
    email, client = new_member(box, details, lang="en")
    on, off = words("en").on, words("en").off

    def index_shows() -> str:
        status, page = client.call("GET", "/mypreferences/d/categories/privacy")
        assert status == 200
        row = re.search(rf'href="{PAGE}">.*?_rowValue_c47d02">(\w*)</span>', page, re.S)
        assert row is not None
        return row.group(1)

    assert index_shows() == on
    entry = ai_entry(client.call("GET", CARDS + details.card)[1], AI_ARIA_KEY)
    body = {"value": "OFF", "settingDisplayType": "TOGGLE", "entityUrn": entry["entityUrn"]}
    assert client.put(AI_ARIA_KEY, {**body, "key": AI_ARIA_KEY, "hasChild": False})[0] == 200
    assert box.setting(email, SETTING) is False
    assert index_shows() == (on if lag_s else off)
    box.set_setting(email, SETTING, False)  # a change from outside shows at once
    assert index_shows() == off
