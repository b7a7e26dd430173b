"""The words around a story's own: a line already in quotation marks is not quoted twice,
and plain mode names choices the way the full screen does ("Choice 2", never "step 2")."""

from __future__ import annotations

import pytest

from game import debrief as debriefs
from game.loader import load_text
from game.plain import render_history
from game.wording import DECISION, choice_label, quoted
from tests.helpers import transcript
from tests.tui_helpers import STORY


@pytest.mark.parametrize(("text", "shown"), [
    ("Send it.", "“Send it.”"),
    ('"It was. Anyway, off to be thirty-one."', "“It was. Anyway, off to be thirty-one.”"),
    ("“It was. Anyway…”", "“It was. Anyway…”"),
    ('"Of course." Grab your coat.', "“‘Of course.’ Grab your coat.”"),
    ('Leave a note: "talk when we\'re awake."', "“Leave a note: ‘talk when we're awake.’”"),
    ("“Not yet,” you say.", "“‘Not yet,’ you say.”"),
    ("Tell her: 'later'", "“Tell her: 'later'”"),
    ("", "“”"),
])
def test_a_line_is_quoted_once(text: str, shown: str) -> None:
    assert quoted(text) == shown


def test_a_choice_is_called_a_choice_and_a_rooms_a_decision() -> None:
    assert choice_label(3) == "choice 3" and choice_label(3, DECISION) == "decision 3"
    assert debriefs.choices_words([2, 5], DECISION) == "decisions 2 and 5"
    assert debriefs.group_title("both", False, DECISION) == "Advice you followed at one decision and ignored at another"
    assert debriefs.group_title("both", False) == "Advice you followed at one choice and ignored at another"


def test_plain_history_uses_the_full_screens_words() -> None:
    scenario = load_text(STORY.replace('text = "Send the reply."', 'text = "\\"yes. always, apparently\\""'))
    out, play = transcript(scenario, [1, "h"])
    assert render_history(play) == "  Choice 1 · Kitchen, 11 p.m.: “yes. always, apparently”"
    assert render_history(play) in out
    assert "step" not in render_history(play).lower()
    assert "““" not in out and "“\"" not in out and "\"”" not in out
