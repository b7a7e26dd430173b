"""Building the scenario model from a plain dict, with every problem a located diagnostic.

The builder does not know TOML: it takes the parsed document as dicts and
lists, and a `Positions` (`game.loader.reporter`) that says where a key path sits in the source. The
TOML loader passes a `game.locate.Locator`; an importer of another format
(Twine, say) hands over its own dict and positions and gets the same checks
and the same coded diagnostics.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from game.diagnostics import WARNING
from game.expr import RESERVED, Condition, Names, suggest
from game.loader.cast import cast_table, check_senders
from game.loader.catalog import advice_table
from game.loader.declared import deeper_header, flags_table, id_table, meters_table, valid
from game.loader.keys import (
    CHOICE_KEYS,
    ENDING_KEYS,
    EXPECTED_KEYS,
    MAX_ORDER,
    MESSAGE_KEYS,
    SCENARIO_ID,
    SCENARIO_KEYS,
    SCENE_KEYS,
    TOP_KEYS,
    VARIANT_KEYS,
    describe,
)
from game.loader.reasons import meter_words, reason_problem
from game.loader.reporter import Reporter
from game.model import (
    AUTO_ENDING,
    OUTCOMES,
    TONES,
    UNAVAILABLE,
    Advice,
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
from game.safetext import char_name, needs_care, printable, quote, scan
from game.wording import choice_in

# --- the scenario -----------------------------------------------------------------


class _Builder:
    """Builds scenes and endings once the names they may use are known."""

    def __init__(self, reader: Reporter, names: Names, meters: Mapping[str, Meter],
                 flags: Mapping[str, Flag], advice: Mapping[str, Advice], targets: set[str],
                 unusable: Mapping[str, str] | None = None):
        self.reader = reader
        self.names = names
        self.meters = meters
        self.flags = flags
        self.advice = advice
        self.targets = targets
        self.unusable = dict(unusable or {})  # a meter's or flag's bad id (already an error) -> the id it could be
        self.loose = {*self.unusable, *self.unusable.values()}  # named by either spelling: no error of its own
        self._spelled = re.compile("|".join(rf"(?<![\w.-]){re.escape(bad)}(?![\w-])" for bad in
                                            sorted(self.unusable, key=len, reverse=True))) if self.unusable else None

    def condition(self, source: str, path: tuple) -> Condition | None:
        """A condition, read with the ids an error already names (`met-dev`) as the ids they could be."""
        if self._spelled is not None and self._spelled.search(source):
            if any(len(bad) != len(fixed) for bad, fixed in self.unusable.items() if bad in source):
                return None  # the columns would move: the id's own error says enough
            source = self._spelled.sub(lambda m: self.unusable[m.group()], source)
        return self.reader.condition(source, path, self.names)

    def variants(self, raw: list[dict], path: tuple) -> tuple[Variant, ...]:
        out = []
        for i, body in enumerate(raw):
            where = (*path, i)
            fields = self.reader.table(body, where, VARIANT_KEYS, "a text variant")
            condition = self.condition(fields["if"], (*where, "if")) if "if" in fields else None
            if condition and "text" in fields:
                out.append(Variant(condition, self.reader.text_value(fields["text"], (*where, "text"), "variant text")))
        return tuple(out)

    def messages(self, raw: list[dict], path: tuple) -> tuple[Message, ...]:
        out = []
        for i, body in enumerate(raw):
            where = (*path, i)
            fields = self.reader.table(body, where, MESSAGE_KEYS, "a chat message")
            condition = None
            if "if" in fields:
                condition = self.condition(fields["if"], (*where, "if"))
            if {"from", "text"} <= fields.keys():
                out.append(Message(fields["from"], fields["text"], fields.get("draft", False), condition))
        return tuple(out)

    def room(self, fields: dict[str, Any], path: tuple) -> tuple[tuple[str, ...], str]:
        """A workshop's discussion questions and the facilitator's note, each checked for text."""
        questions = tuple(self.reader.text_value(q, (*path, "discuss", i), "a discussion question")
                          for i, q in enumerate(fields.get("discuss", [])))
        note = fields.get("facilitator", "")
        if "facilitator" in fields:
            note = self.reader.text_value(note, (*path, "facilitator"), "the facilitator's note")
        return questions, note

    def ids(self, values: list[str], path: tuple, known: Mapping[str, Any], code: str, kind: str,
            hint: str) -> tuple[str, ...]:
        good = []
        for i, value in enumerate(values):
            if value in known:
                good.append(value)
            elif value not in self.loose:
                self.reader.report(code, f"unknown {kind} `{quote(value)}`", (*path, i),
                                   f"conditions keep `{value}` for themselves: give the flag another name"
                                   if value in RESERVED and kind == "flag" else suggest(value, known) or hint)
        return tuple(good)

    def choice(self, index: int, body: Any, path: tuple) -> Choice | None:
        reader = self.reader
        fields = reader.table(body, path, CHOICE_KEYS, choice_in(path[1], index))
        goto = fields.get("goto")
        if goto is not None and goto != AUTO_ENDING and goto not in self.targets:
            reader.report("SC030", f"`goto` names `{quote(goto)}`, which is no scene or ending", (*path, "goto"),
                          suggest(goto, valid(self.targets)) or "use a scene id, an ending id, or \"@ending\"")
            goto = None
        condition = self.condition(fields["if"], (*path, "if")) if "if" in fields else None
        unavailable = fields.get("unavailable", "hide")
        if unavailable not in UNAVAILABLE:
            reader.report("SC023", f"`unavailable` must be \"hide\" or \"strike\", not \"{quote(unavailable)}\"",
                          (*path, "unavailable"), suggest(unavailable, UNAVAILABLE))
        if unavailable == "strike" and not fields.get("reason", "").strip():
            reader.report("SC021", "a struck-through choice needs a `reason`", path,
                          'add reason = "..." saying why the player cannot pick it now')
        why = reason_problem(fields.get("reason", ""), meter_words(self.meters.values())) \
            if unavailable == "strike" else None
        if why:
            reader.report("SC103", f"the reason of a struck-through choice shows the game's workings: {why}",
                          (*path, "reason"), "say why in the story's own words (\"You have said enough for one "
                          "night.\"), never with numbers, ids or a meter's name", WARNING)
        if "unavailable" in fields and "if" not in body:
            reader.report("SC101", "`unavailable` has no effect on a choice without `if`", (*path, "unavailable"),
                          "add an `if` condition or remove `unavailable`", WARNING)
        effects = []
        for meter_id, delta in fields.get("effects", {}).items():
            where = (*path, "effects", meter_id)
            if meter_id in self.loose:
                continue
            if meter_id not in self.meters:
                reader.report("SC031", f"unknown meter `{quote(meter_id)}` in effects", where,
                              f"conditions keep `{meter_id}` for themselves: give the meter another name"
                              if meter_id in RESERVED else suggest(meter_id, self.meters)
                              or "declare it under [meters.NAME]")
            elif not isinstance(delta, int) or isinstance(delta, bool):
                reader.report("SC022", f"effect on `{quote(meter_id)}` must be a whole number, not {describe(delta)}",
                              where, f"e.g. {quote(meter_id)} = -1")
            elif abs(delta) > 1000:
                reader.report("SC023", f"effect on `{quote(meter_id)}` of {delta} is out of range", where)
            else:
                effects.append((meter_id, delta))
        flag_hint = "declare it under [flags]"
        advice_hint = "see scenarios/advice.toml, or add [advice.ID] to this scenario"
        set_flags = self.ids(fields.get("set", []), (*path, "set"), self.flags, "SC032", "flag", flag_hint)
        clear_flags = self.ids(fields.get("clear", []), (*path, "clear"), self.flags, "SC032", "flag", flag_hint)
        follows = self.ids(fields.get("follows", []), (*path, "follows"), self.advice, "SC033", "advice id",
                           advice_hint)
        ignores = self.ids(fields.get("ignores", []), (*path, "ignores"), self.advice, "SC033", "advice id",
                           advice_hint)
        for advice_id in set(follows) & set(ignores):
            reader.report("SC023", f"choice both follows and ignores `{quote(advice_id)}`", (*path, "ignores"))
        if "text" not in fields or goto is None:
            return None
        return Choice(
            index,
            reader.text_value(fields["text"], (*path, "text"), "choice text"),
            goto,
            condition,
            unavailable if unavailable in UNAVAILABLE else "hide",
            fields.get("reason", ""),
            tuple(effects),
            set_flags,
            clear_flags,
            follows,
            ignores,
            fields.get("once", False),
            *self.room(fields, path),
        )

    def scene(self, scene_id: str, body: Any) -> Scene | None:
        reader = self.reader
        where = ("scenes", scene_id)
        header = deeper_header("scenes", scene_id, body) if isinstance(body, dict) and "text" not in body else None
        near = suggest(scene_id, [s for s in self.names.scenes if s != scene_id]) if header else None
        if near:  # most likely a typo in that header, not a scene the writer meant to begin
            reader.report("SC021", f"`{quote(header)}` makes a new scene `{quote(scene_id)}`, which has no `text`",
                          where, near)
            body = {"text": "", **body}
        fields = reader.table(body, where, SCENE_KEYS, f"scene `{quote(scene_id)}`")
        choices = []
        for i, choice_body in enumerate(fields.get("choices", [])):
            choice = self.choice(i, choice_body, (*where, "choices", i))
            if choice:
                choices.append(choice)
        if "choices" in fields and not fields["choices"]:
            reader.report("SC036", f"scene `{quote(scene_id)}` has no way out", where,
                          f"add a [[scenes.{quote(scene_id)}.choices]] entry, "
                          f"or make it an [endings.{quote(scene_id)}]")
        variants = self.variants(fields.get("variants", []), (*where, "variants"))
        messages = self.messages(fields.get("messages", []), (*where, "messages"))
        if "text" not in fields or near:
            return None
        return Scene(scene_id, reader.text_value(fields["text"], (*where, "text"), "scene text"),
                     tuple(choices), fields.get("title", ""), variants, messages, *self.room(fields, where))

    def ending(self, ending_id: str, body: Any) -> Ending | None:
        reader = self.reader
        where = ("endings", ending_id)
        fields = reader.table(body, where, ENDING_KEYS, f"ending `{quote(ending_id)}`")
        tone = fields.get("tone")
        if tone is not None and tone not in TONES:
            reader.report("SC023", f"tone \"{quote(tone)}\" is not one of {', '.join(TONES)}", (*where, "tone"),
                          suggest(tone, TONES))
            tone = None
        outcome = fields.get("outcome", "open")
        if outcome not in OUTCOMES:
            reader.report("SC023", f"outcome \"{quote(outcome)}\" is not one of {', '.join(OUTCOMES)}",
                          (*where, "outcome"), suggest(outcome, OUTCOMES))
            outcome = "open"
        when = self.condition(fields["when"], (*where, "when")) if "when" in fields else None
        variants = self.variants(fields.get("variants", []), (*where, "variants"))
        if not {"title", "text"} <= fields.keys() or tone is None:
            return None
        return Ending(ending_id, reader.text_value(fields["title"], (*where, "title"), "ending title"), tone,
                      reader.text_value(fields["text"], (*where, "text"), "ending text"), outcome, when,
                      variants, fields.get("help", False), *self.room(fields, where))


def clean(reader: Reporter, value: Any, path: tuple = ()) -> Any:
    """The document with its text made safe, reporting every character a scenario may not hold.

    This is where the game decides what scenario text may contain: printable
    text, line breaks and tabs (turned into spaces). A control character (ESC,
    BEL, NUL, the C1 codes) is an error wherever it stands, in a key or a
    value, because a terminal would obey it; a bidi override is a warning and
    is removed, because it makes text read differently from what it says.
    """
    if isinstance(value, str):
        return _clean_text(reader, value, path)
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            where = (*path, key)
            if not key.isprintable():
                for _, char, _kind in scan(key)[:1]:
                    reader.report("SC025", f"the key `{quote(key)}` contains the character {char_name(char)}",
                                  where, "keys are letters, digits, `_` and `-`")
            out[key] = clean(reader, item, where)
        return out
    if isinstance(value, list):
        return [clean(reader, item, (*path, i)) for i, item in enumerate(value)]
    return value


def _clean_text(reader: Reporter, text: str, path: tuple) -> str:
    if text.isprintable() or not needs_care(text):
        return text
    found = scan(text)
    controls = [char for _, char, kind in found if kind == "control"]
    if controls:
        offset = next(o for o, _, kind in found if kind == "control")
        names = ", ".join(dict.fromkeys(char_name(c) for c in controls))
        reader.report("SC025", f"text contains {len(controls)} control character{'s' if len(controls) > 1 else ''} "
                      f"({names}), which a terminal would obey instead of showing", path,
                      "delete them; only printable text, line breaks and tabs are allowed",
                      column=offset)
    if any(kind == "bidi" for _, _, kind in found):
        reader.report("SC102", "text contains a bidirectional override (U+202A..U+202E or U+2066..U+2069), "
                      "which makes it read differently from what it says; it was removed", path,
                      "delete it; right-to-left text needs no override", WARNING)
    return printable(text) if not controls else text


def build(reader: Reporter, data: dict, catalog: Mapping[str, Advice], path: Path | None = None,
          digest: str = "") -> Scenario | None:
    """The scenario a parsed document describes, or None when `reader` has collected an error."""
    data = clean(reader, data)
    top = reader.table(data, (), TOP_KEYS, "the scenario file")
    head = reader.table(top.get("scenario", {}), ("scenario",), SCENARIO_KEYS, "[scenario]") \
        if "scenario" in top else {}
    scenario_id = head.get("id")
    if scenario_id is not None and not SCENARIO_ID.match(scenario_id):
        reader.report("SC024", f"scenario id \"{quote(scenario_id)}\" must be 1 to 64 lower-case letters, digits "
                      "and hyphens, starting with a letter or digit", ("scenario", "id"),
                      "the id names the play's save file, e.g. `last-call`")
    loose: dict[str, str] = {}
    meters = meters_table(reader, top.get("meters", {}), loose)
    flags = flags_table(reader, top.get("flags", {}), loose)
    advice = dict(catalog)
    local = advice_table(reader, top.get("advice", {}), ("advice",))
    for advice_id in local:
        if advice_id in catalog:
            reader.report("SC034", f"advice `{quote(advice_id)}` is already in the shared catalog",
                          ("advice", advice_id),
                          "use the catalog's entry, or give yours another id")
    advice.update(local)

    unusable: dict[str, str] = {}
    scene_bodies = id_table(reader, top, "scenes", "scene", unusable)
    ending_bodies = id_table(reader, top, "endings", "ending", unusable)
    for both in scene_bodies.keys() & ending_bodies.keys():
        reader.report("SC034", f"`{quote(both)}` is both a scene and an ending", ("endings", both),
                      "give the ending another id")
    if "scenes" in top and not scene_bodies and not reader.has_errors():
        reader.report("SC021", "the scenario has no scenes", ("scenes",), "add a [scenes.ID] table")
    if "endings" in top and not ending_bodies and not reader.has_errors():
        reader.report("SC021", "the scenario has no endings", ("endings",), "add an [endings.ID] table")
    targets = set(scene_bodies) | set(ending_bodies) | set(unusable) | set(unusable.values())
    fixed = {bad: good for bad, good in loose.items() if good not in meters and good not in flags}
    names = Names(meters=(*meters, *(good for bad, good in fixed.items() if bad in top.get("meters", {}))),
                  flags=(*flags, *(good for bad, good in fixed.items() if bad not in top.get("meters", {}))),
                  scenes=(*scene_bodies, *unusable.values()),
                  tactics=tuple(a.id for a in advice.values() if a.manipulative))
    builder = _Builder(reader, names, meters, flags, advice, targets, fixed)

    scenes = {sid: s for sid, body in scene_bodies.items() if (s := builder.scene(sid, body))}
    endings = {eid: e for eid, body in ending_bodies.items() if (e := builder.ending(eid, body))}

    cast = cast_table(reader, top["cast"]) if "cast" in top else {}
    check_senders(reader, cast, scenes)
    start = head.get("start")
    if start is not None and start not in scene_bodies and start not in unusable and start not in unusable.values():
        said = f"`start` names `{quote(start)}`, which is an ending" if start in ending_bodies else \
            f"start scene `{quote(start)}` does not exist"
        reader.report("SC035", said, ("scenario", "start"),
                      "the story must open on a scene" if start in ending_bodies else suggest(start, scene_bodies)
                      or "name one of the [scenes.ID] tables")
    uses_auto = any(c.goto == AUTO_ENDING for s in scenes.values() for c in s.choices)
    fallback = any(isinstance(body, dict) and "when" not in body for body in top.get("endings", {}).values())
    if uses_auto and endings and not fallback:
        last = list(endings)[-1]  # the most general ending, the one most likely to have lost its `when`
        reader.report("SC037", "`goto = \"@ending\"` needs an ending without `when` to fall back on",
                      ("endings", last, "when"), "remove `when` from the last, most general ending")
    expected = _expected(reader, top.get("expected", []), targets)
    notes = head.get("content_notes", [])
    order = head.get("order", 0)
    if "order" in head and not 1 <= order <= MAX_ORDER:
        reader.report("SC023", f"`order = {order}` is out of range", ("scenario", "order"),
                      f"1 puts the story first in the list; use 1 to {MAX_ORDER}, or leave `order` out")
    if reader.has_errors():
        return None
    return Scenario(
        id=head["id"], title=head["title"], summary=head["summary"], start=head["start"],
        meters=tuple(meters.values()), flags=flags, scenes=scenes, endings=endings, advice=advice,
        content_notes=tuple(notes), help=head.get("help", False), help_topic=head.get("help_topic", ""),
        minutes=head.get("minutes", 0),
        author=head.get("author", ""), order=order, expected=expected, path=path, digest=digest, cast=cast,
    )


def _expected(reader: Reporter, raw: list[dict], targets: set[str]) -> tuple[Expectation, ...]:
    out = []
    for i, body in enumerate(raw):
        where = ("expected", i)
        fields = reader.table(body, where, EXPECTED_KEYS, "an expected playthrough")
        ending = fields.get("ending")
        if ending is not None and ending not in targets:
            reader.report("SC030", f"expected ending `{quote(ending)}` does not exist", (*where, "ending"),
                          suggest(ending, valid(targets)))
        elif ending is not None and "choices" in fields:
            out.append(Expectation(fields.get("name", f"expected play {i + 1}"), tuple(fields["choices"]), ending))
    return tuple(out)
