"""One passage's nodes read for what a scene can hold: its prose, its choices, what it sets on arrival.

Twine runs a passage's top-level (set:) / <<set>> macros when the passage is
shown, so they become the effects of arriving there (on every choice that
leads in). A link becomes a choice; the (if:) or <<if>> around it becomes the
choice's condition; SugarCube's setter link (`[[Go|Bar][$x to 1]]`), a
`(link:)` hook or `<<link>>` with a (goto:) inside carry the effects of
clicking it. Prose under a condition becomes the scene's text variants. Every
other macro, HTML tag, image or printed variable is named in a diagnostic at
its line, and the prose around it is kept.
"""

from __future__ import annotations

import re
from collections import Counter

import attrs

from game.loader.twine import expressions
from game.loader.twine.expressions import Assignment, Expr, Problem
from game.loader.twine.nodes import Chain, Link, Macro, Markup, Node, Printed, Text, split_link
from game.loader.twine.story import Passage
from game.safetext import quote

Guard = tuple[int, int]  # (chain number, branch number): the text or link shows only in that branch


@attrs.frozen
class ChainInfo:
    """A chain's branches as conditions: None for `else`; a chain whose conditions cannot carry over is `open`."""

    conditions: tuple[Expr | None, ...]
    at: tuple[int, ...]  # each branch condition's index in the passage text
    open: bool


@attrs.frozen
class ChoicePlan:
    text: str
    target: str
    at: int
    target_at: int
    guards: tuple[Guard, ...]
    effects: tuple[Assignment, ...]  # Assignment.at is an index in the passage text
    automatic: bool = False  # a (goto:) that moves on by itself in Twine


@attrs.define
class PassagePlan:
    passage: Passage
    fragments: list[tuple[str, str, tuple[Guard, ...]]] = attrs.Factory(list)  # ("text" or "link", text, guards)
    choices: list[ChoicePlan] = attrs.Factory(list)
    arrival: list[Assignment] = attrs.Factory(list)
    chains: list[ChainInfo] = attrs.Factory(list)
    conditions: list[tuple[Expr, int]] = attrs.Factory(list)  # every condition read, for the variables' kinds
    unset: list[tuple[str, int]] = attrs.Factory(list)  # (variable, offset) of each assignment left out


_LINK_MACROS = {"link", "linkreveal", "linkrepeat", "linkrevealgoto", "linkgoto", "button", "linkreplace",
                "linkappend", "linkprepend", "clickgoto"}
_SETS = {"set", "put"}
_PRINTS = {"print", "=", "-"}
_TRANSPARENT = {"nobr", "silently", "collapse", "verbatim"}
_CODE = {"script", "run", "widget", "javascript"}
_STRING = re.compile(r"\"((?:[^\"\\]|\\.)*)\"|'((?:[^'\\]|\\.)*)'|\[\[([^\]]*)\]\]|([^\s\"'\[\],]+)")
_FORMATTING = re.compile(r"(''|\*\*|~~|\^\^|==|__|(?<![:/])//)(?=\S)(.+?)(?<=\S)\1")


