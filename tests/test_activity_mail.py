"""Mail a leader sends and receives (issue 14, eighth round): the sender of what he receives, the
items named in the sentence, the direction his own verb states, and the content of mail reported
before (docs/activities.md, "Eighth round"). Synthetic sentences in KCNA's wordings."""

from __future__ import annotations

import datetime

import pytest

from conftest import leader_activities

DAY = datetime.date(2012, 9, 14)


def _mail(sentence: str, published: datetime.date = DAY) -> list[tuple[str | None, str | None, str | None]]:
    text = f"Pyongyang, September 14 (KCNA) -- {sentence}"
    return [
        (e["direction"], e["item"], e["target"])
        for e in leader_activities(text, published)
        if e["kind"] == "correspondence"
    ]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # He is the object: the sender is the clause before the verb, the items are named there.
        ("The visiting Foreign Ministry delegation of Laos presented a gift to the dear respected Kim Jong Un.",
         [("received", "gift", "The visiting Foreign Ministry delegation of Laos")]),
        ("A floral basket and a letter from the Cuban ambassador to the DPRK were conveyed to Kim Jong Un on "
         "Thursday.",
         [("received", "floral_basket", "the Cuban ambassador to the DPRK"),
          ("received", "letter", "the Cuban ambassador to the DPRK")]),
        ("A floral basket was presented to the dear respected Kim Jong Un by the visiting delegation of the "
         "Japanese Society for the Study of the Juche Idea.",
         [("received", "floral_basket", "the visiting delegation of the Japanese Society for the Study of the "
                                        "Juche Idea")]),
        # The passive: the sender after "by", not the words of the verb.
        ("The dear respected Kim Jong Un was presented with a gift by the Asian Olympic Council on Monday.",
         [("received", "gift", "the Asian Olympic Council")]),
        # An initial does not end the sentence; the occasion and the day are no part of the sender.
        ("The dear respected Kim Jong Un received a message of greeting from Russian President V. Putin on his "
         "election as first secretary of the WPK.",
         [("received", "message", "Russian President V. Putin")]),
        ("Kim Jong Un received a message of greeting from the chairman of the Mongolian People's Party on "
         "Sept. 6.",
         [("received", "message", "the chairman of the Mongolian People's Party")]),
    ],
)
def test_the_sender_and_items_of_mail_he_receives(
    sentence: str, expected: list[tuple[str | None, str | None, str | None]]
) -> None:
    assert _mail(sentence) == expected


def test_his_own_verb_says_which_way_the_mail_went() -> None:
    """"Kim Jong Un, ..., on Sept. 12 sent an autograph": mail he sent, though the sentence names no
    addressee the detector knows (an autograph to a deed was read as one he received)."""
    sentence = (
        "The dear respected Kim Jong Un, supreme leader of the Workers' Party of Korea and the Korean people, "
        "on Sept. 12 sent an autograph as regards the deed of Ri Chang Son, head of a sub-workteam of a farm."
    )
    assert [(d, item) for d, item, _ in _mail(sentence)] == [("sent", "autograph")]


@pytest.mark.parametrize(
    "content",
    [
        "The message said he was very pleased to extend warm congratulations to Kim Jong Un on behalf of the "
        "people and government of Benin.",
        "He said in his message that he was greatly pleased to send sincere congratulations to Kim Jong Un on "
        "his election.",
        "In the message they expressed the most sincere congratulations to Kim Jong Un.",
    ],
)
def test_what_a_message_said_is_no_further_mail(content: str) -> None:
    """The content of a message reported before is the same mail, not one more received."""
    lead = "The dear respected Kim Jong Un received a message of greeting from Thomas Boni Yayi, president of Benin."
    assert _mail(f"{lead}\n{content}") == [("received", "message", "Thomas Boni Yayi")]


