"""Turn a scenario file into a checked Scenario, or into located diagnostics.

The loader is the one place that reads scenario TOML. It collects every problem
in a file before giving up (an author fixes ten typos in one pass, not ten), and
every problem names the line of the key it is about. No input, however broken,
raises anything but ScenarioError.

It is three parts along its seams: `source` reads the bytes (the size cap, the
encoding, TOML syntax), `keys` holds the tables of what the format allows, and
`build` turns a plain dict into the model, so an importer of another format can
hand it a dict and get the same checks.
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Mapping
from pathlib import Path

from game.loader.build import build
from game.loader.catalog import load_catalog
from game.loader.keys import ADVICE_ID, ID, SCENARIO_ID
from game.loader.reporter import LoadResult, Reporter
from game.loader.source import MAX_BYTES, parse_toml, read_bytes
from game.locate import Locator
from game.model import STANDARD_METERS, Advice, Scenario

__all__ = [
    "ADVICE_ID", "ID", "MAX_BYTES", "SCENARIO_ID", "STANDARD_METERS", "LoadResult", "load_catalog",
    "load_scenario", "load_text", "read_scenario", "read_text",
]


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
    reader = Reporter(file, Locator(text))
    if catalog is None:
        catalog, catalog_problems = load_catalog()
        reader.diagnostics.extend(catalog_problems)
    data, problems = parse_toml(text, file)
    if data is None:
        return LoadResult(None, (*reader.diagnostics, *problems))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    try:
        scenario = build(reader, data, catalog, path, digest)
    except RecursionError:  # pragma: no cover - the TOML parser refuses such nesting first
        reader.report("SC010", "the file is nested too deeply")
        scenario = None
    return LoadResult(scenario, reader.ordered())


def read_scenario(path: str | Path, catalog: Mapping[str, Advice] | None = None) -> LoadResult:
    """Check and build the scenario in a file; never raises for a bad file."""
    path = Path(path)
    file = str(path)
    text, problems = read_bytes(path, file)
    if text is None:
        return LoadResult(None, tuple(problems))
    return read_text(text, file, path, catalog)


def load_scenario(path: str | Path, catalog: Mapping[str, Advice] | None = None) -> Scenario:
    """The scenario in a file, or ScenarioError listing every problem."""
    return read_scenario(path, catalog).unwrap()


def load_text(text: str, file: str = "<scenario>", catalog: Mapping[str, Advice] | None = None) -> Scenario:
    """Like load_scenario, for text in memory (tests, the editor's live reload)."""
    return read_text(text, file, None, catalog).unwrap()
