"""A scenario, a save or a folder from a stranger can never touch the player's files or terminal, crash or hang.

One test per class of problem, each with the smallest reproducer.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from game import library, plain
from game.cli import main
from game.loader import read_text
from game.safetext import printable, quote, scan
from tests.helpers import MINIMAL, write

ESCAPES = [
    "\x1b]0;pwned\x07",          # OSC: set the window title
    "\x1b]8;;http://x.invalid\x1b\\link\x1b]8;;\x1b\\",  # OSC 8: a hyperlink
    "\x1b[2J\x1b[H",             # clear the screen
    "\x07",                      # bell
    "\x9b2J",                    # C1 CSI
    "\x00",                      # NUL
]


# -- ids that would leave the folder ------------------------------------------------------------------


@pytest.mark.parametrize("bad_id", ["../../etc/passwd", "/tmp/owned", "a/b", "..", "x\x00y", "Upper", "a" * 65,
                                    "-dash", "sp ace"])
def test_a_scenario_id_that_is_no_safe_file_name_is_a_located_error(tmp_path: Path, bad_id: str, capsys) -> None:
    text = MINIMAL.replace('id = "tiny"', f'id = "{bad_id}"'.replace("\x00", "\\u0000"))
    result = read_text(text, "story.toml", catalog={})
    errors = [d for d in result.diagnostics if d.code in ("SC024", "SC025")]
    assert result.scenario is None and errors and errors[0].line == 2
    assert main(["validate", str(write(tmp_path, text))]) == 1
    assert "SC024" in capsys.readouterr().out


# -- control characters never reach a terminal ---------------------------------------------------------


@pytest.mark.parametrize("escape", ESCAPES)
def test_control_characters_in_scenario_text_are_located_errors(escape: str) -> None:
    encoded = escape.encode("unicode_escape").decode("ascii").replace("\\x", "\\u00")
    text = MINIMAL.replace('text = "A door."', f'text = "A door.{encoded}"')
    result = read_text(text, "story.toml", catalog={})
    problems = [d for d in result.diagnostics if d.code == "SC025"]
    assert result.scenario is None and problems and (problems[0].line, problems[0].column) == (11, 16)
    assert all("\x1b" not in d.format() and "\x07" not in d.format() for d in result.diagnostics)


def test_a_bidi_override_is_a_warning_and_is_removed() -> None:
    text = MINIMAL.replace('text = "A door."', 'text = "A door \\u202eroolf eht"')
    result = read_text(text, "story.toml", catalog={})
    assert [d.code for d in result.diagnostics] == ["SC102"]
    assert result.scenario is not None and "\u202e" not in result.scenario.scenes["door"].text


def test_keys_with_control_characters_are_errors_that_print_safely(capsys) -> None:
    text = MINIMAL + '\n[scenes.door.choices.0]\n"\\u001b[2Jkey" = 1\n'
    result = read_text(text, "story.toml", catalog={})
    assert result.scenario is None
    assert all(not scan(d.format()) for d in result.diagnostics)


def test_every_output_path_is_safe_on_its_own() -> None:
    for escape in ESCAPES:
        assert not scan(printable(f"a{escape}b").replace("\n", "")), escape
        assert not scan(quote(f"a{escape}b"))
    assert len(quote("x" * 1_000_000)) < 100


def test_the_plain_player_prints_no_control_byte_whatever_it_is_given() -> None:
    from tests.helpers import tiny

    scenario = tiny()
    door = scenario.scenes["door"]
    hostile = type(door)(door.id, "Hello\x1b]0;pwned\x07 \x1b[2J", door.choices, "\x9b1m title")
    import attrs

    scenario = attrs.evolve(scenario, scenes={**scenario.scenes, "door": hostile})
    out = io.StringIO()
    plain.run(scenario, io.StringIO("q\n"), out)
    assert not scan(out.getvalue().replace("\n", "")), repr(out.getvalue()[:200])


def test_a_megabyte_goto_is_quoted_short(tmp_path: Path, capsys) -> None:
    text = MINIMAL.replace('goto = "hall"', 'goto = "' + "h" * 1_000_000 + '"')
    assert main(["validate", "--no-deep", str(write(tmp_path, text))]) == 1
    out = capsys.readouterr().out
    assert "SC030" in out and max(len(line) for line in out.splitlines()) < 500


# -- folders that could hang or stop the game ------------------------------------------------------------


@pytest.fixture
def odd_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "stories"
    folder.mkdir()
    write(folder, MINIMAL, "good.toml")
    os.mkfifo(folder / "pipe.toml")
    (folder / "loop.toml").symlink_to(folder / "loop.toml")
    (folder / "nowhere.toml").symlink_to(folder / "missing.toml")
    write(folder, MINIMAL.replace('"tiny"', '"named"'), "\x1b]0;owned\x07.toml")
    return folder


def test_pipes_links_and_folders_named_toml_are_skipped_and_said(odd_folder: Path, capsys) -> None:
    entries, skipped = library.gather(builtin=False, folders=[odd_folder])
    assert [e.path.name for e in entries] == ["good.toml"]
    why = {s.path.name: s.why for s in skipped}
    assert set(why) == {"pipe.toml", "loop.toml", "nowhere.toml", "\x1b]0;owned\x07.toml"}
    assert "pipe" in why["pipe.toml"] and "loops" in why["loop.toml"]
    assert main(["validate", "--no-deep", str(odd_folder)]) == 0
    captured = capsys.readouterr()
    assert "ok: 0 errors, 0 warnings in 1 file" in captured.out and "skipped" in captured.err
    assert not scan((captured.out + captured.err).replace("\n", ""))


def test_a_pipe_named_directly_is_refused_not_read(odd_folder: Path, capsys) -> None:
    assert main(["validate", str(odd_folder / "pipe.toml")]) == 1
    assert "not a regular file" in capsys.readouterr().out


def test_validate_goes_into_sub_folders_and_never_reports_success_on_nothing(tmp_path: Path, capsys) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    write(tmp_path / "a" / "b", MINIMAL, "deep.toml")
    (tmp_path / "empty").mkdir()
    assert main(["validate", "--no-deep", str(tmp_path / "a")]) == 0
    assert "in 1 file" in capsys.readouterr().out
    assert main(["validate", "--no-deep", str(tmp_path / "a"), "--exclude", "b"]) == 2
    assert main(["validate", str(tmp_path / "empty")]) == 2
    assert "nothing was validated" in capsys.readouterr().err


def test_the_help_resources_file_is_checked_as_what_it_is(tmp_path: Path, capsys) -> None:
    good = tmp_path / "resources.toml"
    good.write_text('intro = "Help."\n[[resources]]\nname = "Line"\ncontact = "call 1"\n', encoding="utf-8")
    assert main(["validate", str(good)]) == 0
    good.write_text('intro = "Help."\n[[resources]]\nnaem = "Line"\n', encoding="utf-8")
    assert main(["validate", str(good)]) == 1
    out = capsys.readouterr().out
    assert "SC020" in out and "SC021" in out and "scenario" not in out.lower().replace("scenarios", "")
    assert main(["validate", "--builtin", "--no-deep"]) == 0


def test_a_control_character_is_pointed_at_even_after_escapes_and_line_breaks() -> None:
    escaped = MINIMAL.replace('text = "A door."', 'text = "\\u00e9\\u00e9 A door.\\u0007"')
    problem = next(d for d in read_text(escaped, "s.toml", catalog={}).diagnostics if d.code == "SC025")
    assert (problem.line, problem.column) == (11, 29)  # the \u0007, after two escapes and the words
    multi = MINIMAL.replace('text = "A door."', 'text = """\nA door.\nA bell\\u0007 rings."""')
    problem = next(d for d in read_text(multi, "s.toml", catalog={}).diagnostics if d.code == "SC025")
    assert (problem.line, problem.column) == (13, 7)


def test_a_fallback_ending_that_failed_to_build_is_not_called_missing() -> None:
    text = MINIMAL.replace('tone = "hopeful"', 'tone = "happy"')
    codes = [d.code for d in read_text(text, "s.toml", catalog={}).diagnostics]
    assert "SC023" in codes and "SC037" not in codes


def test_every_toast_in_both_apps_is_plain_printable_text(tmp_path) -> None:
    """A notice carrying a hostile file name or error (escapes, markup) shows it inert, whoever sends it."""
    import asyncio

    from textual.widgets import Static

    from game.library import gather
    from game.tui.app import SecondChanceApp
    from game.tui.workshop.app import WorkshopApp
    from game.tui.workshop.context import WorkshopContext

    hostile = "folder \x1b]0;pwned\x07 [bold red]loud[/] \u202egnp.exe"

    async def check(app) -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            app.screen.query(Static).first().notify(hostile, title="\x1b[2J title", markup=True)
            await pilot.pause()
            sent = [n for n in app._notifications if "folder" in n.message]
            assert sent, "the notice was not shown"
            notice = sent[-1]
            assert "\x1b" not in notice.message and "\x07" not in notice.message
            assert "\u202e" not in notice.message and "\\x1b" in notice.message
            assert notice.markup is False and "[bold red]loud[/]" in notice.message
            assert "\x1b" not in notice.title

    entries, _ = gather(builtin=True)
    asyncio.run(check(SecondChanceApp(entries)))
    asyncio.run(check(WorkshopApp(WorkshopContext(offered=entries, log_dir=tmp_path / "logs",
                                                  export_dir=tmp_path / "handouts"))))
