"""The facilitator's guide (docs/facilitator-guide.md) says only what the game really does.

Every `second-chance ...` command in it parses with the real parser, every
option it mentions is one `second-chance workshop` has, every story it names is
built in (and its table of stories matches the files), every file it names is
in the repository, and its links inside the page land on a heading. Each check
is also run once on something deliberately wrong, to show it can fail.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import random
import re
import shlex
from pathlib import Path

import pytest

from game import library
from game.cli import build_parser
from game.engine import Playthrough
from game.loader import load_scenario
from game.model import Scenario
from game.workshop import notes
from game.workshop.names import MODES, TIE_RULES
from game.workshop.room import GROUND_RULES, STEP_OUT, WorkshopError, team_names
from game.workshop.timer import parse_seconds

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "facilitator-guide.md"

PENDING = {"docs/phones.md"}
"""Files the guide may name before they are merged: the phones guide comes with phone voting."""

SECTIONS = [
    "1. Before the session",
    "2. Setting up the room",
    "3. Running votes",
    "4. Discussion prompts and facilitator notes",
    "5. Forum theatre: trying the other way",
    "6. If someone discloses abuse or distress",
    "7. Running the debrief",
    "8. After the session",
    "9. Checklist",
]
KEYS_SECTION = "Keys on the workshop screen"


# -- reading the guide ----------------------------------------------------------------------------

FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
INLINE = re.compile(r"`([^`\n]+)`")
COMMAND = re.compile(r"(?<![\w/.~-])second-chance\s+(.+)")
SHELL_BREAK = re.compile(r"\s(?:#|&&|\|\|?|;|>)")


def snippets(text: str) -> list[str]:
    """Every line of every fenced block, and every inline code span outside them."""
    lines = [line for block in FENCE.findall(text) for line in block.splitlines()]
    return lines + INLINE.findall(FENCE.sub("", text))


def commands(text: str) -> list[list[str]]:
    """The words after `second-chance` in every command the text shows (comments and pipes cut off)."""
    found = []
    for snippet in snippets(text):
        match = COMMAND.search(snippet)
        if match:
            rest = SHELL_BREAK.split(" " + match.group(1), maxsplit=1)[0]
            words = shlex.split(rest)
            if words:
                found.append(words)
    return found


def subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def option_strings(parser: argparse.ArgumentParser) -> set[str]:
    return {s for a in parser._actions for s in a.option_strings}


def choice_values(parser: argparse.ArgumentParser) -> set[str]:
    """Every value any option of any command offers as a choice (such as `side-by-side`)."""
    values: set[str] = set()
    for sub in [parser, *subparsers(parser).values()]:
        for action in sub._actions:
            values |= {str(c) for c in (action.choices or ()) if isinstance(c, str)}
    return values


def story_ids() -> dict[str, Scenario]:
    return {s.id: s for s in (load_scenario(p) for p in library.builtin_scenarios())}


def command_problems(words: list[str], stories: set[str]) -> list[str]:
    """Why `second-chance WORDS` would not run as the guide means it, or nothing."""
    parser = build_parser()
    shown = "second-chance " + " ".join(words)
    err = io.StringIO()
    try:
        with contextlib.redirect_stderr(err):
            args = parser.parse_args(words)
    except SystemExit:
        return [f"`{shown}` does not parse: {err.getvalue().strip().splitlines()[-1:]}"]
    if not getattr(args, "command", None):
        return [f"`{shown}` names no command"]
    problems = []
    sub = subparsers(parser)[args.command]
    for word in words:
        name = word.split("=", 1)[0]
        if name.startswith("--") and name not in option_strings(sub):
            problems.append(f"`{shown}`: `{name}` is only an abbreviation of an option")
    if args.command == "workshop":
        try:
            team_names(args.teams or "")
            parse_seconds(args.discussion)
            parse_seconds(args.voting)
        except (WorkshopError, ValueError) as problem:
            problems.append(f"`{shown}`: {problem}")
        if args.scenario and not (args.scenario in stories or args.scenario.endswith(".toml")):
            problems.append(f"`{shown}`: there is no story `{args.scenario}`")
        if args.resume not in (None, "latest") and not args.resume.endswith(".json"):
            problems.append(f"`{shown}`: `{args.resume}` would be read as a log file")
    return problems


def unknown_options(text: str) -> list[str]:
    """Options the text mentions that `second-chance workshop` does not have (other commands' own excepted)."""
    parser = build_parser()
    workshop = option_strings(subparsers(parser)["workshop"])
    elsewhere = {w.split("=", 1)[0] for words in commands(text) if words[0] != "workshop" for w in words}
    mentioned = set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", text))
    return sorted(mentioned - workshop - elsewhere)


def unknown_stories(text: str, stories: set[str]) -> list[str]:
    """Story-like names in code spans (`last-call`) that are no built-in story."""
    parser = build_parser()
    not_stories = {"second-chance", "xdg-open"} | choice_values(parser) | set(notes.RELATED)
    named = {s for s in INLINE.findall(text) if re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)+", s)}
    return sorted(named - not_stories - stories)


PATH = re.compile(r"(?<![\w/.~-])((?:docs|game|scenarios|tests|benchmarks)/[\w./-]*[\w/]|README\.md)")
LINK = re.compile(r"\]\(([^)\s]+)\)")


def missing_paths(text: str) -> list[str]:
    """Repository paths the text names, in words or as links (relative to docs/), that do not exist."""
    named = set(PATH.findall(text))
    for target in LINK.findall(text):
        if target.startswith(("http:", "https:", "mailto:", "#")):
            continue
        path = (ROOT / "docs" / target.split("#")[0]).resolve()
        named.add(path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path))
    return sorted(p for p in named if p not in PENDING and not (ROOT / p).exists())


