"""The JSON Schema: current with the loader's key tables, and it accepts what the loader accepts."""

from __future__ import annotations

import json
import re

import pytest
import tomli

from game import library
from game.loader import keys as loader
from game.loader import read_text
from game.schema import _TABLES, SCHEMA_PATH, build_schema, render
from game.starter import render as starter


def test_shipped_file_is_current():
    """Run `python -m game.schema` after changing the loader's tables."""
    assert SCHEMA_PATH.read_text(encoding="utf-8") == render()


@pytest.mark.parametrize("name", list(_TABLES))
def test_every_definition_matches_its_loader_table(name):
    schema = build_schema()
    body = schema if name == "top" else schema["definitions"][name]
    table = _TABLES[name]
    assert set(body["properties"]) == set(table)
    assert set(body.get("required", [])) == {k for k, f in table.items() if f.required}
    assert body["additionalProperties"] is False
    kinds = {loader.STR: "string", loader.INT: "integer", loader.BOOL: "boolean", loader.TABLE: "object",
             loader.STRS: "array", loader.TABLES: "array", loader.STEPS: "array"}
    for key, field in table.items():
        spec = body["properties"][key]
        if "$ref" in spec:  # an id pattern or a table defined once and referred to
            spec = schema["definitions"][spec["$ref"].rsplit("/", 1)[1]]
        assert spec.get("type", "object") == kinds[field.kind], (name, key)
        assert body["properties"][key]["description"]


def test_every_loader_table_has_a_definition():
    tables = {name for name in dir(loader) if name.endswith("_KEYS") and isinstance(getattr(loader, name), dict)}
    mirrored = {name for name in tables if any(getattr(loader, name) is t for t in _TABLES.values())}
    assert mirrored == tables


KEYWORDS = {"$schema", "$id", "$ref", "title", "description", "type", "enum", "const", "pattern", "required",
            "properties", "patternProperties", "additionalProperties", "propertyNames", "items", "if", "then",
            "definitions", "minimum", "maximum", "maxLength"}
"""Every keyword the schema uses; `_check` below implements each one that validates."""


def _check(value, schema, root, where="") -> list[str]:
    """A small JSON Schema (draft 7) checker for the keywords in KEYWORDS.

    No JSON Schema package is installed with the game, so the tests carry
    this one; `test_the_schema_uses_only_keywords_the_checker_knows` makes
    sure the schema never leans on a keyword it would silently skip.
    """
    if "$ref" in schema:
        return _check(value, root["definitions"][schema["$ref"].rsplit("/", 1)[1]], root, where)
    problems = []
    types = schema.get("type")
    if types:
        names = types if isinstance(types, list) else [types]
        ok = {"string": str, "integer": int, "boolean": bool, "object": dict, "array": list}
        if not any(isinstance(value, ok[t]) and not (t == "integer" and isinstance(value, bool)) for t in names):
            return [f"{where}: {value!r} is not {types}"]
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{where}: {value!r} not in enum")
    if "const" in schema and value != schema["const"]:
        problems.append(f"{where}: {value!r} is not {schema['const']!r}")
    if "minimum" in schema and isinstance(value, int) and value < schema["minimum"]:
        problems.append(f"{where}: {value!r} is below {schema['minimum']}")
    if "maximum" in schema and isinstance(value, int) and value > schema["maximum"]:
        problems.append(f"{where}: {value!r} is above {schema['maximum']}")
    if "maxLength" in schema and isinstance(value, str) and len(value) > schema["maxLength"]:
        problems.append(f"{where}: {len(value)} characters, over {schema['maxLength']}")
    if "pattern" in schema and isinstance(value, str) and not re.search(_python(schema["pattern"]), value):
        problems.append(f"{where}: {value!r} does not match {schema['pattern']}")
    if isinstance(value, dict):
        for key in schema.get("required", []):
            if key not in value:
                problems.append(f"{where}: missing {key}")
        for key, item in value.items():
            if "propertyNames" in schema:
                problems += _check(key, schema["propertyNames"], root, f"{where}.{key} (the name)")
            if key in schema.get("properties", {}):
                problems += _check(item, schema["properties"][key], root, f"{where}.{key}")
                continue
            for pattern, sub in schema.get("patternProperties", {}).items():
                if re.search(_python(pattern), key):
                    problems += _check(item, sub, root, f"{where}.{key}")
                    break
            else:
                extra = schema.get("additionalProperties", True)
                if extra is False:
                    problems.append(f"{where}: unknown key {key}")
                elif isinstance(extra, dict):
                    problems += _check(item, extra, root, f"{where}.{key}")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            problems += _check(item, schema["items"], root, f"{where}[{i}]")
    if "if" in schema and not _check(value, schema["if"], root, where):
        problems += _check(value, schema.get("then", {}), root, where)
    return problems


def _python(pattern: str) -> str:
    """A JSON Schema pattern for Python's re: `$` means the very end, as in JavaScript."""
    return pattern[:-1] + r"\Z" if pattern.endswith("$") else pattern


