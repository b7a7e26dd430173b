"""A key is answered in one frame: the next scene drawn whole, never corrected by a second frame.

Textual makes each frame, then (headless) skips writing it; these tests turn
each frame into a terminal's bytes, apply them to a model of the terminal's
cells, and keep the frames that changed anything.
"""

from __future__ import annotations

import re
from pathlib import Path

from textual import events

from game.library import gather
from game.session import Session
from game.tui.app import SecondChanceApp
from game.tui.screens.debrief import DebriefScreen
from game.tui.screens.play import PlayScreen

CODE = re.compile(r"\x1b\[(\d+);(\d+)H|\x1b\[([0-9;]*)m|\x1b\[[^a-zA-Z]*[a-zA-Z]|([^\x1b\n]+)")

LONG = " ".join(["The kettle ticks as it cools, and the phone lies face down by the sugar."] * 6)
REASON = "Not yet: the words are right there and will not come out, and that is all right for tonight."

STORY = f'''\
[scenario]
id = "frames"
title = "Frames"
summary = "Scenes of very different sizes, one after another."
start = "long"

[scenes.long]
text = "{LONG}"
[[scenes.long.choices]]
text = "Go on."
goto = "short"

[scenes.short]
text = "A short one."
[[scenes.short.choices]]
text = "Say the long thing you have been rehearsing all week, out loud, in one breath, before it goes."
goto = "long_again"
[[scenes.short.choices]]
text = "Something you cannot say yet."
goto = "long_again"
if = "trust > 9"
unavailable = "strike"
reason = "{REASON}"
[[scenes.short.choices]]
text = "Wait."
goto = "long_again"
[[scenes.short.choices]]
text = "Leave it there."
goto = "end"

[scenes.long_again]
text = "{LONG} {LONG}"
[[scenes.long_again.choices]]
text = "Put the phone away."
goto = "end"

[endings.end]
title = "Later"
tone = "warm"
text = "You sleep."
'''


class Terminal:
    """The cells a terminal would show, and the frames that changed any of them."""

    def __init__(self, app: SecondChanceApp) -> None:
        self.cells: dict[tuple[int, int], tuple[str, str]] = {}
        self.changed: list[str] = []
        display = app._display

        def written(screen, renderable) -> None:
            display(screen, renderable)
            render = getattr(renderable, "render_segments", None)
            if render is not None and self.apply(render(app.console)):
                self.changed.append(type(screen).__name__)

        app._display = written

    def apply(self, data: str) -> bool:
        changed = False
        row = col = 0
        style = ""
        for match in CODE.finditer(data):
            if match.group(1):
                row, col = int(match.group(1)), int(match.group(2))
            elif match.group(3) is not None:
                style = match.group(3)
            elif match.group(4):
                for char in match.group(4):
                    if self.cells.get((row, col)) != (char, style):
                        self.cells[(row, col)] = (char, style)
                        changed = True
                    col += 1
        return changed


async def settle(pilot) -> None:
    for _ in range(4):  # long enough for any second layout Textual makes
        await pilot.pause()


async def press(app: SecondChanceApp, pilot, terminal: Terminal, key: str) -> list[str]:
    """Press `key` on a settled screen; the screens of the frames that changed what is shown."""
    await settle(pilot)
    terminal.changed.clear()
    app.post_message(events.Key(key, key))
    await settle(pilot)
    return list(terminal.changed)


async def test_each_new_scene_is_drawn_in_one_frame_at_both_sizes(tmp_path: Path) -> None:
    (tmp_path / "frames.toml").write_text(STORY, encoding="utf-8")
    entries, _ = gather(builtin=False, folders=[tmp_path])
    for size in ((80, 24), (200, 50), (60, 16)):
        session = Session.test_play(entries[0].scenario, "long")
        app = SecondChanceApp(entries, test_session=session)
        terminal = Terminal(app)  # from the first frame, so the model holds the whole screen
        async with app.run_test(size=size) as pilot:
            screen = app.screen
            assert isinstance(screen, PlayScreen)
            for key, scene in (("1", "short"), ("1", "long_again")):
                assert await press(app, pilot, terminal, key) == ["PlayScreen"], (size, scene)
                assert screen.play.scene.id == scene
            screen.session.rewind(1)  # back to the short scene, from the longest
            await pilot.pause()
            frames = await press(app, pilot, terminal, "2")  # "Wait": the closed choice takes no number
            assert frames == ["PlayScreen"] and screen.play.scene.id == "long_again"


async def test_an_ending_is_drawn_first_and_the_debrief_opens_over_it(tmp_path: Path) -> None:
    (tmp_path / "frames.toml").write_text(STORY, encoding="utf-8")
    entries, _ = gather(builtin=False, folders=[tmp_path])
    app = SecondChanceApp(entries, test_session=Session.test_play(entries[0].scenario, "long_again"))
    terminal = Terminal(app)
    async with app.run_test(size=(80, 24)) as pilot:
        frames = await press(app, pilot, terminal, "1")
        assert frames[0] == "PlayScreen" and "DebriefScreen" in frames  # the ending, then the debrief
        assert isinstance(app.screen, DebriefScreen)
