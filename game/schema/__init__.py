"""The JSON Schema for scenario files, built from the loader's own key tables.

Editors that read TOML schemas (Taplo, "Even Better TOML" in VS Code, and
others) use it to complete keys and flag typos as the author types. It is
generated from game.loader's tables, so it can never list a key the game does
not accept, or miss one it does; `python -m game.schema` rewrites
scenario.schema.json and a test checks the file is current.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from game.loader import keys as loader
from game.model import AUTO_ENDING, OUTCOMES, TONES, UNAVAILABLE

SCHEMA_PATH = Path(__file__).resolve().parent / "scenario.schema.json"
SCHEMA_ID = "https://second-chance.invalid/schema/scenario.schema.json"

_KIND_TYPES: dict[str, dict[str, Any]] = {
    loader.STR: {"type": "string"},
    loader.INT: {"type": "integer"},
    loader.BOOL: {"type": "boolean"},
    loader.TABLE: {"type": "object"},
    loader.STRS: {"type": "array", "items": {"type": "string"}},
    loader.TABLES: {"type": "array", "items": {"type": "object"}},
    loader.STEPS: {"type": "array", "items": {"type": ["integer", "string"]}},
}

DESCRIPTIONS: dict[str, dict[str, str]] = {
    "top": {
        "scenario": "What the scenario is: id, title, summary, first scene.",
        "meters": "Hidden numbers the choices move. `trust` and `self_esteem` exist without being declared.",
        "flags": "Facts a play can remember, each with a sentence for the history.",
        "advice": "Advice used only by this scenario, shaped like the shared catalog's.",
        "cast": "Who the reader may meet: each character's name, other names, and a note for the author.",
        "scenes": "The moments of the story, each with text and choices.",
        "endings": "Where a play stops, each with a tone and an outcome.",
        "expected": "Playthroughs `validate` plays: these choices must reach that ending.",
    },
    "scenario": {
        "id": "The scenario's id: lower-case letters, digits and hyphens; usually the file name.",
        "title": "The title shown in the list of scenarios.",
        "summary": "One line saying what the story is about.",
        "start": "The id of the first scene.",
        "content_notes": "Topics a player may want warning of, shown before play, e.g. [\"alcohol\"].",
        "help": "true for red-flag stories: the endings then show help resources.",
        "help_topic": "Which help resources to show: a topic of the resources file, e.g. \"relationships\" "
                      "for a relationship that is unhealthy but not abusive. Without it, the abuse lines.",
        "minutes": "Roughly how long one play takes.",
        "author": "Who wrote it.",
        "order": "Where the list of scenarios offers it: 1 first. Stories without it come after, by title.",
    },
    "meter": {
        "label": "The meter's name as a player would see it.",
        "start": "The value at the start of a play.",
        "min": "The lowest value; effects stop here.",
        "max": "The highest value; effects stop here.",
        "hidden": "Keep the meter out of sight during play (the default).",
    },
    "advice": {
        "title": "A short name for the advice.",
        "text": "The advice in your own words (never copied from the articles).",
        "sources": "Where the articles give it, e.g. [\"A1 #4\"].",
        "disagreement": "Where the articles disagree about it.",
        "stance": "What the game thinks, and why.",
        "category": "A group for the debrief, e.g. \"contact\".",
        "manipulative": "true when the advice is a manipulative tactic the game warns against.",
    },
    "scene": {
        "text": "What happens, in the second person.",
        "title": "An optional heading, such as a time of day.",
        "variants": "Other texts shown when their condition holds; the first that holds wins.",
        "messages": "Chat bubbles shown in the scene.",
        "choices": "What the player can do next.",
        "discuss": "Questions for a workshop room to talk over here, e.g. [\"What would you tell them?\"].",
        "facilitator": "A note shown only to the facilitator of a workshop (press F in workshop mode).",
    },
    "variant": {
        "if": "The condition under which this text shows, e.g. \"trust <= 3\".",
        "text": "The text shown instead of the default.",
    },
    "message": {
        "from": "Who sent it: \"you\" or a name.",
        "text": "The message.",
        "draft": "true for a message typed but not yet sent.",
        "if": "Show the message only when this holds.",
    },
    "choice": {
        "text": "What the player sees and picks.",
        "goto": "The next scene or ending, or \"@ending\" for the first ending whose `when` holds.",
        "if": "Offer the choice only when this holds.",
        "unavailable": "What happens when `if` fails: \"hide\" (default) or \"strike\" (shown struck through).",
        "reason": "Why a struck-through choice cannot be picked now.",
        "effects": "How the meters move, e.g. { trust = -1, self_esteem = 1 }.",
        "set": "Flags this choice sets.",
        "clear": "Flags this choice clears.",
        "follows": "Advice ids this choice follows.",
        "ignores": "Advice ids this choice ignores.",
        "once": "The choice can be taken only once (for scenes you come back to).",
        "discuss": "Questions for a workshop room to talk over here, e.g. [\"What would you tell them?\"].",
        "facilitator": "A note shown only to the facilitator of a workshop (press F in workshop mode).",
    },
    "ending": {
        "title": "The ending's name.",
        "tone": "How it feels: hopeful, warm, bittersweet, hard or grim.",
        "text": "What happens at the end.",
        "outcome": "Where the two people stand: together, friends, apart or open.",
        "when": "For goto = \"@ending\": this ending is picked when the condition holds (tried in file order).",
        "variants": "Other texts shown when their condition holds.",
        "help": "true to show help resources with this ending.",
        "discuss": "Questions for a workshop room to talk over here, e.g. [\"What would you tell them?\"].",
        "facilitator": "A note shown only to the facilitator of a workshop (press F in workshop mode).",
    },
    "cast": {
        "name": "The name the story introduces them by, e.g. \"Oskar\".",
        "aka": "Other names the text calls them, e.g. [\"Osk\", \"your brother\"].",
        "note": "One line for the author about who they are; the editor shows it on hover.",
    },
    "expected": {
        "name": "A name for the playthrough, used in reports.",
        "choices": "Option numbers as the player sees them, or exact choice texts.",
        "ending": "The ending the choices must reach.",
    },
}

_TABLES = {
    "scenario": loader.SCENARIO_KEYS,
    "meter": loader.METER_KEYS,
    "advice": loader.ADVICE_KEYS,
    "scene": loader.SCENE_KEYS,
    "variant": loader.VARIANT_KEYS,
    "message": loader.MESSAGE_KEYS,
    "choice": loader.CHOICE_KEYS,
    "ending": loader.ENDING_KEYS,
    "expected": loader.EXPECTED_KEYS,
    "cast": loader.CAST_KEYS,
    "top": loader.TOP_KEYS,
}
"""Each schema definition and the loader table it mirrors (tests compare them)."""

def _pattern(regex) -> str:
    """A loader id pattern (anchored with \\Z, for re.match) as a JSON Schema pattern."""
    return "^" + regex.pattern.removesuffix("\\Z") + "$"


_ID = _pattern(loader.ID)
_AUTO = AUTO_ENDING
_IDS: dict[str, dict[str, Any]] = {
    "id": {"type": "string", "pattern": _ID,
           "description": f"A scene, ending, meter, flag or cast id: it must {loader.ID_RULE} (e.g. walk_home). "
                          "Scenes and endings share one set of ids."},
    "goto": {"type": "string", "pattern": "^(?:" + _AUTO + "|" + _ID[1:-1] + ")$",
             "description": "A scene or ending id, or \"@ending\" for the first ending whose `when` holds."},
    "advice_id": {"type": "string", "pattern": _pattern(loader.ADVICE_ID),
                  "description": f"An advice id: it must {loader.ADVICE_ID_RULE} (e.g. no-drunk-texting)."},
    "scenario_id": {"type": "string", "pattern": _pattern(loader.SCENARIO_ID),
                    "description": "1 to 64 lower-case letters, digits and hyphens, starting with a letter or "
                                   "digit; it names the play's save file."},
    "source": {"type": "string", "pattern": _pattern(loader.SOURCE),
               "description": "An article citation: its key A0 to A4, then the step, e.g. \"A1 #4\"."},
}
"""The id patterns, stated once and referred to wherever an id is written."""


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/definitions/{name}"}


def _ids(item: str, body: str) -> dict[str, Any]:
    """A table of ids: every key follows the `item` pattern and every value is a `body`."""
    value = _ref(body) if body in _TABLES else {"type": body}
    return {"type": "object", "propertyNames": _ref(item), "additionalProperties": value}


_SPECIAL: dict[tuple[str, str], dict[str, Any]] = {
    ("top", "scenario"): _ref("scenario"),
    ("scenario", "id"): _ref("scenario_id"),
    ("scenario", "start"): _ref("id"),
    ("top", "meters"): _ids("id", "meter"),
    ("top", "flags"): _ids("id", "string"),
    ("top", "advice"): _ids("advice_id", "advice"),
    ("top", "cast"): _ids("id", "cast"),
    ("top", "scenes"): _ids("id", "scene"),
    ("top", "endings"): _ids("id", "ending"),
    ("top", "expected"): {"type": "array", "items": _ref("expected")},
    ("advice", "sources"): {"type": "array", "items": _ref("source")},
    ("scene", "variants"): {"type": "array", "items": _ref("variant")},
    ("scene", "messages"): {"type": "array", "items": _ref("message")},
    ("scene", "choices"): {"type": "array", "items": _ref("choice")},
    ("scenario", "order"): {"type": "integer", "minimum": 1, "maximum": loader.MAX_ORDER},
    ("ending", "variants"): {"type": "array", "items": _ref("variant")},
    ("ending", "tone"): {"type": "string", "enum": list(TONES)},
    ("ending", "outcome"): {"type": "string", "enum": list(OUTCOMES)},
    ("choice", "goto"): _ref("goto"),
    ("choice", "unavailable"): {"type": "string", "enum": list(UNAVAILABLE)},
    ("choice", "effects"): {"type": "object", "propertyNames": _ref("id"),
                            "additionalProperties": {"type": "integer"}},
    ("choice", "set"): {"type": "array", "items": _ref("id")},
    ("choice", "clear"): {"type": "array", "items": _ref("id")},
    ("choice", "follows"): {"type": "array", "items": _ref("advice_id")},
    ("choice", "ignores"): {"type": "array", "items": _ref("advice_id")},
    ("expected", "ending"): _ref("id"),
}

_RULES: dict[str, dict[str, Any]] = {
    "choice": {
        "if": {"properties": {"unavailable": {"const": "strike"}}, "required": ["unavailable"]},
        "then": {"required": ["reason"], "properties": {"reason": {"pattern": "\\S"}}},
    },
}
"""Rules across keys: a struck-through choice must say why it cannot be picked (the loader's SC021)."""


def _object(name: str) -> dict[str, Any]:
    table = _TABLES[name]
    properties = {}
    for key, field in table.items():
        spec = dict(_SPECIAL.get((name, key), _KIND_TYPES[field.kind]))
        if field.limit is not None:  # the loader's length limit, so the editor marks a long value as it is typed
            if "items" in spec:
                spec["items"] = {**spec["items"], "maxLength": field.limit}
            else:
                spec["maxLength"] = field.limit
        spec["description"] = DESCRIPTIONS[name][key]
        properties[key] = spec
    body: dict[str, Any] = {"type": "object", "additionalProperties": False, "properties": properties}
    required = [key for key, field in table.items() if field.required]
    if required:
        body["required"] = required
    body.update(_RULES.get(name, {}))
    return body


def build_schema() -> dict[str, Any]:
    """The schema as a dict, generated from the loader's tables."""
    top = _object("top")
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": SCHEMA_ID,
        "title": "Second Chance scenario",
        "description": "A branching scenario for the Second Chance game. See docs/authoring.md.",
        **{k: v for k, v in top.items()},
        "definitions": {**{name: _object(name) for name in _TABLES if name != "top"}, **_IDS},
    }


def render() -> str:
    return json.dumps(build_schema(), indent=2, ensure_ascii=False) + "\n"


def write() -> Path:
    SCHEMA_PATH.write_text(render(), encoding="utf-8")
    return SCHEMA_PATH
