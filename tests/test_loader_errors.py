"""Each class of authoring mistake gets its own small broken file and a located, coded error."""

from __future__ import annotations

import pytest

from game.diagnostics import ScenarioError
from game.loader import MAX_BYTES, load_scenario, read_scenario, read_text
from game.loader.keys import ID_RULE
from game.model import Advice
from tests.helpers import MINIMAL, write

CATALOG: dict = {}


def problems(text: str) -> list:
    return list(read_text(text, "s.toml", catalog=CATALOG).diagnostics)


def only(text: str, code: str):
    found = problems(text)
    assert [d.code for d in found] == [code], [d.format() for d in found]
    return found[0]


def line_of(text: str, needle: str) -> int:
    for number, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_minimal_scenario_is_clean():
    result = read_text(MINIMAL, "s.toml", catalog=CATALOG)
    assert result.diagnostics == ()
    assert result.scenario is not None
    assert list(result.scenario.scenes) == ["door", "hall"]


def test_toml_syntax_error_has_tomli_line_and_column():
    text = MINIMAL.replace('text = "A hall."', 'text = "A hall.')
    d = only(text, "SC010")
    assert d.line == line_of(text, 'text = "A hall.')
    assert d.column > 1
    assert "TOML syntax" in d.message


def test_a_word_without_quotes_is_told_text_goes_in_quotes():
    d = only(MINIMAL.replace('goto = "hall"', "goto = hall"), "SC010")
    assert d.hint == 'text goes in quotes: goto = "hall"' and d.line == line_of(MINIMAL, 'goto = "hall"')


@pytest.mark.parametrize(("written", "hint"), [
    ("once = True", "yes and no are written true and false, in lower case: once = true"),
    ("once = no", "yes and no are written true and false, in lower case: once = false"),
    ("mood = yes", 'text goes in quotes: mood = "yes"'),  # not a key that takes true or false
])
def test_a_yes_or_no_word_is_told_how_toml_writes_it(written, hint):
    text = MINIMAL.replace('goto = "hall"', f'goto = "hall"\n{written}')
    d = only(text, "SC010")
    assert d.hint == hint and d.line == line_of(text, written)


@pytest.mark.parametrize(("old", "new", "message"), [
    ('text = "A hall."', 'text = "\u3164\u3164"', "scene text is empty"),  # Hangul fillers draw nothing
    ('text = "Leave."', 'text = "\u2800"', "`text` in the 2nd choice in `door` shows nothing"),  # blank braille
    ('title = "Tiny"', 'title = "\u115f "', "`title` in [scenario] shows nothing"),
    ('title = "Tiny"', 'title = ""', "`title` in [scenario] shows nothing"),
])
def test_text_that_draws_nothing_is_empty_wherever_a_reader_must_see_it(old, new, message):
    text = MINIMAL.replace(old, new)
    d = only(text, "SC023")
    assert d.message == message and d.line == line_of(text, new)


def test_an_advice_title_has_the_length_limit_of_every_title():
    text = MINIMAL + '\n[advice.be-kind]\ntitle = "' + "K" * 101 + '"\ntext = "Kindly."\nsources = ["A1 #4"]\n'
    d = only(text, "SC023")
    assert "101 characters long; it may have at most 100" in d.message and d.line == line_of(text, "K" * 101)


@pytest.mark.parametrize("header, column, fixed", [
    ("[scenes.café]", 12, "cafe"), ("[[scenes.café.choices]]", 13, "cafe"), ("[scenes.日本]", 9, None)])
def test_an_id_with_a_letter_outside_a_to_z_is_told_the_id_rule_at_that_letter(header, column, fixed):
    text = MINIMAL + f"\n{header}\ntext = 'A café.'\n"
    d = only(text, "SC010")
    assert (d.line, d.column) == (line_of(text, header), column)
    assert d.message.endswith(f"cannot be in an id or a key: an id must {ID_RULE}") and "A to Z" in ID_RULE
    assert d.hint == (f"write `{fixed}`" if fixed else None)


