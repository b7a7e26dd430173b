"""The draft written as a scenario file: plain TOML in the order and style of a hand-written one.

The standard library reads TOML but does not write it, and a scenario is
written for people: prose in multi-line strings, a comment above each scene
naming the passage it came from, a "TO DO" beside each value the author must
still choose. The output depends on nothing but the draft (no dates, no
paths), so importing the same story twice gives the same bytes.
"""

from __future__ import annotations

import re

from game.loader.twine.scenario import Draft, Path
from game.safetext import one_line

_BARE = re.compile(r"[A-Za-z0-9_-]+\Z")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r", "\b": "\\b", "\f": "\\f"}
_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f\x7f]')
_MULTILINE_ESCAPE = re.compile(r'\\|"(?="")|[\x00-\x08\x0b-\x1f\x7f]')


def key(name: str) -> str:
    return name if _BARE.match(name) else string(name)


def string(text: str) -> str:
    """A one-line basic string."""
    return '"' + _NEEDS_ESCAPE.sub(lambda m: _ESCAPES.get(m.group(), f"\\u{ord(m.group()):04x}"), text) + '"'


def _prose(text: str) -> str:
    """A multi-line basic string: backslashes and runs of three quotes escaped, line breaks as written."""
    body = _MULTILINE_ESCAPE.sub(lambda m: _ESCAPES.get(m.group(), f"\\u{ord(m.group()):04x}"), text)
    return f'"""\n{body}\n"""'


def value(item: object) -> str:
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, int):
        return str(item)
    if isinstance(item, str):
        return _prose(item) if "\n" in item else string(item)
    if isinstance(item, list):
        return "[" + ", ".join(value(v) for v in item) + "]"
    if isinstance(item, dict):
        return "{ " + ", ".join(f"{key(k)} = {value(v)}" for k, v in item.items()) + " }"
    raise TypeError(type(item))  # pragma: no cover - the draft holds only these


def comment(text: str) -> str:
    return f"# {one_line(text)}".rstrip()


class _Writer:
    def __init__(self, draft: Draft):
        self.draft = draft
        self.lines: list[str] = []

    def table(self, path: Path, body: dict, array: bool = False) -> None:
        self.lines += [comment(c) for c in self.draft.comments.get(path, [])]
        name = ".".join(key(str(p)) for p in path if not isinstance(p, int))
        self.lines.append(f"[[{name}]]" if array else f"[{name}]")
        self.keys(path, body)

    def keys(self, path: Path, body: dict) -> None:
        nested = []
        for name, item in body.items():
            if isinstance(item, list) and item and all(isinstance(v, dict) for v in item):
                nested.append((name, item))
                continue
            line = f"{key(name)} = {value(item)}"
            todo = self.draft.todo.get((*path, name))
            self.lines.append(f"{line}  {comment('TO DO: ' + todo)}" if todo else line)
        for name, items in nested:
            for k, item in enumerate(items):
                self.lines.append("")
                self.table((*path, name, k), item, array=True)


def write(draft: Draft, header: list[str]) -> str:
    """The scenario file's text."""
    out = _Writer(draft)
    out.lines += [comment(line) if line else "#" for line in header]
    data = draft.data
    out.lines.append("")
    out.table(("scenario",), data["scenario"])
    if data.get("meters"):
        out.lines += ["", comment("The story's number variables, as meters (hidden while playing, shown in the "
                                  "debrief).")]
        for meter_id, body in data["meters"].items():
            out.lines.append("")
            out.table(("meters", meter_id), body)
    if data.get("flags"):
        out.lines += ["", comment("The story's true/false variables, as flags: each sentence is shown in the "
                                  "history when the flag is set."), "[flags]"]
        out.keys(("flags",), data["flags"])
    for table, item_id in draft.places:
        out.lines.append("")
        out.table((table, item_id), data[table][item_id])
    return "\n".join(out.lines).rstrip() + "\n"
