"""Each class of authoring mistake gets its own small broken file and a located, coded error."""

from __future__ import annotations

import pytest

from game.diagnostics import ScenarioError
from game.loader import MAX_BYTES, load_scenario, read_scenario, read_text
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


def test_duplicate_scene_is_a_syntax_error_with_hint():
    text = MINIMAL + '\n[scenes.door]\ntext = "again"\n'
    d = only(text, "SC010")
    assert "only once" in d.hint


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


def test_boolean_is_not_a_number():
    text = MINIMAL.replace("effects = { trust = 1 }", "effects = { trust = true }")
    d = only(text, "SC022")
    assert "whole number" in d.message


def test_missing_required_key():
    text = MINIMAL.replace('start = "door"\n', "")
    d = only(text, "SC021")
    assert "`start`" in d.message
    assert d.line == line_of(text, "[scenario]")


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


def test_bad_id_characters():
    text = MINIMAL.replace("[endings.left]", "[endings.walk-home]").replace('goto = "left"', 'goto = "walk-home"')
    found = problems(text)
    assert "SC023" in [d.code for d in found]


def test_bad_citation():
    text = MINIMAL + '\n[advice.be-kind]\ntitle = "Be kind"\ntext = "Kindly."\nsources = ["Article 1"]\n'
    only(text, "SC050")


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
