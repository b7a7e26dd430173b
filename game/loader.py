"""Turn a scenario file into a checked Scenario, or into located diagnostics.

The loader is the one place that reads scenario TOML. It collects every problem
in a file before giving up (an author fixes ten typos in one pass, not ten), and
every problem names the line of the key it is about. No input, however broken,
raises anything but ScenarioError.
"""

from __future__ import annotations

import gc
import hashlib
import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import attrs
import tomli as tomllib  # the compiled wheels parse about twice as fast as the standard library

from game import paths
from game.diagnostics import ERROR, WARNING, Diagnostic, ScenarioError
from game.expr import Condition, ConditionError, Names, parse_condition, suggest
from game.locate import Locator
from game.model import (
    ADVICE_CATEGORIES,
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

MAX_BYTES = 8 * 1024 * 1024
"""Larger files are refused before parsing: no real scenario comes near it."""

STANDARD_METERS = {
    "trust": Meter("trust", "Their trust", 5, 0, 10),
    "self_esteem": Meter("self_esteem", "Your self-esteem", 5, 0, 10),
}
"""Every scenario has these two without declaring them; `[meters.trust]` adjusts them."""

ID = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
ADVICE_ID = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
SOURCE = re.compile(r"A[0-4](?: #\d{1,2})?(?: \S.*)?\Z")

# --- the schema ---------------------------------------------------------------

STR, INT, BOOL, TABLE = "string", "whole number", "true or false", "table"
STRS, TABLES, STEPS = "list of strings", "list of tables", "list of choice numbers or texts"


@attrs.frozen
class Field:
    kind: str
    required: bool = False


SCENARIO_KEYS = {
    "id": Field(STR, True),
    "title": Field(STR, True),
    "summary": Field(STR, True),
    "start": Field(STR, True),
    "content_notes": Field(STRS),
    "help": Field(BOOL),
    "minutes": Field(INT),
    "author": Field(STR),
}
METER_KEYS = {
    "label": Field(STR),
    "start": Field(INT),
    "min": Field(INT),
    "max": Field(INT),
    "hidden": Field(BOOL),
}
ADVICE_KEYS = {
    "title": Field(STR, True),
    "text": Field(STR, True),
    "sources": Field(STRS, True),
    "disagreement": Field(STR),
    "stance": Field(STR),
    "category": Field(STR),
    "manipulative": Field(BOOL),
}
SCENE_KEYS = {
    "text": Field(STR, True),
    "title": Field(STR),
    "variants": Field(TABLES),
    "messages": Field(TABLES),
    "choices": Field(TABLES, True),
}
VARIANT_KEYS = {"if": Field(STR, True), "text": Field(STR, True)}
MESSAGE_KEYS = {
    "from": Field(STR, True),
    "text": Field(STR, True),
    "draft": Field(BOOL),
    "if": Field(STR),
}
CHOICE_KEYS = {
    "text": Field(STR, True),
    "goto": Field(STR, True),
    "if": Field(STR),
    "unavailable": Field(STR),
    "reason": Field(STR),
    "effects": Field(TABLE),
    "set": Field(STRS),
    "clear": Field(STRS),
    "follows": Field(STRS),
    "ignores": Field(STRS),
    "once": Field(BOOL),
}
ENDING_KEYS = {
    "title": Field(STR, True),
    "tone": Field(STR, True),
    "text": Field(STR, True),
    "outcome": Field(STR),
    "when": Field(STR),
    "variants": Field(TABLES),
    "help": Field(BOOL),
}
EXPECTED_KEYS = {"name": Field(STR), "choices": Field(STEPS, True), "ending": Field(STR, True)}
TOP_KEYS = {
    "scenario": Field(TABLE, True),
    "meters": Field(TABLE),
    "flags": Field(TABLE),
    "advice": Field(TABLE),
    "scenes": Field(TABLE, True),
    "endings": Field(TABLE, True),
    "expected": Field(TABLES),
}


def _type_ok(value: Any, kind: str) -> bool:
    if kind == STR:
        return isinstance(value, str)
    if kind == INT:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == BOOL:
        return isinstance(value, bool)
    if kind == TABLE:
        return isinstance(value, dict)
    if kind == STRS:
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if kind == TABLES:
        return isinstance(value, list) and all(isinstance(v, dict) for v in value)
    if kind == STEPS:
        return isinstance(value, list) and all(
            isinstance(v, str) or (isinstance(v, int) and not isinstance(v, bool)) for v in value
        )
    raise ValueError(kind)  # pragma: no cover


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "a number"
    if isinstance(value, float):
        return "a decimal number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return "a date or time"


@attrs.frozen
class LoadResult:
    """What reading a file gives: the scenario when it has no errors, and every diagnostic."""

    scenario: Scenario | None
    diagnostics: tuple[Diagnostic, ...]

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == ERROR)

    def unwrap(self) -> Scenario:
        """The scenario, or ScenarioError carrying every diagnostic (a failed load always has one)."""
        if self.scenario is None:
            raise ScenarioError(self.diagnostics)
        return self.scenario


