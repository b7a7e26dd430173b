"""A Twine story is text from a stranger: every bad case gets a located diagnostic, and files stay where they are.

Passage text can hold control characters and overrides, markup nested without
end, links to nowhere, loops, passages of the same name; a story can be
empty, huge or a pipe. The command line writes only the file `-o` names, and
never over one that exists unless `--force` says so.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

from game.analysis.checks import deep_check
from game.cli import main
from game.loader import read_text
from game.loader.twine import import_story, import_text, relocate
from game.safetext import needs_care


def imported(text: str, file: str = "story.twee"):
    result = import_text(text, file)
    codes = [d.code for d in result.diagnostics]
    return result, codes


def story(*passages: str, fmt: str = "Harlowe") -> str:
    data = f':: StoryData\n{{"ifid": "X", "format": "{fmt}", "start": "A"}}\n\n'
    return data + "\n\n".join(passages) + "\n"


def at(result, code: str) -> tuple[int, int]:
    found = next(d for d in result.diagnostics if d.code == code)
    return found.line, found.column


END = ":: End\nThe end."


def test_text_that_draws_nothing_is_missing_text_not_a_scenario_that_fails_its_own_checks():
    """Hangul fillers and a blank braille cell show nothing: the import treats them as no text at all."""
    result, codes = imported(story(":: A\n\u3164\u3164\n[[\u2800->End]]", ":: End\n\u115f"))
    scenario = read_text(result.text).unwrap()
    assert codes.count("SC230") == 2 and "SC023" not in codes
    assert scenario.scenes["A"].text == "…" and scenario.scenes["A"].choices[0].text == "…"


# --- characters a terminal would obey ---------------------------------------------------------------


def test_control_characters_are_reported_where_they_stand_and_removed():
    result, codes = imported(story(":: A\nHello\x1b[2J there\x07.\n[[End]]", END))
    assert "SC226" in codes and at(result, "SC226") == (5, 6)
    assert result.text is not None and not needs_care(result.text.replace("\t", " "))
    assert read_text(result.text).unwrap().scenes["A"].text == "Hello2J there."  # `[` opens a Harlowe hook


def test_control_characters_in_html_written_raw_or_as_entities():
    """HTML's own decoding drops a control character written as an entity; one written raw is reported."""
    html = ('<tw-storydata name="S" startnode="1" format="Harlowe"><tw-passagedata pid="1" name="A">Hi&#x1b;]0;'
            'title&#7; and \x1b[31m\n[[End]]</tw-passagedata><tw-passagedata pid="2" name="End">Bye &#x202E;olleh'
            "</tw-passagedata></tw-storydata>")
    result, codes = imported(html, "s.html")
    assert "SC226" in codes and "SC102" in codes
    assert at(result, "SC226") == (1, 113)  # the raw ESC, counted in the file
    assert at(result, "SC102") == (2, 64)  # the `&` of `&#x202E;`
    assert result.text is not None and not needs_care(result.text)


# --- size, pipes and files that are no story --------------------------------------------------------


def test_a_pipe_named_like_a_story_is_refused_without_waiting(tmp_path):
    fifo = tmp_path / "story.twee"
    os.mkfifo(fifo)
    started = time.monotonic()
    result = import_story(fifo)
    assert result.text is None and result.diagnostics[0].code == "SC001"
    assert "not a regular file" in result.diagnostics[0].message
    assert time.monotonic() - started < 5


def test_a_huge_story_is_refused_before_reading(tmp_path):
    big = tmp_path / "big.twee"
    with big.open("wb") as handle:
        handle.truncate(8 * 1024 * 1024 + 1)
    result = import_story(big)
    assert [d.code for d in result.diagnostics] == ["SC004"]


@pytest.mark.parametrize("text, code", [
    ("", "SC003"),
    ("   \n\n", "SC003"),
    (":: StoryTitle\nNothing yet\n", "SC201"),
    ("Just some notes, no passages.\n", "SC200"),
])
def test_empty_stories_say_what_is_missing(tmp_path, text, code):
    path = tmp_path / "s.twee"
    path.write_text(text, encoding="utf-8")
    result = import_story(path)
    assert result.text is None and code in [d.code for d in result.errors]


