"""The command line as a script or a person uses it: real processes, real files."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from game.cli import main
from game.cli.options import FullScreen
from tests.helpers import MINIMAL, write


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "game", *args], input=stdin, capture_output=True,
                          text=True, timeout=120)


def test_validate_clean_file_exits_zero(tmp_path, capsys):
    assert main(["validate", str(write(tmp_path, MINIMAL))]) == 0
    assert capsys.readouterr().out.strip() == "ok: 0 errors, 0 warnings in 1 file"


def test_validate_reports_each_problem_with_location(tmp_path, capsys):
    path = write(tmp_path, MINIMAL.replace('goto = "hall"', 'goto = "hal"').replace("efects", "x")
                 .replace('tone = "warm"', 'tone = "warmm"'))
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"{path}:15:1: SC030 ")
    assert "did you mean `hall`?" in out[0]
    assert out[1].startswith(f"{path}:") and " SC023 " in out[1]
    assert out[-1] == "2 errors, 0 warnings in 1 file"


def test_validate_json(tmp_path, capsys):
    good = write(tmp_path, MINIMAL, "good.toml")
    bad = write(tmp_path, "[scenario", "bad.toml")
    assert main(["validate", "--format", "json", str(good), str(bad)]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["errors"] == 1
    assert [f["ok"] for f in report["files"]] == [True, False]
    assert report["files"][1]["diagnostics"][0]["code"] == "SC010"


def test_validate_folder_and_missing_path(tmp_path, capsys):
    write(tmp_path, MINIMAL, "a.toml")
    write(tmp_path, MINIMAL.replace('"tiny"', '"b"'), "b.toml")
    assert main(["validate", str(tmp_path)]) == 0
    assert "in 2 files" in capsys.readouterr().out
    assert main(["validate", str(tmp_path / "gone.toml")]) == 1
    assert "SC001" in capsys.readouterr().out


def test_validate_needs_something(capsys):
    assert main(["validate"]) == 2
    assert "--builtin" in capsys.readouterr().err


def test_validate_builtin_is_clean():
    result = run("validate", "--builtin")
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip().splitlines()[-1].startswith("ok: 0 errors")


def test_plain_play_piped_reaches_an_ending(tmp_path):
    path = write(tmp_path, MINIMAL)
    result = run("play", str(path), "--plain", stdin="1\n1\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "  1. Knock." in out and "> 1" in out
    assert "=== Ending: Warm (warm) ===" in out
    assert "Their trust: 5 → 6 → 6" in out
    assert "Traceback" not in result.stderr


def test_plain_play_of_a_broken_file_lists_its_errors(tmp_path):
    path = write(tmp_path, MINIMAL.replace('goto = "hall"', 'goto = "hal"'))
    result = run("play", str(path), "--plain")
    assert result.returncode == 1
    assert "SC030" in result.stderr and "cannot be played" in result.stderr
    assert "Traceback" not in result.stderr


def test_plain_play_unknown_scenario_names_the_builtins():
    result = run("play", "no-such-story", "--plain")
    assert result.returncode == 2
    assert "no scenario called `no-such-story`" in result.stderr


def test_plain_play_handles_nonsense_and_undo(tmp_path):
    path = write(tmp_path, MINIMAL)
    result = run("play", str(path), "--plain", stdin="banana\n9\nu\n1\nh\nu\n2\n")
    out = result.stdout
    assert '"banana" is not a choice' in out
    assert "there is no option 9" in out
    assert "nothing to undo" in out
    assert "Choice 1 · door: “Knock.”" in out
    assert "=== Ending: Left (hopeful) ===" in out


def test_plain_play_reads_a_byte_that_is_not_utf8_as_an_answer_that_is_not_a_choice(tmp_path):
    import io

    from game import plain
    from game.loader import read_scenario

    strict = io.TextIOWrapper(io.BytesIO(b"\xff\n1\n"), encoding="utf-8", errors="strict")  # a UTF-8 terminal's
    out = io.StringIO()
    plain.run(read_scenario(write(tmp_path, MINIMAL)).scenario, strict, out)
    assert '"\ufffd" is not a choice' in out.getvalue() and "--- hall ---" in out.getvalue()


def test_plain_play_input_ending_early(tmp_path):
    result = run("play", str(write(tmp_path, MINIMAL)), "--plain", stdin="1\n")
    assert result.returncode == 0
    assert "Input ended before the story did" in result.stdout


def test_list_and_module_entry_point():
    result = run("list")
    assert result.returncode == 0 and result.stdout.strip()
    assert "(broken" not in result.stdout


def test_plain_play_reports_a_stuck_scene_instead_of_waiting(tmp_path):
    text = MINIMAL.replace('goto = "@ending"', 'goto = "@ending"\nif = "trust > 9"')
    result = run("play", str(write(tmp_path, text)), "--plain", stdin="1\n1\n")
    assert "No choice is open here" in result.stdout
    assert result.returncode == 0


def test_version(capsys):
    import pytest

    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.startswith("second-chance 0.")


# -- every documented option, and --scenarios DIR everywhere -------------------------------------

def _help(capsys, *command: str) -> str:
    import pytest

    with pytest.raises(SystemExit) as done:
        main([*command, "--help"])
    assert done.value.code == 0
    return capsys.readouterr().out


def test_the_table_of_commands_names_each_module_that_adds_one() -> None:
    """A command is built from its own module alone (`second-chance` builds only `play`'s part of the parser)."""
    from game.cli import COMMANDS, build_parser

    def commands(parser) -> set[str]:
        return set(next(a for a in parser._actions if a.dest == "command").choices)

    assert commands(build_parser()) == set(COMMANDS)
    for command, module in COMMANDS.items():
        assert command in commands(build_parser((module,)))


def test_workshop_help_names_the_three_screens_and_every_handout(capsys):
    """A new facilitator reading `workshop --help` learns there is a console, a room display (F4) and phones
    (--vote), and that --export writes the take-home too."""
    import re

    text = " ".join(_help(capsys, "workshop").split())
    for said in ("facilitator's console", "room display", "F4", "with --vote the room's phones", "take-home"):
        assert said in text, said
    assert not re.search(r"one screen \(a projector\)", text)


def test_help_lists_every_option_the_readme_documents(capsys):
    """Each `second-chance ...` line in the README: its options are in that command's --help."""
    import re
    from pathlib import Path

    from game.cli import build_parser

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    commands = set(next(a for a in build_parser()._actions if a.dest == "command").choices)
    top = _help(capsys)
    assert "--scenarios DIR" in top and "--version" in top
    checked = 0
    for line in re.findall(r"^(?:.*\| )?second-chance(?: [^#\n]*)?", readme, re.MULTILINE):
        words = line.split("second-chance", 1)[1].split()
        command = next((w for w in words if w in commands), None)
        text = _help(capsys, command) if command else top
        for option in re.findall(r"(?<![\w-])--[a-z][a-z-]*", line):
            assert option in text or option in top, f"`{line.strip()}`: {option} is not in the help"
            checked += 1
    assert checked >= 10  # the README's examples were found
    every = top + "".join(_help(capsys, command) for command in commands)
    for option in set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", readme)):  # those named in the prose too
        assert option in every, f"the README documents {option}, which no --help lists"


def test_scenarios_dir_works_with_every_command(tmp_path, capsys):
    """A scenario known only by its name in DIR is found by every command, with DIR before or after it."""
    folder = tmp_path / "mine"
    folder.mkdir()
    write(folder, MINIMAL, "tiny.toml")
    d = str(folder)
    seen: dict[str, object] = {}

    def front_end(name):
        def launch(options):
            seen[name] = getattr(options, "story", None) or list(options.folders)
            return 0
        return launch

    full_screen = FullScreen(**{name: front_end(name) for name in ("play", "workshop", "serve")})
    for argv in (["list", "--scenarios", d], ["--scenarios", d, "list"]):
        assert main(argv) == 0 and "tiny" in capsys.readouterr().out
    for command in (["validate", "tiny"], ["path", "tiny", "--to", "left"], ["graph", "tiny"],
                    ["simulate", "tiny", "--runs", "20"]):
        assert main([*command, "--scenarios", d]) == 0, command
        assert main(["--scenarios", d, *command]) == 0, command
        out = capsys.readouterr().out
        assert out.strip(), command
        assert main(command) == 2, command  # without DIR the name is unknown
        assert "tiny" in capsys.readouterr().err
    assert main(["play", "tiny", "--scenarios", d], full_screen) == 0 and seen["play"] == folder / "tiny.toml"
    assert main(["--scenarios", d], full_screen) == 0 and seen["play"] == [folder]
    assert main(["workshop", "tiny", "--scenarios", d], full_screen) == 0
    assert seen["workshop"] == folder / "tiny.toml"
    assert main(["--scenarios", d, "serve"], full_screen) == 0 and seen["serve"] == [folder]
    assert main(["new", "fresh", "--scenarios", d]) == 0
    assert (folder / "fresh.toml").is_file()
    assert main(["validate", "fresh", "--scenarios", d]) == 0


def test_plain_play_of_a_name_found_in_a_scenarios_dir(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    write(folder, MINIMAL, "tiny.toml")
    result = run("--scenarios", str(folder), "play", "tiny", "--plain", stdin="2\n")
    assert result.returncode == 0 and "A door." in result.stdout


# --- files are checked as what they hold, and play's options say what they mean -------------------------------


def test_validate_checks_a_file_by_what_it_holds_not_its_name(tmp_path, capsys):
    story = tmp_path / "stories" / "advice.toml"  # a story about advice, named like the catalog
    story.parent.mkdir()
    story.write_text(MINIMAL.replace('goto = "hall"', 'goto = "hal"'), encoding="utf-8")
    catalog = tmp_path / "my-catalog.toml"
    catalog.write_text('[advice.Bad_Id]\ntitle = "x"\ntext = "y"\nsources = ["chapter 4"]\n', encoding="utf-8")
    help_file = tmp_path / "helplines.toml"
    help_file.write_text('intro = "Help."\n[[resources]]\nname = "Line"\n', encoding="utf-8")
    assert main(["validate", str(story), str(catalog), str(help_file)]) == 1
    out = capsys.readouterr().out
    assert "advice.toml:" in out and "SC030" in out  # checked as the scenario it is
    assert "my-catalog.toml:1:1: SC023 advice id `Bad_Id`" in out and "SC050" in out  # as the catalog it is
    assert "helplines.toml" in out and "missing required key `contact`" in out  # as help resources


def test_a_folder_of_stories_is_judged_by_what_each_file_holds_not_its_name(tmp_path):
    """In a `--scenarios` folder, a story saved as `advice.toml` is listed and played by its name, and a copy of
    the catalog or of the help resources, whatever it is called, is no story: not listed, not broken."""
    from game import library, paths

    folder = tmp_path / "stories"
    folder.mkdir()
    write(folder, MINIMAL, "advice.toml")
    (folder / "catalog-copy.toml").write_bytes(paths.catalog_path().read_bytes())
    (folder / "help-copy.toml").write_bytes(paths.resources_path().read_bytes())
    offered, cache, _ = library.offer(builtin=False, folders=[folder])  # none checked before the list
    assert len(offered) == 3 and not any(e.checked for e in offered)
    list(library.check_rest(offered, cache))
    assert [e.path.name for e in offered if e.story] == ["advice.toml"]
    entries, _ = library.gather(builtin=False, folders=[folder])
    assert [e.path.name for e in entries] == ["advice.toml"]
    assert library.find("advice", [folder]) == folder / "advice.toml"
    result = run("--scenarios", str(folder), "play", "advice", "--plain", stdin="2\n")
    assert result.returncode == 0 and "A door." in result.stdout


def test_a_story_with_an_id_another_story_has_is_warned_and_not_offered_twice(tmp_path, capsys):
    """Two stories with one id would share saves and the endings found: `validate` warns at the `id` (a built-in
    story's, or another file's in the same run), and the list offers only the first, saying where the other is."""
    from game import library, paths

    folder = tmp_path / "stories"
    folder.mkdir()
    copy = folder / "my-last-call.toml"
    copy.write_text((paths.builtin_dir() / "last-call.toml").read_text(encoding="utf-8"), encoding="utf-8")
    write(folder, MINIMAL, "tiny.toml")
    write(folder, MINIMAL.replace('title = "Tiny"', 'title = "Tiny Again"'), "tiny-again.toml")
    assert main(["validate", "--no-deep", str(folder)]) == 0
    out = capsys.readouterr().out
    line = MINIMAL.splitlines().index('id = "tiny"') + 1
    assert f"my-last-call.toml:{line_of(copy, 'id = ')}:1: SC105 warning: scenario id `last-call` is already the id " \
        "of the built-in story “Last Call”" in out
    assert f"tiny.toml:{line}:1: SC105 warning: scenario id `tiny` is already the id of “Tiny Again”" in out \
        or f"tiny-again.toml:{line}:1: SC105 warning: scenario id `tiny` is already the id of “Tiny”" in out
    entries, skipped = library.gather(folders=[folder])
    assert sum(e.card.id == "last-call" for e in entries) == 1 and copy not in [e.path for e in entries]
    assert sum(e.card.id == "tiny" for e in entries) == 1
    reasons = {item.path.name: item.why for item in skipped}
    assert reasons["my-last-call.toml"].startswith(f"its story id `last-call` (line {line_of(copy, 'id = ')}) is "
                                                   "already the id of the built-in story “Last Call”")


def line_of(path, start: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line.startswith(start))


def test_play_from_and_set_suggest_the_name_meant(tmp_path, capsys):
    story = tmp_path / "tiny.toml"
    story.write_text(MINIMAL, encoding="utf-8")
    for wrong, said in ((["--from", "hal"], "no scene `hal` to start from (did you mean `hall`?)"),
                        (["--from", "left"], "`left` to start from (that is an ending; start from a scene before it)"),
                        (["--from", "attic"], "(its scenes are door, hall)"),
                        (["--from", "hall", "--set", "trsut=3"], "`trsut` is no meter or flag of this scenario "
                                                                  "(did you mean `trust`?)")):
        assert main(["play", str(story), "--plain", *wrong]) == 2
        assert said in capsys.readouterr().err, wrong


class _Typing(io.StringIO):
    """A player's answers; the story file is saved (as `saved`) in the editor just before the second one."""

    def __init__(self, answers: str, story, saved: str) -> None:
        super().__init__(answers)
        self.story, self.saved, self.answers = story, saved, 0

    def readline(self, *args) -> str:
        self.answers += 1
        if self.answers == 2:
            self.story.write_text(self.saved, encoding="utf-8")
        return super().readline(*args)

    def isatty(self) -> bool:
        return False


def test_plain_play_with_watch_reloads_the_story_when_it_is_saved(tmp_path, capsys, monkeypatch):
    story = tmp_path / "tiny.toml"
    story.write_text(MINIMAL, encoding="utf-8")
    edited = MINIMAL.replace('text = "A hall."', 'text = "A hall, freshly painted."')
    monkeypatch.setattr("sys.stdin", _Typing("1\n1\n1\n", story, edited))
    assert main(["play", str(story), "--plain", "--watch", "--no-save"]) == 0
    out = capsys.readouterr().out
    assert "(Reloaded; replayed 1 choice.)" in out and "A hall, freshly painted." in out
    assert out.index("freshly painted") < out.index("=== Ending")  # shown again, then answered again
    story.write_text(MINIMAL, encoding="utf-8")
    monkeypatch.setattr("sys.stdin", _Typing("1\n1\n", story, MINIMAL.replace('goto = "left"', 'goto = "lft"')))
    assert main(["play", str(story), "--plain", "--watch", "--no-save"]) == 0
    out = capsys.readouterr().out
    assert "(The scenario file no longer loads.)" in out and "SC030" in out and "=== Ending" in out


# -- plain mode is the same game: saved, resumed, endings recorded; --no-save keeps nothing --------

def test_plain_play_saves_resumes_and_records_its_ending_like_the_full_screen(tmp_path):
    from game import paths
    from game.home import Home

    path = write(tmp_path, MINIMAL)
    first = run("play", str(path), "--plain", stdin="1\n")
    assert "Your play is saved after every choice" in first.stdout
    assert "(Input ended before the story did. Your play was saved after choice 1.)" in first.stdout
    home = Home.open(paths.data_dir())
    assert home.slots.has("tiny")  # the very file the full-screen game resumes from
    again = run("play", str(path), "--plain", stdin="q\n")
    assert "Picking up your saved play after choice 1." in again.stdout and "A hall." in again.stdout
    assert "You stepped away. Your play was saved after choice 1." in again.stdout
    last = run("play", str(path), "--plain", stdin="1\n")
    assert "=== Ending: Warm (warm) ===" in last.stdout and "Endings found: 1 of 2" in last.stdout
    home = Home.open(paths.data_dir())
    assert not home.slots.has("tiny") and home.progress.found("tiny") == {"warm"}


def test_plain_start_over_keeps_the_save_until_the_first_new_choice(tmp_path):
    path = write(tmp_path, MINIMAL)
    run("play", str(path), "--plain", stdin="1\n")
    kept = run("play", str(path), "--plain", stdin="n\nq\n")
    assert "Your saved play stays until your first choice" in kept.stdout and "A door." in kept.stdout
    assert "Picking up your saved play after choice 1." in run("play", str(path), "--plain", stdin="").stdout
    ended = run("play", str(path), "--plain", stdin="n\n2\n")
    assert "=== Ending: Left (hopeful) ===" in ended.stdout
    assert "Picking up" not in run("play", str(path), "--plain", stdin="").stdout


def test_no_save_keeps_nothing_and_gives_the_same_transcript_every_time(tmp_path):
    from game import paths

    path = write(tmp_path, MINIMAL)
    runs = [run("play", str(path), "--plain", "--no-save", stdin="1\n") for _ in range(2)]
    assert runs[0].stdout == runs[1].stdout
    assert "(Input ended before the story did. Nothing was saved.)" in runs[0].stdout
    assert "saved after every choice" not in runs[0].stdout
    assert not paths.data_dir().exists()
    refused = run("play", str(path), "--no-save")
    assert refused.returncode == 2 and "--no-save goes with --plain" in refused.stderr


def test_plain_play_says_when_its_play_could_not_be_saved(tmp_path, monkeypatch):
    (tmp_path / "home-file").write_text("a file where the data folder should be")
    monkeypatch.setenv("SECOND_CHANCE_HOME", str(tmp_path / "home-file"))
    result = run("play", str(write(tmp_path, MINIMAL)), "--plain", stdin="1\nq\n")
    assert result.returncode == 0 and "(Your play could not be saved:" in result.stdout
    assert "You stepped away. Your latest choices could not be saved." in result.stdout


def test_plain_play_reads_a_line_of_any_length_and_echoes_a_readable_part(tmp_path):
    result = run("play", str(write(tmp_path, MINIMAL)), "--plain", "--no-save",
                 stdin="9" * 200_000 + "\x1b]0;pwned\x07\n2\n")
    assert "=== Ending: Left (hopeful) ===" in result.stdout
    assert "\x1b" not in result.stdout and max(len(line) for line in result.stdout.splitlines()) < 5000


# -- a value the user typed is echoed at a readable length, whatever its length ---------------------

LONG = "x" * 5000


def echoing_commands(story: str) -> dict[str, list[str]]:
    """Every command line that names a value back to the user, each given a 5,000-character value."""
    return {
        "path --to": ["path", story, "--to", LONG],
        "--set not NAME=VALUE": ["play", story, "--from", "door", "--set", LONG],
        "--set a meter": ["play", story, "--from", "door", "--set", "trust=" + "9" * 5000],
        "--set a flag": ["play", story, "--from", "door", "--set", "knocked=" + LONG],
        "--set no such name": ["play", story, "--from", "door", "--set", LONG + "=1"],
        "--from a scene": ["play", story, "--from", LONG],
        "a scenario's name": ["play", LONG, "--plain"],
        "a path": ["play", "/tmp/" + LONG + ".toml", "--plain"],
        "validate a name": ["validate", LONG],
        "a scenarios folder": ["--scenarios", LONG, "list"],
        "--rules": ["workshop", "--rules", LONG],
        "--report": ["workshop", "--report", LONG],
        "new": ["new", "!" * 5000],
        "serve --scenarios": ["serve", "--scenarios", LONG],
        "simulate": ["simulate", LONG],
        "graph": ["graph", LONG],
        "lsp --host": ["lsp", "--tcp", "--host", LONG, "--port", "65000"],
    }


@pytest.mark.parametrize("case", sorted(echoing_commands("story.toml")))
def test_every_value_echoed_in_a_message_is_cut_to_a_readable_length(tmp_path, case, capsys, monkeypatch):
    from game.__main__ import main

    monkeypatch.chdir(tmp_path)
    write(tmp_path, MINIMAL)
    code = main(echoing_commands("story.toml")[case])
    err = capsys.readouterr().err
    assert code in (1, 2), err[:300]
    assert err.strip() and "Traceback" not in err and "stopped because of an error" not in err
    assert max(len(line) for line in err.splitlines()) <= 600, err[:700]
    assert "more characters)" in err or "x" * 300 not in err