class _Reader:
    """Holds one file's text and the diagnostics found so far."""

    def __init__(self, text: str, file: str):
        self.text = text
        self.file = file
        self.locate = Locator(text)
        self.diagnostics: list[Diagnostic] = []
        self.conditions: dict[str, Condition] = {}

    def report(self, code: str, message: str, path: tuple = (), hint: str | None = None,
               severity: str = ERROR, column: int | None = None) -> None:
        line, col = self.locate(path)
        if column is not None:
            line, start = self.locate.value_column(path)
            col = start + 1 + column  # skip the opening quote
        self.diagnostics.append(Diagnostic(code, message, self.file, line, col, severity, hint))

    def has_errors(self) -> bool:
        return any(d.severity == ERROR for d in self.diagnostics)

    def table(self, obj: Any, path: tuple, spec: Mapping[str, Field], what: str) -> dict[str, Any]:
        """Check keys and value types against `spec`; returns only the values that are sound."""
        if not isinstance(obj, dict):
            self.report("SC022", f"{what} must be a table, not {_describe(obj)}", path,
                        f"write it as [{'.'.join(map(str, path))}] with keys below it")
            return {}
        good: dict[str, Any] = {}
        for key, value in obj.items():
            field = spec.get(key)
            if field is None:
                self.report("SC020", f"unknown key `{key}` in {what}", (*path, key),
                            suggest(key, spec) or f"allowed keys: {', '.join(spec)}")
                continue
            if not _type_ok(value, field.kind):
                self.report("SC022", f"`{key}` in {what} must be a {field.kind}, not {_describe(value)}",
                            (*path, key))
                continue
            good[key] = value
        for key, field in spec.items():
            if field.required and key not in obj:
                table = ".".join(map(str, path))
                hint = f"add [[{table}.{key}]]" if field.kind == TABLES else f"add `{key} = ...`"
                self.report("SC021", f"{what} is missing required key `{key}`", path, hint)
        return good

    def text_value(self, value: str, path: tuple, what: str) -> str:
        """Prose without the blank lines that TOML's multi-line strings leave at each end."""
        if not value.strip():
            self.report("SC023", f"{what} is empty", path, "write something for the player to read")
        return value.strip()

    def condition(self, source: str, path: tuple, names: Names) -> Condition | None:
        """Parse a condition; identical ones share one compiled test (stories repeat them a lot)."""
        known = self.conditions.get(source)
        if known is not None:
            return known
        try:
            condition = self.conditions[source] = parse_condition(source, names)
            return condition
        except ConditionError as problem:
            self.report(problem.code, f"in condition `{source}`: {problem.message}", path,
                        problem.hint, column=problem.column)
            return None


