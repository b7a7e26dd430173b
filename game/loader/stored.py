"""A checked scenario as plain data (lists, strings, numbers) and back, re-checked on the way in.

The cache of checked stories (`game/story_cache.py`) keeps a scenario the
loader has built as JSON, so the next start skips parsing and building. That
JSON sits in a folder anyone with access to the computer could write to, so
reading it back trusts nothing: `from_plain` accepts only the exact shapes
`to_plain` writes, and re-checks everything the engine and the screens rely
on, with the loader's own tables:

- every text is what the loader lets through (no control character, no bidi
  override: `safetext.needs_care`), every id matches its pattern, every tone,
  outcome and category is one the model knows;
- every `goto`, `start`, effect, flag, advice id and expected ending names
  something that exists, meters stay in range, a story that uses
  `goto = "@ending"` has an ending to fall back on, and no scene is a dead end;
- conditions are stored as their source and parsed again by the game's own
  grammar (`game.expr`), never as compiled code.

Anything else raises `StoredError`, and the cache then checks the file again
from its source. Nothing here is ever executed: JSON holds data only.
"""

from __future__ import annotations

from pathlib import Path
from re import Pattern
from typing import Any

from game.expr import Condition, ConditionError, Names, parse_condition
from game.loader.keys import ADVICE_ID, ID, MAX_ORDER, SCENARIO_ID, SOURCE
from game.model import (
    ADVICE_CATEGORIES,
    AUTO_ENDING,
    OUTCOMES,
    TONES,
    UNAVAILABLE,
    Advice,
    Character,
    Choice,
    Ending,
    Expectation,
    Flag,
    Message,
    Meter,
    Scenario,
    Scene,
    Variant,
)
from game.plaindata import Unexpected, ident, items, number, one_of, text, texts, truth

LIMIT = 1000
"""Meters and effects stay within ±1000, as the loader insists."""


class StoredError(Unexpected):
    """Plain data that is not a scenario this game would have built: read the source again."""


# --- writing ------------------------------------------------------------------------------


def _condition(condition: Condition | None) -> str | None:
    return None if condition is None else condition.source


def _variants(variants: tuple[Variant, ...]) -> list:
    return [[v.condition.source, v.text] for v in variants]


def to_plain(scenario: Scenario) -> dict[str, Any]:
    """The scenario as JSON-ready data; `path` is left out (the file it came from is known when read)."""
    return {
        "id": scenario.id, "title": scenario.title, "summary": scenario.summary, "start": scenario.start,
        "meters": [[m.id, m.label, m.start, m.min, m.max, m.hidden] for m in scenario.meters],
        "flags": [[f.id, f.description] for f in scenario.flags.values()],
        "advice": [[a.id, a.title, a.text, list(a.sources), a.disagreement, a.stance, a.category, a.manipulative]
                   for a in scenario.advice.values()],
        "scenes": [[s.id, s.text, s.title, [_choice(c) for c in s.choices], _variants(s.variants),
                    [[m.sender, m.text, m.draft, _condition(m.condition)] for m in s.messages],
                    list(s.discuss), s.facilitator] for s in scenario.scenes.values()],
        "endings": [[e.id, e.title, e.tone, e.text, e.outcome, _condition(e.when), _variants(e.variants), e.help,
                     list(e.discuss), e.facilitator] for e in scenario.endings.values()],
        "content_notes": list(scenario.content_notes), "help": scenario.help, "help_topic": scenario.help_topic,
        "cast": [[c.id, c.name, list(c.aka), c.note] for c in scenario.cast.values()],
        "minutes": scenario.minutes,
        "author": scenario.author, "order": scenario.order,
        "expected": [[x.name, list(x.choices), x.ending] for x in scenario.expected],
        "digest": scenario.digest,
    }


def _choice(c: Choice) -> list:
    return [c.index, c.text, c.goto, _condition(c.condition), c.unavailable, c.reason,
            [[m, d] for m, d in c.effects], list(c.set_flags), list(c.clear_flags), list(c.follows),
            list(c.ignores), c.once, list(c.discuss), c.facilitator]


