"""A failure inside the full-screen game exits non-zero and says where the details are."""

from __future__ import annotations

import asyncio

import pytest

from game import paths
from game.library import gather
from game.tui.app import SecondChanceApp
from game.tui.crash import CRASH_STATUS, exit_status
from game.tui.screens.picker import PickerScreen


def test_a_crash_exits_non_zero_with_a_log(monkeypatch) -> None:
    def broken(self) -> None:
        raise RuntimeError("boom in the picker")

    monkeypatch.setattr(PickerScreen, "on_mount", broken)
    entries, _ = gather(builtin=False)
    app = SecondChanceApp(entries)
    result = app.run(headless=True, size=(80, 24))
    status, message = exit_status(app, result)
    assert status == CRASH_STATUS != 0
    assert app.crash_log is not None and app.crash_log.parent == paths.data_dir() / "crashes"
    assert "boom in the picker" in app.crash_log.read_text(encoding="utf-8")
    assert message is not None and str(app.crash_log) in message


def test_a_normal_quit_exits_zero() -> None:
    entries, _ = gather(builtin=False)
    app = SecondChanceApp(entries)

    async def leave() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("ctrl+q")

    asyncio.run(leave())
    assert exit_status(app, app.return_code) == (0, None)


# -- every command, from its first line ----------------------------------------------------

def _commands() -> dict[str, tuple[object, list[str]]]:
    """Every subcommand: its handler and the least command line that reaches it."""
    import argparse

    from game.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    found = {}
    for name, command in sub.choices.items():
        argv = [name]
        for action in command._actions:
            if action.required:
                argv += [action.option_strings[0], "x"] if action.option_strings else ["x"]
        found[name] = (command._defaults["func"], argv)
    return found


@pytest.mark.parametrize("name", sorted(_commands()))
def test_every_command_ends_a_failure_with_a_log_status_70_and_one_sentence(name, monkeypatch, capsys):
    import sys

    from game.__main__ import main

    handler, argv = _commands()[name]

    def broken(args):
        secret_meters = {"trust": "HIDDEN-METER-VALUE"}
        raise RuntimeError(f"boom in {name} ({len(secret_meters)})")

    monkeypatch.setattr(sys.modules[handler.__module__], handler.__name__, broken)
    assert main(argv) == CRASH_STATUS
    err = capsys.readouterr().err
    [log] = (paths.data_dir() / "crashes").iterdir()
    assert err.strip() == f"Second Chance stopped because of an error in the game. The details are in {log}."
    assert f"boom in {name}" in log.read_text(encoding="utf-8")
    assert "HIDDEN-METER-VALUE" not in log.read_text(encoding="utf-8") + err and "Traceback" not in err


def test_a_failure_while_the_workshop_app_is_built_is_caught_too(monkeypatch, capsys):
    from game.__main__ import main
    from game.tui.workshop import app as workshop_app

    def broken(self, *args, **kwargs):
        raise RuntimeError("boom while building the workshop")

    monkeypatch.setattr(workshop_app.WorkshopApp, "__init__", broken)
    assert main(["workshop", "last-call"]) == CRASH_STATUS
    err = capsys.readouterr().err
    assert "stopped because of an error" in err and "Traceback" not in err
    [log] = (paths.data_dir() / "crashes").iterdir()
    assert "boom while building the workshop" in log.read_text(encoding="utf-8")


def test_a_failure_before_any_command_runs_is_caught_too(monkeypatch, capsys):
    import game.cli

    def broken():
        raise RuntimeError("boom while reading the arguments")

    monkeypatch.setattr(game.cli, "build_parser", broken)
    assert game.cli.main(["list"]) == CRASH_STATUS
    assert "stopped because of an error" in capsys.readouterr().err


def test_a_log_that_cannot_be_written_still_gets_one_sentence(monkeypatch, tmp_path, capsys):
    import game.cli

    (tmp_path / "file").write_text("not a folder")
    monkeypatch.setenv("SECOND_CHANCE_HOME", str(tmp_path / "file"))
    monkeypatch.setattr(game.cli, "build_parser", lambda *_: (_ for _ in ()).throw(ValueError("no parser")))
    assert game.cli.main([]) == CRASH_STATUS
    err = capsys.readouterr().err
    assert "could not be written to a file (ValueError: no parser)" in err and "Traceback" not in err


