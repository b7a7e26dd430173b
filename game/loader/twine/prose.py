"""A passage's prose as a scene's text and text variants, with the links taken out of it.

A link on a line of its own (the usual list of choices under the prose) is a
choice, and its line leaves the text; a link inside a sentence ("you could
[[call her]] or wait") leaves its words in the sentence. Prose under an
(if:) or <<if>> makes variants: the scene's `text` is what shows when no
condition holds, and each other combination of the passage's conditions is a
variant with the condition that shows it. A passage with more conditional
prose than MAX_WORLDS combinations keeps the first ones and says so.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence

from game.loader.twine.expressions import Expr, Problem
from game.loader.twine.passages import ChainInfo, Guard, PassagePlan
from game.safetext import BIDI, CONTROL, blank

MAX_WORLDS = 8
"""At most this many combinations of a passage's conditions become variants (three if/else pairs)."""
MAX_CHECKED = 32
"""Conditions beyond this many in one passage are not tried one by one to see whether they change the text."""
PLACEHOLDER = "…"
"""The text of a passage that has none besides its links, until the author writes some."""

_BULLET = re.compile(r"[\s*•>+-]*(?:\d+[.)])?[\s*•>+-]*")
_SPACES = re.compile(r"[ \t\u00a0]{2,}")

Render = Callable[[Expr], "str | Problem"]


def tidy(text: str) -> str:
    """Prose as a scenario holds it: no control characters or overrides, single blank lines, no ragged ends;
    "" for text that draws nothing (spaces, Hangul fillers), which the importer then treats as missing."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    text = BIDI.sub("", CONTROL.sub("", text))
    lines: list[str] = []
    for line in text.split("\n"):
        line = _SPACES.sub(" ", line.strip())
        if line or (lines and lines[-1]):
            lines.append(line)
    text = "\n".join(lines).strip()
    return "" if blank(text) else text


def branch_condition(chain: ChainInfo, branch: int) -> Expr | None:
    """The condition under which a chain's branch shows (branch == len: no branch shows); None: always."""
    parts: list[Expr] = [("not", c) for c in chain.conditions[:branch] if c is not None]
    if branch < len(chain.conditions) and chain.conditions[branch] is not None:
        parts.append(chain.conditions[branch])  # type: ignore[arg-type]
    if not parts:
        return None
    tree = parts[0]
    for part in parts[1:]:
        tree = ("and", tree, part)
    return tree


def guard_condition(chains: Sequence[ChainInfo], guards: Sequence[Guard]) -> Expr | None:
    """The condition under which something inside these branches shows."""
    tree: Expr | None = None
    for chain, branch in guards:
        part = branch_condition(chains[chain], branch)
        if part is not None:
            tree = part if tree is None else ("and", tree, part)
    return tree


def _options(chain: ChainInfo) -> int:
    """A chain's branches, and one more (none shows) when it has no `else`."""
    has_else = bool(chain.conditions) and chain.conditions[-1] is None
    return len(chain.conditions) + (0 if has_else else 1)


def _assemble(plan: PassagePlan, world: dict[int, int]) -> str:
    """The prose shown when each chain in `world` takes the branch given (other chains: their last option).

    A line that holds nothing but links (the choices under the prose) leaves the text, and so does a line
    left empty because what it held is hidden in this world: so a hook that holds only a link, shown or
    not, never changes the text, and never makes a variant of its own."""
    lines: list[list[tuple[str, str]]] = [[]]
    for kind, text, guards in plan.fragments:
        if any(world.get(chain, _options(plan.chains[chain]) - 1) != branch for chain, branch in guards):
            lines[-1].append(("hidden", ""))
            continue
        if kind == "link":
            lines[-1].append((kind, text))
            continue
        first, *rest = text.split("\n")
        lines[-1].append((kind, first))
        for line in rest:
            lines.append([(kind, line)])
    kept = []
    for line in lines:
        marks = any(kind in ("link", "hidden") for kind, _ in line)
        words = "".join(text for kind, text in line if kind == "text")
        if marks and _BULLET.fullmatch(words):
            continue  # links on a line of their own are choices, not prose; a line whose words are hidden goes
        kept.append("".join(text for _, text in line))
    return tidy("\n".join(kept))


def prose(plan: PassagePlan, render: Render,
          note: Callable[[str, str, int], None]) -> tuple[str, list[tuple[str, str, int]]]:
    """The scene's text and its variants (condition, text, offset of the first condition that makes it: the
    `<<if>>`, `(else:)` or the like, so a check on the variant points there); `note(code, message, offset)`
    reports."""
    base = _assemble(plan, {})
    candidates = sorted({chain for kind, text, guards in plan.fragments if text.strip() for chain, _ in guards})
    shaping = [chain for n, chain in enumerate(candidates)
               if n >= MAX_CHECKED or any(_assemble(plan, {chain: k}) != base
                                          for k in range(_options(plan.chains[chain]) - 1))]
    chosen: list[int] = []
    left_out: list[int] = []
    worlds = 1
    for chain in shaping:
        if worlds * _options(plan.chains[chain]) > MAX_WORLDS:
            left_out.append(chain)
            continue
        worlds *= _options(plan.chains[chain])
        chosen.append(chain)
    if left_out:
        more = f" (and {len(left_out) - 1} more after it)" if len(left_out) > 1 else ""
        note("SC224", f"this passage has more text under conditions than {MAX_WORLDS} variants can hold: the text "
             f"under this condition{more} shows only as if none of its branches held", plan.chains[left_out[0]].at[0])
    variants: dict[str, list[str]] = {}
    made_at: dict[str, int] = {}
    for picks in itertools.product(*(range(_options(plan.chains[c])) for c in chosen)):
        world = dict(zip(chosen, picks, strict=True))
        text = _assemble(plan, world)
        if text == base:
            continue
        chain, branch = next(((c, k) for c, k in world.items() if k != _options(plan.chains[c]) - 1),
                             (chosen[0], 0))  # the base takes every chain's last option: a variant differs
        made_at.setdefault(text or PLACEHOLDER, plan.chains[chain].at[branch])
        condition = guard_condition(plan.chains, list(world.items()))
        rendered = render(condition) if condition is not None else "true"
        if isinstance(rendered, Problem):
            note("SC224", f"a text variant's condition cannot carry over ({rendered.message}): that variant was "
                 "left out", plan.chains[chosen[0]].at[0])
            continue
        variants.setdefault(text or PLACEHOLDER, []).append(rendered)
    out = []
    for text, conditions in variants.items():
        unique = list(dict.fromkeys(conditions))
        joined = unique[0] if len(unique) == 1 else " or ".join(f"({c})" for c in unique)
        out.append((joined, text, made_at[text]))
    return base, out