def _read_bytes(path: Path, file: str) -> tuple[str | None, list[Diagnostic]]:
    def fail(code: str, message: str, hint: str) -> tuple[None, list[Diagnostic]]:
        return None, [Diagnostic(code, message, file, 1, 1, ERROR, hint)]

    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return fail("SC004", f"file is {size // 1024} KiB, over the {MAX_BYTES // (1024 * 1024)} MiB limit",
                        "split the story into several scenarios")
        data = path.read_bytes()
    except FileNotFoundError:
        return fail("SC001", "file not found", "check the path, or run `second-chance list`")
    except IsADirectoryError:
        return fail("SC001", "is a folder, not a scenario file", "name a .toml file inside it")
    except OSError as problem:
        return fail("SC001", f"cannot read file: {problem.strerror or problem}", "check its permissions")
    return _decode(data, file)


def _decode(data: bytes, file: str) -> tuple[str | None, list[Diagnostic]]:
    if len(data) > MAX_BYTES:
        return None, [Diagnostic("SC004", f"file is over the {MAX_BYTES // (1024 * 1024)} MiB limit", file,
                                 hint="split the story into several scenarios")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as problem:
        before = data[: problem.start]
        line = before.count(b"\n") + 1
        col = problem.start - (before.rfind(b"\n") + 1) + 1
        return None, [Diagnostic("SC002", f"file is not UTF-8 (byte 0x{data[problem.start]:02x})", file,
                                 line, col, ERROR, "save it as UTF-8 in your editor")]
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        return None, [Diagnostic("SC003", "file is empty", file, 1, 1, ERROR,
                                 "start from `second-chance new NAME`")]
    return text, []


_TOML_POS = re.compile(r"\(at line (\d+), column (\d+)\)")


def _parse_toml(reader: _Reader) -> dict | None:
    try:
        return tomllib.loads(reader.text)
    except tomllib.TOMLDecodeError as problem:
        message = str(problem)
        line, col = 1, 1
        match = _TOML_POS.search(message)
        if match:
            line, col = int(match.group(1)), int(match.group(2))
            message = message[: match.start()].strip()
        elif "end of document" in message:
            line = reader.text.count("\n") + 1
        message = message[:1].lower() + message[1:]
        hint = None
        declared = re.match(r"cannot declare \((.*)\) twice", message)
        if declared:
            name = ".".join(part.strip(" '\"") for part in declared.group(1).split(","))
            message = f"[{name}] is declared twice"
        if declared or "overwrite" in message:
            hint = "each scene, ending and key may be defined only once"
        reader.diagnostics.append(Diagnostic("SC010", f"TOML syntax: {message}", reader.file,
                                             line, col, ERROR, hint))
        return None
    except RecursionError:
        reader.diagnostics.append(Diagnostic("SC010", "TOML syntax: nested too deeply", reader.file,
                                             hint="flatten the arrays and tables"))
        return None


# --- advice ---------------------------------------------------------------------


def _advice(reader: _Reader, raw: Any, path: tuple) -> dict[str, Advice]:
    found: dict[str, Advice] = {}
    if not isinstance(raw, dict):
        reader.report("SC022", "[advice] must be a table of advice", path)
        return found
    for advice_id, body in raw.items():
        where = (*path, advice_id)
        if not ADVICE_ID.match(advice_id):
            reader.report("SC023", f"advice id `{advice_id}` must be lower-case letters, digits and hyphens",
                          where, "e.g. `no-drunk-texting`")
        fields = reader.table(body, where, ADVICE_KEYS, f"advice `{advice_id}`")
        for i, source in enumerate(fields.get("sources", [])):
            if not SOURCE.match(source):
                reader.report("SC050", f"source `{source}` is not an article citation", (*where, "sources", i),
                              "write the article key and step, e.g. `A1 #4`")
        category = fields.get("category")
        if category is not None and category not in ADVICE_CATEGORIES:
            reader.report("SC023", f"category \"{category}\" is not one of {', '.join(ADVICE_CATEGORIES)}",
                          (*where, "category"), suggest(category, ADVICE_CATEGORIES))
        if "sources" in fields and not fields["sources"]:
            reader.report("SC050", f"advice `{advice_id}` cites no source", (*where, "sources"),
                          "every piece of advice names its article, e.g. `A1 #4`")
        if {"title", "text", "sources"} <= fields.keys():
            found[advice_id] = Advice(
                advice_id,
                reader.text_value(fields["title"], (*where, "title"), "advice title"),
                reader.text_value(fields["text"], (*where, "text"), "advice text"),
                tuple(fields["sources"]),
                fields.get("disagreement", ""),
                fields.get("stance", ""),
                fields.get("category", ""),
                fields.get("manipulative", False),
            )
    return found


@lru_cache(maxsize=8)
def _catalog_cached(path: Path, mtime: float) -> tuple[dict[str, Advice], tuple[Diagnostic, ...]]:
    text, problems = _read_bytes(path, str(path))
    if text is None:
        return {}, tuple(problems)
    reader = _Reader(text, str(path))
    data = _parse_toml(reader)
    advice: dict[str, Advice] = {}
    if data is not None:
        for key in data:
            if key != "advice":
                reader.report("SC020", f"unknown key `{key}` in the advice catalog", (key,),
                              "the catalog holds only [advice.ID] tables")
        advice = _advice(reader, data.get("advice", {}), ("advice",))
    return advice, tuple(reader.diagnostics)


def load_catalog(path: Path | None = None) -> tuple[dict[str, Advice], tuple[Diagnostic, ...]]:
    """The shared advice catalog (the built-in one by default), with its own diagnostics."""
    path = Path(path or paths.catalog_path())
    try:
        mtime = path.stat().st_mtime
    except OSError:
        mtime = 0.0
    advice, problems = _catalog_cached(path.resolve(), mtime)
    return dict(advice), problems


# --- the scenario -----------------------------------------------------------------


def _meters(reader: _Reader, raw: dict) -> dict[str, Meter]:
    meters = dict(STANDARD_METERS)
    for meter_id, body in raw.items():
        where = ("meters", meter_id)
        if not ID.match(meter_id):
            reader.report("SC023", f"meter id `{meter_id}` must be letters, digits and underscores", where)
            continue
        fields = reader.table(body, where, METER_KEYS, f"meter `{meter_id}`")
        base = meters.get(meter_id, Meter(meter_id, meter_id.replace("_", " ").capitalize(), 0, 0, 10))
        meter = attrs.evolve(base, **{k: v for k, v in fields.items()})
        for key in ("start", "min", "max"):
            if abs(getattr(meter, key)) > 1000:
                reader.report("SC023", f"meter `{meter_id}` {key} {getattr(meter, key)} is out of range",
                              (*where, key), "keep meters between -1000 and 1000")
                break
        else:
            if meter.min > meter.max:
                reader.report("SC023", f"meter `{meter_id}` has min {meter.min} above max {meter.max}", where)
            elif not meter.min <= meter.start <= meter.max:
                reader.report("SC023", f"meter `{meter_id}` starts at {meter.start}, outside {meter.min}..{meter.max}",
                              (*where, "start") if "start" in fields else where)
            else:
                meters[meter_id] = meter
    return meters


def _flags(reader: _Reader, raw: dict) -> dict[str, Flag]:
    flags: dict[str, Flag] = {}
    for flag_id, description in raw.items():
        where = ("flags", flag_id)
        if not ID.match(flag_id):
            reader.report("SC023", f"flag id `{flag_id}` must be letters, digits and underscores", where)
        elif not isinstance(description, str):
            reader.report("SC022", f"flag `{flag_id}` must be described by text, not {_describe(description)}",
                          where, f'e.g. {flag_id} = "You sent the text."')
        else:
            flags[flag_id] = Flag(flag_id, description)
    return flags


class _Builder:
    """Builds scenes and endings once the names they may use are known."""

    def __init__(self, reader: _Reader, names: Names, meters: Mapping[str, Meter],
                 flags: Mapping[str, Flag], advice: Mapping[str, Advice], targets: set[str]):
        self.reader = reader
        self.names = names
        self.meters = meters
        self.flags = flags
        self.advice = advice
        self.targets = targets

    def variants(self, raw: list[dict], path: tuple) -> tuple[Variant, ...]:
        out = []
        for i, body in enumerate(raw):
            where = (*path, i)
            fields = self.reader.table(body, where, VARIANT_KEYS, "a text variant")
            condition = self.reader.condition(fields["if"], (*where, "if"), self.names) if "if" in fields else None
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
                condition = self.reader.condition(fields["if"], (*where, "if"), self.names)
            if {"from", "text"} <= fields.keys():
                out.append(Message(fields["from"], fields["text"], fields.get("draft", False), condition))
        return tuple(out)

    def ids(self, values: list[str], path: tuple, known: Mapping[str, Any], code: str, kind: str,
            hint: str) -> tuple[str, ...]:
        good = []
        for i, value in enumerate(values):
            if value in known:
                good.append(value)
            else:
                self.reader.report(code, f"unknown {kind} `{value}`", (*path, i), suggest(value, known) or hint)
        return tuple(good)

    def choice(self, index: int, body: Any, path: tuple) -> Choice | None:
        reader = self.reader
        fields = reader.table(body, path, CHOICE_KEYS, f"choice {index + 1}")
        goto = fields.get("goto")
        if goto is not None and goto != AUTO_ENDING and goto not in self.targets:
            reader.report("SC030", f"`goto` names `{goto}`, which is no scene or ending", (*path, "goto"),
                          suggest(goto, self.targets) or "use a scene id, an ending id, or \"@ending\"")
            goto = None
        condition = reader.condition(fields["if"], (*path, "if"), self.names) if "if" in fields else None
        unavailable = fields.get("unavailable", "hide")
        if unavailable not in UNAVAILABLE:
            reader.report("SC023", f"`unavailable` must be \"hide\" or \"strike\", not \"{unavailable}\"",
                          (*path, "unavailable"), suggest(unavailable, UNAVAILABLE))
        if unavailable == "strike" and not fields.get("reason", "").strip():
            reader.report("SC021", "a struck-through choice needs a `reason`", path,
                          'add reason = "..." saying why the player cannot pick it now')
        if "unavailable" in fields and "if" not in body:
            reader.report("SC101", "`unavailable` has no effect on a choice without `if`", (*path, "unavailable"),
                          "add an `if` condition or remove `unavailable`", WARNING)
        effects = []
        for meter_id, delta in fields.get("effects", {}).items():
            where = (*path, "effects", meter_id)
            if meter_id not in self.meters:
                reader.report("SC031", f"unknown meter `{meter_id}` in effects", where,
                              suggest(meter_id, self.meters) or "declare it under [meters.NAME]")
            elif not isinstance(delta, int) or isinstance(delta, bool):
                reader.report("SC022", f"effect on `{meter_id}` must be a whole number, not {_describe(delta)}",
                              where, f"e.g. {meter_id} = -1")
            elif abs(delta) > 1000:
                reader.report("SC023", f"effect on `{meter_id}` of {delta} is out of range", where)
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
            reader.report("SC023", f"choice both follows and ignores `{advice_id}`", (*path, "ignores"))
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
        )

    def scene(self, scene_id: str, body: Any) -> Scene | None:
        reader = self.reader
        where = ("scenes", scene_id)
        fields = reader.table(body, where, SCENE_KEYS, f"scene `{scene_id}`")
        choices = []
        for i, choice_body in enumerate(fields.get("choices", [])):
            choice = self.choice(i, choice_body, (*where, "choices", i))
            if choice:
                choices.append(choice)
        if "choices" in fields and not fields["choices"]:
            reader.report("SC036", f"scene `{scene_id}` has no way out", where,
                          f"add a [[scenes.{scene_id}.choices]] entry, or make it an [endings.{scene_id}]")
        variants = self.variants(fields.get("variants", []), (*where, "variants"))
        messages = self.messages(fields.get("messages", []), (*where, "messages"))
        if "text" not in fields:
            return None
        return Scene(scene_id, reader.text_value(fields["text"], (*where, "text"), "scene text"),
                     tuple(choices), fields.get("title", ""), variants, messages)

    def ending(self, ending_id: str, body: Any) -> Ending | None:
        reader = self.reader
        where = ("endings", ending_id)
        fields = reader.table(body, where, ENDING_KEYS, f"ending `{ending_id}`")
        tone = fields.get("tone")
        if tone is not None and tone not in TONES:
            reader.report("SC023", f"tone \"{tone}\" is not one of {', '.join(TONES)}", (*where, "tone"),
                          suggest(tone, TONES))
            tone = None
        outcome = fields.get("outcome", "open")
        if outcome not in OUTCOMES:
            reader.report("SC023", f"outcome \"{outcome}\" is not one of {', '.join(OUTCOMES)}",
                          (*where, "outcome"), suggest(outcome, OUTCOMES))
            outcome = "open"
        when = reader.condition(fields["when"], (*where, "when"), self.names) if "when" in fields else None
        variants = self.variants(fields.get("variants", []), (*where, "variants"))
        if not {"title", "text"} <= fields.keys() or tone is None:
            return None
        return Ending(ending_id, reader.text_value(fields["title"], (*where, "title"), "ending title"), tone,
                      reader.text_value(fields["text"], (*where, "text"), "ending text"), outcome, when,
                      variants, fields.get("help", False))