def test_duplicate_scene_is_a_syntax_error_with_hint():
    text = MINIMAL + '\n[scenes.door]\ntext = "again"\n'
    d = only(text, "SC010")
    assert "only once" in d.hint


def test_a_key_set_twice_is_named_at_its_start_with_the_line_it_was_first_set_on():
    text = MINIMAL.replace('text = "A door."', 'text = "A door."\n  text = "Again."')
    d = only(text, "SC010")
    assert (d.line, d.column) == (line_of(text, '"Again."'), 3)
    assert d.message == f"TOML syntax: `text` is already defined at line {line_of(text, 'A door.')}"
    header = only(MINIMAL + '\n[scenes.door]\ntext = "again"\n', "SC010")
    first = line_of(MINIMAL, "[scenes.door]")
    assert header.message == f"TOML syntax: [scenes.door] is already defined at line {first}"


def test_a_choice_with_one_pair_of_brackets_after_a_list_of_choices_is_told_to_take_two():
    text = MINIMAL.replace('[[scenes.door.choices]]\ntext = "Leave."', '[scenes.door.choices]\ntext = "Leave."')
    d = only(text, "SC010")
    assert (d.line, d.column) == (text.splitlines().index("[scenes.door.choices]") + 1, 1)
    assert d.message == ("TOML syntax: [scenes.door.choices] has one pair of brackets, but [[scenes.door.choices]] "
                         f"at line {line_of(text, '[[scenes.door.choices]]')} began a list there")
    assert d.hint == "a choice takes two pairs of brackets: [[scenes.door.choices]]"


def test_unknown_key_is_not_ignored_and_suggests():
    text = MINIMAL.replace("effects = { trust = 1 }", "efects = { trust = 1 }")
    d = only(text, "SC020")
    assert "`efects`" in d.message and d.hint == "did you mean `effects`?"
    assert d.line == line_of(text, "efects")


def test_wrong_type_names_the_key_and_line():
    text = MINIMAL.replace('summary = "A two-scene test story."', "summary = 42")
    d = only(text, "SC022")
    assert "`summary`" in d.message and "must be a string" in d.message
    assert d.line == line_of(text, "summary = 42")


@pytest.mark.parametrize(("old", "new", "words"), [
    ('summary = "A two-scene test story."', 'summary = "' + "A" * 3_000_000 + '"', "3,000,000 characters long"),
    ('title = "Tiny"', 'title = "' + "T" * 101 + '"', "it may have at most 100"),
])
def test_a_title_or_summary_too_long_to_show_is_an_error_at_its_line_that_never_echoes_it(old, new, words):
    text = MINIMAL.replace(old, new)
    d = only(text, "SC023")
    assert words in d.message and d.line == line_of(text, new[:12]) and len(d.format()) < 300


def test_a_wrong_type_in_a_choice_names_its_scene_and_says_true_or_false_plainly():
    d = only(MINIMAL.replace('text = "Leave."', 'text = "Leave."\nonce = "yes"'), "SC022")
    assert d.message == "`once` in the 2nd choice in `door` must be true or false, not text"


def test_boolean_is_not_a_number():
    text = MINIMAL.replace("effects = { trust = 1 }", "effects = { trust = true }")
    d = only(text, "SC022")
    assert "whole number" in d.message


def test_missing_required_key():
    text = MINIMAL.replace('start = "door"\n', "")
    d = only(text, "SC021")
    assert "`start`" in d.message
    assert d.line == line_of(text, "[scenario]")


def test_missing_top_level_tables_are_hinted_as_tables():
    hints = {d.message.split("`")[1]: d.hint for d in problems("[meters.courage]\n") if d.code == "SC021"}
    assert hints == {"scenario": "add a [scenario] table", "scenes": "add one [scenes.ID] table per scene",
                     "endings": "add one [endings.ID] table per ending"}


