"""How soon the language server answers an editor (printed, never asserted: machines are noisy).

    python benchmarks/bench_lsp.py [--runs N]

Runs from compiled bytecode, as an installed game does (see benchmarks/compiled.py).
Each round starts fresh processes, in turn, and times from the start of the
process:

1. `python -c pass`, to its exit: the cost of starting Python at all;
2. a bare pygls server (no features), to its answer to `initialize`;
3. `second-chance lsp`, to its answer to `initialize` (the editor waits for
   it before sending anything else; aim: under 300 ms);
4. `second-chance lsp`, to the diagnostics of a built-in story opened right
   after (what an author waits for when the editor starts).

It prints the median of each and, round by round, the ratio of 3 to 1 and
of 3 to 2, so the figures survive a noisy machine.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import compiled

if __name__ == "__main__" and (code := compiled.relaunch(__file__)) is not None:
    sys.exit(code)

ROOT = compiled.ROOT
BARE = ("import sys\nfrom pygls.lsp.server import LanguageServer\n"
        "LanguageServer('bare', '1').start_io()\n")


def frame(message: dict) -> bytes:
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def read_frame(stream) -> dict:
    length = 0
    while True:
        line = stream.readline()
        if not line:
            raise EOFError("the server closed its output")
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
        if line in (b"\r\n", b"\n") and length:
            return json.loads(stream.read(length))


INITIALIZE = frame({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                    "params": {"processId": None, "rootUri": None, "capabilities": {}}})


def python_pass() -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    return time.perf_counter() - started


def first_answer(command: list[str], story: Path | None = None) -> tuple[float, float | None]:
    """Seconds to the answer to `initialize`, and (with `story`) to the story's first diagnostics."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=ROOT)
    try:
        process.stdin.write(INITIALIZE)
        process.stdin.flush()
        while "id" not in read_frame(process.stdout):
            pass
        answered = time.perf_counter() - started
        if story is None:
            return answered, None
        process.stdin.write(frame({"jsonrpc": "2.0", "method": "initialized", "params": {}}))
        process.stdin.write(frame({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": story.as_uri(), "languageId": "toml", "version": 1, "text": story.read_text(encoding="utf-8")}}}))
        process.stdin.flush()
        while read_frame(process.stdout).get("method") != "textDocument/publishDiagnostics":
            pass
        return answered, time.perf_counter() - started
    finally:
        process.kill()
        process.wait()


def main() -> None:
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 9
    print(compiled.header())
    story = ROOT / "scenarios" / "last-call.toml"
    game = [sys.executable, "-m", "game", "lsp"]
    rows = []
    for _ in range(runs):
        base = python_pass()
        bare, _ = first_answer([sys.executable, "-c", BARE])
        answer, diagnosed = first_answer(game, story)
        rows.append((base, bare, answer, diagnosed))
    for name, column in (("python -c pass (to exit)", 0), ("bare pygls server (to initialize)", 1),
                         ("second-chance lsp (to initialize)", 2),
                         (f"second-chance lsp (to the diagnostics of {story.name})", 3)):
        values = [row[column] for row in rows]
        print(f"{name:<58} median {statistics.median(values) * 1000:6.0f} ms "
              f"(runs {min(values) * 1000:.0f} to {max(values) * 1000:.0f})")
    print("initialize, second-chance lsp / python -c pass, run by run: "
          + ", ".join(f"{row[2] / row[0]:.1f}x" for row in rows))
    print("initialize, second-chance lsp / bare pygls server, run by run: "
          + ", ".join(f"{row[2] / row[1]:.2f}x" for row in rows))


if __name__ == "__main__":
    main()
