"""A passage's markup as a small tree, the same for Harlowe and SugarCube: text, links, macros, conditions.

Each story format has its own syntax (`(if: $x)[...]` against `<<if $x>>...
<</if>>`), so each has a parser (game.loader.twine.harlowe,
game.loader.twine.sugarcube), but both produce these nodes, and one
translation turns them into a scene. Every node keeps its index in the
passage's text, so a diagnostic about it points at its line in the file.

The parsers share the pieces both formats write the same way: Twine's four
link forms, HTML tags and comments, and `$variables` in the prose. They are
built to finish in time linear in the passage, whatever it holds: markup that
is nested too deeply, or a macro whose end cannot be found nearby, is read as
text with a warning rather than searched for without end.
"""

from __future__ import annotations

import re

import attrs


@attrs.frozen
class Text:
    text: str
    at: int


@attrs.frozen
class Link:
    text: str
    target: str
    at: int
    target_at: int
    setter: str = ""  # SugarCube's `[[text|target][$x to 1]]`
    setter_at: int = 0


@attrs.frozen
class Macro:
    name: str  # normalised: lower case, no `-` or `_` (Harlowe reads `(link-goto:)` and `(linkgoto:)` alike)
    written: str  # as the author wrote it, for messages
    args: str
    args_at: int
    at: int
    body: tuple[Node, ...] | None = None  # the hook or the content between <<name>> and <</name>>


@attrs.frozen
class Branch:
    kind: str  # "if", "unless", "elseif" or "else"
    condition: str
    at: int  # where the condition is written (the macro, for `else`)
    body: tuple[Node, ...]


@attrs.frozen
class Chain:
    """An if, its else-ifs and its else: the first branch whose condition holds is shown."""

    branches: tuple[Branch, ...]
    at: int


@attrs.frozen
class Markup:
    """Something the scenario cannot hold, dropped with a warning: an HTML tag, an image, a script, a style."""

    kind: str  # "html", "image", "script", "style"
    name: str
    at: int


@attrs.frozen
class Printed:
    """A variable written into the prose, which the story format prints: `$name`."""

    name: str
    at: int


Node = Text | Link | Macro | Chain | Markup | Printed

MAX_DEPTH = 40
"""Markup nested deeper than this is read as text: no story needs it, and it keeps the reader's stack small."""
MAX_MACRO = 4000
"""A macro's arguments longer than this are no macro (its closing marks are missing): read as text."""