def test_a_start_naming_an_ending_says_it_is_an_ending():
    d = only(MINIMAL.replace('start = "door"', 'start = "left"'), "SC035")
    assert d.message == "`start` names `left`, which is an ending" and d.hint == "the story must open on a scene"


def test_a_typo_in_a_choice_header_names_the_new_scene_it_made_and_the_near_one():
    text = MINIMAL.replace('[[scenes.door.choices]]\ntext = "Leave."', '[[scenes.dorr.choices]]\ntext = "Leave."')
    d = only(text, "SC021")
    assert d.message == "`[[scenes.dorr.choices]]` makes a new scene `dorr`, which has no `text`"
    assert d.hint == "did you mean `door`?" and d.line == line_of(text, "[[scenes.dorr.choices]]")
    far = only(MINIMAL.replace('[[scenes.door.choices]]\ntext = "Leave."', '[[scenes.attic.choices]]\ntext = "Leave."'),
               "SC021")
    assert far.message == "scene `attic` is missing required key `text`", "nothing near: the plain reading"


def test_goto_missing_target_suggests_the_close_one():
    text = MINIMAL.replace('goto = "hall"', 'goto = "hal"')
    d = only(text, "SC030")
    assert d.hint == "did you mean `hall`?"
    assert d.line == line_of(text, 'goto = "hal"')
    assert d.column == 1


def test_unknown_meter_in_effects():
    text = MINIMAL.replace("effects = { trust = 1 }", "effects = { trsut = 1 }")
    d = only(text, "SC031")
    assert d.hint == "did you mean `trust`?"
    assert d.column == text.splitlines()[d.line - 1].index("trsut") + 1


def test_unknown_flag_in_set():
    text = MINIMAL.replace('set = ["knocked"]', 'set = ["knoked"]')
    d = only(text, "SC032")
    assert d.hint == "did you mean `knocked`?"


def test_unknown_advice_id():
    text = MINIMAL.replace('set = ["knocked"]', 'set = ["knocked"]\nfollows = ["be-kind"]')
    d = only(text, "SC033")
    assert "be-kind" in d.message


def test_scene_and_ending_with_same_id():
    text = MINIMAL + '\n[endings.hall]\ntitle = "H"\ntone = "hard"\ntext = "x"\n'
    d = only(text, "SC034")
    assert d.line == line_of(text, "[endings.hall]")


def test_start_scene_missing():
    text = MINIMAL.replace('start = "door"', 'start = "dor"')
    d = only(text, "SC035")
    assert d.hint == "did you mean `door`?"


def test_scene_with_no_way_out():
    text = MINIMAL + '\n[scenes.void]\ntext = "Nothing."\nchoices = []\n'
    text = text.replace('goto = "left"', 'goto = "void"')
    d = only(text, "SC036")
    assert "`void`" in d.message and d.line == line_of(text, "[scenes.void]")


def test_scene_without_choices_key():
    text = MINIMAL + '\n[scenes.void]\ntext = "Nothing."\n'
    d = only(text, "SC021")
    assert "choices" in d.message


def test_auto_ending_needs_a_fallback():
    text = MINIMAL.replace('text = "You walk home."', 'when = "trust < 6"\ntext = "You walk home."')
    only(text, "SC037")


def test_condition_syntax_error_points_inside_the_expression():
    text = MINIMAL.replace('goto = "@ending"', 'goto = "@ending"\nif = "trust >= and knocked"')
    d = only(text, "SC040")
    row = text.splitlines()[d.line - 1]
    assert row[d.column - 1:].startswith("and knocked"), (row, d.column)


def test_condition_unknown_name_suggests():
    text = MINIMAL.replace('goto = "@ending"', 'goto = "@ending"\nif = "knockd"')
    d = only(text, "SC042")
    assert d.hint == "did you mean `knocked`?"
    row = text.splitlines()[d.line - 1]
    assert row[d.column - 1:].startswith("knockd")


