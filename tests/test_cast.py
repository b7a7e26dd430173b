"""Who the reader has met: a story's `[cast]`, and the check that no choice names someone not met yet.

The story under test (tests/stories/the-feud.toml) has three ways to the
kitchen, where a choice names Oskar: the hallway's text introduces him on the
first, a message from him on the second, and nothing on the third. Only the
third is a problem, and the warning's example play must take it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from game import library
from game.analysis.checks import deep_check
from game.analysis.explore import explore
from game.analysis.machine import Machine
from game.cast import Cast
from game.engine import Playthrough
from game.loader import load_text, read_text
from game.model import Character

FEUD_PATH = Path(__file__).resolve().parent / "stories" / "the-feud.toml"
FEUD = FEUD_PATH.read_text(encoding="utf-8")


def codes(text: str, code: str) -> list:
    scenario = load_text(text)
    return [d for d in deep_check(scenario, source=text)[0] if d.code == code]


def test_a_name_met_too_early_on_one_way_of_three_is_found_with_that_way():
    [early] = codes(FEUD, "SC150")
    assert early.severity == "warning"
    assert early.message == ("Oskar is named in the 1st choice in `kitchen` (“Let Oskar's mum explain the feud.”) "
                             "before the story has introduced them on the way there, e.g. 3 “Slip round to the "
                             "back door.”")
    line = FEUD.splitlines()[early.line - 1]
    assert line == 'text = "Let Oskar\'s mum explain the feud."' and line[early.column - 1:].startswith("Oskar")
    [cast] = early.related
    assert FEUD.splitlines()[cast.line - 1] == "[cast.oskar]"
    scenario = load_text(FEUD)
    play = Playthrough.begin(scenario).choose_number(3)  # the example play, replayed: Oskar is named, not met
    assert play.state.at == "kitchen" and "Oskar" not in play.text()


@pytest.mark.parametrize("way, introduced", [
    ("Ring at the front door.", "by the hallway's text"),
    ("Wait for a message before going in.", "by a message from him"),
])
def test_the_two_ways_that_introduce_him_are_fine_on_their_own(way, introduced):
    back_door = '\n[[scenes.gate.choices]]\ntext = "Slip round to the back door."\ngoto = "kitchen"\n'
    assert back_door in FEUD
    others = [w for w in ("Ring at the front door.", "Wait for a message before going in.") if w != way]
    text = FEUD.replace(back_door, "")
    for other in others:
        text = text.replace(f'\n[[scenes.gate.choices]]\ntext = "{other}"', '\n[[scenes.gate.choices]]\n'
                            f'text = "{other}"\nif = "false"')
    assert codes(text, "SC150") == [], introduced


def test_what_the_reader_sees_counts_in_order():
    """A variant that names him introduces him only where it shows; a struck choice's reason counts; a message
    from someone else that names him is itself too early."""
    text = FEUD.replace('[scenes.kitchen]\ntext = "The kitchen', '[scenes.kitchen]\nvariants = [{ if = "texted", '
                        'text = "Oskar waves; Ilse is making coffee." }]\ntext = "The kitchen')
    [early] = codes(text, "SC150")
    assert early.message.endswith("e.g. 3 “Slip round to the back door.”")  # the message way is now fine
    struck = FEUD.replace('text = "Say hello and sit down."', 'text = "Say hello and sit down."\nif = "texted"\n'
                          'unavailable = "strike"\nreason = "Osk has not asked you to stay."')
    found = {(d.line, d.message.split(" is named in ")[0]) for d in codes(struck, "SC150")}
    assert len(found) == 2 and {name for _, name in found} == {"Oskar"}
    gossip = FEUD.replace('[[scenes.phone.messages]]\nfrom = "Oskar"', '[[scenes.phone.messages]]\nfrom = "Ilse"\n'
                          'text = "Oskar says the door is open"\n\n[[scenes.phone.messages]]\nfrom = "Oskar"')
    messages = [d for d in codes(gossip, "SC150") if "message" in d.message]
    assert [d.message.split(" (")[0] for d in messages] == [
        "Oskar is named in the 1st message in `phone`"]


def test_a_cast_member_never_named_and_a_message_from_a_stranger():
    text = FEUD.replace("[flags]", '[cast.ghost]\nname = "Marit"\nnote = "Nobody mentions her."\n\n[flags]') \
               .replace('from = "Oskar"', 'from = "Oskr"')
    result = read_text(text)
    [stranger] = [d for d in result.diagnostics if d.code == "SC104"]
    assert stranger.severity == "warning" and "did you mean `Oskar`?" in stranger.hint
    [ghost] = [d for d in deep_check(result.unwrap(), source=text)[0] if d.code == "SC151"]
    assert ghost.message == "cast member `ghost` (Marit) is never named in the story"


@pytest.mark.parametrize("cast, code, words", [
    ('[cast.walk-in]\nname = "Ann"\nnote = "x"\n', "SC023", "cast id `walk-in`"),
    ('[cast.ann]\nnote = "x"\n', "SC021", "missing required key `name`"),
    ('[cast.ann]\nname = "Ann"\n', "SC021", "missing required key `note`"),
    ('[cast.ann]\nname = "Ann"\nnote = """\ntwo\nlines\n"""\n', "SC023", "runs over several lines"),
    ('[cast.ann]\nname = "Ann"\nnote = "x"\n[cast.anna]\nname = "Anna"\naka = ["ann"]\nnote = "y"\n', "SC034",
     "\"ann\" is used twice"),
    ('[cast.ann]\nname = "Ann"\nnote = "x"\nage = 40\n', "SC020", "unknown key `age`"),
])
def test_the_cast_is_checked_like_every_table(cast, code, words):
    text = FEUD.replace("[flags]", f"{cast}\n[flags]")
    found = [d for d in read_text(text).diagnostics if d.code == code]
    assert found and words in found[0].message, read_text(text).diagnostics


def test_names_are_found_as_whole_words_in_their_case():
    cast = Cast({"sam": Character("sam", "Sam", ("your sister",)), "rose": Character("rose", "Rose")})
    assert cast.named("Ask Sam's advice. Your sister\nwaves.") == ["sam"]
    assert cast.named("Samira and Samuel smell a rose.") == []
    assert [(s, e) for s, e, _ in cast.mentions("Rose, your  sister")] == [(0, 4), (6, 18)]
    assert cast.sender("SAM") == "sam" and cast.sender("Your Sister") == "sam" and cast.sender("you") is None


def test_stories_without_a_cast_explore_exactly_as_before():
    """The built-in stories with their casts taken out: no slot, no findings, the same places seen."""
    for path in library.builtin_scenarios():
        with_cast = load_text(path.read_text(encoding="utf-8"))
        assert with_cast.cast, path.name  # every built-in story declares one (tests/test_stories.py)
        scenario = with_cast.__class__(**{**_fields(with_cast), "cast": {}})
        assert Machine(scenario).met is None  # no cast: no slot, the same situations as before
        found, walk = deep_check(scenario)
        assert not [d for d in found if d.code in ("SC150", "SC151")] and walk.named_early == {}
        assert walk.places == explore(with_cast).places, path.name
    feud = load_text(FEUD)
    with_cast, without = explore(feud), explore(feud.__class__(**{**_fields(feud), "cast": {}}))
    assert with_cast.places == without.places and with_cast.machine.met is not None


def _fields(scenario) -> dict:
    import attrs

    return attrs.asdict(scenario, recurse=False)


def test_how_to_run_the_check_on_a_story(capsys):
    """`validate` runs it (the docs say so): the warning and its line, from the command line."""
    from game.cli import main

    assert main(["validate", str(FEUD_PATH)]) == 0
    out = capsys.readouterr().out
    assert "SC150 warning: Oskar is named" in out and out.strip().endswith("0 errors, 1 warning in 1 file")
    assert main(["validate", str(FEUD_PATH), "--strict"]) == 1