def test_html_that_holds_no_twine_2_story():
    result, codes = imported("<html><body><div tiddler='Start'>Twine 1</div></body></html>", "old.html")
    assert codes == ["SC200"] and "Twine 1" in result.diagnostics[0].hint
    result, codes = imported("<!doctype html><p>hello</p>", "page.html")
    assert codes == ["SC200"]


def test_not_utf8(tmp_path):
    path = tmp_path / "s.twee"
    path.write_bytes(b":: A\ncaf\xe9\n")
    assert [d.code for d in import_story(path).diagnostics] == ["SC002"]


# --- the story's shape ------------------------------------------------------------------------------


def test_links_to_missing_passages_are_left_out_with_a_suggestion():
    result, codes = imported(story(":: A\nGo.\n[[Onward->Ennd]]\n[[End]]", END))
    assert "SC225" in codes and at(result, "SC225") == (6, 11)  # where `Ennd` is written
    assert "did you mean `End`?" in next(d.hint for d in result.diagnostics if d.code == "SC225")
    assert [c.goto for c in read_text(result.text).unwrap().scenes["A"].choices] == ["End"]


def test_a_story_that_never_ends():
    result, codes = imported(story(":: A\n[[B]]", ":: B\n[[A]]"))
    assert result.text is None and "SC203" in codes


def test_a_loop_with_no_way_out_is_written_and_reported_at_its_link(tmp_path, capsys):
    path = tmp_path / "loop.twee"
    path.write_text(story(":: A\nStart.\n[[B]]\n[[End]]", ":: B\nRound.\n[[C]]", ":: C\nAnd round.\n[[B]]", END),
                    encoding="utf-8")
    out = tmp_path / "loop.toml"
    assert main(["import", str(path), "-o", str(out)]) == 1  # an error: the file is written for the author to fix
    err = capsys.readouterr().err
    assert out.is_file()
    assert re.search(rf"{re.escape(str(path))}:6:3: SC114 .*leads into a loop with no way out", err)
    assert f"Wrote {out}" in err and "Next: fix the errors the checks found" in err


def test_a_number_with_many_values_and_no_loop_is_not_said_to_grow_in_one():
    """320 passages, each linking two further on and adding one to `$x`: too many situations for the exact
    walk, and more than 24 values at a passage, but no passage leads back: no SC228, and the meter's range
    is exactly what plays reach."""
    count = 320
    passages = [f":: P{i}\nStep.(set: $x to it + 1)\n[[P{min(i + 1, count)}]]\n[[P{min(i + 2, count)}]]"
                for i in range(count)]
    text = story(*passages, f":: P{count}\nThe end.").replace('"start": "A"', '"start": "P0"')
    result, codes = imported(text)
    assert result.text is not None and "SC228" not in codes, codes
    assert read_text(result.text).unwrap().meter("x").max == count


def test_hooks_that_hold_only_links_make_no_text_variants():
    """Three (if:) lines, two holding only a link: those are the choices' conditions, not the text's. The one
    that holds words makes the one variant, with its own condition alone."""
    start = (":: A\nYou wake up.(set: $calm to 2)(set: $met to false)\n(if: $calm > 1)[[[Get up->B]]]\n"
             "(if: $met)[[[Call Sam->B]]]\n(if: $calm is 2)[You feel okay.]\n[[Stay in bed->End]]")
    result, codes = imported(story(start, ":: B\nUp.(set: $met to true)\n[[End]]", END))
    scene = read_text(result.text).unwrap().scenes["A"]
    assert scene.text == "You wake up."
    assert [(v.condition.source, v.text) for v in scene.variants] == [("calm == 2", "You wake up.\nYou feel okay.")]
    assert [c.condition.source for c in scene.choices if c.condition] == ["calm > 1", "met"]