def test_condition_type_error():
    text = MINIMAL.replace('when = "trust >= 6"', 'when = "trust and knocked"')
    d = only(text, "SC041")
    assert "true/false" in d.message


def test_struck_choice_needs_a_reason():
    text = MINIMAL.replace('goto = "@ending"', 'goto = "@ending"\nif = "knocked"\nunavailable = "strike"')
    only(text, "SC021")


def test_bad_enum_values():
    text = MINIMAL.replace('tone = "warm"', 'tone = "happy"')
    d = only(text, "SC023")
    assert "hopeful" in d.message


def test_meter_range_checked():
    text = MINIMAL + "\n[meters.trust]\nstart = 11\n"
    d = only(text, "SC023")
    assert "outside 0..10" in d.message


def test_a_hyphen_in_an_id_is_one_error_that_says_what_to_call_it():
    text = MINIMAL.replace("[scenes.hall]", "[scenes.the-hall]").replace("[[scenes.hall.", "[[scenes.the-hall.") \
                  .replace('goto = "hall"', 'goto = "the-hall"').replace('start = "door"', 'start = "the-hall"')
    only_error = only(text, "SC023")  # not the `goto`, nor `start`: one error, at the header
    assert only_error.message == ("scene id `the-hall` must start with a letter or an underscore, then hold only "
                                  "letters, digits and underscores (letters A to Z without accents, at most 64)")
    assert only_error.hint.startswith("call it `the_hall`, here and wherever it is named")
    assert only_error.line == line_of(text, "[scenes.the-hall]")
    ending = MINIMAL.replace("[endings.left]", "[endings.walk-home]").replace('goto = "left"', 'goto = "walk-home"')
    assert "call it `walk_home`" in only(ending, "SC023").hint


COURAGE = MINIMAL.replace("[flags]", "[meters.courage]\nstart = 2\n\n[flags]").replace(
    "effects = { trust = 1 }", "effects = { trust = 1, courage = 1 }").replace(
    'text = "Wait."\ngoto = "@ending"', 'text = "Wait."\ngoto = "@ending"\nif = "knocked and courage >= 2"\n\n'
    '[[scenes.hall.choices]]\ntext = "Go."\ngoto = "left"\nif = "not knocked"\nclear = ["knocked"]').replace(
    'when = "trust >= 6"', 'when = "trust >= 6 and courage > 1 and knocked"')


@pytest.mark.parametrize("old, new, what, named", [
    ("knocked", "has-knocked", "flag", "(`set`, `clear` and conditions)"),
    ("courage", "the-courage", "meter", "(`effects` and conditions)"),
])
def test_a_hyphen_in_a_flag_or_meter_id_is_one_error_naming_the_id_to_use(old, new, what, named):
    """Declared with a hyphen and used everywhere by that spelling (or by the one the error suggests): one error,
    at the declaration, and none for each `set`, effect or condition that names it."""
    assert problems(COURAGE) == []
    text = COURAGE.replace(old, new)
    only_error = only(text, "SC023")
    fixed = new.replace("-", "_")
    assert only_error.message == (f"{what} id `{new}` must start with a letter or an underscore, then hold only "
                                  "letters, digits and underscores (letters A to Z without accents, at most 64)")
    assert only_error.hint == f"call it `{fixed}`, here and wherever it is named {named}"
    half = text.replace(f'"{new}"', f'"{fixed}"').replace(f"{new} >=", f"{fixed} >=")  # some places renamed already
    assert only(half, "SC023").hint == only_error.hint
    found = problems(text.replace("trust >= 6", "trst >= 6"))
    assert [d.code for d in found] == ["SC023", "SC042"], "a real mistake beside it is still found"
    assert new not in (found[1].hint or ""), "never a suggestion of the id the loader refuses"


