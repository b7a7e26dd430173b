"""Helpers for the Pilot tests of the full-screen game: a small story, an app over it, the screen as text."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from textual import events
from textual.app import App

from game.library import gather
from game.tui.app import SecondChanceApp
from game.tui.screens.help import HelpScreen
from game.tui.screens.notes import NotesScreen
from game.tui.screens.play import PlayScreen

STORY = '''\
[scenario]
id = "phone-test"
title = "The Phone Test"
summary = "A short story for checking the screens."
start = "kitchen"
content_notes = ["a break-up", "late-night texting"]
minutes = 3

[flags]
sent = "You sent the reply."

[scenes.kitchen]
title = "Kitchen, 11 p.m."
text = "The kettle clicks off. Your phone lights up on the counter."
messages = [
  { from = "Sam", text = "are you still up?" },
  { from = "you", text = "yes. always, apparently", draft = true },
]

[[scenes.kitchen.choices]]
text = "Send the reply."
goto = "sent"
effects = { trust = 1 }
set = ["sent"]

[[scenes.kitchen.choices]]
text = "Put the phone face down."
goto = "quiet"
effects = { self_esteem = 1 }

[[scenes.kitchen.choices]]
text = "Call them right now."
goto = "sent"
if = "trust >= 9"
unavailable = "strike"
reason = "It is too late at night for that."

[scenes.sent]
title = "Waiting"
text = "Three dots appear, and vanish, and appear."

[[scenes.sent.choices]]
text = "Wait for the answer."
goto = "@ending"

[scenes.quiet]
title = "Quiet"
text = "The kitchen is quiet. The phone buzzes once against the wood."

[[scenes.quiet.choices]]
text = "Go to bed."
goto = "rested"

[endings.close]
title = "Talking Again"
tone = "warm"
outcome = "open"
when = "trust >= 6"
text = "You talk until one. Nothing is decided, and that is fine."

[endings.rested]
title = "A Good Night's Sleep"
tone = "hopeful"
outcome = "apart"
text = "You sleep. In the morning the message can wait a little longer."
'''

MARKUP = ["[@click=app.quit]x[/]", "[/", "[bold", "[link=file:///etc/passwd]"]

UNTRUSTED = '''\
[scenario]
id = "markup"
title = "[bold"
summary = "[link=file:///etc/passwd]"
start = "s"

[scenes.s]
title = "[/"
text = "[@click=app.quit]x[/]"
messages = [{ from = "[bold", text = "[link=file:///etc/passwd]" }, { from = "you", text = "[/" }]

[[scenes.s.choices]]
text = "[@click=app.quit]x[/]"
goto = "e"

[[scenes.s.choices]]
text = "[bold"
goto = "e"
if = "trust > 9"
unavailable = "strike"
reason = "[link=file:///etc/passwd]"

[endings.e]
title = "[bold"
tone = "warm"
text = "[/"
'''

BROKEN = '''\
[scenario]
id = "broken"
title = "Broken"
summary = "A file with a mistake."
start = "nowhere"
'''


def make_app(folder: Path, start: str | None = None, **kwargs) -> SecondChanceApp:
    entries, _ = gather(builtin=False, folders=[folder])
    entry = next((e for e in entries if e.path.stem == start), None) if start else None
    return SecondChanceApp(entries, start=entry, **kwargs)


NAMED_KEYS = {"enter": "\r", "escape": "\x1b", "tab": "\t", "plus": "+", "minus": "-"}


def typed_at_once(app: App, *keys: str) -> None:
    """Keys arriving together, as from a fast typist, a paste or `tmux send-keys "Enter 4"`: sent through the
    terminal's driver as Pilot's `press` sends them, without its wait for the app between one key and the next."""
    for key in keys:
        character = NAMED_KEYS.get(key, key if len(key) == 1 else None)
        if key.startswith("ctrl+") and len(key) == 6:
            character = chr(ord(key[-1]) - ord("a") + 1)
        event = events.Key(key, character)
        event.set_sender(app)
        app._driver.send_message(event)


async def until(pilot, reached: Callable[[], bool], rounds: int = 200) -> None:
    """Let the app run until `reached()` holds (bounded: the test's own assertion then says what is wrong)."""
    for _ in range(rounds):
        await pilot.pause()
        if reached():
            return
    await pilot.pause(0.2)


def screen_text(app: SecondChanceApp) -> str:
    """The screen as plain text lines, the way a player sees it."""
    return "\n".join(strip.text.rstrip() for strip in app.screen._compositor.render_strips())


def help_words(app: App) -> str:
    """The whole help on top (the game's or the workshop's) as plain text, scrolled or not."""
    screen = app.screen
    assert isinstance(screen, HelpScreen)
    console = Console(file=io.StringIO(), width=76, color_system=None, legacy_windows=False)
    console.print(screen.text)
    return console.file.getvalue()


async def open_and_begin(pilot) -> PlayScreen:
    await pilot.press("enter")
    assert isinstance(pilot.app.screen, NotesScreen)
    await pilot.press("enter")  # Begin: no save is waiting
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, PlayScreen)
    return screen
