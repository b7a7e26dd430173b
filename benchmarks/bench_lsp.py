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

With `--typing`, it instead types into a long generated story (5,000 scenes,
as `--scenes N` says) the way the author does: a keystroke every 150 ms, and
a hover far from the edit after each, then the same hovers with the author
idle. It prints how long each hover waited, the ratio of a hover while typing
to one while idle (run by run), and how far apart the quick checks' published
diagnostics came while typing.
"""

from __future__ import annotations

import json
import queue
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import compiled
import stories

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


class Session:
    """A running `second-chance lsp`, its messages read by a thread into a queue as they come."""

    def __init__(self) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "game", "lsp"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=ROOT)
        self.messages: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.next_id = 1

    def _read(self) -> None:
        try:
            while True:
                self.messages.put((time.perf_counter(), read_frame(self.process.stdout)))
        except (EOFError, ValueError):
            return

    def send(self, message: dict) -> None:
        self.process.stdin.write(frame(message))
        self.process.stdin.flush()

    def request(self, method: str, params: dict, published: list) -> dict:
        """Ask and wait for the answer, noting the diagnostics published meanwhile (time, version)."""
        self.next_id += 1
        ident = self.next_id
        self.send({"jsonrpc": "2.0", "id": ident, "method": method, "params": params})
        while True:
            at, message = self.messages.get(timeout=120)
            if message.get("id") == ident:
                return message
            if message.get("method") == "textDocument/publishDiagnostics":
                published.append((at, message["params"].get("version")))

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()


def typing(scenes: int, keystrokes: int = 20, every: float = 0.15) -> tuple[list[float], list[float], list[float]]:
    """Hover waits while typing and while idle (seconds), and the gaps between published quick checks."""
    text = stories.generate(scenes)
    uri = (ROOT / "benchmark-typing.toml").as_uri()
    session = Session()
    published: list = []
    try:
        session.request("initialize", {"processId": None, "rootUri": None, "capabilities": {}}, published)
        session.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
        session.send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": uri, "languageId": "toml", "version": 1, "text": text}}})
        marker = 'goto = "s11"'
        line = text[:text.index(marker)].count("\n")
        hover = {"textDocument": {"uri": uri}, "position": {"line": line, "character": len("goto = \"s1")}}
        session.request("textDocument/hover", hover, published)  # the first index, built once
        typed, where = [], text.index(f'text = "Scene {scenes // 2}.') + len('text = "Scene')
        row = text[:where].count("\n")
        column = where - (text.rfind("\n", 0, where) + 1)
        for version in range(2, keystrokes + 2):
            started = time.perf_counter()
            at = {"line": row, "character": column}
            column += 1
            session.send({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {  # as editors send it
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": {"start": at, "end": at}, "text": "x"}]}})
            session.request("textDocument/hover", hover, published)
            typed.append(time.perf_counter() - started)
            time.sleep(max(0.0, every - (time.perf_counter() - started)))
        while_typing = [at for at, _ in published]
        time.sleep(3 * every + 2.0)  # the author pauses: the checks and a new index catch up
        idle = []
        for _ in range(keystrokes):
            started = time.perf_counter()
            session.request("textDocument/hover", hover, published)
            idle.append(time.perf_counter() - started)
        gaps = [b - a for a, b in zip(while_typing, while_typing[1:], strict=False)]
        return typed, idle, gaps
    finally:
        session.stop()


def main_typing() -> None:
    scenes = int(sys.argv[sys.argv.index("--scenes") + 1]) if "--scenes" in sys.argv else 5000
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 3
    print(compiled.header())
    print(f"typing into a story of {scenes:,} scenes: a keystroke every 150 ms, a hover far from the edit after each")
    for run in range(runs):
        typed, idle, gaps = typing(scenes)
        print(f"run {run + 1}: hover while typing median {statistics.median(typed) * 1000:.0f} ms "
              f"(max {max(typed) * 1000:.0f}); idle median {statistics.median(idle) * 1000:.0f} ms; "
              f"typing / idle {statistics.median(typed) / statistics.median(idle):.1f}x; quick checks published "
              + (f"{statistics.median(gaps) * 1000:.0f} ms apart (median)" if gaps else "once"))


def main() -> None:
    if "--typing" in sys.argv:
        main_typing()
        return
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