def test_a_scene_split_between_a_hyphen_and_the_id_to_use_is_one_error():
    """`[scenes.the-hall]` renamed while its choices' headers still say `the_hall`, and a `goto` that says either:
    one error (not a missing `text` too), and the `goto` that names the right id is no error, nor a suggestion
    of the wrong one."""
    text = MINIMAL.replace("[scenes.hall]", "[scenes.the-hall]").replace("[[scenes.hall.", "[[scenes.the_hall.") \
                  .replace('goto = "hall"', 'goto = "the_hall"')
    assert only(text, "SC023").hint.startswith("call it `the_hall`, here and wherever it is named")
    typo = text.replace('goto = "the_hall"', 'goto = "the_hal"')
    found = {d.code: d for d in problems(typo)}
    assert found["SC030"].hint == "did you mean `the_hall`?"


@pytest.mark.parametrize("reason, what", [
    ("Needs kind_goodbye (trust >= 3).", "an id (`kind_goodbye`)"),
    ("Only after 2 drinks.", "a number (`2`)"),
    ("Your self-esteem is too low.", "the meter \"your self-esteem\""),
    ("Not while trust is this low.", "the meter \"trust\""),
    ("When x > y.", "a comparison (`>`)"),
    ("Needs knocked_twice (trust >= 2).", "shows the game's workings: an id (`knocked_twice`), the meter \"trust\", "
                                          "a comparison (`>=`) and a number (`2`)"),
])
def test_a_struck_choices_reason_that_shows_the_workings_is_a_warning(reason, what):
    text = MINIMAL.replace('goto = "@ending"', f'goto = "@ending"\nif = "knocked"\nunavailable = "strike"\n'
                           f'reason = "{reason}"')
    warning = only(text, "SC103")
    assert warning.severity == "warning" and what in warning.message
    assert warning.line == line_of(text, "reason =")
    fine = text.replace(reason, "You have said enough for one night.")
    assert problems(fine) == []


def test_an_id_starting_with_a_digit_is_told_the_first_character_rule():
    text = MINIMAL.replace("[scenes.hall]", "[scenes.1hall]").replace("[[scenes.hall.", "[[scenes.1hall.") \
                  .replace('goto = "hall"', 'goto = "1hall"')
    error = only(text, "SC023")
    assert "`1hall` must start with a letter or an underscore" in error.message
    assert error.hint.startswith("call it `_1hall`")


@pytest.mark.parametrize("word, why", [("tactic", "built into conditions"), ("visits", "built into conditions"),
                                       ("true", "a word of the condition language")])
def test_the_words_conditions_keep_are_refused_as_flags_and_meters(word, why):
    for text in (MINIMAL.replace("[flags]\n", f'[flags]\n{word} = "x"\n'), MINIMAL + f"\n[meters.{word}]\n"):
        assert why in only(text, "SC023").message
    effect = problems(MINIMAL.replace("{ trust = 1 }", f"{{ {word} = 1 }}") + f"\n[meters.{word}]\n")
    assert [d.code for d in effect] == ["SC031", "SC023"]
    assert effect[0].hint == f"conditions keep `{word}` for themselves: give the meter another name"


def test_tactic_is_kept_for_conditions():
    catalog = {"make-them-jealous": Advice("make-them-jealous", "Make them jealous", "x", ("A1 #1",),
                                          manipulative=True),
               "be-kind": Advice("be-kind", "Be kind", "x", ("A1 #1",))}
    text = MINIMAL.replace('when = "trust >= 6"', 'when = "trust >= 6 and not tactic.make-them-jelous"')
    [unknown] = read_text(text, "s.toml", catalog=catalog).diagnostics
    assert unknown.code == "SC042" and "`tactic.make-them-jelous` names no tactic" in unknown.message
    assert unknown.hint == "did you mean `make-them-jealous`?"
    text = MINIMAL.replace('when = "trust >= 6"', 'when = "trust >= 6 and not tactic.be-kind"')
    assert "tactics are advice marked `manipulative`: make-them-jealous" in \
        read_text(text, "s.toml", catalog=catalog).diagnostics[0].hint


