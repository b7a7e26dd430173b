"""Find where each key and value of a TOML document sits in its source text.

tomllib reports a position only for syntax errors; once a document parses, the
values carry no lines. Authors still need `file:line:col` for "unknown scene" or
"wrong type", so this scanner walks the text of a document that already parsed
and records the position of every key path, array element and header.

Every table a document makes is recorded where it first appears, including the
ones it makes only implicitly: `[[scenes.bar.choices]]` makes `scenes` and
`scenes.bar` even when `[scenes.bar]` is never written (after a typo in that
header, say), and "scene `bar` is missing `text`" must still point somewhere
real. The document itself, the empty path, sits at its first key or header.

It runs only when a diagnostic needs a place, so valid files never pay for it.
"""

from __future__ import annotations

import re

Path = tuple  # a key path: strings for keys, ints for array positions
Position = tuple[int, int]  # 1-based line and column

_BARE = re.compile(r"[A-Za-z0-9_-]+")
_PLAIN_BASIC = re.compile(r'[^"\\\n]*')
_PLAIN_LITERAL = re.compile(r"[^'\n]*")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "b": "\b", "f": "\f", "e": "\x1b"}
_HEX_ESCAPES = {"x": 2, "u": 4, "U": 8}


def multiline_end(text: str, content_start: int, quote: str) -> int | None:
    """Where the multi-line string whose text begins at `content_start` ends (its closing marks start
    there), or None when it is never closed.

    A closing triple after an odd number of backslashes is escaped (in basic strings only), and up
    to two more quote marks right before the closing three belong to the text.
    """
    end = content_start
    while True:
        end = text.find(quote * 3, end)
        if end < 0:
            return None
        backslashes = 0
        k = end - 1
        while quote == '"' and k >= content_start and text[k] == "\\":
            backslashes += 1
            k -= 1
        if backslashes % 2 == 0:
            break
        end += 1
    while text.startswith(quote, end + 3):
        end += 1
    return end


def resolve(keys: list[str], counts: dict[Path, int]) -> Path:
    """A header's key path with the current index inserted after every array of tables on the way.

    `counts` holds how many items each array of tables has had so far.
    """
    out: list = []
    for key in keys:
        out.append(key)
        count = counts.get(tuple(out))
        if count:
            out.append(count - 1)
    return tuple(out)


class _Scanner:
    def __init__(self, text: str):
        self.text = text
        self.pos = 0
        self.found: dict[Path, Position] = {}
        self.kinds: dict[Path, tuple[str, bool]] = {}
        self.content: dict[Path, int] = {}  # where a string value's text begins (an offset)
        self.line_starts = [0]
        start = text.find("\n")
        while start >= 0:
            self.line_starts.append(start + 1)
            start = text.find("\n", start + 1)
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
        if path not in self.found:
            self.found[path] = self.where(offset)

    def record_all(self, path: Path, offset: int) -> None:
        """Record `path` and every table on the way to it that has no place yet."""
        for end in range(len(path) + 1):
            self.record(path[:end], offset)

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
        """The string at `pos` (its decoded text for one-line strings, which may be keys); moves past it."""
        text = self.text
        quote = text[self.pos]
        if text.startswith(quote * 3, self.pos):
            end = multiline_end(text, self.pos + 3, quote)
            self.pos = len(text) if end is None else end + 3
            return ""
        i = self.pos + 1
        chars: list[str] = []
        plain = _PLAIN_BASIC if quote == '"' else _PLAIN_LITERAL
        while i < len(text) and text[i] != quote and text[i] != "\n":
            run = plain.match(text, i)
            if run and run.end() > i:  # a stretch with no escape and no end: taken whole, for long values
                chars.append(run.group())
                i = run.end()
                continue
            if quote == '"' and text[i] == "\\":
                i += 1
                code = text[i: i + 1]
                width = _HEX_ESCAPES.get(code)
                if width:
                    digits = text[i + 1: i + 1 + width]
                    try:
                        chars.append(chr(int(digits, 16)))
                    except (ValueError, OverflowError):
                        chars.append(code + digits)
                    i += 1 + width
                    continue
                chars.append(_ESCAPES.get(code, code))
                i += 1
                continue
            chars.append(text[i])
            i += 1
        self.pos = i + 1
        return "".join(chars)

    def read_key(self) -> tuple[list[str], int]:
        """A dotted key; returns its parts and the offset where it starts."""
        parts: list[str] = []
        self.skip_space(False)
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
        return resolve(keys, self.aot_counts)

    def string_content(self, path: Path) -> None:
        """Remember where the text of the string at `pos` begins (after its quotes and a trimmed line break)."""
        text = self.text
        quote = text[self.pos]
        start = self.pos + (3 if text.startswith(quote * 3, self.pos) else 1)
        if start > self.pos + 1:
            if text.startswith("\n", start):
                start += 1
            elif text.startswith("\r\n", start):
                start += 2
        self.content.setdefault(path, start)
        self.kinds.setdefault(path, (quote, start > self.pos + 1))

    def value(self, path: Path) -> None:
        self.skip_space(False)
        if self.pos >= len(self.text):
            return
        self.record(path, self.pos)
        ch = self.text[self.pos]
        if ch in "\"'":
            self.string_content(path)
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
                before = self.pos
                self.value((*path, index))
                index += 1
                if self.pos == before:  # nothing this scanner can read: step over it
                    self.pos += 1
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
                self.record_all((*path, *keys), start)
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
                    self.record_all(own, start)
                    self.aot_counts[own] = self.aot_counts.get(own, 0) + 1
                    table = (*own, self.aot_counts[own] - 1)
                else:
                    table = self.resolve(keys)
                self.record_all(table, start)
                continue
            keys, start = self.read_key()
            if not keys:
                end = text.find("\n", self.pos)
                self.pos = len(text) if end < 0 else end
                continue
            path = (*table, *keys)
            self.record_all(path, start)
            self.skip_space(False)
            if self.pos < len(text) and text[self.pos] == "=":
                self.pos += 1
            self.value(path)
        return self.found

    def run(self) -> dict[Path, Position]:
        """`scan`, keeping what was found before anything odd stopped it."""
        try:
            return self.scan()
        except (IndexError, ValueError, RecursionError):
            return self.found


