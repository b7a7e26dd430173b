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