def test_a_story_titled_like_a_built_in_gets_an_id_of_its_own(tmp_path, capsys):
    """"Last Call" would be `last-call`, the built-in story's id: the two would share saves and endings found,
    so the import picks a free id and says so; a story already beside the file written counts too."""
    path = tmp_path / "call.twee"
    path.write_text(":: StoryTitle\nLast Call\n\n" + story(":: A\nGo.\n[[End]]", END), encoding="utf-8")
    out = tmp_path / "call.toml"
    assert main(["import", str(path), "-o", str(out)]) == 0
    assert 'id = "last-call-2"' in out.read_text(encoding="utf-8")
    err = capsys.readouterr().err
    assert "SC251 info: the story's id would be `last-call`, which the built-in story “Last Call” already has: " \
        "it is `last-call-2`" in err
    again = tmp_path / "call-again.toml"
    assert main(["import", str(path), "-o", str(again)]) == 0
    assert 'id = "last-call-3"' in again.read_text(encoding="utf-8"), "the first import is on offer beside it"


def test_letters_without_accents_are_spelt_out_in_ids():
    result, _ = imported(":: StoryTitle\nÜnïcødé Café\n\n" + story(":: A\nGo.\n[[Smørrebrød]]",
                                                                    ":: Smørrebrød\nThe end."))
    scenario = read_text(result.text).unwrap()
    assert scenario.id == "unicode-cafe" and scenario.title == "Ünïcødé Café"
    assert list(scenario.endings) == ["Smorrebrod"]


def test_duplicate_passages_keep_the_first():
    result, codes = imported(story(":: A\nFirst.\n[[End]]", ":: A\nSecond.\n[[End]]", END))
    assert "SC211" in codes and at(result, "SC211") == (8, 4)
    assert read_text(result.text).unwrap().scenes["A"].text == "First."


def test_a_start_passage_without_links():
    result, codes = imported(story(":: A\nOnly this.", END))
    assert result.text is None and "SC202" in codes


def test_a_missing_start_falls_back_to_the_first_passage():
    text = ':: StoryData\n{"start": "Nowhere", "format": "Harlowe"}\n\n:: First\n[[End]]\n\n' + END
    result, codes = imported(text)
    assert "SC215" in codes and read_text(result.text).unwrap().start == "First"


def test_deep_nesting_is_read_as_text_not_a_crash():
    deep = "(if: true)[" * 300 + "[[End]]" + "]" * 300
    result, codes = imported(story(f":: A\n{deep}\n[[End]]", END))
    assert "SC227" in codes and result.text is not None
    sugar = "<<if true>>" * 300 + "x" + "<</if>>" * 300
    result, codes = imported(story(f":: A\n{sugar}\n[[End]]", END, fmt="SugarCube"))
    assert "SC227" in codes and result.text is not None


def test_after_nesting_too_deep_the_rest_is_read_for_its_links_and_text_outside_every_hook():
    """What comes after markup nested past 40 keeps its words and its links, under none of the conditions of
    the hooks left open: `[[[Happy->B]]]` is the choice "Happy", not "[Happy" under forty conditions."""
    deep = "(if: $a)[" * 45 + "deep" + "]" * 45
    text = story(f":: A\nHello there.\n{deep}\nMore words after.\n(if: $happy)[[[Happy->End]]]\n[[Plain->End]]",
                 END)
    result, codes = imported(text)
    assert codes.count("SC227") == 1
    scene = read_text(result.text).unwrap().scenes["A"]
    assert scene.text == "Hello there.\ndeep\nMore words after."
    assert [(c.text, c.condition) for c in scene.choices] == [("Happy", None), ("Plain", None)]


def test_control_characters_in_the_title_and_a_passage_name_are_said_too():
    result, codes = imported(":: StoryTitle\nEvil\x1b]0;pwned\x07 Title\n\n" + story(":: A\nGo.\n[[End\x07]]",
                                                                                     ":: End\x07\nBye."))
    found = [d.message for d in result.diagnostics if d.code == "SC226"]
    assert any(m.startswith("the story's title holds 2 control characters") for m in found), found
    assert any(m.startswith("the name of passage") for m in found), found
    assert read_text(result.text).unwrap().title == "Evil]0;pwned Title"


