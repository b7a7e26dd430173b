"""Twine stories brought in as scenarios: imported, validated, played to an ending, and kept as golden files.

Four stories: the examples of the Twee 3 specification, a Harlowe story and a
SugarCube story written for these tests (links of every form, variables,
guards, an unsupported macro), and a library archive saved as Twine 2 writes
one. Each is imported with `second-chance import`, the scenario and the
import's diagnostics are kept as golden files, `validate` passes it, and the
plain player plays it to an ending in a real process.

The Twee 3 examples below are quoted from the Twee 3 Specification v3.0.2
(iftechfoundation/twine-specs, twee-3-specification.md, by the Interactive
Fiction Technology Foundation): the four passage headers, and the StoryData
chunk.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from game.cli import main
from game.loader import read_scenario
from game.loader.twine import import_story, import_text
from game.loader.twine.origin import Origin
from game.loader.twine.story import Notes
from game.loader.twine.twee import read_twee

STORIES = Path(__file__).resolve().parent / "twine"

SPEC_HEADERS = [  # Twee 3 Specification, "Passage Header", the four examples
    (":: An overgrown path", ()),
    (":: An overgrown path [forest spooky]", ("forest", "spooky")),
    (':: An overgrown path {"position":"600,400","size":"100,200"}', ()),
    (':: An overgrown path [forest spooky] {"position":"600,400","size":"100,200"}', ("forest", "spooky")),
]
SPEC_STORY_DATA = """:: StoryData
{
   "ifid": "D674C58C-DEFA-4F70-B7A2-27742230C0FC",
   "format": "SugarCube",
   "format-version": "2.28.2",
   "start": "My Starting Passage",
   "tag-colors": {
     "bar": "green",
     "foo": "red",
     "qaz": "blue"
   },
   "zoom": 0.25
}
"""  # Twee 3 Specification, "StoryData", the example
SPEC_STORY = f"""{SPEC_STORY_DATA}
:: StoryTitle
A Walk After

:: My Starting Passage
The bus drops you at the edge of the park you two used to cross every Sunday.
[[Take the old way->An overgrown path]]
[[Take the new road|Home]]

{SPEC_HEADERS[3][0]}
Brambles have grown over the path. You find you are glad of the quiet.
[[Home]]

:: Home
You get home a little muddy and entirely yourself.
"""

PLAYS = {  # story file: (the answers typed, the ending reached)
    "spec-examples.twee": ([1, 1], "Home"),
    "jacket.twee": ([2, 1], "Monday"),
    "playlist.twee": ([4, 2, 3], "Renamed"),
    "library-archive.html": ([2, 1, 1], "What_now"),
}


def _source(name: str, tmp_path: Path) -> Path:
    if name == "spec-examples.twee":
        path = tmp_path / name
        path.write_text(SPEC_STORY, encoding="utf-8")
        return path
    return STORIES / name


@pytest.mark.parametrize("header, tags", SPEC_HEADERS)
def test_the_specification_headers_read_as_one_passage(header, tags):
    notes = Notes(Origin(header + "\nA bramble.\n", "spec.twee"))
    story = read_twee(notes.origin, notes)
    assert story is not None and not notes.found
    (passage,) = story.passages
    assert (passage.name, passage.tags, passage.text, passage.at) == ("An overgrown path", tags, "A bramble.", (1, 4))


def test_the_specification_story_data_names_start_and_format():
    notes = Notes(Origin(SPEC_STORY, "spec.twee"))
    story = read_twee(notes.origin, notes)
    assert story is not None and not notes.found
    assert (story.start, story.format, story.format_version, story.title) == (
        "My Starting Passage", "sugarcube", "2.28.2", "A Walk After")


def test_escapes_in_names_and_tags():
    """Twee 3: `\\[` stands for `[`, `\\\\` for a backslash, and any escaped character for itself."""
    notes = Notes(Origin(":: A \\[bracketed\\] name\\\\ \\q [one\\]two three]\nText\n", "e.twee"))
    story = read_twee(notes.origin, notes)
    assert story is not None
    assert story.passages[0].name == "A [bracketed] name\\ q"
    assert story.passages[0].tags == ("one]two", "three")


@pytest.mark.parametrize("name", sorted(PLAYS))
def test_imported_validated_played_and_golden(name, tmp_path, snapshot, capsys):
    source = _source(name, tmp_path)
    out = tmp_path / "imported.toml"
    assert main(["import", str(source), "-o", str(out)]) == 0
    report = capsys.readouterr().err.replace(str(source), source.name).replace(str(out), out.name)
    text = out.read_text(encoding="utf-8")
    snapshot.assert_match(text, f"{source.stem}.toml")
    snapshot.assert_match(report, f"{source.stem}.diagnostics.txt")
    assert main(["validate", str(out)]) == 0
    assert capsys.readouterr().out.rstrip().endswith("0 errors, 0 warnings in 1 file")
    answers, ending = PLAYS[name]
    played = subprocess.run([sys.executable, "-m", "game", "play", str(out), "--plain"], capture_output=True,
                            text=True, timeout=60, input="".join(f"{a}\n" for a in answers))
    assert played.returncode == 0, played.stderr
    scenario = read_scenario(out).unwrap()
    assert f"=== Ending: {scenario.endings[ending].title} " in played.stdout


@pytest.mark.parametrize("name", sorted(PLAYS))
def test_importing_twice_gives_the_same_bytes(name, tmp_path):
    source = _source(name, tmp_path)
    first = import_text(source.read_text(encoding="utf-8"), str(source))
    second = import_text(source.read_text(encoding="utf-8"), str(source))
    assert first.text is not None and first.text == second.text
    assert first.diagnostics == second.diagnostics


def test_every_import_diagnostic_points_into_the_story(tmp_path, capsys):
    """Each line the import prints names the story file, a line that exists there, and a code."""
    for name in PLAYS:
        source = _source(name, tmp_path)
        lines = source.read_text(encoding="utf-8").count("\n") + 1
        main(["import", str(source), "-o", str(tmp_path / f"{source.stem}.toml")])
        for row in capsys.readouterr().err.splitlines()[:-1]:
            file, line, column, rest = row.split(":", 3)
            assert file == str(source) and 1 <= int(line) <= lines and int(column) >= 1, row
            assert rest.split()[0].startswith("SC2") or rest.split()[0] in ("SC102", "SC112", "SC116"), row


def test_every_code_the_import_gives_is_documented():
    import re

    import game.loader.twine

    source = "".join(p.read_text(encoding="utf-8") for p in Path(game.loader.twine.__file__).parent.glob("*.py"))
    guide = (Path(__file__).resolve().parent.parent / "docs" / "diagnostics.md").read_text(encoding="utf-8")
    codes = set(re.findall(r'"(SC\d{3})"', source))
    assert len(codes) > 20
    for code in codes:
        assert f"| {code} |" in guide or code in ("SC003", "SC102"), f"{code} is not in docs/diagnostics.md"


def test_a_story_file_is_read_as_what_it_holds_not_by_its_name(tmp_path):
    """Twee saved as `.html` is Twee, and Twine's HTML saved as `.twee` or `.txt` is HTML: the same scenario."""
    twee, html = STORIES / "jacket.twee", STORIES / "library-archive.html"
    for source, misnamed in ((twee, "jacket.html"), (twee, "jacket.txt"), (html, "archive.twee")):
        renamed = tmp_path / misnamed
        renamed.write_bytes(source.read_bytes())
        result = import_story(renamed)
        assert result.text is not None and not result.errors, [d.format() for d in result.diagnostics]
        assert result.text == import_story(source).text.replace(source.name, misnamed)