# --- reading, re-checked -------------------------------------------------------------------


def _fail(what: str) -> StoredError:
    return StoredError(f"stored scenario: {what}")


def _number(value: Any, low: int = -LIMIT, high: int = LIMIT) -> int:
    return number(value, low, high)


def _ident(value: Any, pattern: Pattern[str] = ID) -> str:
    return ident(value, pattern)


def known(values: Any, names: Any) -> tuple[str, ...]:
    """Ids that must each name something declared (a flag, an advice id)."""
    if type(values) is not list:
        raise _fail("a list has the wrong shape")
    if not values:
        return ()
    for value in values:
        if type(value) is not str or value not in names:
            raise _fail("an id names nothing declared")
    return tuple(values)


def known_meter(value: Any, meters: dict) -> str:
    if type(value) is not str or value not in meters:
        raise _fail("an effect names no meter")
    return value


def unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    table = dict(pairs)
    if len(table) != len(pairs):
        raise _fail("an id is used twice")
    return table


class _Reader:
    """Turns one stored scenario back into the model, checking as it goes."""

    def __init__(self, names: Names):
        self.names = names
        self.conditions: dict[str, Condition] = {}

    def condition(self, source: Any) -> Condition:
        """Parsed again from its source by the game's grammar; identical ones share one compiled test."""
        known_condition = self.conditions.get(source) if type(source) is str else None
        if known_condition is not None:
            return known_condition
        try:
            parsed = self.conditions[source] = parse_condition(text(source), self.names)
        except ConditionError as problem:
            raise _fail(f"a condition does not parse ({problem.message})") from None
        return parsed

    def maybe(self, source: Any) -> Condition | None:
        return None if source is None else self.condition(source)

    def variants(self, raw: Any) -> tuple[Variant, ...]:
        return tuple(Variant(self.condition(c), text(t)) for c, t in (items(v, 2) for v in items(raw)))


def from_plain(data: Any, path: Path | None = None) -> Scenario:
    """The scenario `to_plain` wrote, rebuilt and re-checked; StoredError on anything else."""
    try:
        return _from_plain(data, path)
    except (TypeError, ValueError, KeyError, AttributeError, RecursionError) as problem:
        if isinstance(problem, StoredError):
            raise
        if isinstance(problem, Unexpected):
            raise _fail(str(problem)) from None
        raise _fail(f"unexpected shape ({type(problem).__name__})") from None