def _id_table(reader: _Reader, data: dict, key: str, what: str) -> dict:
    raw = data.get(key, {})
    good = {}
    for item_id, body in raw.items():
        if not ID.match(item_id):
            reader.report("SC023", f"{what} id `{item_id}` must be letters, digits and underscores",
                          (key, item_id), "e.g. `walk_home`; hyphens and spaces are not allowed")
        else:
            good[item_id] = body
    return good


def _build(reader: _Reader, data: dict, catalog: Mapping[str, Advice], path: Path | None) -> Scenario | None:
    top = reader.table(data, (), TOP_KEYS, "the scenario file")
    head = reader.table(top.get("scenario", {}), ("scenario",), SCENARIO_KEYS, "[scenario]") \
        if "scenario" in top else {}
    meters = _meters(reader, top.get("meters", {}))
    flags = _flags(reader, top.get("flags", {}))
    advice = dict(catalog)
    local = _advice(reader, top.get("advice", {}), ("advice",))
    for advice_id in local:
        if advice_id in catalog:
            reader.report("SC034", f"advice `{advice_id}` is already in the shared catalog", ("advice", advice_id),
                          "use the catalog's entry, or give yours another id")
    advice.update(local)

    scene_bodies = _id_table(reader, top, "scenes", "scene")
    ending_bodies = _id_table(reader, top, "endings", "ending")
    for both in scene_bodies.keys() & ending_bodies.keys():
        reader.report("SC034", f"`{both}` is both a scene and an ending", ("endings", both),
                      "give the ending another id")
    if "scenes" in top and not scene_bodies and not reader.has_errors():
        reader.report("SC021", "the scenario has no scenes", ("scenes",), "add a [scenes.ID] table")
    if "endings" in top and not ending_bodies and not reader.has_errors():
        reader.report("SC021", "the scenario has no endings", ("endings",), "add an [endings.ID] table")
    targets = set(scene_bodies) | set(ending_bodies)
    names = Names(meters=tuple(meters), flags=tuple(flags), scenes=tuple(scene_bodies))
    builder = _Builder(reader, names, meters, flags, advice, targets)

    scenes = {sid: s for sid, body in scene_bodies.items() if (s := builder.scene(sid, body))}
    endings = {eid: e for eid, body in ending_bodies.items() if (e := builder.ending(eid, body))}

    start = head.get("start")
    if start is not None and start not in scene_bodies:
        hint = "the story must open on a scene" if start in ending_bodies else suggest(start, scene_bodies)
        reader.report("SC035", f"start scene `{start}` does not exist", ("scenario", "start"),
                      hint or "name one of the [scenes.ID] tables")
    uses_auto = any(c.goto == AUTO_ENDING for s in scenes.values() for c in s.choices)
    if uses_auto and endings and all(e.when is not None for e in endings.values()):
        reader.report("SC037", "`goto = \"@ending\"` needs an ending without `when` to fall back on",
                      ("endings",), "remove `when` from the last, most general ending")
    expected = _expected(reader, top.get("expected", []), targets)
    notes = head.get("content_notes", [])
    if reader.has_errors():
        return None
    digest = hashlib.sha256(reader.text.encode("utf-8")).hexdigest()[:16]
    return Scenario(
        id=head["id"], title=head["title"], summary=head["summary"], start=head["start"],
        meters=tuple(meters.values()), flags=flags, scenes=scenes, endings=endings, advice=advice,
        content_notes=tuple(notes), help=head.get("help", False), minutes=head.get("minutes", 0),
        author=head.get("author", ""), expected=expected, path=path, digest=digest,
    )