def test_spanish_mail_names_its_sender_after_the_relative_clause() -> None:
    text = (
        "Pyongyang, 16 de febrero (ACNC) -- El Dirigente Kim Jong Il recibio un mensaje de felicitacion que le "
        "enviara el dia 14 el Presidente ruso Dmitri Anatolievich Medvedev con motivo de su cumpleanos."
    )
    events = [e for e in leader_activities(text, datetime.date(2011, 2, 16)) if e["kind"] == "correspondence"]
    assert [(e["direction"], e["item"], e["target"]) for e in events] == [
        ("received", "message", "el Presidente ruso Dmitri Anatolievich Medvedev")
    ]


def test_mail_received_is_dated_by_its_handover_not_by_what_it_says() -> None:
    """A received item with no day in its sentence: the handover day stated after it, never a day the
    message mentions ("on the occasion of April 15"); else the publication day."""
    said = (
        "Pyongyang, April 28 (KCNA) -- The dear respected Kim Jong Un received a message of greeting from the "
        "president of Benin.\nThe message said he was very pleased to extend warm congratulations on the "
        "occasion of April 15, the centenary of the birth of President Kim Il Sung."
    )
    handed = (
        "Pyongyang, September 14 (KCNA) -- A floral basket was presented to the dear respected Kim Jong Un by "
        "the visiting delegation of a Japanese society.\nThe floral basket was conveyed to an official "
        "concerned by the head of the delegation on Thursday."
    )
    assert [e["date"] for e in leader_activities(said, datetime.date(2012, 4, 28))] == ["2012-04-28"]
    assert [e["date"] for e in leader_activities(handed, datetime.date(2012, 9, 14))] == ["2012-09-13"]


def test_greetings_he_is_asked_to_convey_to_someone_else_are_not_his() -> None:
    """"asked the ambassador to convey to the leadership ... his wish to meet Kim Jong Un": his name is
    no addressee of the greetings; "asked ... to convey their congratulations to Kim Jong Un" is."""
    other = (
        "Pyongyang, December 22 (KCNA) -- The president received the ambassador.\nHe asked the ambassador to "
        "convey to the leadership of the DPRK the will of the people and his wish to meet Kim Jong Un."
    )
    his = (
        "Pyongyang, December 22 (KCNA) -- The president received the ambassador.\nThey asked Choe Thae Bok to "
        "convey their congratulations to the dear respected Kim Jong Un upon his election as first secretary."
    )
    assert [e for e in leader_activities(other, datetime.date(2011, 12, 22)) if e["direction"] == "received"] == []
    assert [e["direction"] for e in leader_activities(his, datetime.date(2011, 12, 22))] == ["received"]


def test_a_participle_after_the_mail_names_no_further_item() -> None:
    """"sent a wreath ..., expressing deep condolences over his death": a wreath, not also a message."""
    sentence = (
        "Kim Jong Un, general secretary of the Workers' Party of Korea, sent a wreath to the bier of the late "
        "general secretary, expressing deep condolences over his death."
    )
    assert [item for _, item, _ in _mail(sentence, datetime.date(2024, 7, 26))] == ["wreath"]


def test_a_wreath_laid_in_his_name_is_the_wreath_he_sent() -> None:
    """The wreath he sent, laid by an envoy "bearing the august name of" him: one activity, dated the
    day it was laid, the envoy's companions present (docs/activities-annotation.md)."""
    text = (
        "Pyongyang, July 26 (KCNA) -- Kim Jong Un, general secretary of the Workers' Party of Korea, sent a "
        "wreath to the Vietnamese embassy here.\nJo Yong Won, secretary of the WPK Central Committee, paid a "
        "condolatory visit to the embassy on Thursday and laid the wreath with a ribbon bearing the august name "
        "of the respected Comrade Kim Jong Un.\nHe was accompanied by Choe Son Hui, minister of Foreign Affairs."
    )
    events = [e for e in leader_activities(text, datetime.date(2024, 7, 26)) if e["kind"] == "correspondence"]
    assert [(e["direction"], e["item"], e["date"]) for e in events] == [("sent", "wreath", "2024-07-25")]
    assert [m["name"] for m in events[0]["present"]] == ["Choe Son Hui"] and events[0]["entourage"] == []