def test_unclosed_macros_cost_linear_time():
    """Thousands of `<<` and `(set:` that never close are read as text, quickly."""
    junk = ("<<if \"" * 20000) + ("(set: \"" * 20000)
    started = time.monotonic()
    for fmt in ("SugarCube", "Harlowe"):
        result, _ = imported(story(f":: A\n{junk}\n[[End]]", END, fmt=fmt))
        assert result.text is not None
    assert time.monotonic() - started < 10


def test_names_that_are_not_ids_are_renamed_apart():
    result, codes = imported(story(":: A\n[[Call her]]\n[[Call_her]]", ":: Call her\nRing.", ":: Call_her\nText."))
    scenario = read_text(result.text).unwrap()
    assert {"Call_her", "Call_her_2"} <= set(scenario.endings)
    assert codes.count("SC250") == 1


# --- variables and macros ---------------------------------------------------------------------------


@pytest.mark.parametrize("word", ["tactic", "visits", "not"])
def test_a_variable_named_like_a_word_conditions_keep_is_renamed(word):
    result, codes = imported(story(f":: A\n(set: ${word} to 0)\n[[Try->B]]",
                                   f":: B\n(set: ${word} to it + 1)\n(if: ${word} > 0)[[[End]]]", END))
    assert result.text is not None, [d.format() for d in result.diagnostics]
    assert f"{word}_2" in [m.id for m in read_text(result.text).unwrap().meters]
    renamed = [d.message for d in result.diagnostics if d.code == "SC250"]
    assert renamed == [f"the variable `${word}` is `{word}_2` in the scenario (an id must start with a letter or an "
                       "underscore, then hold only letters, digits and underscores (letters A to Z without accents, "
                       "at most 64), and not be a word conditions keep for themselves)"]


def test_a_flag_true_from_the_start_and_used_nowhere_else_is_left_out_not_renamed():
    result, codes = imported(story(":: A\n(set: $visits to true)(set: $met to true)\n(if: $met)[Hi.]\n[[End]]", END))
    said = {d.message.split("`")[1]: d.message for d in result.diagnostics if d.code == "SC223"}
    assert said["$visits"].endswith("this assignment was left out, and so was the variable, which nothing else sets "
                                    "or reads")
    assert said["$met"].endswith("this assignment was left out"), "a flag a condition reads stays"
    assert "SC250" not in codes and "SC120" not in codes
    assert list(read_text(result.text).unwrap().flags) == ["met"]


def test_a_macro_that_cannot_carry_over_is_named_with_the_variable_it_leaves_out():
    result, _ = imported(story(":: A\n(set: $hope to (random: 1, 5))\n[[End]]", END))
    said = [(d.line, d.column, d.message) for d in result.diagnostics if d.code == "SC223"]
    assert said == [(5, 16, "(set:) cannot carry over: the macro `(random:)` has no equivalent here"),
                    (5, 16, "`$hope` is left out of the scenario: nothing that sets it could carry over, and no "
                     "condition reads it")]


@pytest.mark.parametrize("fmt, before", [("SugarCube", ':: StoryInit\n<<set $name to "Sam">>'),
                                         ("Harlowe", ':: Init [startup]\n(set: $name to "Sam")')])
def test_a_value_set_before_the_start_that_cannot_carry_over_leaves_its_variable_out_and_says_so(fmt, before):
    result, _ = imported(story(":: A\n[[End]]", END, before, fmt=fmt))
    said = [(d.line, d.message) for d in result.diagnostics if d.code == "SC223"]
    assert len(said) == 2 and said[0][0] == said[1][0] == 11  # the assignment in StoryInit, and what it leaves out
    assert said[1][1] == "`$name` is left out of the scenario: nothing that sets it could carry over, and no " \
                         "condition reads it"


def test_a_sugarcube_function_in_a_value_is_named_and_the_assignments_after_it_kept():
    result, _ = imported(story(":: A\n<<set $hope to random(1, 5), $calm to 2>>\n<<if $calm gt 1>>Hm.<</if>>\n[[End]]",
                               END, fmt="SugarCube"))
    said = [(d.line, d.column, d.message) for d in result.diagnostics if d.code == "SC223"]
    assert said == [(5, 16, "<<set>> cannot carry over: the function `random()` has no equivalent here"),
                    (5, 16, "`$hope` is left out of the scenario: nothing that sets it could carry over, and no "
                     "condition reads it")]
    meters = {m.id: m.start for m in read_text(result.text).unwrap().meters}
    assert meters["calm"] == 2 and "hope" not in meters  # the comma inside random() split nothing off