def test_bad_citation():
    text = MINIMAL + '\n[advice.be-kind]\ntitle = "Be kind"\ntext = "Kindly."\nsources = ["Article 1"]\n'
    only(text, "SC050")


def test_a_citation_missing_its_hash_is_offered_the_step():
    text = MINIMAL + '\n[advice.be-kind]\ntitle = "Be kind"\ntext = "Kindly."\nsources = ["A1 4"]\n'
    assert only(text, "SC050").hint == "did you mean `A1 #4`?"


def test_every_problem_is_collected_not_just_the_first():
    text = (MINIMAL.replace('goto = "hall"', 'goto = "hal"')
            .replace("effects = { trust = 1 }", "efects = { trust = 1 }")
            .replace('tone = "warm"', 'tone = "happy"'))
    codes = sorted(d.code for d in problems(text))
    assert codes == ["SC020", "SC023", "SC030"]


def test_problems_come_in_file_order():
    text = MINIMAL.replace('goto = "@ending"', 'goto = "nowhere"').replace('start = "door"', 'start = "x"')
    lines = [d.line for d in problems(text)]
    assert lines == sorted(lines) and len(lines) == 2


def test_scenario_error_carries_all_diagnostics(tmp_path):
    path = write(tmp_path, MINIMAL.replace('goto = "hall"', 'goto = "hal"').replace('tone = "warm"', 'tone = "x"'))
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path, catalog=CATALOG)
    assert len(caught.value.errors) == 2
    assert str(path) in str(caught.value)


# -- files that are not scenarios at all ----------------------------------------------


def test_missing_file(tmp_path):
    [d] = read_scenario(tmp_path / "nope.toml", catalog=CATALOG).diagnostics
    assert d.code == "SC001"


def test_folder_instead_of_file(tmp_path):
    [d] = read_scenario(tmp_path, catalog=CATALOG).diagnostics
    assert d.code == "SC001"


def test_not_utf8(tmp_path):
    path = tmp_path / "latin1.toml"
    path.write_bytes(MINIMAL.replace("A hall.", "Un caf\u00e9.").encode("latin-1"))
    [d] = read_scenario(path, catalog=CATALOG).diagnostics
    assert d.code == "SC002"
    assert d.line == line_of(MINIMAL, "A hall.")


def test_empty_file(tmp_path):
    [d] = read_scenario(write(tmp_path, "  \n# nothing\n"[:3]), catalog=CATALOG).diagnostics
    assert d.code == "SC003"


def test_oversized_file(tmp_path):
    path = tmp_path / "huge.toml"
    path.write_bytes(b"#" * (MAX_BYTES + 1))
    [d] = read_scenario(path, catalog=CATALOG).diagnostics
    assert d.code == "SC004"


def test_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.encode())
    assert read_scenario(path, catalog=CATALOG).scenario is not None


def test_section_given_as_a_value():
    found = problems("scenario = 3\nscenes = 1\nendings = []\n")
    wrong = [d for d in found if d.code == "SC022"]
    assert [d.line for d in wrong] == [1, 2, 3]
    assert "`scenario`" in wrong[0].message and "must be a table" in wrong[0].message


def test_unavailable_without_condition_is_a_warning_not_an_error():
    text = MINIMAL.replace('goto = "@ending"', 'goto = "@ending"\nunavailable = "strike"\nreason = "no"')
    result = read_text(text, "s.toml", catalog=CATALOG)
    [d] = result.diagnostics
    assert (d.code, d.severity) == ("SC101", "warning")
    assert "warning: " in d.format()
    assert result.scenario is not None


def test_unknown_advice_category():
    advice = '[advice.be-kind]\ntitle = "Be kind"\ntext = "Kindly."\nsources = ["A1 #4"]\ncategory = "heling"\n'
    text = MINIMAL + "\n" + advice
    d = only(text, "SC023")
    assert d.hint == "did you mean `healing`?"
    assert d.line == line_of(text, "category")