_HTML_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)\b(?:[^<>\"']|\"[^\"]*\"|'[^']*')*/?>")
_VARIABLE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
_BREAKS = {"br", "p", "div"}
"""Tags that start a new line where they stand; their text stays."""
_ENDS = {"script": re.compile(r"</script\s*>", re.IGNORECASE), "style": re.compile(r"</style\s*>", re.IGNORECASE)}


def split_link(inner: str, sugarcube: bool) -> tuple[str, str, int, str, int] | None:
    """(text, target, where the target starts, setter, where it starts) for the text between `[[` and `]]`.

    The four forms: `text->target` (the rightmost arrow), `target<-text` (the
    leftmost), `text|target` and `target`. SugarCube adds a setter after the
    link: `text|target][$x to 1`.
    """
    setter, setter_at = "", 0
    if sugarcube and "][" in inner:
        cut = inner.index("][")
        setter, setter_at = inner[cut + 2:], cut + 2
        inner = inner[:cut]
    if "->" in inner:
        cut = inner.rindex("->")
        text, target, target_at = inner[:cut], inner[cut + 2:], cut + 2
    elif "<-" in inner:
        cut = inner.index("<-")
        text, target, target_at = inner[cut + 2:], inner[:cut], 0
    elif "|" in inner:
        cut = inner.index("|")
        text, target, target_at = inner[:cut], inner[cut + 1:], cut + 1
    else:
        text, target, target_at = inner, inner, 0
    stripped = target.strip()
    target_at += len(target) - len(target.lstrip())
    if not stripped:
        return None
    return text.strip() or stripped, stripped, target_at, setter.strip(), setter_at


class Reader:
    """What both formats' parsers share: the passage's text, its notes, a budget, and the common markup."""

    SUGARCUBE = False

    def __init__(self, text: str):
        self.text = text
        self.notes: list[tuple[str, str, int, str | None]] = []  # code, message, index in the text, hint
        self.steps = 8 * len(text) + 100_000  # how much scanning the macros' arguments may cost in all
        self._found: dict[str, int] = {}  # for each mark, where it was last found (-1: nowhere after that)

    def next(self, mark: str, i: int) -> int:
        """The index of the first `mark` at or after `i`, or -1; each mark's search resumes where it last ended."""
        known = self._found.get(mark)
        if known is None or (0 <= known < i):
            known = self._found[mark] = self.text.find(mark, i)
        return known

    def note(self, code: str, message: str, at: int, hint: str | None = None) -> None:
        self.notes.append((code, message, at, hint))

    def link(self, i: int, out: list[Node]) -> int:
        """Read the link starting at `[[` at `i` into `out`, as a Link or, when it is none, as text; the index after."""
        text = self.text
        close = self.next("]]", i + 2)
        line_end = self.next("\n", i)
        if close < 0 or (0 <= line_end < close):
            out.append(Text("[[", i))
            return i + 2
        parts = split_link(text[i + 2: close], self.SUGARCUBE)
        if parts is None:
            self.note("SC225", "a link with no passage named: it was left out", i, "write [[text->Passage]]")
        else:
            label, target, target_at, setter, setter_at = parts
            out.append(Link(label, target, i, i + 2 + target_at, setter, i + 2 + setter_at))
        return close + 2

    def html(self, i: int, out: list[Node]) -> int:
        """Read the HTML comment, tag, script or style at `i` (a `<`) into `out`, or a plain `<`; the index after."""
        text = self.text
        if text.startswith("<!--", i):
            end = text.find("-->", i + 4)
            return len(text) if end < 0 else end + 3
        end = self.next(">", i)
        match = None
        if 0 <= end and end - i <= MAX_MACRO and self.steps > 0:
            self.steps -= end - i
            match = _HTML_TAG.match(text, i, end + 1)
        if match is None:
            out.append(Text("<", i))
            return i + 1
        name = match.group(1).lower()
        if name in _ENDS and not match.group().startswith("</"):
            close = _ENDS[name].search(text, match.end())
            out.append(Markup(name, name, i))
            return len(text) if close is None else close.end()
        out.append(Markup("image", name, i) if name == "img" else Text("\n", i) if name in _BREAKS
                   else Markup("html", name, i))
        return match.end()

    def variable(self, i: int) -> tuple[Node, int] | None:
        """A `$variable` (with any `.property`) written in the prose at `i`."""
        match = _VARIABLE.match(self.text, i)
        if match is None:
            return None
        return Printed(match.group(1), i), match.end()

    def closing(self, i: int, closer: str, opener: str = "", kind: str = "macros") -> int | None:
        """Where the arguments starting at `i` end (at `closer`, outside strings and nested pairs), or None.

        Strings may hold the closing marks, so they are skipped, and so are
        `[[links]]` (an apostrophe in a link's text is no quote). The search
        stops after MAX_MACRO characters, and the searches of one passage share
        a budget, so no passage costs more than a fixed multiple of its length.
        """
        if self.steps <= 0:
            return None
        text = self.text
        limit = min(len(text), i + MAX_MACRO)
        marks = re.compile("|".join(re.escape(m) for m in ('"', "'", "`", "[[", closer, opener) if m))
        j, depth, end = i, 0, None
        while True:
            found = marks.search(text, j, limit)
            if found is None:
                break
            mark = found.group()
            if mark == closer:
                if depth == 0:
                    end = found.start()
                    break
                depth -= 1
                j = found.end()
            elif mark == opener:
                depth += 1
                j = found.end()
            elif mark == "[[":
                close = text.find("]]", found.end(), limit)
                j = found.end() if close < 0 else close + 2
            else:
                close = _string_end(text, found.end(), mark, limit)
                if close < 0:
                    break
                j = close + 1
        self.steps -= (limit if end is None else end) - i
        if self.steps <= 0:
            self.note("SC227", f"this passage's {kind} take too long to read; the rest of them were read as text",
                      i, "split the passage into smaller ones")
        return end


def _string_end(text: str, start: int, quote: str, limit: int) -> int:
    """The index of the quote that closes a string whose text starts at `start` (-1: not closed before `limit`)."""
    close = start
    while True:
        close = text.find(quote, close, limit)
        if close < 0:
            return -1
        backslashes = 0
        while close - 1 - backslashes >= start and text[close - 1 - backslashes] == "\\":
            backslashes += 1
        if backslashes % 2 == 0:
            return close
        close += 1


class PlainReader(Reader):
    """Links, HTML and prose only: for story formats whose code this import does not read (Chapbook, Snowman),
    and for Harlowe markup nested too deep to read (`hooks`: a `[[[` is a hook's bracket before a link)."""

    _START = re.compile(r"\[\[|<")

    def __init__(self, text: str, hooks: bool = False):
        super().__init__(text)
        self.hooks = hooks

    def parse(self, start: int = 0) -> list[Node]:
        """The nodes from `start` to the end of the text."""
        text = self.text
        out: list[Node] = []
        i = start
        while True:
            found = self._START.search(text, i)
            stop = found.start() if found else len(text)
            if stop > i:
                out.append(Text(text[i:stop], i))
            if found is None:
                return out
            if self.hooks and text.startswith("[[[", stop):
                i = stop + 1  # a hook's bracket, then the link
                continue
            i = self.link(stop, out) if found.group() == "[[" else self.html(stop, out)
