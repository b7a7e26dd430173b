"""Run a benchmark from compiled bytecode, as an installed game runs.

This environment sets PYTHONDONTWRITEBYTECODE, so a plain run would compile
every module from source each time and time the compiler along with the game.
`relaunch` compiles the game (and its libraries, as they are imported) into a
temporary bytecode folder, then runs the benchmark again in a child process
that reads from it. The child says so in its first line of output.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHILD = "SECOND_CHANCE_BENCH_BYTECODE"


def compiled_env(prefix: str) -> dict[str, str]:
    """The environment of a process that writes and reads bytecode under `prefix`."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = prefix
    env[CHILD] = prefix
    return env


def relaunch(script: str) -> int | None:
    """In the parent: compile, run `script` again from bytecode and return its exit code. In the child: None."""
    if os.environ.get(CHILD):
        return None
    prefix = tempfile.mkdtemp(prefix="second-chance-bytecode-")
    env = compiled_env(prefix)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "game")], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    # one warm-up import so the libraries the game uses are compiled too
    subprocess.run([sys.executable, "-c", "import game.cli, game.analysis, game.graph, game.analysis.simulate"],
                   env=env, check=True, cwd=ROOT)
    return subprocess.run([sys.executable, script, *sys.argv[1:]], env=env, cwd=ROOT).returncode


def header() -> str:
    """The line each child prints first, saying where its bytecode comes from."""
    prefix = os.environ.get(CHILD, "")
    import game.engine

    cached = Path(game.engine.__cached__ or "")
    state = "compiled" if cached.exists() and not sys.flags.dont_write_bytecode else "NOT compiled"
    return (f"(running from {state} bytecode in {prefix}; python {sys.version.split()[0]}, "
            f"{os.cpu_count()} CPUs, load average {', '.join(f'{x:.2f}' for x in os.getloadavg())})")
