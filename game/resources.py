"""Help resources shown with red-flag endings, read from a data file.

The list lives in `scenarios/resources.toml` (or the file named by
SECOND_CHANCE_RESOURCES), so a facilitator can put their own country's services
first without touching code. A missing or broken file falls back to one line
that is true everywhere, never to nothing.

Each entry may carry `checked = "YYYY-MM-DD"`, the day someone last confirmed its
number and address against the service itself; it is shown with the entry so a
reader can judge how fresh it is.
"""

from __future__ import annotations

from pathlib import Path

import attrs
import tomli as tomllib

from game import paths
from game.diagnostics import Diagnostic
from game.safetext import quote, scan

FALLBACK = "If you are in danger now, call your local emergency number."


@attrs.frozen
class Resource:
    name: str
    region: str
    contact: str
    about: str = ""
    checked: str = ""
    """When the entry was last confirmed against the service (YYYY-MM-DD), or "" if never."""


@attrs.frozen
class Resources:
    intro: str
    items: tuple[Resource, ...]
    problem: str = ""


def load(path: Path | None = None) -> Resources:
    path = Path(path or paths.resources_path())
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        intro = data.get("intro", FALLBACK)
        items = tuple(
            Resource(str(r["name"]), str(r.get("region", "")), str(r["contact"]), str(r.get("about", "")),
                     str(r.get("checked", "")))
            for r in data.get("resources", [])
        )
        if not isinstance(intro, str):
            raise TypeError("`intro` must be text")
        return Resources(intro, items)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError, TypeError, AttributeError) as problem:
        return Resources(FALLBACK, (), f"help resources could not be read from {path}: {problem}")


def render_plain(data: Resources | None = None) -> str:
    data = data or load()
    lines = ["Help and support", data.intro]
    for item in data.items:
        region = f" ({item.region})" if item.region else ""
        lines.append(f"  * {item.name}{region}: {item.contact}")
        if item.about:
            lines.append(f"    {item.about}")
        if item.checked:
            lines.append(f"    checked {item.checked}")
    if data.problem:
        lines.append(f"  ({data.problem})")
    return "\n".join(lines)


RESOURCE_KEYS = {"name", "region", "contact", "about", "checked"}
TOP_KEYS = {"intro", "resources"}


def check(path: Path) -> list[Diagnostic]:
    """The help-resources file checked as what it is, with located diagnostics like a scenario's."""
    from game.loader.source import parse_toml, read_bytes
    from game.locate import Locator

    file = str(path)
    text, problems = read_bytes(Path(path), file)
    if text is None:
        return problems
    data, problems = parse_toml(text, file)
    if data is None:
        return problems
    locate = Locator(text)
    found: list[Diagnostic] = []

    def report(code: str, message: str, where: tuple, hint: str | None = None) -> None:
        line, column = locate(where)
        found.append(Diagnostic(code, message, file, line, column, hint=hint))

    def text_ok(value: object, where: tuple, what: str) -> None:
        if not isinstance(value, str):
            report("SC022", f"{what} must be text", where)
        elif scan(value):
            report("SC025", f"{what} contains a control character or bidi override", where,
                   "only printable text and line breaks are allowed")

    for key in data:
        if key not in TOP_KEYS:
            report("SC020", f"unknown key `{quote(key)}` in the help resources", (key,),
                   "the file holds `intro` and [[resources]] tables")
    if "intro" in data:
        text_ok(data["intro"], ("intro",), "`intro`")
    items = data.get("resources", [])
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        report("SC022", "`resources` must be a list of [[resources]] tables", ("resources",))
        return found
    if not items:
        report("SC021", "the file lists no help resources", ("resources",), "add a [[resources]] table")
    for i, item in enumerate(items):
        where = ("resources", i)
        for key in item:
            if key not in RESOURCE_KEYS:
                report("SC020", f"unknown key `{quote(key)}` in a help resource", (*where, key),
                       f"allowed keys: {', '.join(sorted(RESOURCE_KEYS))}")
            else:
                text_ok(item[key], (*where, key), f"`{key}`")
        for key in ("name", "contact"):
            if key not in item:
                report("SC021", f"help resource {i + 1} is missing required key `{key}`", where, f"add `{key} = ...`")
    return found
