"""The layers of the game: every import in game/ points down, and the core never loads Textual or Rich.

Each module belongs to one layer. A module may import from its own layer or
from any layer below it, never from above: the rules never depend on a screen,
and any front end (the full-screen game, the plain player, a workshop, a
browser) can be written against the layers below it. A new module must be
given a layer here, which is the moment to decide where it belongs.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

import game

LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("the bottom: text, model, conditions, places on disk", (
        "game", "game.safetext", "game.diagnostics", "game.expr", "game.model", "game.locate", "game.toml",
        "game.paths", "game.storage", "game.observers", "game.sources", "game.wording", "game.net", "game.crash",
        "game.plaindata")),
    ("reading files and the rules", (
        "game.loader", "game.engine", "game.cast", "game.resources", "game.settings", "game.schema",
        "game.starter")),
    ("one play, its files, its meaning and the checks", (
        "game.saves", "game.progress", "game.home", "game.library", "game.checked", "game.story_cache",
        "game.story_index", "game.session",
        "game.debrief",
        "game.analysis", "game.graph")),
    ("group play: a workshop over sessions, its log and handouts", ("game.workshop",)),
    ("front ends without a full screen", ("game.plain", "game.cli", "game.lsp", "game.web")),
    ("the full-screen game", ("game.tui",)),
    ("the entry point, which plugs the full screen into the command line", ("game.__main__",)),
]

ROOT = Path(game.__file__).resolve().parent


def module_name(path: Path) -> str:
    parts = ["game", *path.relative_to(ROOT).with_suffix("").parts]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(ROOT.rglob("*.py"))}


def layer(name: str) -> int:
    """The layer of a module: the one listing the longest prefix of its name.

    `game` stands for the package's own `__init__` only: it is no prefix, or
    every new module would be placed at the bottom without anyone deciding.
    """
    best, rank = -1, -1
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (name == prefix or (prefix != "game" and name.startswith(prefix + "."))) and len(prefix) > best:
                best, rank = len(prefix), index
    return rank


def imports(name: str, path: Path) -> set[str]:
    """Every game module `path` imports, lazily or not (function bodies included)."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return {f for f in found if f in MODULES and f != name}


def test_every_module_has_a_layer() -> None:
    unplaced = sorted(name for name in MODULES if layer(name) < 0)
    assert not unplaced, f"give these modules a layer in LAYERS: {unplaced}"


def test_the_architecture_picture_places_every_module_where_the_layers_do() -> None:
    """docs/architecture.md draws the layers top down; each band names the modules and packages of one layer."""
    doc = (ROOT.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    picture = doc.split("## The layers", 1)[1].split("```", 2)[1]
    bands = [re.findall(r"game/[\w/.]+", band) for band in re.split(r"\n\s*│\s*\n", picture)]
    assert len(bands) == len(LAYERS), bands
    for index, (title, prefixes) in enumerate(LAYERS):
        drawn = {path.removesuffix(".py").rstrip("/").replace("/", ".") for path in bands[len(LAYERS) - 1 - index]}
        assert drawn == set(prefixes) - {"game"}, title


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_point_down(name: str) -> None:
    mine = layer(name)
    upward = sorted(f"{target} ({LAYERS[layer(target)][0]})" for target in imports(name, MODULES[name])
                    if layer(target) > mine)
    assert not upward, f"{name} ({LAYERS[mine][0]}) imports from a layer above it: {upward}"


def test_only_the_full_screen_game_imports_textual_or_rich() -> None:
    for name, path in MODULES.items():
        if layer(name) >= layer("game.tui"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            roots = []
            if isinstance(node, ast.Import):
                roots = [alias.name.split(".")[0] for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                roots = [(node.module or "").split(".")[0]]
            assert not {"textual", "rich"} & set(roots), f"{name} imports {roots}"


def test_validate_runs_without_loading_textual_or_rich() -> None:
    """What the import walk cannot see (a library that pulls Textual in) shows up when the core runs."""
    core = sorted(n for n in MODULES if layer(n) < layer("game.tui") and n != "game.__main__")
    code = (
        "import sys\n"
        f"for name in {core!r}: __import__(name)\n"
        "from game.cli import main\n"
        "main(['validate', '--builtin', '--no-deep'])\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print('LEAKED', bad) if bad else print('CLEAN')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.stdout.strip().splitlines()[-1] == "CLEAN", result.stdout + result.stderr


LONGEST = 450
"""Lines a reader holds at once; a longer file is named, with its reason, under "Files longer than one reading"."""


def test_no_file_passes_the_length_a_reader_holds_unless_the_architecture_says_why() -> None:
    root = Path(game.__file__).resolve().parent
    docs = (root.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    reasons = docs.split("## Files longer than one reading", 1)[1].split("\n## ", 1)[0]
    long = {str(path.relative_to(root.parent)): lines for path in sorted(root.rglob("*.py"))
            if (lines := len(path.read_text(encoding="utf-8").splitlines())) > LONGEST}
    assert {name: lines for name, lines in long.items() if f"`{name}`" not in reasons} == {}


def test_every_json_the_game_reads_goes_through_the_one_reader_that_words_its_problems() -> None:
    """Saves, logs, Twine data and every message from a phone or an editor may be a stranger's: JSON that nests
    past the parser's stack, or holds a number too long to read, must become a sentence, never a traceback or
    Python's own words. So `json.loads` and `json.load` are called in one place, `storage.parse_json`."""
    root = Path(game.__file__).resolve().parent
    calls = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            named = isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "json"
            if named and node.attr in ("loads", "load", "JSONDecoder") or (
                    isinstance(node, ast.ImportFrom) and node.module == "json"):
                calls.append(f"{path.relative_to(root.parent)}:{node.lineno}")
    assert [call for call in calls if not call.startswith("game/storage.py:")] == []
    assert len(calls) == 1
