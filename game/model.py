"""The scenario model: what a scenario file means once the loader has checked it.

Every class is frozen and slotted. The loader builds them once; the engine, the
checks, the player screens and the exports all read the same objects, so no
part of the game keeps a second idea of what a scenario says.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import attrs

from game.expr import Condition

AUTO_ENDING = "@ending"
"""The `goto` target meaning: the first ending whose `when` holds."""

TONES = ("hopeful", "warm", "bittersweet", "hard", "grim")
"""How an ending feels, from best to worst; the picker and the map colour by it."""
GOOD_TONES = ("hopeful", "warm")
"""The tones of an ending a player is glad to reach; the others are endings where something turned."""

OUTCOMES = ("together", "friends", "apart", "open")
"""Where the two people stand; lets checks find the good endings that are not a reunion."""

ADVICE_CATEGORIES = ("healing", "self-respect", "contact", "reconnecting", "meeting", "repair", "red-flags",
                     "moving-on")
"""Where a piece of advice belongs in the journey; the debrief and the docs group by it."""

UNAVAILABLE = ("hide", "strike")
"""What a choice whose `if` fails does: vanish, or show struck through with its reason."""


@attrs.frozen
class Meter:
    """A hidden number the choices move, such as the ex's trust."""

    id: str
    label: str
    start: int
    min: int
    max: int
    hidden: bool = True

    def clamp(self, value: int) -> int:
        return max(self.min, min(self.max, value))


STANDARD_METERS = {
    "trust": Meter("trust", "Their trust", 5, 0, 10),
    "self_esteem": Meter("self_esteem", "Your self-esteem", 5, 0, 10),
}
"""Every scenario has these two without declaring them; `[meters.trust]` adjusts them."""


@attrs.frozen
class Flag:
    """A fact about the play so far (you sent the text), with words for the history."""

    id: str
    description: str = ""


@attrs.frozen
class Advice:
    """One piece of advice from the articles, in our own words, with its sources."""

    id: str
    title: str
    text: str
    sources: tuple[str, ...]
    disagreement: str = ""
    stance: str = ""
    category: str = ""
    manipulative: bool = False


@attrs.frozen
class Character:
    """Someone in the story other than the player: the name the story introduces them by, the other names
    it calls them (`aka`), and a one-line note for the author (the editor shows it on hover)."""

    id: str
    name: str
    aka: tuple[str, ...] = ()
    note: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aka)


@attrs.frozen
class Variant:
    """Text shown instead of the default when its condition holds (first match wins)."""

    condition: Condition
    text: str


@attrs.frozen
class Message:
    """A chat bubble in a texting scene."""

    sender: str
    text: str
    draft: bool = False
    condition: Condition | None = None

    @property
    def mine(self) -> bool:
        return self.sender == "you"


@attrs.frozen
class Choice:
    """One option in a scene; `index` is its place in the file and its key in saves.

    `discuss` holds questions for a workshop room and `facilitator` a note only
    the facilitator sees (on scenes and endings too); play alone shows neither.
    """

    index: int
    text: str
    goto: str
    condition: Condition | None = None
    unavailable: str = "hide"
    reason: str = ""
    effects: tuple[tuple[str, int], ...] = ()
    set_flags: tuple[str, ...] = ()
    clear_flags: tuple[str, ...] = ()
    follows: tuple[str, ...] = ()
    ignores: tuple[str, ...] = ()
    once: bool = False
    discuss: tuple[str, ...] = ()
    facilitator: str = ""


@attrs.frozen
class Scene:
    """A moment of the story: what happens, any chat, and what you can do."""

    id: str
    text: str
    choices: tuple[Choice, ...]
    title: str = ""
    variants: tuple[Variant, ...] = ()
    messages: tuple[Message, ...] = ()
    discuss: tuple[str, ...] = ()
    facilitator: str = ""


@attrs.frozen
class Ending:
    """Where a play stops; `when` lets the meters decide between endings."""

    id: str
    title: str
    tone: str
    text: str
    outcome: str = "open"
    when: Condition | None = None
    variants: tuple[Variant, ...] = ()
    help: bool = False
    discuss: tuple[str, ...] = ()
    facilitator: str = ""


@attrs.frozen
class Expectation:
    """A play an author promises: these choices, by number or text, reach that ending."""

    name: str
    choices: tuple[str | int, ...]
    ending: str


@attrs.frozen
class Scenario:
    """A whole scenario, checked and ready to play.

    `digest` identifies the exact source text, so a save can tell whether the
    file it was made with has changed since.
    """

    id: str
    title: str
    summary: str
    start: str
    meters: tuple[Meter, ...]
    flags: Mapping[str, Flag]
    scenes: Mapping[str, Scene]
    endings: Mapping[str, Ending]
    advice: Mapping[str, Advice]
    content_notes: tuple[str, ...] = ()
    help: bool = False
    help_topic: str = ""
    """Which help resources the story shows (a topic in the resources file); "" for the abuse lines."""
    minutes: int = 0
    author: str = ""
    order: int = 0
    """Where the list of scenarios puts this one (1 first); 0: after those that set it, by title."""
    expected: tuple[Expectation, ...] = ()
    path: Path | None = None
    digest: str = ""
    cast: Mapping[str, Character] = attrs.field(factory=dict)
    """Who the reader may meet, in file order (empty when the story declares no cast)."""

    @property
    def meter_ids(self) -> tuple[str, ...]:
        return tuple(m.id for m in self.meters)

    def meter(self, meter_id: str) -> Meter:
        for meter in self.meters:
            if meter.id == meter_id:
                return meter
        raise KeyError(meter_id)

    def choice_count(self) -> int:
        return sum(len(scene.choices) for scene in self.scenes.values())
