"""`second-chance new`: a starter that validates clean, never overwrites, and takes any name safely."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.analysis.checks import deep_check
from game.analysis.expected import check_expected
from game.cli import main
from game.loader import load_scenario, load_text, read_scenario
from game.starter import SCHEMA, SCHEMA_NAME, StarterError, create, render, scenario_id


def test_new_writes_a_scenario_that_validates_clean_even_strictly(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["new", "My First Story"]) == 0
    path = tmp_path / "my-first-story.toml"
    assert path.exists() and "Wrote my-first-story.toml" in capsys.readouterr().out
    assert main(["validate", str(path), "--strict"]) == 0
    assert "ok: 0 errors, 0 warnings" in capsys.readouterr().out
    scenario = load_scenario(path)
    assert scenario.id == "my-first-story" and scenario.title == "My First Story"
    found, walk = deep_check(scenario)
    assert found == [] and walk.exhaustive
    assert len(scenario.expected) == 2 and check_expected(scenario) == []


def test_starter_uses_every_kind_of_key_a_newcomer_needs():
    text = render("demo")
    for key in ("[scenario]", "[cast.", "aka", "note", "[flags]", "variants", "messages", "effects", "follows",
                "ignores", "if =", "unavailable", "reason", '"@ending"', "when", "tone", "outcome", "[[expected]]"):
        assert key in text, key


def test_the_starters_cast_is_checked():
    """The starter's cast of one is checked like any story's: take Sam out of the first scene, and the choices
    that name Sam come too early."""
    text = render("demo")
    assert list(load_text(text).cast) == ["sam"]
    cut = text.replace("Sam, your oldest friend, who wrote", "a friend, who wrote")
    assert cut != text
    early = [d.message for d in deep_check(load_text(cut), source=cut)[0] if d.code == "SC150"]
    assert any(m.startswith("Sam is named in the 2nd choice in `evening`") for m in early), early


def test_starter_points_editors_at_a_schema_beside_it():
    """A relative path travels with the story; an absolute one into the installed game does not."""
    text = render("demo")
    assert text.splitlines()[0] == "#:schema ./second-chance.schema.json"
    assert str(SCHEMA.parent) not in text and "file:" not in text
    assert SCHEMA.is_file()


def test_new_writes_the_schema_beside_the_story(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["new", "my-story"]) == 0
    first = Path("my-story.toml").read_text(encoding="utf-8").splitlines()[0]
    schema = Path(first.split(" ", 1)[1])  # resolved from the story's folder, as editors do
    assert schema.resolve() == (tmp_path / SCHEMA_NAME).resolve()
    assert schema.read_bytes() == SCHEMA.read_bytes()


def test_a_story_and_its_schema_still_match_after_moving(tmp_path):
    story = create(str(tmp_path / "drafts" / "rainy.toml"))
    moved = tmp_path / "shared" / "with-a-friend"
    moved.mkdir(parents=True)
    for path in (story, story.parent / SCHEMA_NAME):
        path.rename(moved / path.name)
    first = (moved / "rainy.toml").read_text(encoding="utf-8").splitlines()[0]
    assert (moved / first.split(" ", 1)[1]).is_file()
    assert load_scenario(moved / "rainy.toml").id == "rainy"


def test_a_schema_already_in_the_folder_is_kept(tmp_path):
    mine = tmp_path / SCHEMA_NAME
    mine.write_text('{"title": "my own"}', encoding="utf-8")
    create(str(tmp_path / "one.toml"))
    create(str(tmp_path / "two.toml"))
    assert mine.read_text(encoding="utf-8") == '{"title": "my own"}'
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([SCHEMA_NAME, "one.toml", "two.toml"])


def test_new_never_overwrites_without_force(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("taken.toml").write_text("mine", encoding="utf-8")
    assert main(["new", "taken"]) == 1
    assert "already exists" in capsys.readouterr().err
    assert Path("taken.toml").read_text(encoding="utf-8") == "mine"
    assert main(["new", "taken", "--force"]) == 0
    assert read_scenario(Path("taken.toml")).scenario is not None


def test_a_refused_story_writes_no_schema(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("taken.toml").write_text("mine", encoding="utf-8")
    assert main(["new", "taken"]) == 1
    assert not Path(SCHEMA_NAME).exists()


def test_new_accepts_a_path_ending_in_toml(tmp_path):
    path = create(str(tmp_path / "stories" / "Rainy Day.toml"))
    assert path.name == "Rainy Day.toml"
    assert load_scenario(path).id == "rainy-day"


@pytest.mark.parametrize("name", ["!!!", "...", "  "])
def test_names_without_letters_are_refused(name, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["new", name]) == 1
    assert "no letters or digits" in capsys.readouterr().err
    with pytest.raises(StarterError):
        render(name)


def test_unwritable_place_is_a_message(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    assert main(["new", str(blocker / "story.toml")]) == 1
    said = capsys.readouterr().err
    assert "cannot write" in said and "file is a file, where a folder is needed: move it away or rename it" in said
    assert "next time it saves" not in said  # a story file is not a save: nothing makes the folder by itself


def test_ids():
    assert scenario_id("Café Talk") == "caf-talk"
    assert scenario_id("dir/last_call.toml") == "last-call"
    assert scenario_id("word " * 30) == "-".join(["word"] * 13)  # 64 characters, cut at a hyphen
    assert scenario_id("b" * 80) == "b" * 64


def test_a_long_name_gives_a_story_validate_accepts_and_a_name_too_long_for_a_file_a_sentence(tmp_path, capsys):
    path = create("a" * 300, tmp_path)
    assert path.name == "a" * 64 + ".toml" and load_scenario(path).id == "a" * 64
    assert main(["new", str(tmp_path / ("c" * 300 + ".toml"))]) == 1
    assert "the name is too long for this file system" in capsys.readouterr().err


def _guide() -> str:
    guide = Path(__file__).resolve().parent.parent / "docs" / "authoring.md"
    return guide.read_text(encoding="utf-8")  # a missing guide fails the tests that need it


def test_the_guides_whole_example_validates_clean_strictly(tmp_path, capsys):
    """A newcomer who types in the guide's story gets a clean bill of health."""
    text = _guide().split("### The whole file", 1)[1].split("```toml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "rainy-day.toml"
    path.write_text(text, encoding="utf-8")
    assert main(["validate", str(path), "--strict"]) == 0, capsys.readouterr().out
    assert main(["simulate", str(path), "--runs", "100"]) == 0


def test_every_toml_snippet_in_the_guide_parses():
    import tomli

    blocks = _guide().split("```toml\n")[1:]
    assert len(blocks) >= 10
    for block in blocks:
        tomli.loads(block.split("```", 1)[0].replace("#:schema", "# schema"))
