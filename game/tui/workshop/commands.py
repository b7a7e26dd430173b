"""Command palette commands: the workshop's main actions by name, offered only where they work now.

Kept apart from the app so Textual's palette machinery loads only when the
palette is first opened. Each command posts RunAction, and the screen runs
its own action (its check_action still decides).
"""

from __future__ import annotations

from functools import partial

from game.tui.commands import Command, ListedCommands
from game.tui.messages import ToggleTheme
from game.tui.workshop.messages import RunAction

ACTIONS = [
    ("Open the vote", "open_voting", "Phones can vote from now on; the voting timer starts, if there is one"),
    ("Lock the vote", "lock", "No count can change after this"),
    ("Reveal the vote", "reveal", "Show the tally and what it decides under the tie rule"),
    ("Take the decision", "decide", "Take the room's choice (or, on a tie, the option pointed at)"),
    ("Hold the runoff", "runoff", "A second vote between the tied options"),
    ("Show the room the next scene", "show_next", "From the result card: the room sees the next scene"),
    ("Show the room the ending", "see_ending", "From the result card: the room sees the ending"),
    ("Skip this scene", "skip", "Move past a scene without a vote (it says which option the story takes)"),
    ("Start the discussion timer", "discussion_timer", "It only signals when time is up"),
    ("Put the questions up for the room, or take them down", "prompts", "The scene's questions for the room"),
    ("Show or hide the facilitator notes", "notes", "Notes that are not for the room"),
    ("Show or hide the phones' panel", "phones", "The join address, code and QR code"),
    ("Go back to a decision (forum theatre)", "go_back", "Play on from an earlier decision as a new branch"),
    ("Compare every play", "compare", "Teams and branches side by side"),
    ("The room's debrief", "debrief", "The path, the votes, the meters and the advice"),
    ("Write the handouts", "export", "Markdown, HTML, the one-page take-home and JSON, into the export folder"),
    ("Undo the last decision", "undo", "Take back this team's last decision"),
    ("Next team", "next_team", "Hand the decision to the next team"),
    ("Ask the room", "ask", "Something else?, a scene's question or the step-out question: phones send ideas"),
    ("Predict how this play ends", "predict", "The room votes on the tones the story can still reach"),
    ("Type an idea said aloud", "type_idea", "Into the question in front of the room"),
]


class WorkshopCommands(ListedCommands):
    """The workshop's actions that the screen in front of the facilitator allows now, and the theme."""

    def _commands(self) -> list[Command]:
        app = self.app
        screen = self.screen
        commands: list[Command] = []
        for name, action, help_text in ACTIONS:
            if callable(getattr(screen, f"action_{action}", None)) and screen.check_action(action, ()):
                commands.append((name, partial(app.post_message, RunAction(action)), help_text))
        commands.append(("Open the room display", partial(app.post_message, RunAction("app.room_display")),
                         "The page for the projector, in a browser on this laptop (F4)"))
        commands.append(("The room display: its address, and what the projector shows",
                         partial(app.post_message, RunAction("app.room_display_box")),
                         "Its address (it holds a key: shown when you ask), and whether this console is private"))
        commands.append(("Toggle theme (high contrast)", partial(app.post_message, ToggleTheme()),
                         "Switch between high contrast and the standard theme"))
        commands.append(("Help and support resources", partial(app.post_message, RunAction("app.resources")),
                         "Phone lines and services, from anywhere"))
        return commands
