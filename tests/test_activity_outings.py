"""What he does at an occasion a story reports (issue 14, eighth round; docs/activities.md): a speech
of his after the visit is an activity of its own, the visit keeps the lists; the place he stood is
no target; another's act upon his authorization is not his. Synthetic sentences in KCNA's wordings."""

from __future__ import annotations

import datetime

from conftest import leader_activities

VISIT = (
    "Pyongyang, March 16 (KCNA) -- Kim Jong Il, general secretary of the Workers' Party of Korea, gave field "
    "guidance to the Kusong Machine Tool Factory.\nHe went round the shops of the factory and praised its "
    "workers for their feats.\n"
)


def test_a_speech_at_the_occasion_is_its_own() -> None:
    text = VISIT + "He made a welcome speech.\nHe expressed thanks to the workers for their efforts."
    kinds = [e["kind"] for e in leader_activities(text, datetime.date(2011, 3, 16))]
    assert kinds == ["field_guidance", "speech"]


def test_a_photo_session_retold_in_praise_is_none() -> None:
    """With no activity of his reported before, "He had a photo taken with ..." retells a deed."""
    text = (
        "Pyongyang, March 16 (KCNA) -- The workers of the Kusong Machine Tool Factory are full of pride.\nHe had "
        "a photo taken with them years ago, they recalled."
    )
    assert leader_activities(text, datetime.date(2011, 3, 16)) == []


def test_the_place_he_stood_is_no_target() -> None:
    """"appeared at the venue of the ceremony", "appeared on the platform": the occasion is the target."""
    venue = (
        "Pyongyang, August 5 (KCNA) -- A ceremony for the transfer of new-type weapon systems took place on "
        "August 4.\nKim Jong Un, general secretary of the WPK, appeared at the venue of the ceremony."
    )
    platform = (
        "Pyongyang, July 28 (KCNA) -- A ceremony of commemorative march of columns took place on July 27.\nKim "
        "Jong Un, general secretary of the WPK, appeared on the platform, together with war veterans."
    )
    assert [e["target"] for e in leader_activities(venue, datetime.date(2024, 8, 5))] == ["the ceremony"]
    assert [e["target"] for e in leader_activities(platform, datetime.date(2024, 7, 28))] == [
        "A ceremony of commemorative march of columns"
    ]


def test_an_act_upon_his_authorization_is_not_his() -> None:
    text = (
        "Pyongyang, August 2 (KCNA) -- Upon authorization of Kim Jong Un, president of the State Affairs of the "
        "DPRK, Choe Ryong Hae, first vice-president, received credentials from the Lao ambassador on Thursday."
    )
    assert leader_activities(text, datetime.date(2024, 8, 2)) == []
