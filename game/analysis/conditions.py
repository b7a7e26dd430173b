"""The story's conditions as the deep checks use them: found, measured, and compiled onto situations.

`game.expr` parses a condition into a tree and compiles it into a test on the
engine's Env. The exploration (`game.analysis.machine`) keeps each situation
as a flat tuple instead, so each condition is compiled again, from the same
tree, into a test on that tuple (`compile_test`); tests compare the two on
every situation of every built-in story. Beside it: every condition in a
scenario, what one reads, what it costs in a budget's work, and which visit
counts matter up to which number.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from game.expr import Condition, Node
from game.model import Scenario

Test = Callable[[Any], Any]

_OPS = {
    "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge, "==": operator.eq, "!=": operator.ne,
}


def node_size(node: Node) -> int:
    """How many steps a condition takes to evaluate at most (its cost in the budget)."""
    tag = node[0]
    if tag in ("not",):
        return 1 + node_size(node[1])
    if tag in ("and", "or"):
        return 1 + node_size(node[1]) + node_size(node[2])
    if tag == "cmp":
        return 1 + node_size(node[2]) + node_size(node[3])
    return 1


def reads(node: Node, found: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """Add to `found` each ("meter" | "flag" | "visits", name) the condition reads; a tactic reads its flag."""
    tag = node[0]
    if tag in ("meter", "flag", "visits"):
        found.add((tag, node[1]))
    elif tag == "tactic":
        found.add(("flag", tactic_flag(node[1])))
    elif tag == "cmp":
        reads(node[2], found)
        reads(node[3], found)
    elif tag in ("not", "and", "or"):
        for child in node[1:]:
            reads(child, found)
    return found


def tactic_flag(advice: str) -> str:
    """The flag standing for the condition `tactic` (or `tactic.ADVICE`): no declared flag has a dot, and
    none may be called `tactic`."""
    return f"tactic.{advice}" if advice else "tactic"


def compile_test(node: Node, meter_slot: Mapping[str, int], visit_slot: Mapping[str, int], flag_slot: int,
                 flag_bit: Mapping[str, int]) -> Test:
    """A test on a situation tuple, equal to the condition's own test on the engine's Env."""
    def build(node: Node) -> Test:
        return compile_test(node, meter_slot, visit_slot, flag_slot, flag_bit)

    tag = node[0]
    if tag in ("num", "bool"):
        value = node[1]
        return lambda s: value
    if tag == "meter":
        return operator.itemgetter(meter_slot[node[1]])
    if tag == "visits":
        return operator.itemgetter(visit_slot[node[1]])
    if tag in ("flag", "tactic"):
        slot, bit = flag_slot, flag_bit[node[1] if tag == "flag" else tactic_flag(node[1])]
        return lambda s: (s[slot] & bit) != 0
    if tag == "not":
        inner = build(node[1])
        return lambda s: not inner(s)
    if tag == "and":
        left, right = build(node[1]), build(node[2])
        return lambda s: left(s) and right(s)
    if tag == "or":
        left, right = build(node[1]), build(node[2])
        return lambda s: left(s) or right(s)
    if tag == "cmp":
        op, left_node, right_node = node[1], node[2], node[3]
        if left_node[0] in ("meter", "visits") and right_node[0] == "num":
            slot = (meter_slot if left_node[0] == "meter" else visit_slot)[left_node[1]]
            return _compare_slot(op, slot, right_node[1])
        compare = _OPS[op]
        left, right = build(left_node), build(right_node)
        return lambda s: compare(left(s), right(s))
    raise ValueError(f"unknown node {tag!r}")  # pragma: no cover - the parser builds only these


def _compare_slot(op: str, slot: int, k: int) -> Test:
    if op == ">=":
        return lambda s: s[slot] >= k
    if op == ">":
        return lambda s: s[slot] > k
    if op == "<=":
        return lambda s: s[slot] <= k
    if op == "<":
        return lambda s: s[slot] < k
    if op == "==":
        return lambda s: s[slot] == k
    return lambda s: s[slot] != k


def conditions(scenario: Scenario) -> Iterable[Condition]:
    """Every condition in the scenario: choices, text variants, messages, endings."""
    for scene in scenario.scenes.values():
        for choice in scene.choices:
            if choice.condition is not None:
                yield choice.condition
        for variant in scene.variants:
            yield variant.condition
        for message in scene.messages:
            if message.condition is not None:
                yield message.condition
    for ending in scenario.endings.values():
        if ending.when is not None:
            yield ending.when
        for variant in ending.variants:
            yield variant.condition


def visit_caps(scenario: Scenario) -> dict[str, int | None]:
    """For each scene whose visits a condition reads: the count above which they stop mattering.

    None means the count is compared with something other than a plain number,
    so it is kept whole.
    """
    caps: dict[str, int | None] = {}

    def walk(node: tuple) -> None:
        tag = node[0]
        if tag == "visits":
            caps.setdefault(node[1], 0)
        elif tag == "cmp":
            left, right = node[2], node[3]
            for mine, other in ((left, right), (right, left)):
                if mine[0] == "visits":
                    if other[0] == "num" and caps.get(mine[1], 0) is not None:
                        caps[mine[1]] = max(caps.get(mine[1], 0) or 0, other[1] + 1)
                    elif other[0] != "num":
                        caps[mine[1]] = None
            walk(left)
            walk(right)
        else:
            for child in node[1:]:
                if isinstance(child, tuple):
                    walk(child)

    for condition in conditions(scenario):
        walk(condition.node)
    return caps
