"""SugarCube's markup read into the shared nodes.

SugarCube writes a macro as `<<name arguments>>`; a container macro holds what
comes before its closing tag, `<</name>>` (or the older `<<endname>>`).
Whether a macro is a container is only known when its closing tag turns up,
so macros are read flat first and then nested: a macro with no closing tag
keeps its followers as siblings. `<<if>>` is split at its `<<elseif>>` and
`<<else>>` into a Chain. Comments (`/* */`, `/% %/`, `<!-- -->`) are the
author's notes and are read past.
"""

from __future__ import annotations

import re

import attrs

from game.loader.twine.nodes import MAX_DEPTH, Branch, Chain, Macro, Markup, Node, Reader, Text

_START = re.compile(r"\[\[|\[img\[|<<|<|/\*|/%|\$(?=[A-Za-z_])")
_NAME = re.compile(r"<<(/?)([A-Za-z=-][A-Za-z0-9_-]*)")
_COMMENTS = {"/*": "*/", "/%": "%/"}


def normal(name: str) -> str:
    return name.lower()


@attrs.define
class _Open:
    macro: Macro
    children: list[Node] = attrs.Factory(list)


class SugarCubeReader(Reader):
    SUGARCUBE = True

    def parse(self) -> list[Node]:
        text = self.text
        stack: list[_Open] = [_Open(Macro("", "", "", 0, 0))]
        deep_noted = False
        i = 0
        while True:
            found = _START.search(text, i)
            stop = found.start() if found else len(text)
            if stop > i:
                stack[-1].children.append(Text(text[i:stop], i))
            if found is None:
                break
            i, mark = stop, found.group()
            if mark == "[[":
                i = self.link(i, stack[-1].children)
            elif mark == "[img[":
                end = self.next("]]", i)
                stack[-1].children.append(Markup("image", "img", i))
                i = len(text) if end < 0 else end + 2
            elif mark in _COMMENTS:
                end = text.find(_COMMENTS[mark], i + 2)
                i = len(text) if end < 0 else end + 2
            elif mark == "<<":
                name = _NAME.match(text, i)
                end = self.closing(name.end(), ">>") if name else None
                if name is None or end is None:
                    stack[-1].children.append(Text("<<", i))
                    i += 2
                    continue
                written = name.group(2)
                args_at = name.end()
                macro = Macro(normal(written), written, text[args_at:end].strip(), args_at
                              + len(text[args_at:end]) - len(text[args_at:end].lstrip()), i)
                i = end + 2
                closing = name.group(1) == "/"
                if not closing and macro.name.startswith("end") and any(
                        f.macro.name == macro.name[3:] for f in stack[1:]):
                    closing, macro = True, attrs.evolve(macro, name=macro.name[3:])
                if closing:
                    self._close(stack, macro)
                elif len(stack) > MAX_DEPTH:
                    if not deep_noted:
                        self.note("SC227", f"macros nested more than {MAX_DEPTH} deep: the deeper ones were "
                                  "read without what they hold", i, "nest fewer macros inside each other")
                        deep_noted = True
                    stack[-1].children.append(macro)
                else:
                    stack.append(_Open(macro))
            elif mark == "<":
                i = self.html(i, stack[-1].children)
            else:
                node, i = self.variable(i)  # type: ignore[misc]
                stack[-1].children.append(node)
        while len(stack) > 1:
            _leaf(stack)
        return stack[0].children

    def _close(self, stack: list[_Open], closing: Macro) -> None:
        """Close the innermost open macro of that name; macros opened after it had no closing tag."""
        for depth in range(len(stack) - 1, 0, -1):
            if stack[depth].macro.name == closing.name:
                while len(stack) - 1 > depth:
                    _leaf(stack)
                done = stack.pop()
                stack[-1].children.append(_container(done))
                return
        self.note("SC220", f"<</{closing.written}>> closes no <<{closing.written}>>: it was left out", closing.at,
                  f"remove it, or add the <<{closing.written}>> it closes")


def _leaf(stack: list[_Open]) -> None:
    """The innermost open macro had no closing tag: it holds nothing, and what followed it is its sibling."""
    done = stack.pop()
    stack[-1].children.append(done.macro)
    stack[-1].children.extend(done.children)


def _container(done: _Open) -> Node:
    macro = attrs.evolve(done.macro, body=tuple(done.children))
    if macro.name not in ("if", "unless"):
        return macro
    branches: list[Branch] = []
    kind, condition, at, body = macro.name, macro.args, macro.args_at, []
    for node in done.children:
        if isinstance(node, Macro) and node.body is None and (
                node.name in ("elseif", "else") and kind != "else"):
            branches.append(Branch(kind, condition, at, tuple(body)))
            words = node.args.split(None, 1)
            if node.name == "else" and words and words[0] == "if":  # the old <<else if ...>>
                kind, condition = "elseif", words[1] if len(words) > 1 else ""
            else:
                kind, condition = node.name, node.args
            at, body = node.args_at if condition else node.at, []
        else:
            body.append(node)
    branches.append(Branch(kind, condition, at, tuple(body)))
    return Chain(tuple(branches), macro.at)