def _problems(document: dict) -> list[str]:
    schema = build_schema()
    return _check(document, schema, schema)


def test_the_schema_uses_only_keywords_the_checker_knows():
    used = set()

    def walk(node, maps=False):
        if isinstance(node, dict):
            if not maps:
                used.update(node)
            for key, item in node.items():
                walk(item, maps=key in ("properties", "patternProperties", "definitions") and not maps)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(build_schema())
    assert used <= KEYWORDS, used - KEYWORDS


@pytest.mark.parametrize("path", library.builtin_scenarios(), ids=lambda p: p.stem)
def test_builtin_scenarios_satisfy_the_schema(path):
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert _check(tomli.loads(path.read_text(encoding="utf-8")), schema, schema) == []


def test_starter_satisfies_the_schema():
    assert _problems(tomli.loads(starter("demo"))) == []


STRIKE = 'unavailable = "strike"       # show it struck through when the condition fails\n'
REASON = 'reason = "There is no draft to read."\n'


@pytest.mark.parametrize("old, new, expected", [
    ('[scenes.draft]\ntext', '[scenes.draft]\ntxt = "x"\ntext', "unknown key txt"),
    ('tone = "hard"', 'tone = "happy"', "not in enum"),
    ("effects = { self_esteem = 2 }", 'effects = { self_esteem = "up" }', "is not integer"),
    (STRIKE + REASON, STRIKE, "missing reason"),
    (REASON, 'reason = "  "\n', "does not match \\S"),
    ("[scenes.draft]", "[scenes.bad-id]", "'bad-id' does not match"),
    ("wrote_draft = ", '"wrote draft" = ', "'wrote draft' does not match"),
    ('id = "demo"', 'id = "My Story"', "'My Story' does not match"),
    ('start = "evening"', 'start = "even-ing"', "'even-ing' does not match"),
    ('goto = "draft"', 'goto = "the draft"', "'the draft' does not match"),
    ('set = ["wrote_draft"]', 'set = ["wrote-draft"]', "'wrote-draft' does not match"),
    ('follows = ["know-your-why"]', 'follows = ["Know_Your_Why"]', "'Know_Your_Why' does not match"),
    ("effects = { self_esteem = 2 }", 'effects = { "self-esteem" = 2 }', "'self-esteem' does not match"),
    ('ending = "on_read"', 'ending = "on read"', "'on read' does not match"),
    ('id = "demo"', 'id = "demo"\norder = 0', "0 is below 1"),
    ('id = "demo"', 'id = "demo"\norder = 1000', "1000 is above 999"),
])
def test_schema_flags_what_the_loader_refuses(old, new, expected):
    """Each mistake is caught by the editor's schema, and the loader refuses the same file."""
    text = starter("demo")
    assert old in text
    broken = text.replace(old, new, 1)
    problems = _problems(tomli.loads(broken))
    assert any(expected in p for p in problems), problems
    assert read_text(broken).errors, "the loader should refuse it too"


def test_the_id_patterns_are_the_loaders():
    definitions = build_schema()["definitions"]
    for name, regex in (("id", loader.ID), ("advice_id", loader.ADVICE_ID), ("scenario_id", loader.SCENARIO_ID),
                        ("source", loader.SOURCE)):
        pattern = definitions[name]["pattern"]
        assert pattern == "^" + regex.pattern.removesuffix("\\Z") + "$"
        for sample in ("walk_home", "_x", "a1", "no-drunk-texting", "last-call", "A1 #4", "2nd", "a b", "Ab-c", ""):
            assert bool(re.search(pattern, sample)) == bool(regex.match(sample)), (name, sample)
    goto = definitions["goto"]["pattern"]
    assert re.search(goto, "@ending") and re.search(goto, "walk_home") and not re.search(goto, "@end")
    assert definitions["id"]["description"] and definitions["advice_id"]["description"]


def test_a_struck_choice_needs_a_reason_but_a_hidden_one_does_not():
    schema = build_schema()
    rule = schema["definitions"]["choice"]
    assert rule["if"] == {"properties": {"unavailable": {"const": "strike"}}, "required": ["unavailable"]}
    assert rule["then"]["required"] == ["reason"]
    choice = {"text": "Go.", "goto": "a", "if": "trust > 3"}

    def check(value):
        return _check(value, rule, schema)

    assert check({**choice, "unavailable": "hide"}) == [] and check(choice) == []
    assert check({**choice, "unavailable": "strike"}) == [": missing reason"]
    assert check({**choice, "unavailable": "strike", "reason": "Not yet."}) == []


@pytest.mark.parametrize("path", library.builtin_scenarios(), ids=lambda p: p.stem)
def test_schema_comment_in_builtin_scenarios_points_at_the_schema(path):
    """Built-in scenarios name the schema on their first line, relative to the source tree."""
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("#:schema "), f"{path.name} does not name the schema on its first line"
    assert path.parent.name == "scenarios" and path.parent.parent.name != "game", "the tests run on the source tree"
    assert (path.parent / first.split(" ", 1)[1].strip()).resolve() == SCHEMA_PATH