# -- every diagnostic points at its key, whatever shape the file has ---------------------


def at(text: str, code: str, needle: str = "") -> tuple[int, int]:
    """The (line, column) of the one diagnostic with `code` whose message holds `needle`."""
    [d] = [d for d in problems(text) if d.code == code and needle in d.message]
    return d.line, d.column


def test_a_scene_made_only_by_its_choices_header_is_placed_there():
    text = MINIMAL.replace("[scenes.hall]", "[scenes.hal]")  # a typo leaves `hall` made by [[scenes.hall.choices]]
    assert at(text, "SC021", "makes a new scene `hall`, which has no `text`") == (line_of(text, "[[scenes.hall."), 1)
    assert at(text, "SC021", "`hal` is missing required key `choices`") == (line_of(text, "[scenes.hal]"), 1)


def test_an_unknown_table_that_only_appears_in_headers():
    text = MINIMAL.replace("[endings.left]", "[endngs.left]")
    assert at(text, "SC020", "`endngs`") == (line_of(text, "[endngs.left]"), 1)


def test_the_missing_fallback_ending_points_at_the_last_endings_when():
    text = MINIMAL.replace('text = "You walk home."', 'when = "trust < 6"\ntext = "You walk home."')
    assert at(text, "SC037") == (line_of(text, 'when = "trust < 6"'), 1)


def test_a_quoted_key_with_escapes():
    text = MINIMAL.replace('text = "A door."', 'text = "A door."\n  "t\\u00e9xt" = "x"')
    assert at(text, "SC020", "`t\u00e9xt`") == (line_of(text, '"t\\u00e9xt"'), 3)


def test_a_control_character_written_as_an_escape_in_a_key():
    text = MINIMAL.replace('text = "A door."', 'text = "A door."\n"a\\u001bb" = 1')
    assert at(text, "SC025") == (line_of(text, '"a\\u001bb"'), 1)


def test_a_dotted_header_with_spaces_and_quotes():
    text = MINIMAL.replace('[scenes.hall]\ntext = "A hall."', '[ scenes . "hall" ]\ntxt = "A hall."')
    assert at(text, "SC020", "`txt`") == (line_of(text, 'txt = "A hall."'), 1)
    assert at(text, "SC021", "`hall`") == (line_of(text, '[ scenes . "hall" ]'), 1)


def test_array_of_tables_items_under_a_dotted_header_with_spaces():
    text = (MINIMAL.replace("[[scenes.door.choices]]", "[[ scenes . door . 'choices' ]]")
            .replace('goto = "left"', 'goto = "lef"'))
    assert at(text, "SC030") == (line_of(text, 'goto = "lef"'), 1)


def test_inline_tables_inside_an_array():
    text = MINIMAL.replace('text = "A door."', 'text = "A door."\nmessages = [\n  { from = "Sam", txt = "hi" },\n]')
    row = line_of(text, 'txt = "hi"')
    assert at(text, "SC020", "`txt`") == (row, 19)
    assert at(text, "SC021", "`text`") == (row, 3)


def test_a_key_after_a_multi_line_string_that_looks_like_toml():
    text = MINIMAL.replace('text = "A door."', 'text = """\nA door.\nkey = "no"\n[not.a.table]\n"""\ntitel = "x"')
    assert at(text, "SC020", "`titel`") == (line_of(text, "titel"), 1)


def test_a_control_character_at_the_start_of_a_multi_line_string():
    text = MINIMAL.replace('text = "A door."', 'text = """\n\\e[31mA door."""')
    assert at(text, "SC025") == (line_of(text, "A door."), 1)


def test_a_missing_scenario_table_points_at_the_first_key_of_the_file():
    text = "# Tiny, a test story.\n\n" + MINIMAL.replace("[scenario]", "[senario]")
    assert at(text, "SC020", "`senario`") == (3, 1)
    assert at(text, "SC021", "`scenario`") == (3, 1)


