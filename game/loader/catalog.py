"""The shared advice catalog: read once per change of the file, checked like a scenario's own advice."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from game import paths
from game.diagnostics import Diagnostic
from game.loader.build import Reporter, advice_table
from game.loader.source import parse_toml, read_bytes
from game.locate import Locator
from game.model import Advice


@lru_cache(maxsize=8)
def _catalog_cached(path: Path, mtime: float) -> tuple[dict[str, Advice], tuple[Diagnostic, ...]]:
    text, problems = read_bytes(path, str(path))
    if text is None:
        return {}, tuple(problems)
    data, problems = parse_toml(text, str(path))
    if data is None:
        return {}, tuple(problems)
    reader = Reporter(str(path), Locator(text))
    for key in data:
        if key != "advice":
            reader.report("SC020", f"unknown key `{key}` in the advice catalog", (key,),
                          "the catalog holds only [advice.ID] tables")
    advice = advice_table(reader, data.get("advice", {}), ("advice",))
    return advice, reader.ordered()


def load_catalog(path: Path | None = None) -> tuple[dict[str, Advice], tuple[Diagnostic, ...]]:
    """The shared advice catalog (the built-in one by default), with its own diagnostics."""
    path = Path(path or paths.catalog_path())
    try:
        mtime = path.stat().st_mtime
    except OSError:
        mtime = 0.0
    advice, problems = _catalog_cached(path.resolve(), mtime)
    return dict(advice), problems