# -- the screen never shows what the game was holding ----------------------------------------

def test_the_crash_screen_never_prints_local_variables(monkeypatch, capfd) -> None:
    """Textual's own traceback lists every local variable: on a projector, the hidden meters."""

    def broken(self) -> None:
        hidden_meters = {"trust": "SECRET-TRUST-7", "self_esteem": "SECRET-ESTEEM-2"}
        raise RuntimeError(f"boom with {len(hidden_meters)} meters")

    monkeypatch.setattr(PickerScreen, "on_mount", broken)
    entries, _ = gather(builtin=False)
    app = SecondChanceApp(entries)
    result = app.run(headless=True, size=(80, 24))
    status, message = exit_status(app, result)
    shown = capfd.readouterr()
    assert status == CRASH_STATUS and message is not None
    assert "SECRET" not in shown.out + shown.err + message
    logged = app.crash_log.read_text(encoding="utf-8")
    assert "boom with 2 meters" in logged and "SECRET" not in logged
    assert "saved" not in message  # nothing was being played: nothing is claimed


# -- "saved" is said only when it is true ----------------------------------------------------

def test_the_sentence_claims_a_save_only_when_there_is_one(tmp_path) -> None:
    from game.saves import SaveSlots
    from game.session import Session
    from tests.helpers import tiny

    slots = SaveSlots(tmp_path / "saves")
    session = Session.begin(tiny(), slots)
    assert session.saved_note() is None  # no choice yet: nothing on disk
    session.choose_number(1)
    assert session.saved_note() == "Your play was saved after choice 1."
    resumed, _ = Session.resume(tiny(), slots)
    assert resumed is not None and resumed.saved_note() == "Your play was saved after choice 1."

    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the saves folder should be")
    failing = Session.begin(tiny(), SaveSlots(blocked))
    failing.choose_number(1)
    assert failing.saved_note() == "Your latest choices could not be saved."
    assert Session.test_play(tiny(), "hall").saved_note() is None
    assert Session.begin(tiny()).saved_note() is None  # a play with nowhere to save

    class Crashed:
        crashed, crash_log, crash_error, crash_saved = True, tmp_path / "crash.log", None, None

    assert "saved" not in exit_status(Crashed(), None)[1]


@pytest.mark.parametrize("no_save", [False, True])
def test_a_crash_in_plain_mode_says_what_was_saved_as_the_full_screen_does(story_dir, monkeypatch, capsys,
                                                                        no_save) -> None:
    """The plain player is the same game: after a failure it says the play was saved (it was), or nothing."""
    import io
    import sys

    from game import plain
    from game.__main__ import main

    shown = plain.render_scene

    def breaks_after_the_first_choice(play, reveal=False):
        if play.steps:
            raise RuntimeError("boom in plain mode")
        return shown(play, reveal)

    monkeypatch.setattr(plain, "render_scene", breaks_after_the_first_choice)
    monkeypatch.setattr(sys, "stdin", io.StringIO("2\n"))
    argv = ["play", str(story_dir / "phone-test.toml"), "--plain", *(["--no-save"] if no_save else [])]
    assert main(argv) == CRASH_STATUS
    err = capsys.readouterr().err
    [log] = (paths.data_dir() / "crashes").iterdir()
    assert "boom in plain mode" in log.read_text(encoding="utf-8") and "Traceback" not in err
    if no_save:
        assert err.strip().endswith(f"The details are in {log}.")
    else:
        assert err.strip().endswith("Your play was saved after choice 1.")


async def test_a_crash_mid_play_says_after_which_choice_the_play_was_saved(story_dir) -> None:
    from tests.tui_helpers import make_app, open_and_begin

    app = make_app(story_dir)
    with pytest.raises(RuntimeError, match="boom mid-play"):
        async with app.run_test(size=(80, 24)) as pilot:
            await open_and_begin(pilot)
            await pilot.press("2")
            await pilot.pause()

            def boom() -> None:
                raise RuntimeError("boom mid-play")

            app.call_later(boom)
            await pilot.pause()
    status, message = exit_status(app, None)
    assert status == CRASH_STATUS and message.endswith("Your play was saved after choice 1.")
