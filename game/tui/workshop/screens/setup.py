"""Before play: the content notes and the ground rules for the room, then how the room will play.

Everything is filled in from the command line and can be changed here: the
ground rules (a text area), the tie rule, the timer, the teams and their turn
order, the bell. Meanwhile the room sees the lobby: the story's title, its
content notes and the ground rules as they stand, and (with phones) how to
join, on the room display and, on one screen, in the panel beside the form.
Begin makes the Workshop, saves its log once, and posts BeginRoom; the app
then shows the first decision to the room.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, RadioSet, Static, TextArea

from game import resources
from game.library import Entry
from game.model import Scenario
from game.tui.widgets.keybar import KeyBar
from game.tui.widgets.toggles import MarkedCheckbox, MarkedRadioButton
from game.tui.workshop.context import Room, Settings, WorkshopContext
from game.tui.workshop.messages import BeginRoom, LinkChanged
from game.tui.workshop.widgets.bigcode import big_code
from game.tui.workshop.widgets.phones import PhonePanel, join_text, panel_wanted
from game.workshop import notes as content
from game.workshop.log import LogStore
from game.workshop.names import FACILITATOR, MODES, RANDOM, RUNOFF, SIDE_BY_SIDE, TURNS
from game.workshop.room import Workshop, WorkshopError, team_names
from game.workshop.teams import RULES_CHARS
from game.workshop.timer import Timer, parse_seconds
from game.workshop.votes import parse_seed

TIE_CHOICES = [
    (FACILITATOR, "The facilitator decides between the tied options"),
    (RUNOFF, "A runoff: a second vote between the tied options only"),
    (RANDOM, "A random pick between them, from a seed shown on screen"),
]
MODE_CHOICES = [
    (TURNS, "In turn: each team plays the whole story, one after another"),
    (SIDE_BY_SIDE, "Side by side: the teams take one decision each, in turn"),
]
assert {k for k, _ in MODE_CHOICES} == set(MODES)
TIMER_HINT = "off, 30, 60, 120 or any number of seconds; 2m is two minutes"


def seconds_words(seconds: int) -> str:
    return "off" if not seconds else str(seconds)


class SetupScreen(Screen[None]):
    """The content notes, the ground rules and the settings; Begin starts the workshop."""

    HELP_TITLE = "Before play: the notes, the ground rules and the settings"
    BINDINGS = [
        Binding("f1", "app.help", "Keys", tooltip="this help (? works too, outside a text field)"),
        Binding("question_mark", "app.help", "Keys", key_display="?", show=False,
                tooltip="this help, outside a text field"),
        Binding("f2", "app.resources", "Get help", tooltip="help and support resources, from anywhere"),
        Binding("ctrl+b", "begin", "Begin", priority=True, tooltip="begin the workshop with these settings"),
        Binding("j,J", "phones", "Phones", show=False,
                tooltip="show or hide the phones' panel with its QR code, outside a text field (the code shows in "
                        "large letters either way)"),
        Binding("tab", "app.focus_next", "Next field", show=False, tooltip="the next field"),
        Binding("escape", "back", "Back to the list", tooltip="back to the list of stories"),
    ]

    def __init__(self, context: WorkshopContext, entry: Entry):
        super().__init__()
        assert entry.scenario is not None
        self.context = context
        self.entry = entry
        self.scenario: Scenario = entry.scenario
        self.settings: Settings = context.settings

    @property
    def help_topic(self) -> str:
        """Which help list F2 puts first over this screen: the story's."""
        return resources.topic_of(self.scenario)

    def compose(self) -> ComposeResult:
        title = Text(self.scenario.title, style="bold")
        title.append("  ·  Before the room begins")
        yield Static(title, id="setup-header")
        with Horizontal(id="setup-row"):
            yield from self.form()
            yield PhonePanel(id="phones")
        yield KeyBar()

    def form(self) -> ComposeResult:
        settings = self.settings
        with VerticalScroll(id="setup-body", can_focus=False):
            yield Static(id="setup-room", classes="field-hint")
            yield Static(self.notes_text(), id="setup-notes")
            yield Static("Ground rules (read them out; change them here if you like):", classes="field-label",
                         markup=False)
            yield TextArea(settings.rules, id="rules", soft_wrap=True, show_line_numbers=False)
            yield Static("If a vote ties:", classes="field-label", markup=False)
            with RadioSet(id="tie"):
                for key, words in TIE_CHOICES:
                    yield MarkedRadioButton(words, value=key == settings.tie_rule, name=key)
            with Horizontal(classes="field-row"):
                yield Static("Seed for random picks:", classes="row-label", markup=False)
                yield Input("" if settings.seed is None else str(settings.seed), placeholder="chosen for you",
                            type="integer", id="seed", compact=True)
            yield Static("Timer (it only signals when time is up; it never locks or decides):",
                         classes="field-label", markup=False)
            yield Static(f"Type {TIMER_HINT}.", classes="field-hint", markup=False)
            with Horizontal(classes="field-row"):
                yield Static("Discussion:", classes="row-label", markup=False)
                yield Input(seconds_words(settings.discussion), id="discussion", compact=True)
            with Horizontal(classes="field-row"):
                yield Static("Voting:", classes="row-label", markup=False)
                yield Input(seconds_words(settings.voting), id="voting", compact=True)
            yield MarkedCheckbox("Ring the terminal bell when time runs out", settings.bell, id="bell")
            yield Static("Teams (labels such as Red, Blue; no names; leave empty for one room):",
                         classes="field-label", markup=False)
            yield Input(", ".join(settings.teams), placeholder="one room", id="teams", compact=True)
            yield Static("How teams take turns:", classes="field-label", markup=False)
            with RadioSet(id="mode"):
                for key, words in MODE_CHOICES:
                    yield MarkedRadioButton(words, value=key == settings.mode, name=key)
            with Horizontal(id="setup-buttons"):
                yield Button("Begin  (Ctrl+B)", id="begin", variant="primary", compact=True)
                if self.context.start is None:
                    yield Button("Back  (Esc)", id="back", compact=True)

    def notes_text(self) -> Text:
        scenario = self.scenario
        text = Text()
        text.append(scenario.summary + "\n\n")
        if scenario.content_notes:
            text.append("Tell the room first. This story includes:\n", style="bold")
            for note in scenario.content_notes:
                text.append("  • ")
                text.append(note)
                text.append("\n")
        else:
            text.append("This story has no content notes.\n", style="bold")
        matched = content.matching_note(scenario, self.context.exclude) if self.context.exclude else None
        if matched:
            text.append("\n! ", style="bold")
            text.append(f"You asked to leave out {', '.join(self.context.exclude)}, and this story's note “",
                        style="italic")
            text.append(matched, style="italic")
            text.append("” matches it.", style="italic")
        text.append("\nAnyone can step out at any time. F2 shows help and support resources from anywhere.")
        return text

    def on_mount(self) -> None:
        self.query_one("#begin", Button).focus(scroll_visible=False)
        body = self.query_one("#setup-body", VerticalScroll)
        self.call_after_refresh(lambda: body.scroll_home(animate=False))  # the notes and the rules come first
        self.show_lobby()

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self.show_lobby()

    @on(TextArea.Changed, "#rules")
    @on(LinkChanged)
    def show_lobby(self) -> None:
        """What the room sees while the facilitator sets up: this story's lobby, the rules as they stand."""
        link = self.context.link
        if link is not None and link.running:
            link.show_lobby(self.scenario, self.query_one("#rules", TextArea).text)
        self.draw_link()

    def draw_link(self) -> None:
        link = self.context.link
        room = self.query_one("#setup-room", Static)
        room.display = link is not None and link.running
        panel = panel_wanted(self.context, self.size.width, self.size.height)
        if link is not None and link.running:
            words = Text("Room display: ", style="bold")
            words.append("F4 opens it in a browser on this laptop")
            words.append(f"  ·  {link.displays} open ({link.displays_here} on this laptop)", style="italic")
            phones = self.context.phones
            if phones is not None and not panel:  # the room joins while it reads this: the code, large
                words.append("\n\n")
                words.append_text(join_text(phones))
                if not self.context.private:
                    words.append("\n")
                    words.append_text(big_code(phones.code))
                words.append("\n")
            room.update(words)
        self.query_one(PhonePanel).show(self.context.phones, 0, panel)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return self.context.start is None
        if action == "phones":
            return self.context.phones is not None
        return True

    def action_phones(self) -> None:
        self.context.panel = not panel_wanted(self.context, self.size.width, self.size.height)
        self.draw_link()

    def on_resize(self) -> None:
        self.draw_link()

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        if self.context.start is None:
            self.app.pop_screen()

    def _chosen(self, radio_id: str, default: str) -> str:
        button = self.query_one(f"#{radio_id}", RadioSet).pressed_button
        return button.name if button is not None and button.name else default

    def _refuse(self, field: str, problem: str) -> None:
        self.notify(problem, severity="error", timeout=8, markup=False)
        widget: Widget = self.query_one(f"#{field}")
        widget.focus()

    def read_settings(self) -> Settings | None:
        """The settings as the form has them, or None after saying which field is wrong."""
        values: dict[str, int] = {}
        for field in ("discussion", "voting"):
            try:
                values[field] = parse_seconds(self.query_one(f"#{field}", Input).value)
            except ValueError as problem:
                self._refuse(field, f"{field.capitalize()} time: {problem}")
                return None
        try:
            teams = team_names(self.query_one("#teams", Input).value)
        except WorkshopError as problem:
            self._refuse("teams", f"Teams: {problem}")
            return None
        try:
            seed = parse_seed(self.query_one("#seed", Input).value)
        except ValueError as problem:
            self._refuse("seed", f"Seed: {problem} (or leave it empty).")
            return None
        rules = self.query_one("#rules", TextArea).text.strip()[:RULES_CHARS]
        return Settings(teams, self._chosen("mode", TURNS), self._chosen("tie", FACILITATOR), seed,
                        values["discussion"], values["voting"], self.query_one("#bell", Checkbox).value, rules)

    @on(Button.Pressed, "#begin")
    def action_begin(self) -> None:
        settings = self.read_settings()
        if settings is None:
            return
        self.context.settings = settings
        timer = Timer(settings.discussion, settings.voting, settings.bell, clock=self.context.clock)
        try:
            workshop = Workshop(self.scenario, settings.teams, tie_rule=settings.tie_rule, seed=settings.seed,
                                mode=settings.mode, timer=timer, rules=settings.rules)
            store = LogStore(workshop, LogStore.new_path(self.scenario.id, self.context.log_dir))
        except WorkshopError as problem:
            self.notify(str(problem), severity="error", timeout=8, markup=False)
            return
        workshop.begin()
        self.post_message(BeginRoom(Room(workshop, store)))