def test_what_cannot_carry_over_is_named_at_its_line():
    result, codes = imported(story(
        ':: A\n(set: $name to "Sam")(set: $n to 1)\n(if: $n > 0)[(set: $m to true)]\n(if: $name is "Sam")[[[End]]]\n'
        '(goto: "End")\n(print: $n)',
        END))
    found = {(d.code, d.line) for d in result.diagnostics}
    assert {("SC223", 5), ("SC223", 6), ("SC224", 7), ("SC229", 8), ("SC221", 9)} <= found
    scenario = read_text(result.text).unwrap()
    assert [c.text for c in scenario.scenes["A"].choices] == ["End", "Continue."]


def test_a_variable_of_two_kinds():
    result, codes = imported(story(":: A\n(set: $x to 1)\n[[B]]", ":: B\n(set: $x to true)\n[[End]]", END))
    assert "SC228" in codes and at(result, "SC228")[0] == 9


def test_a_value_set_outright_from_several_values_cannot_be_a_step():
    result, codes = imported(story(
        ":: A\n(set: $x to 0)\n[[Up->B]]\n[[C]]", ":: B\n(set: $x to it + 2)\n[[C]]", ":: C\n[[D]]",
        ":: D\n(set: $x to 1)\n[[End]]", END))
    assert "SC223" in codes and at(result, "SC223")[0] == 17
    assert "can hold 0, 2 there" in next(d.message for d in result.diagnostics if d.code == "SC223")


def test_another_story_format_keeps_its_links():
    result, codes = imported(story(":: A\n{back link}\n[[End]]", END, fmt="Chapbook"))
    assert "SC214" in codes and result.text is not None


# --- where files are written ------------------------------------------------------------------------


@pytest.fixture
def twee(tmp_path: Path) -> Path:
    path = tmp_path / "s.twee"
    path.write_text(story(":: A\nHello.\n[[End]]", END), encoding="utf-8")
    return path


def test_an_existing_file_is_kept_unless_forced(tmp_path, twee, capsys):
    out = tmp_path / "s.toml"
    out.write_text("mine", encoding="utf-8")
    assert main(["import", str(twee), "-o", str(out)]) == 2
    assert "already exists" in capsys.readouterr().err and out.read_text(encoding="utf-8") == "mine"
    assert main(["import", str(twee), "-o", str(out), "--force"]) == 0
    assert out.read_text(encoding="utf-8").startswith("# Brought in from Twine")
    left = sorted(p.name for p in tmp_path.iterdir() if p.name != "home")  # the test's own game folder aside
    assert left == ["s.toml", "s.twee"]  # no temporary file left behind


@pytest.mark.parametrize("name", ["s.twee", "notes.txt", "missing/s.toml", "fifo.toml", "link.toml"])
def test_refused_targets(tmp_path, twee, capsys, name):
    os.mkfifo(tmp_path / "fifo.toml")
    (tmp_path / "link.toml").symlink_to(tmp_path / "elsewhere.toml")
    before = sorted(p.name for p in tmp_path.iterdir())
    assert main(["import", str(twee), "-o", str(tmp_path / name), "--force"]) == 2
    assert capsys.readouterr().err.startswith("second-chance import: ")
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_without_o_the_scenario_goes_to_the_output_stream(twee, capsys):
    assert main(["import", str(twee)]) == 0
    out, err = capsys.readouterr()
    assert read_text(out).unwrap().start == "A"
    assert "SC240" in err and 'id = "' not in err


def test_nothing_is_written_when_the_story_cannot_be_imported(tmp_path, capsys):
    path = tmp_path / "s.twee"
    path.write_text(":: StoryTitle\nEmpty\n", encoding="utf-8")
    assert main(["import", str(path), "-o", str(tmp_path / "s.toml")]) == 1
    assert "nothing was written" in capsys.readouterr().err and not (tmp_path / "s.toml").exists()