class Walker:
    """Walks one passage's nodes into a PassagePlan.

    The nodes give places as indexes in the passage's text; the plan holds
    offsets in the file (`where`), so whatever is reported later about a
    choice or an assignment points into the original file. `note(code,
    message, index, hint)` reports at a text index.
    """

    def __init__(self, passage: Passage, harlowe: bool, note):
        self.plan = PassagePlan(passage)
        self.harlowe = harlowe
        self.note = note
        self.where = passage.span.offset
        self.markup: Counter[tuple[str, str]] = Counter()

    def walk(self, nodes: list[Node] | tuple[Node, ...], guards: tuple[Guard, ...] = ()) -> PassagePlan:
        for node in nodes:
            if isinstance(node, Text):
                self.text(node, guards)
            elif isinstance(node, Link):
                self.link(node, guards)
            elif isinstance(node, Chain):
                self.chain(node, guards)
            elif isinstance(node, Macro):
                self.macro(node, guards)
            elif isinstance(node, Printed):
                self.note("SC221", f"`${quote(node.name, 40)}` prints the variable's value, and Second Chance keeps "
                          "meters hidden: it was left out of the text", node.at,
                          "say it in words, or show the meters with `hidden = false`")
            elif isinstance(node, Markup):
                self.drop_markup(node)
        return self.plan

    def text(self, node: Text, guards: tuple[Guard, ...]) -> None:
        text = node.text
        first = _FORMATTING.search(text)
        if first:
            if not self.markup[("format", "")]:
                self.note("SC222", "formatting (bold, italics and the like) has no equivalent in a scenario: the "
                          "words were kept without it", node.at + first.start(), None)
            self.markup[("format", "")] += 1
            text = _FORMATTING.sub(r"\2", text)
        self.plan.fragments.append(("text", text, guards))

    def drop_markup(self, node: Markup) -> None:
        key = (node.kind, node.name)
        self.markup[key] += 1
        if self.markup[key] > 1:
            return
        if node.kind == "image":
            message = "an image has no equivalent in a scenario: it was left out"
        elif node.kind in ("script", "style"):
            message = f"a <{node.name}> element ({'JavaScript' if node.kind == 'script' else 'CSS'}) has no " \
                      "equivalent in a scenario: it was left out"
        else:
            message = f"the HTML tag <{quote(node.name, 20)}> has no equivalent in a scenario: the text was kept " \
                      "without it"
        self.note("SC222", message, node.at, "describe it in words if the story needs it")

    def link(self, node: Link, guards: tuple[Guard, ...]) -> None:
        setter = self.assignments(node.setter, node.setter_at, "the link's setter") if node.setter else []
        self.plan.choices.append(ChoicePlan(node.text, node.target, self.where(node.at),
                                            self.where(node.target_at), guards, tuple(setter)))
        self.plan.fragments.append(("link", node.text, guards))

    def chain(self, node: Chain, guards: tuple[Guard, ...]) -> None:
        conditions: list[Expr | None] = []
        problems = []
        for branch in node.branches:
            if branch.kind == "else":
                conditions.append(None)
                continue
            tree = expressions.condition(branch.condition)
            if isinstance(tree, Problem):
                problems.append((branch, tree))
                conditions.append(None)
                continue
            self.plan.conditions.append((tree, self.where(branch.at)))
            conditions.append(("not", tree) if branch.kind == "unless" else tree)
        for branch, problem in problems:
            self.note("SC224", f"the condition `{quote(branch.condition.strip(), 40)}` cannot carry over "
                      f"({problem.message}): the text and links of every branch were kept without it",
                      branch.at + problem.at, "compare numbers and true/false variables: `$trust >= 3`, `$met`")
        number = len(self.plan.chains)
        self.plan.chains.append(ChainInfo(tuple(conditions), tuple(self.where(b.at) for b in node.branches),
                                          bool(problems)))
        for k, branch in enumerate(node.branches):
            self.walk(branch.body, guards if problems else (*guards, (number, k)))

    def assignments(self, source: str, at: int, where: str) -> list[Assignment]:
        out = []
        for item in expressions.assignments(source, self.harlowe):
            if isinstance(item, Problem):
                self.note("SC223", f"{where} cannot carry over: {item.message}", at + item.at,
                          "set numbers (`to 3`, `to it + 1`) or true/false, and the meters will follow")
                if item.variable:
                    self.plan.unset.append((item.variable, self.where(at + item.at)))
            else:
                out.append(attrs.evolve(item, at=self.where(at + item.at)))
        return out

    def macro(self, node: Macro, guards: tuple[Guard, ...]) -> None:
        shown = f"({node.written}:)" if self.harlowe else f"<<{node.written}>>"
        if node.name in _SETS and (self.harlowe or node.name == "set"):
            found = self.assignments(node.args, node.args_at, shown)
            if guards and found:
                self.note("SC223", f"{shown} under a condition cannot carry over: a scenario moves meters when a "
                          "choice is made, not on a condition: it was left out", node.at,
                          "move it onto the link that leads here, or into the passage it leads to")
            elif not guards:
                self.plan.arrival.extend(found)
            self.walk(node.body or (), guards)
        elif node.name in _LINK_MACROS:
            self.link_macro(node, shown, guards)
        elif node.name == "goto":
            target = _strings(node.args)
            if not target:
                self.note("SC220", f"{shown} names no passage: it was left out", node.at)
                return
            self.note("SC229", f"{shown} moves on by itself in Twine; here it is a choice, “Continue.”", node.at,
                      "write the choice's words, or join the two passages")
            self.plan.choices.append(ChoicePlan("Continue.", target[0][0], self.where(node.at),
                                                self.where(node.args_at + target[0][1]), guards, (), automatic=True))
        elif node.name in _PRINTS:
            self.note("SC221", f"{shown} prints a value, and Second Chance keeps meters hidden: it was left out",
                      node.at, "say it in words")
        elif node.name in _TRANSPARENT:
            self.walk(node.body or (), guards)
        elif node.name in _CODE:
            self.note("SC220", f"{shown} runs JavaScript, which has no equivalent in a scenario: it was left out",
                      node.at, "a scenario's meters, flags and conditions may do what it did")
        else:
            kept = " (the text in its hook was kept)" if node.body and self.harlowe else \
                " (the text inside it was kept)" if node.body else ""
            what = "Harlowe macro" if self.harlowe else "SugarCube macro"
            self.note("SC220", f"{what} {shown} has no equivalent; the passage text was kept without it{kept}",
                      node.at, None)
            self.walk(node.body or (), guards)

    def link_macro(self, node: Macro, shown: str, guards: tuple[Guard, ...]) -> None:
        """(link-goto: "Go", "Bar"), (link: "Go")[(set: ...)(goto: "Bar")], <<link "Go" "Bar">><<set ...>><</link>>."""
        words = _strings(node.args)
        inner = [n for n in node.body or () if isinstance(n, Macro) and n.name == "goto"]
        sets = [n for n in node.body or () if isinstance(n, Macro) and n.name in _SETS]
        effects: list[Assignment] = []
        for macro in sets:
            effects += self.assignments(macro.args, macro.args_at, f"({macro.written}:)" if self.harlowe
                                        else f"<<{macro.written}>>")
        target = None
        if len(words) >= 2:
            target = words[1]
        elif len(words) == 1 and (node.name in ("linkgoto", "clickgoto") or words[0][2]):
            target = words[0]  # (link-goto: "Bar"), <<link [[Go|Bar]]>>
        elif inner and _strings(inner[0].args):
            target = _strings(inner[0].args)[0]
        if not words or target is None:
            self.note("SC220", f"{shown} that leads to no passage has no equivalent; the passage text was kept "
                      "without it", node.at, "use a link to a passage: [[Go->Bar]]")
            if effects:
                self.note("SC223", f"what {shown} sets when clicked cannot carry over without a passage it leads to: "
                          "it was left out", sets[0].at, "use a link to a passage and set it there")
            self.walk([n for n in node.body or () if not (isinstance(n, Macro) and n.name in _SETS)], guards)
            return
        label = words[0][0]
        if words[0][2]:  # <<link [[Go|Bar]]>>
            parts = split_link(words[0][0], True)
            if parts is not None:
                label, target = parts[0], (parts[1], words[0][1] + parts[2], True)
        for other in node.body or ():
            if isinstance(other, Macro) and other.name not in _SETS and other.name != "goto":
                self.macro(other, guards)
        self.plan.choices.append(ChoicePlan(label, target[0], self.where(node.at),
                                            self.where(node.args_at + target[1]), guards, tuple(effects)))
        self.plan.fragments.append(("link", label, guards))


def _strings(args: str) -> list[tuple[str, int, bool]]:
    """A macro's arguments as words: quoted strings, `[[links]]` and bare words, with where each starts."""
    out = []
    for match in _STRING.finditer(args):
        for group in (1, 2, 3, 4):
            if match.group(group) is not None:
                value = match.group(group)
                if group in (1, 2):
                    value = re.sub(r"\\(.)", r"\1", value)
                out.append((value, match.start(group), group == 3))
                break
    return out