def _expected(reader: _Reader, raw: list[dict], targets: set[str]) -> tuple[Expectation, ...]:
    out = []
    for i, body in enumerate(raw):
        where = ("expected", i)
        fields = reader.table(body, where, EXPECTED_KEYS, "an expected playthrough")
        ending = fields.get("ending")
        if ending is not None and ending not in targets:
            reader.report("SC030", f"expected ending `{ending}` does not exist", (*where, "ending"),
                          suggest(ending, targets))
        elif ending is not None and "choices" in fields:
            out.append(Expectation(fields.get("name", f"expected play {i + 1}"), tuple(fields["choices"]), ending))
    return tuple(out)


def read_text(text: str, file: str = "<scenario>", path: Path | None = None,
              catalog: Mapping[str, Advice] | None = None) -> LoadResult:
    """Check and build a scenario from its source text.

    The cyclic garbage collector is paused while the file is parsed and built:
    loading creates many small objects and no cycles, and without the pause the
    collector's repeated passes make large files load in more than linear time.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _read_text(text, file, path, catalog)
    finally:
        if was_enabled:
            gc.enable()


def _read_text(text: str, file: str, path: Path | None, catalog: Mapping[str, Advice] | None) -> LoadResult:
    reader = _Reader(text, file)
    if catalog is None:
        catalog, catalog_problems = load_catalog()
        reader.diagnostics.extend(catalog_problems)
    data = _parse_toml(reader)
    if data is None:
        return LoadResult(None, tuple(reader.diagnostics))
    try:
        scenario = _build(reader, data, catalog, path)
    except RecursionError:  # pragma: no cover - tomllib refuses such nesting first
        reader.report("SC010", "the file is nested too deeply")
        scenario = None
    return LoadResult(scenario, _ordered(reader.diagnostics))


def _ordered(diagnostics: list[Diagnostic]) -> tuple[Diagnostic, ...]:
    """File order reads best: an author fixes from the top down."""
    return tuple(sorted(diagnostics, key=lambda d: (d.file, d.line, d.column)))


def read_scenario(path: str | Path, catalog: Mapping[str, Advice] | None = None) -> LoadResult:
    """Check and build the scenario in a file; never raises for a bad file."""
    path = Path(path)
    file = str(path)
    text, problems = _read_bytes(path, file)
    if text is None:
        return LoadResult(None, tuple(problems))
    return read_text(text, file, path, catalog)


def load_scenario(path: str | Path, catalog: Mapping[str, Advice] | None = None) -> Scenario:
    """The scenario in a file, or ScenarioError listing every problem."""
    return read_scenario(path, catalog).unwrap()


def load_text(text: str, file: str = "<scenario>", catalog: Mapping[str, Advice] | None = None) -> Scenario:
    """Like load_scenario, for text in memory (tests, the editor's live reload)."""
    return read_text(text, file, None, catalog).unwrap()