def test_an_archive_story_by_name(tmp_path, capsys):
    archive = Path(__file__).resolve().parent / "twine" / "library-archive.html"
    assert main(["import", str(archive), "--story", "Untitled Story"]) == 0
    assert read_text(capsys.readouterr().out).unwrap().title == "Untitled Story"
    assert main(["import", str(archive), "--story", "Nope"]) == 1
    assert "the stories here: `Coffee at Nine`, `Untitled Story`" in capsys.readouterr().err


@pytest.mark.parametrize(("text", "where"), [
    (":: StoryData\n" + "[" * 100_000 + "\n\n:: A\nhi [[End]]\n\n" + END, (2, 1)),
    (':: StoryData\n{"start": "A"}\n\n:: A [t] ' + "[" * 100_000 + "\nhi [[End]]\n\n" + END, (4, 10)),
    (':: StoryData\n{"start": "A"}\n\n:: A {"position": ' + "9" * 5000 + "}\nhi [[End]]\n\n" + END, (4, 6)),
])
def test_json_too_deep_or_too_long_to_read_is_a_warning_at_its_line(text, where):
    result, codes = imported(text, "deep.twee")
    found = next(d for d in result.diagnostics if d.code == "SC210")
    assert (found.line, found.column) == where and "recursion" not in found.message and "sys." not in found.message
    assert "nested too deeply" in found.message or "4,300 digits" in found.message
    assert result.text is not None


def test_a_long_story_name_passage_name_or_link_is_cut_to_what_the_format_allows():
    long = "Word " * 80
    result, codes = imported(f":: StoryTitle\n{long}\n\n" + story(f":: A\n[[{long}->{long}]]", f":: {long}\nBye."))
    assert result.text is not None and "SC023" not in codes
    assert not [d for d in read_text(result.text).diagnostics if d.code == "SC023"]


def test_each_cut_name_or_link_is_said_at_its_place_in_the_twine_file():
    name, words = "N" * 60 + " " + "M" * 89, "Word " * 80  # 150 characters, and 400 (399 once tidied)
    result, codes = imported(f":: StoryTitle\n{'T' * 120}\n\n" + story(f":: A\nHi.\n[[{words}->{name}]]",
                                                                          f":: {name}\nBye."))
    cuts = {(d.line, d.column): d for d in result.diagnostics if d.code == "SC231"}
    assert sorted(cuts) == [(1, 4), (9, 1), (11, 4)]  # StoryTitle, the link's `[[`, the passage's name
    assert "120 characters" in cuts[(1, 4)].message and "(100)" in cuts[(1, 4)].message
    assert "399 characters" in cuts[(9, 1)].message and "(300)" in cuts[(9, 1)].message
    assert "150 characters" in cuts[(11, 4)].message and "an ending's title" in cuts[(11, 4)].message
    scenario = read_text(result.text).unwrap()
    assert scenario.title == "T" * 99 + "…" and scenario.endings[next(iter(scenario.endings))].title.endswith("M…")
    assert all(d.severity == "warning" and d.hint for d in cuts.values())


@pytest.mark.parametrize("fmt, passage, where", [
    ("SugarCube", ":: A\nYou wait.\n  <<if $met>>Priya waves.<<else>>No one comes.<</if>>\n[[B]]", (6, 8)),
    ("Harlowe", ":: A\nYou wait.\n  (if: $met)[Priya waves.](else:)[No one comes.]\n[[B]]", (6, 8)),
])
def test_a_check_on_a_text_variant_points_at_the_condition_that_makes_it(fmt, passage, where):
    met = "<<set $met to true>>" if fmt == "SugarCube" else "(set: $met to true)"
    result, _ = imported(story(passage, f":: B\n{met}\n[[End]]", END, fmt=fmt))  # $met is false in A
    checked, _ = deep_check(result.scenario, source=result.text, file="story.twee")
    found = [(d.line, d.column) for d in relocate(checked, result) if d.code == "SC116"]
    assert found == [where]  # `$met`, inside the `<<if>>` or `(if:)` on the passage's third line
