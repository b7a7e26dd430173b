"""Harlowe's markup (Twine 2's default story format) read into the shared nodes.

Harlowe writes a macro as `(name: arguments)` and attaches a hook, `[text]`,
right after it: `(if: $trust >= 3)[[[Call Sam->Call]]]`, `(link: "Go")[...]`.
An `(if:)` hook may be followed by `(else-if:)` and `(else:)` hooks; the three
make one Chain. Braces `{...}` only collapse white space, and named-hook tags
(`|name>[...]`, `[...]<name|`) only name a hook: both are read past.
"""

from __future__ import annotations

import re

from game.loader.twine.nodes import MAX_DEPTH, Branch, Chain, Macro, Node, PlainReader, Reader, Text

_START = re.compile(r"\[\[|\[|\]|\((?=[A-Za-z][A-Za-z0-9_-]*:)|<|\$(?=[A-Za-z_])|[{}]|\|[A-Za-z_][A-Za-z0-9_]*[>)]")
_NAME = re.compile(r"\(([A-Za-z][A-Za-z0-9_-]*):")
_TRAILING_NAMETAG = re.compile(r"<[A-Za-z_][A-Za-z0-9_]*\|")
_HOOK_AFTER = re.compile(r"[ \t]*(?:\|[A-Za-z_][A-Za-z0-9_]*[>)])?\[(?!\[(?!\[))")
"""A hook attached to a macro: spaces, perhaps a name tag, then `[` (not a link's `[[`, but `[[[`: a hook
holding a link)."""
CONDITIONS = {"if": "if", "unless": "unless", "elseif": "elseif", "else": "else"}


def normal(name: str) -> str:
    """Harlowe ignores case, `-` and `_` in macro names: `(Link-Goto:)` is `(linkgoto:)`."""
    return name.lower().replace("-", "").replace("_", "")


_MACRO_CALL = re.compile(r"\((?:[A-Za-z][A-Za-z0-9_-]*):[^()]*\)|[\[\]]")
"""In markup read for its links and text only: a macro's call (its arguments with no parentheses inside) and
a hook's lone bracket, which are markup, not words."""


class _TooDeep(Exception):
    """Markup nested past MAX_DEPTH, at `at`: the passage is read again from its outermost hook still open."""

    def __init__(self, at: int):
        super().__init__(at)
        self.at = at


class HarloweReader(Reader):
    def parse(self) -> list[Node]:
        return self._nodes(0, 0, False)[0]

    def _rest(self, start: int, deep: _TooDeep) -> list[Node]:
        """The passage from `start` (where the hook that went too deep begins) to its end, for its links and
        text only: outside every hook (no condition of theirs applies), macros' calls and hooks' brackets
        left out of the words."""
        self.note("SC227", f"markup nested more than {MAX_DEPTH} deep: the rest of the passage was read for "
                  "its links and text only", deep.at, "nest fewer hooks inside each other")
        plain = PlainReader(self.text, hooks=True)
        nodes = [Text(_MACRO_CALL.sub("", n.text), n.at) if isinstance(n, Text) else n
                 for n in plain.parse(start)]
        self.notes += plain.notes
        return nodes

    def _nodes(self, i: int, depth: int, in_hook: bool) -> tuple[list[Node], int]:
        """The nodes from `i` to the end of the hook (after its `]`) or of the text."""
        text = self.text
        out: list[Node] = []
        while True:
            found = _START.search(text, i)
            stop = found.start() if found else len(text)
            if stop > i:
                out.append(Text(text[i:stop], i))
            if found is None:
                return _chains(out, self), len(text)
            i, mark = stop, found.group()
            if mark == "]":
                if in_hook:
                    return _chains(out, self), i + 1
                out.append(Text("]", i))
                i += 1
            elif mark == "[[" and not text.startswith("[[[", i):
                i = self.link(i, out)
            elif mark in ("[", "[[", "("):
                try:
                    if mark == "(":
                        node, after = self._macro(i, depth)
                        found_nodes = [node]
                    else:
                        found_nodes, after = self._hook(i, depth)
                except _TooDeep as deep:
                    if depth:
                        raise
                    return [*_chains(out, self), *self._rest(i, deep)], len(text)
                out.extend(found_nodes)
                i = after
            elif mark == "<":
                after = _TRAILING_NAMETAG.match(text, i)
                i = after.end() if after else self.html(i, out)
            elif mark == "$":
                node, i = self.variable(i)  # type: ignore[misc]
                out.append(node)
            else:  # `{`, `}` and a hook's name tag: they shape the page, not the story
                i += len(mark)

    def _hook(self, i: int, depth: int) -> tuple[list[Node], int]:
        """A hook's nodes (the `[` is at `i`) and the index after its `]`."""
        if depth >= MAX_DEPTH:
            raise _TooDeep(i)
        return self._nodes(i + 1, depth + 1, True)

    def _macro(self, i: int, depth: int) -> tuple[Node, int]:
        text = self.text
        name = _NAME.match(text, i)
        assert name is not None  # _START only stops at `(` before a name and a colon
        args_at = name.end()
        end = self.closing(args_at, ")", "(")
        if end is None:
            return Text(text[i: args_at], i), args_at
        args = text[args_at:end].lstrip()  # so the place of a condition is its first character, as in SugarCube
        macro = Macro(normal(name.group(1)), name.group(1), args, end - len(args), i)
        hook = _HOOK_AFTER.match(text, end + 1)
        if hook is None:
            return macro, end + 1
        body, after = self._hook(hook.end() - 1, depth)
        return Macro(macro.name, macro.written, macro.args, macro.args_at, i, tuple(body)), after


def _chains(nodes: list[Node], reader: Reader) -> list[Node]:
    """(if:), (else-if:) and (else:) hooks next to each other (white space between) made into Chains."""
    out: list[Node] = []
    chain: list[Branch] = []
    held: list[Node] = []  # white space after a chain, kept only if the chain does not go on

    def close() -> None:
        if chain:
            out.append(Chain(tuple(chain), chain[0].at))
            chain.clear()
        out.extend(held)
        held.clear()

    for node in nodes:
        kind = CONDITIONS.get(node.name) if isinstance(node, Macro) and node.body is not None else None
        if kind in ("if", "unless"):
            close()
            chain.append(Branch(kind, node.args, node.args_at, node.body))  # type: ignore[union-attr, arg-type]
        elif kind in ("elseif", "else") and chain and chain[-1].kind != "else":
            held.clear()
            chain.append(Branch(kind, node.args, node.args_at if kind == "elseif" else node.at,
                                node.body))  # type: ignore[union-attr, arg-type]
        elif kind in ("elseif", "else"):
            close()
            reader.note("SC224", f"({node.written}:) with no (if:) hook right before it: its text was kept "  # type: ignore[union-attr]
                        "as if its condition held", node.at,  # type: ignore[union-attr]
                        "put the (else:) hook straight after the (if:) hook")
            out.extend(node.body)  # type: ignore[union-attr, arg-type]
        elif chain and isinstance(node, Text) and not node.text.strip():
            held.append(node)
        else:
            close()
            out.append(node)
    close()
    return out
