"""Generated stories for the benchmarks: one long story, or a facilitator's folder of many.

The stories use what real ones use (variants, conditions, effects, flags,
endings picked by the meters), so loading and checking them costs what a
real story of that size costs.
"""

from __future__ import annotations

from pathlib import Path


def generate(scenes: int, story_id: str | None = None, title: str = "Benchmark") -> str:
    """A chain of scenes with two choices each, conditions, effects, flags and meter-driven endings."""
    out = [
        "[scenario]",
        f'id = "{story_id or f"bench-{scenes}"}"',
        f'title = "{title}"',
        'summary = "Generated."',
        'start = "s0"',
        'content_notes = ["generated text"]',
        "[flags]",
        'f = "A flag."',
    ]
    for i in range(scenes):
        nxt = f"s{i + 1}" if i + 1 < scenes else "@ending"
        skip = f"s{i + 2}" if i + 2 < scenes else "@ending"
        out += [
            f"[scenes.s{i}]",
            f'text = "Scene {i}."',
            f'variants = [{{ if = "trust >= {i % 10}", text = "Warmer {i}." }}]',
            f"[[scenes.s{i}.choices]]",
            'text = "On."',
            f'goto = "{nxt}"',
            "effects = { trust = 1 }",
            f"[[scenes.s{i}.choices]]",
            'text = "Skip."',
            f'goto = "{skip}"',
            'if = "self_esteem > 2 or f"',
            "effects = { self_esteem = -1 }",
            'set = ["f"]',
        ]
    out += [
        "[endings.good]", 'title = "Good"', 'tone = "hopeful"', 'when = "trust >= 5"', 'text = "Good."',
        "[endings.other]", 'title = "Other"', 'tone = "hard"', 'text = "Other."',
    ]
    return "\n".join(out) + "\n"


def library(folder: Path, count: int, scenes: int = 30) -> Path:
    """A folder of `count` story files, as a facilitator's `--scenarios` folder might hold."""
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        story_id = f"story-{n:03d}"
        (folder / f"{story_id}.toml").write_text(
            generate(scenes + n % 7, story_id, f"Generated story {n:03d}"), encoding="utf-8")
    return folder
