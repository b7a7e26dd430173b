"""Find where each key and value of a TOML document sits in its source text.

tomllib reports a position only for syntax errors; once a document parses, the
values carry no lines. Authors still need `file:line:col` for "unknown scene" or
"wrong type", so this scanner walks the text of a document that already parsed
and records the position of every key path, array element and header.

It runs only when a diagnostic needs a place, so valid files never pay for it.
"""

from __future__ import annotations

import re

Path = tuple  # a key path: strings for keys, ints for array positions
Position = tuple[int, int]  # 1-based line and column

_BARE = re.compile(r"[A-Za-z0-9_-]+")


class _Scanner:
    def __init__(self, text: str):
        self.text = text
        self.pos = 0
        self.found: dict[Path, Position] = {}
        self.line_starts = [0]
        for i, ch in enumerate(text):
            if ch == "\n":
                self.line_starts.append(i + 1)
        self.aot_counts: dict[Path, int] = {}

    def where(self, offset: int) -> Position:
        lo, hi = 0, len(self.line_starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.line_starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo + 1, offset - self.line_starts[lo] + 1

    def record(self, path: Path, offset: int) -> None:
        self.found.setdefault(path, self.where(offset))

    # -- low-level reading -------------------------------------------------

    def skip_space(self, newlines: bool) -> None:
        text = self.text
        while self.pos < len(text):
            ch = text[self.pos]
            if ch in " \t\r" or (newlines and ch == "\n"):
                self.pos += 1
            elif ch == "#":
                end = text.find("\n", self.pos)
                self.pos = len(text) if end < 0 else end
            else:
                return

    def read_string(self) -> str:
        text = self.text
        quote = text[self.pos]
        if text.startswith(quote * 3, self.pos):
            end = self.pos + 3
            while True:
                end = text.find(quote * 3, end)
                if end < 0:
                    self.pos = len(text)
                    return ""
                backslashes = 0
                k = end - 1
                while quote == '"' and k >= 0 and text[k] == "\\":
                    backslashes += 1
                    k -= 1
                if backslashes % 2 == 0:
                    break
                end += 1
            while text.startswith(quote, end + 3):  # up to two quotes may close the string
                end += 1
            self.pos = end + 3
            return ""
        start = self.pos + 1
        i = start
        chars: list[str] = []
        while i < len(text) and text[i] != quote:
            if quote == '"' and text[i] == "\\":
                i += 1
                if i < len(text):
                    chars.append(_ESCAPES.get(text[i], text[i]))
                i += 1
                continue
            chars.append(text[i])
            i += 1
        self.pos = i + 1
        return "".join(chars)

    def read_key(self) -> tuple[list[str], int]:
        """A dotted key; returns its parts and the offset where it starts."""
        parts: list[str] = []
        start = self.pos
        while True:
            self.skip_space(False)
            if self.pos >= len(self.text):
                break
            ch = self.text[self.pos]
            if ch in "\"'":
                parts.append(self.read_string())
            else:
                match = _BARE.match(self.text, self.pos)
                if not match:
                    break
                parts.append(match.group())
                self.pos = match.end()
            self.skip_space(False)
            if self.pos < len(self.text) and self.text[self.pos] == ".":
                self.pos += 1
                continue
            break
        return parts, start

    # -- structure -----------------------------------------------------------

    def resolve(self, keys: list[str]) -> Path:
        """Insert the current index after every array-of-tables on the way."""
        out: list = []
        for key in keys:
            out.append(key)
            count = self.aot_counts.get(tuple(out))
            if count:
                out.append(count - 1)
        return tuple(out)

    def value(self, path: Path) -> None:
        self.skip_space(False)
        if self.pos >= len(self.text):
            return
        self.record(path, self.pos)
        ch = self.text[self.pos]
        if ch in "\"'":
            self.read_string()
        elif ch == "[":
            self.pos += 1
            index = 0
            while True:
                self.skip_space(True)
                if self.pos >= len(self.text):
                    return
                if self.text[self.pos] == "]":
                    self.pos += 1
                    return
                if self.text[self.pos] == ",":
                    self.pos += 1
                    continue
                self.value((*path, index))
                index += 1
        elif ch == "{":
            self.pos += 1
            while True:
                self.skip_space(True)
                if self.pos >= len(self.text):
                    return
                if self.text[self.pos] == "}":
                    self.pos += 1
                    return
                if self.text[self.pos] == ",":
                    self.pos += 1
                    continue
                keys, start = self.read_key()
                if not keys:
                    self.pos += 1
                    continue
                self.record((*path, *keys), start)
                self.skip_space(False)
                if self.pos < len(self.text) and self.text[self.pos] == "=":
                    self.pos += 1
                self.value((*path, *keys))
        else:
            while self.pos < len(self.text) and self.text[self.pos] not in ",]}\n#":
                self.pos += 1

    def scan(self) -> dict[Path, Position]:
        table: Path = ()
        text = self.text
        while True:
            self.skip_space(True)
            if self.pos >= len(text):
                break
            if text[self.pos] == "[":
                start = self.pos
                array = text.startswith("[[", self.pos)
                self.pos += 2 if array else 1
                keys, _ = self.read_key()
                self.pos = text.find("\n", self.pos)
                if self.pos < 0:
                    self.pos = len(text)
                if array:
                    parent = self.resolve(keys[:-1])
                    own = (*parent, keys[-1]) if keys else parent
                    self.aot_counts[own] = self.aot_counts.get(own, 0) + 1
                    self.record(own, start)
                    table = (*own, self.aot_counts[own] - 1)
                else:
                    table = self.resolve(keys)
                self.record(table, start)
                continue
            keys, start = self.read_key()
            if not keys:
                end = text.find("\n", self.pos)
                self.pos = len(text) if end < 0 else end
                continue
            path = (*table, *keys)
            self.record(path, start)
            self.skip_space(False)
            if self.pos < len(text) and text[self.pos] == "=":
                self.pos += 1
            self.value(path)
        return self.found


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "b": "\b", "f": "\f"}


def locate(text: str) -> dict[Path, Position]:
    """Map every key path in `text` to the line and column where it starts.

    The document must already have parsed; anything odd is skipped rather than
    raised, because a missing position must never hide the real diagnostic.
    """
    scanner = _Scanner(text)
    try:
        return scanner.scan()
    except (IndexError, ValueError, RecursionError):
        return scanner.found


class Locator:
    """Looks positions up lazily: the scan runs on the first question only."""

    def __init__(self, text: str):
        self.text = text
        self._map: dict[Path, Position] | None = None

    def __call__(self, path: Path) -> Position:
        """The position of `path`, or of its nearest ancestor that has one."""
        if self._map is None:
            self._map = locate(self.text)
        path = tuple(path)
        while path:
            if path in self._map:
                return self._map[path]
            path = path[:-1]
        return 1, 1

    def value_column(self, path: Path) -> Position:
        """Where the value of `path` starts (just after `=`), for column math in strings."""
        line, col = self(path)
        row = self.text.splitlines()[line - 1] if self.text else ""
        eq = row.find("=", col - 1)
        if eq < 0:
            return line, col
        k = eq + 1
        while k < len(row) and row[k] in " \t":
            k += 1
        return line, k + 1