# -- strings that are never closed are reported where they open ------------------------


def unclosed(text: str) -> tuple[int, int, str, str]:
    d = only(text, "SC010")
    assert "is never closed" in d.message, d.format()
    return d.line, d.column, d.message, d.hint


def test_an_unclosed_basic_string():
    text = MINIMAL.replace('text = "A hall."', 'text = "A hall.')
    line, col, message, hint = unclosed(text)
    assert (line, col) == (line_of(text, "A hall."), 8)
    assert f"the string opened at line {line} is never closed" in message
    assert f"the TOML parser gave up at line {line}, column 16" in message
    assert hint == 'close it with " where the text ends'


def test_an_unclosed_literal_string():
    text = MINIMAL.replace('title = "Warm"', "title = 'Warm")
    line, col, _, hint = unclosed(text)
    assert (line, col) == (line_of(text, "'Warm"), 9)
    assert hint == "close it with ' where the text ends"


def test_an_unclosed_multi_line_string_is_reported_where_it_opens_not_where_the_parser_gave_up():
    text = (MINIMAL.replace('text = "A door."', 'text = """\nA door.\n')
            .replace('text = "A hall."', 'text = """\nA hall.\n"""'))
    line, col, message, hint = unclosed(text)
    assert (line, col) == (line_of(text, "[scenes.door]") + 1, 8)
    assert f"it runs on over line {line + 4}, `[[scenes.door.choices]]`" in message
    assert f"the TOML parser gave up at line {line_of(text, 'A hall.')}, column 3" in message  # at `hall`
    assert hint == 'close it with """ where the text ends'


def test_an_unclosed_multi_line_literal_string():
    text = (MINIMAL.replace('text = "A door."', "text = '''\nA door.\n")
            .replace('text = "A hall."', "text = '''\nA hall.\n'''"))
    line, col, _, hint = unclosed(text)
    assert (line, col) == (line_of(text, "[scenes.door]") + 1, 8)
    assert hint == "close it with ''' where the text ends"


def test_the_example_where_the_parser_asks_for_an_equals_sign_seven_lines_on():
    line, col, message, _ = unclosed('a = """\nhello\n\n[t]\nb = 2\nc = """\nbye\n"""\n')
    assert (line, col) == (1, 5)
    assert "runs on over line 4, `[t]`" in message and "gave up at line 7, column 4" in message


def test_an_unclosed_string_in_an_inline_table():
    text = MINIMAL.replace('set = ["knocked"]', 'messages = [{ from = "you, text = "hi" }]\nset = ["knocked"]')
    line, col, message, _ = unclosed(text)
    assert (line, col) == (line_of(text, "messages = "), 22)
    assert "runs on over `, text = \"`" in message
    text = MINIMAL.replace("effects = { trust = 1 }", 'effects = { trust = 1 }\nm = [{ from = "you", text = "hi }]')
    assert unclosed(text)[:2] == (line_of(text, "m = "), 29)


def test_an_unclosed_string_at_the_end_of_the_file():
    text = MINIMAL + '\n[endings.late]\ntitle = "Late'
    line, col, message, _ = unclosed(text)
    assert (line, col) == (len(text.splitlines()), 9)
    assert "the TOML parser gave up at the end of the file" in message
    text = MINIMAL + '\n[endings.late]\ntext = """\nIt is late.\n'
    assert unclosed(text)[:2] == (len(text.splitlines()) - 1, 8)


def test_other_syntax_errors_keep_the_parsers_own_place():
    text = MINIMAL.replace('goto = "hall"', "goto = hall")
    d = only(text, "SC010")
    assert (d.line, d.column) == (line_of(text, "goto = hall"), 8) and "invalid value" in d.message
    text = MINIMAL.replace('text = "A hall."', 'text = "A "big" hall."')
    d = only(text, "SC010")
    assert (d.line, d.column) == (line_of(text, "big"), 12) and "never closed" not in d.message
