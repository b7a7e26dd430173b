"""The core never imports Textual or Rich, so the plain commands stay fast and headless."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import game

CORE = sorted(
    f"game.{m.name}" for m in pkgutil.iter_modules(game.__path__) if m.name not in ("tui", "__main__")
)


def test_core_modules_are_listed():
    assert {"game.engine", "game.loader", "game.expr", "game.cli", "game.plain"} <= set(CORE)


def test_core_imports_no_textual_or_rich():
    code = (
        "import sys\n"
        f"for name in {CORE!r}: __import__(name)\n"
        "from game.cli import main\n"
        "main(['validate', '--builtin'])\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print('LEAKED', bad) if bad else print('CLEAN')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.stdout.strip().splitlines()[-1] == "CLEAN", result.stdout + result.stderr
