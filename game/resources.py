"""Help resources shown with red-flag endings, read from a data file.

The list lives in `scenarios/resources.toml` (or the file named by
SECOND_CHANCE_RESOURCES), so a facilitator can put their own country's services
first without touching code. A missing or broken file falls back to one line
that is true everywhere, never to nothing.

Each entry may carry `checked = "YYYY-MM-DD"`, the day someone last confirmed its
number and address against the service itself; it is shown with the entry so a
reader can judge how fresh it is.

The file is input from whoever set the variable, so it is read like a
scenario: a regular file only (a pipe or /dev/zero in its place is refused at
once), under a size cap, and every string passes through `safetext.printable`
once, here, before any screen, page or handout shows it: an escape sequence is
shown as text, never obeyed. `second-chance validate FILE` says where.
"""

from __future__ import annotations

from pathlib import Path

import attrs
import tomli as tomllib

from game import paths
from game.diagnostics import Diagnostic
from game.safetext import needs_care, printable, quote, scan
from game.storage import read_text

FALLBACK = "If you are in danger now, call your local emergency number."
MAX_BYTES = 256 * 1024
"""A list of help lines is a few kilobytes; a larger file is refused before it is parsed."""
MAX_ITEMS = 100
"""More services than anyone could read in a crisis: the rest are left out (and said)."""
MAX_FIELD = 2000
"""Characters kept of one field."""
FIELDS = ("name", "region", "contact", "about", "checked")


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
    """The help resources, every string made safe to show; the fallback line (and why) when the file fails."""
    path = Path(path or paths.resources_path())
    try:
        data = tomllib.loads(read_text(path, MAX_BYTES))
        intro = data.get("intro", FALLBACK)
        entries = data.get("resources", [])
        if not isinstance(intro, str):
            raise TypeError("`intro` must be text")
        if not isinstance(entries, list):
            raise TypeError("`resources` must be a list of [[resources]] tables")
        if not all(_has(entry, "name") and _has(entry, "contact") for entry in entries):
            raise TypeError("each [[resources]] table needs a `name` and a `contact`")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError, TypeError, ValueError) as problem:
        return Resources(FALLBACK, (), f"help resources could not be read from {quote(path, 200)}: "
                                       f"{quote(problem, 200)}")
    kept = entries[:MAX_ITEMS]
    items = tuple(Resource(*(_field(entry.get(key, "")) for key in FIELDS)) for entry in kept)
    notes = []
    if len(kept) < len(entries):
        notes.append(f"only the first {MAX_ITEMS} of its {len(entries)} entries are shown")
    if any(needs_care(text) for text in (intro, *(str(entry.get(key, "")) for entry in kept for key in FIELDS))):
        notes.append("some of its text has control characters, shown as escapes "
                     f"(`second-chance validate {quote(path, 200)}` says where)")
    problem = f"help resources from {quote(path, 200)}: " + "; ".join(notes) if notes else ""
    return Resources(_field(intro), items, problem)


def _has(entry: object, key: str) -> bool:
    return isinstance(entry, dict) and isinstance(entry.get(key), str) and bool(entry[key].strip())


def _field(value: object) -> str:
    """One field as it may be shown anywhere: text, printable, of a readable length."""
    text = printable(value if isinstance(value, str) else str(value))
    return text if len(text) <= MAX_FIELD else text[:MAX_FIELD] + "…"


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
