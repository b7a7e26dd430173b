"""The JSON Schema: current with the loader's key tables, and it accepts what the loader accepts."""

from __future__ import annotations

import json
import re

import pytest
import tomli

from game import library
from game.loader import keys as loader
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
        assert spec.get("type", "object") == kinds[field.kind], (name, key)
        assert spec["description"]


def test_every_loader_table_has_a_definition():
    tables = {name for name in dir(loader) if name.endswith("_KEYS") and isinstance(getattr(loader, name), dict)}
    mirrored = {name for name in tables if any(getattr(loader, name) is t for t in _TABLES.values())}
    assert mirrored == tables


def _check(value, schema, root, where="") -> list[str]:
    """A small JSON Schema checker for the keywords this schema uses (no extra dependency)."""
    if "$ref" in schema:
        return _check(value, root["definitions"][schema["$ref"].rsplit("/", 1)[1]], root, where)
    problems = []
    types = schema.get("type")
    if types:
        names = types if isinstance(types, list) else [types]
        ok = {"string": str, "integer": int, "boolean": bool, "object": dict, "array": list}
        if not any(isinstance(value, ok[t]) and not (t == "integer" and isinstance(value, bool)) for t in names):
            return [f"{where}: not {types}"]
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{where}: {value!r} not in enum")
    if isinstance(value, dict):
        for key in schema.get("required", []):
            if key not in value:
                problems.append(f"{where}: missing {key}")
        for key, item in value.items():
            if key in schema.get("properties", {}):
                problems += _check(item, schema["properties"][key], root, f"{where}.{key}")
                continue
            for pattern, sub in schema.get("patternProperties", {}).items():
                if re.search(pattern, key):
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
    return problems


@pytest.mark.parametrize("path", library.builtin_scenarios(), ids=lambda p: p.stem)
def test_builtin_scenarios_satisfy_the_schema(path):
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert _check(tomli.loads(path.read_text(encoding="utf-8")), schema, schema) == []


def test_starter_satisfies_the_schema():
    schema = build_schema()
    assert _check(tomli.loads(starter("demo")), schema, schema) == []


@pytest.mark.parametrize("typo, expected", [
    ('[scenes.a]\ntxt = "x"', "unknown key txt"),
    ('[endings.e]\ntitle = "E"\ntone = "happy"\ntext = "x"', "not in enum"),
    ('[scenes.a]\ntext = "x"\n[[scenes.a.choices]]\ntext = "y"\ngoto = "e"\neffects = { trust = "up" }', "not integer"),
    ('[scenes.bad-id]\ntext = "x"', "unknown key bad-id"),
])
def test_schema_flags_what_the_loader_refuses(typo, expected):
    schema = build_schema()
    problems = _check(tomli.loads(typo), schema, schema)
    assert any(expected in p for p in problems), problems


@pytest.mark.parametrize("path", library.builtin_scenarios(), ids=lambda p: p.stem)
def test_schema_comment_in_builtin_scenarios_points_at_the_schema(path):
    """Built-in scenarios name the schema on their first line, relative to the source tree."""
    first = path.read_text(encoding="utf-8").splitlines()[0]
    if not first.startswith("#:schema "):
        pytest.skip("no #:schema line yet")
    if path.parent.name != "scenarios" or path.parent.parent.name == "game":
        pytest.skip("installed layout: the comment is for editing the source tree")
    assert (path.parent / first.split(" ", 1)[1].strip()).resolve() == SCHEMA_PATH