def _from_plain(data: Any, path: Path | None) -> Scenario:
    if type(data) is not dict:
        raise _fail("not a table")
    meters = unique([(m.id, m) for m in (_meter(items(raw, 6)) for raw in items(data["meters"]))])
    if not {"trust", "self_esteem"} <= meters.keys():
        raise _fail("the two standard meters are missing")
    flags = unique([(f.id, f) for f in (Flag(_ident(flag_id), text(words))
                                        for flag_id, words in (items(r, 2) for r in items(data["flags"])))])
    advice = unique([(a.id, a) for a in (_advice(items(raw, 8)) for raw in items(data["advice"]))])
    scene_ids = [_ident(items(raw, 8)[0]) for raw in items(data["scenes"])]
    ending_ids = [_ident(items(raw, 10)[0]) for raw in items(data["endings"])]
    targets = set(scene_ids) | set(ending_ids)
    if not scene_ids or not ending_ids or len(targets) != len(scene_ids) + len(ending_ids):
        raise _fail("scenes and endings are missing or share an id")
    tactics = tuple(a.id for a in advice.values() if a.manipulative)
    reader = _Reader(Names(meters=tuple(meters), flags=tuple(flags), scenes=tuple(scene_ids), tactics=tactics))
    scenes = {sid: _scene(reader, raw, targets, meters, flags, advice)
              for sid, raw in zip(scene_ids, data["scenes"], strict=True)}
    endings = {eid: _ending(reader, raw) for eid, raw in zip(ending_ids, data["endings"], strict=True)}
    uses_auto = any(c.goto == AUTO_ENDING for s in scenes.values() for c in s.choices)
    if uses_auto and all(e.when is not None for e in endings.values()):
        raise _fail("`@ending` has no ending to fall back on")
    start = text(data["start"])
    if start not in scenes:
        raise _fail("the start scene does not exist")
    expected = []
    for raw in items(data["expected"]):
        name, choices, ending = items(raw, 3)
        steps = tuple(c if type(c) is int else text(c) for c in items(choices))
        if text(ending) not in targets:
            raise _fail("an expected ending does not exist")
        expected.append(Expectation(text(name), steps, ending))
    return Scenario(
        id=_ident(data["id"], SCENARIO_ID), title=text(data["title"]), summary=text(data["summary"]), start=start,
        meters=tuple(meters.values()), flags=flags, scenes=scenes, endings=endings, advice=advice,
        content_notes=texts(data["content_notes"]), help=truth(data["help"]), help_topic=text(data["help_topic"]),
        minutes=_number(data["minutes"], 0, 10**6), author=text(data["author"]),
        order=_number(data["order"], 0, MAX_ORDER), expected=tuple(expected),
        path=path, digest=text(data["digest"]),
        cast=unique([(c.id, c) for c in (Character(_ident(cid), text(name), texts(aka), text(note))
                                         for cid, name, aka, note in (items(r, 4) for r in items(data["cast"])))]),
    )


def _meter(raw: list) -> Meter:
    meter_id, label, start, low, high, hidden = raw
    meter = Meter(_ident(meter_id), text(label), _number(start), _number(low), _number(high), truth(hidden))
    if not meter.min <= meter.start <= meter.max:
        raise _fail("a meter starts outside its range")
    return meter


def _advice(raw: list) -> Advice:
    advice_id, title, body, sources, disagreement, stance, category, manipulative = raw
    cited = texts(sources)
    if not cited or not all(SOURCE.match(s) for s in cited):
        raise _fail("advice cites no article")
    if category != "":
        one_of(category, ADVICE_CATEGORIES)
    return Advice(_ident(advice_id, ADVICE_ID), text(title), text(body), cited, text(disagreement), text(stance),
                  text(category), truth(manipulative))


def _scene(reader: _Reader, raw: list, targets: set[str], meters: dict, flags: dict, advice: dict) -> Scene:
    scene_id, body, title, choices, variants, messages, discuss, note = raw
    built = []
    for choice in items(choices):
        (index, words, goto, condition, unavailable, reason, effects, set_flags, clear_flags, follows, ignores,
         once, questions, choice_note) = items(choice, 14)
        if text(goto) != AUTO_ENDING and goto not in targets:
            raise _fail("a choice goes nowhere")
        changes = tuple((known_meter(m, meters), _number(d)) for m, d in (items(e, 2) for e in items(effects)))
        built.append(Choice(
            _number(index, 0, 10**6), text(words), goto, reader.maybe(condition), one_of(unavailable, UNAVAILABLE),
            text(reason), changes, known(set_flags, flags), known(clear_flags, flags), known(follows, advice),
            known(ignores, advice), truth(once), texts(questions), text(choice_note)))
    if not built:
        raise _fail("a scene has no way out")
    chat = tuple(Message(text(sender), text(words), truth(draft), reader.maybe(condition))
                 for sender, words, draft, condition in (items(m, 4) for m in items(messages)))
    return Scene(scene_id, text(body), tuple(built), text(title), reader.variants(variants), chat, texts(discuss),
                 text(note))


def _ending(reader: _Reader, raw: list) -> Ending:
    ending_id, title, tone, body, outcome, when, variants, help_ending, discuss, note = raw
    return Ending(ending_id, text(title), one_of(tone, TONES), text(body), one_of(outcome, OUTCOMES),
                  reader.maybe(when), reader.variants(variants), truth(help_ending), texts(discuss), text(note))