def locate(text: str) -> dict[Path, Position]:
    """Map every key path in `text` to the line and column where it starts.

    The empty path is the document's first key or header. The document must
    already have parsed; anything odd is skipped rather than raised, because a
    missing position must never hide the real diagnostic.
    """
    return _Scanner(text).run()


class Locator:
    """Looks positions up lazily: the scan runs on the first question only."""

    def __init__(self, text: str):
        self.text = text
        self._scanner: _Scanner | None = None

    def _scan(self) -> _Scanner:
        if self._scanner is None:
            self._scanner = _Scanner(self.text)
            self._scanner.run()
        return self._scanner

    def __call__(self, path: Path) -> Position:
        """The position of `path`, or of its nearest ancestor that has one."""
        found = self._scan().found
        path = tuple(path)
        while True:
            if path in found:
                return found[path]
            if not path:
                return 1, 1
            path = path[:-1]

    def char_position(self, path: Path, index: int) -> Position | None:
        """Where the `index`-th character of the string value at `path` (as the parser read it) stands in the file.

        Escapes (`\\u00e9`, `\\n`) and the line-ending backslash of a
        multi-line string are walked over as the parser reads them, so the
        position is right even when they come first. None when `path` holds
        no string.
        """
        scanner = self._scan()
        path = tuple(path)
        if path not in scanner.content:
            return None
        text, pos = self.text, scanner.content[path]
        quote, multiline = scanner.kinds[path]
        seen = 0
        while pos < len(text) and seen < index:
            ch = text[pos]
            if quote == '"' and ch == "\\":
                nxt = text[pos + 1: pos + 2]
                if multiline and nxt and nxt in " \t\r\n":
                    end = pos + 1
                    while end < len(text) and text[end] in " \t\r\n":
                        end += 1
                    pos = end
                    continue
                pos += {"u": 6, "U": 10, "x": 4}.get(nxt, 2)
            else:
                pos += 1
            seen += 1
        return scanner.where(pos)

    def value_column(self, path: Path) -> Position:
        """The line of a string value's text and the column just before it (its opening quote).

        A diagnostic about a character inside a one-line value adds the
        character's index plus one to this column. For a value that is not a
        string, the value's own position.
        """
        scanner = self._scan()
        path = tuple(path)
        if path in scanner.content:
            line, col = scanner.where(scanner.content[path])
            return line, col - 1
        line, col = self(path)
        row = self.text.splitlines()[line - 1] if self.text else ""
        eq = row.find("=", col - 1)
        if eq < 0:
            return line, col
        k = eq + 1
        while k < len(row) and row[k] in " \t":
            k += 1
        return line, k + 1
