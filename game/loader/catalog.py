"""Advice, read one way: a scenario's own `[advice.ID]` tables and the shared catalog (read once per change)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from game import paths
from game.diagnostics import Diagnostic
from game.expr import suggest
from game.loader.keys import ADVICE_ID, ADVICE_ID_RULE, ADVICE_KEYS, SOURCE
from game.loader.reporter import Reporter
from game.loader.source import parse_toml, read_bytes
from game.locate import Locator
from game.model import ADVICE_CATEGORIES, Advice
from game.safetext import quote
from game.sources import citation_problem


def advice_table(reader: Reporter, raw: Any, path: tuple) -> dict[str, Advice]:
    """The `[advice.ID]` tables of a scenario or of the shared catalog, each checked the same way."""
    found: dict[str, Advice] = {}
    if not isinstance(raw, dict):
        reader.report("SC022", "[advice] must be a table of advice", path)
        return found
    for advice_id, body in raw.items():
        where = (*path, advice_id)
        if not ADVICE_ID.match(advice_id):
            reader.report("SC023", f"advice id `{quote(advice_id)}` must {ADVICE_ID_RULE}",
                          where, "e.g. `no-drunk-texting`")
        fields = reader.table(body, where, ADVICE_KEYS, f"advice `{quote(advice_id)}`")
        for i, source in enumerate(fields.get("sources", [])):
            if not SOURCE.match(source):
                reader.report("SC050", f"source `{quote(source)}` is not an article citation", (*where, "sources", i),
                              "write the article key and step, e.g. `A1 #4`")
            elif (problem := citation_problem(source)) is not None:
                step = re.fullmatch(r"(A[0-4]) (\d{1,2})", source.strip())  # `A1 4`: the `#` left out
                reader.report("SC050", f"source `{quote(source)}` {problem}", (*where, "sources", i),
                              f"did you mean `{step[1]} #{step[2]}`?" if step and citation_problem(
                                  f"{step[1]} #{step[2]}") is None else
                              "the steps and parts of each article are listed in docs/playing.md")
        category = fields.get("category")
        if category is not None and category not in ADVICE_CATEGORIES:
            reader.report("SC023", f"category \"{quote(category)}\" is not one of {', '.join(ADVICE_CATEGORIES)}",
                          (*where, "category"), suggest(category, ADVICE_CATEGORIES))
        if "sources" in fields and not fields["sources"]:
            reader.report("SC050", f"advice `{quote(advice_id)}` cites no source", (*where, "sources"),
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