def slug(heading: str) -> str:
    """A heading's anchor as GitHub makes it."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def broken_anchors(text: str) -> list[str]:
    anchors = {slug(h) for h in re.findall(r"^#+ (.+)$", FENCE.sub("", text), re.MULTILINE)}
    return sorted(t for t in LINK.findall(text) if t.startswith("#") and t[1:] not in anchors)


ROW = re.compile(r"^\| `([a-z0-9-]+)` \| (.*?) \| (\d+) \| about (\d+) \| (.*?) \|$", re.MULTILINE)


def table(text: str) -> dict[str, tuple[str, int, int, list[str]]]:
    """The table of stories: id -> (what it is about, minutes, typical decisions, content notes)."""
    return {m[1]: (m[2], int(m[3]), int(m[4]), m[5].split("; ")) for m in ROW.finditer(text)}


def decision_range(scenario: Scenario, plays: int = 300) -> tuple[int, int]:
    """The fewest and most decisions in seeded random plays of a story."""
    rng = random.Random(1)
    lengths = []
    for _ in range(plays):
        play = Playthrough.begin(scenario)
        while not play.is_over:
            play = play.choose(rng.choice([o for o in play.options() if o.available]).choice.index)
        lengths.append(len(play.steps))
    return min(lengths), max(lengths)


def table_problems(rows: dict[str, tuple[str, int, int, list[str]]], stories: dict[str, Scenario]) -> list[str]:
    problems = []
    if set(rows) != set(stories):
        problems.append(f"the table lists {sorted(rows)}, the game has {sorted(stories)}")
    for name, (about, minutes, decisions, content) in rows.items():
        story = stories.get(name)
        if story is None:
            continue
        if minutes != story.minutes:
            problems.append(f"{name}: {minutes} minutes in the guide, {story.minutes} in the story")
        if content != list(story.content_notes):
            problems.append(f"{name}: the notes are {content}, the story says {list(story.content_notes)}")
        low, high = decision_range(story)
        if not low <= decisions <= high:
            problems.append(f"{name}: about {decisions} decisions, but plays take {low} to {high}")
        if ("Red-flag story" in about or "Help story" in about) != story.help:
            problems.append(f"{name}: marked {'a help story' if not story.help else 'not a help story'} wrongly")
    return problems


# -- the guide --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def text() -> str:
    return GUIDE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def stories() -> dict[str, Scenario]:
    return story_ids()


def test_the_guide_has_the_nine_sections_in_order_and_a_place_for_the_keys(text):
    headings = re.findall(r"^## (.+)$", FENCE.sub("", text), re.MULTILINE)
    assert [h for h in headings if re.match(r"\d\. ", h)] == SECTIONS
    assert KEYS_SECTION in headings


def test_the_guide_shows_commands_for_every_part_of_a_session(text):
    shown = {" ".join(words) for words in commands(text)}
    assert len(shown) >= 10
    for needed in ("--teams", "--exclude", "--export", "--report", "--resume", "--tie", "--rules"):
        assert any(needed in words for words in commands(text)), needed


def test_every_command_in_the_guide_parses_with_the_real_parser(text, stories):
    problems = [p for words in commands(text) for p in command_problems(words, set(stories))]
    assert problems == []


def test_every_option_the_guide_mentions_is_a_workshop_option(text):
    assert unknown_options(text) == []
    for rule in TIE_RULES:
        assert f"--tie {rule}" in text
    for mode in MODES:
        assert f"--turns {mode}" in text


def test_every_story_the_guide_names_is_built_in(text, stories):
    assert unknown_stories(text, set(stories)) == []


def test_the_table_of_stories_matches_the_stories(text, stories):
    rows = table(text)
    assert len(rows) == 9
    assert table_problems(rows, stories) == []


def test_every_file_the_guide_names_exists(text):
    assert missing_paths(text) == []
    assert "scenarios/resources.toml" in text
    assert broken_anchors(text) == []


def test_the_guide_quotes_the_ground_rules_and_the_step_out_question_as_the_game_has_them(text):
    assert GROUND_RULES in text
    assert STEP_OUT in text


def test_what_the_guide_says_exclude_hides_is_what_it_hides(text, stories):
    block = text.split("second-chance workshop --exclude alcohol,abuse", 1)[1].split("\n\n", 2)[1]
    offered, hidden = notes.split(stories.values(), notes.terms("alcohol,abuse"))
    named = {s for s in INLINE.findall(block) if s in stories}
    assert named == {s.id for s, _ in hidden}
    words = {6: "six", 7: "seven", 8: "eight", 5: "five", 4: "four"}
    assert f"offers {words[len(offered)]} stories" in block


# -- the checks can fail -------------------------------------------------------------------------------


def test_the_checks_catch_what_is_wrong(stories):
    known = set(stories)
    good = shlex.split('workshop last-call --teams "Red,Blue" --turns side-by-side --export handouts')
    assert command_problems(good, known) == []
    for wrong in ('workshop last-call --teems "Red,Blue"', "workshop last-call --tie coin",
                  "workshop --exc alcohol", "workshop --resume last-call", "workshop last-calls",
                  "workshop last-call --discussion soon", 'workshop last-call --teams "Red,red"', "workshops"):
        assert command_problems(shlex.split(wrong), known), wrong
    assert commands("Run `second-chance workshop --tie random # seeded` now.") == [["workshop", "--tie", "random"]]

    sample = "Start with `second-chance workshop the-feed --teems A,B`, see `last-calls` and `--timer 30`."
    assert [p for words in commands(sample) for p in command_problems(words, known)]
    assert unknown_stories(sample, known) == ["last-calls"]
    assert "--timer" in unknown_options(sample)
    assert missing_paths("Read docs/facilitators-guide.md and [this](nowhere.md).") == [
        "docs/facilitators-guide.md", "docs/nowhere.md"]
    assert broken_anchors("# One\n\nSee [two](#two).") == ["#two"]

    rows = {"last-call": ("Karaoke.", 11, 9, ["alcohol"]), "the-good-days": ("Lee writes.", 5, 40, ["abuse"])}
    problems = table_problems(rows, stories)
    assert any("11 minutes" in p for p in problems)
    assert any("about 40 decisions" in p for p in problems)
    assert any("help story" in p for p in problems)
    assert any("the table lists" in p for p in problems)


def _table_letters(text: str, row_start: str) -> set[str]:
    """The single-letter keys (written `K`) in the guide's keys-table rows that start with `row_start`."""
    rows = [line for line in text.splitlines() if line.startswith(f"| {row_start}")]
    assert rows, f"no keys-table row for {row_start!r}"
    return {key.lower() for row in rows for key in re.findall(r"`([A-Za-z])`", row)}


def _bound_letters(screen: type) -> set[str]:
    return {key.lower() for binding in screen.BINDINGS for key in binding.key.split(",") if len(key) == 1
            and key.isalpha()}


@pytest.mark.parametrize("row_start, screen_name", [
    ("a decision", "DecisionScreen"),
    ("after a decision", "DecidedScreen"),
    ("the debrief", "RoomDebriefScreen"),
    ("comparing", "CompareScreen"),
    ("asking the room", "IdeasScreen"),
    ("predicting", "PredictScreen"),
])
def test_the_keys_table_names_exactly_the_letter_keys_each_screen_has(text, row_start, screen_name):
    """A key the guide promises works there, and a letter key the screen has is in the guide."""
    from game.tui.workshop.screens import asking, card, compare, debrief, decision, predict

    screens = {"DecisionScreen": decision.DecisionScreen, "DecidedScreen": card.DecidedScreen,
               "RoomDebriefScreen": debrief.RoomDebriefScreen, "CompareScreen": compare.CompareScreen,
               "IdeasScreen": asking.IdeasScreen, "PredictScreen": predict.PredictScreen}
    assert _table_letters(text, row_start) == _bound_letters(screens[screen_name])
