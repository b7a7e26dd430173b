"""The condition language used by `if`, `when` and text variants.

Scenario files come from strangers, so conditions are parsed by this small
grammar and compiled to closures once, at load time; nothing is ever handed to
`eval`. Names are resolved while parsing, so a typo is a load error with a
column and a suggestion rather than a surprise in the middle of a play.

Grammar (lowest precedence first)::

    expr       := or_expr
    or_expr    := and_expr ("or" and_expr)*
    and_expr   := not_expr ("and" not_expr)*
    not_expr   := "not" not_expr | comparison
    comparison := atom (("<" | "<=" | ">" | ">=" | "==" | "!=") atom)?
    atom       := INT | "true" | "false" | NAME | "visits" "." SCENE | "tactic" | "tactic" "." ADVICE
                | "(" expr ")"

Meters and visit counts are numbers; flags, `true` and `false` are truths,
and so is the built-in `tactic`: true once the play has taken a choice that
follows advice marked `manipulative` (`tactic.ADVICE_ID`: that tactic), so
that a hopeful ending can be guarded against tactics without a flag set by
hand on every tactic choice.
"""

from __future__ import annotations

import difflib
import operator
import re
from collections.abc import Callable, Collection, Mapping
from typing import Any

import attrs

from game.safetext import quote

# A node is a small tuple: ("num", 3), ("meter", "trust"), ("flag", "sent"),
# ("visits", "bar"), ("bool", True), ("not", n), ("and", a, b), ("or", a, b),
# ("cmp", "<=", a, b). Tuples keep the tree cheap to build and easy to inspect
# for the static checks.
Node = tuple

NUMBER = "number"
TRUTH = "truth"

_TOKEN = re.compile(
    r"\s*(?:(?P<num>-?\d+)|(?P<op><=|>=|==|!=|<|>|\(|\))"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_][A-Za-z0-9_-]*)?)|(?P<bad>\S))"
)
TACTIC = "tactic"
"""The built-in truth "this play has used a tactic" (`tactic.ADVICE_ID`: that one)."""
VISITS = "visits"
"""The head of `visits.SCENE`, how many times the play has been in a scene."""
KEYWORDS = frozenset({"and", "or", "not", "true", "false"})
"""The words of the grammar itself."""
RESERVED = KEYWORDS | {TACTIC, VISITS}
"""Every name conditions give a meaning of their own: no meter or flag may take one, or a condition naming it
would read the built-in instead (the loader refuses them, the Twine importer renames them)."""
_COMPARE: dict[str, Callable[[int, int], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}
MAX_LENGTH = 500


class ConditionError(Exception):
    """A problem in one condition, with the 0-based column inside it."""

    def __init__(self, message: str, column: int, hint: str | None = None, code: str = "SC040"):
        super().__init__(message)
        self.message = message
        self.column = column
        self.hint = hint
        self.code = code


@attrs.frozen
class Names:
    """What a condition may refer to, gathered from the scenario before parsing."""

    meters: Collection[str] = ()
    flags: Collection[str] = ()
    scenes: Collection[str] = ()
    tactics: Collection[str] = ()
    """The advice ids marked `manipulative` that `tactic.ID` may name."""


class Env:
    """The read-only view of a play's state that a compiled condition sees."""

    __slots__ = ("meters", "flags", "visits", "tactics")

    def __init__(self, meters: Mapping[str, int], flags: Collection[str], visits: Mapping[str, int],
                 tactics: Collection[str] = frozenset()):
        self.meters = meters
        self.flags = flags
        self.visits = visits
        self.tactics = tactics


@attrs.frozen
class Condition:
    """A parsed condition: its source (for messages), tree (for checks) and compiled test."""

    source: str
    node: Node = attrs.field(repr=False)
    test: Callable[[Env], bool] = attrs.field(repr=False, eq=False)

    def __call__(self, env: Env) -> bool:
        return self.test(env)

    def names(self) -> set[tuple[str, str]]:
        """Every (kind, name) the condition reads, e.g. ("meter", "trust")."""
        found: set[tuple[str, str]] = set()
        stack = [self.node]
        while stack:
            node = stack.pop()
            if node[0] in ("meter", "flag", "visits", "tactic"):
                found.add((node[0], node[1]))
            elif node[0] == "cmp":
                stack += [node[2], node[3]]
            else:
                stack += [n for n in node[1:] if isinstance(n, tuple)]
        return found


def suggest(name: str, options: Collection[str]) -> str | None:
    """A "did you mean" hint for a misspelt name, or None when nothing is close."""
    if len(name) > 200:
        return None
    close = difflib.get_close_matches(name, [o for o in options if len(o) <= 200], n=1, cutoff=0.6)
    return f"did you mean `{quote(close[0])}`?" if close else None


def _tokenize(source: str) -> list[tuple[str, str, int]]:
    tokens: list[tuple[str, str, int]] = []
    pos = 0
    while pos < len(source):
        match = _TOKEN.match(source, pos)
        if match is None:  # only trailing whitespace is left
            break
        kind = match.lastgroup
        if kind is None:
            break
        value = match.group(kind)
        start = match.start(kind)
        if kind == "bad":
            hint = ("to compare write `==`, or `>=` / `<=`" if value == "=" else
                    "conditions use meters, flags, numbers, < <= > >= == !=, and, or, not, ( )")
            raise ConditionError(f"unexpected character `{quote(value)}` in condition", start, hint)
        if kind == "name" and value in KEYWORDS:
            kind = value
        tokens.append((kind, value, start))
        pos = match.end()
    tokens.append(("end", "", len(source)))
    return tokens


class _Parser:
    def __init__(self, source: str, names: Names):
        self.source = source
        self.names = names
        self.tokens = _tokenize(source)
        self.i = 0

    def peek(self) -> tuple[str, str, int]:
        return self.tokens[self.i]

    def take(self) -> tuple[str, str, int]:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def parse(self) -> tuple[Node, str]:
        node, kind = self.or_expr()
        tok_kind, value, col = self.peek()
        if tok_kind != "end":
            raise ConditionError(f"unexpected `{quote(value)}` after a complete condition", col,
                                 "join conditions with `and` or `or`")
        return node, kind

    def binary(self, word: str, inner: Callable[[], tuple[Node, str, int]]) -> tuple[Node, str]:
        node, kind, col = inner()
        while self.peek()[0] == word:
            self.take()
            right, right_kind, right_col = inner()
            self.need_truth(kind, col, word)
            self.need_truth(right_kind, right_col, word)
            node, kind = (word, node, right), TRUTH
        return node, kind

    def or_expr(self) -> tuple[Node, str]:
        return self.binary("or", self.and_with_col)

    def and_with_col(self) -> tuple[Node, str, int]:
        col = self.peek()[2]
        node, kind = self.binary("and", self.not_with_col)
        return node, kind, col

    def not_with_col(self) -> tuple[Node, str, int]:
        col = self.peek()[2]
        node, kind = self.not_expr()
        return node, kind, col

    def not_expr(self) -> tuple[Node, str]:
        if self.peek()[0] == "not":
            self.take()
            col = self.peek()[2]
            node, kind = self.not_expr()
            self.need_truth(kind, col, "not")
            return ("not", node), TRUTH
        return self.comparison()

    def comparison(self) -> tuple[Node, str]:
        col = self.peek()[2]
        left, left_kind = self.atom()
        tok_kind, op, op_col = self.peek()
        if tok_kind != "op" or op not in _COMPARE:
            return left, left_kind
        self.take()
        right_col = self.peek()[2]
        right, right_kind = self.atom()
        if left_kind != right_kind:
            bad_col = col if left_kind == TRUTH else right_col
            raise ConditionError(
                f"`{op}` compares a number with a flag",
                bad_col,
                "compare meters with numbers (`trust >= 3`); test flags on their own (`texted`)",
                code="SC041",
            )
        if left_kind == TRUTH and op not in ("==", "!="):
            raise ConditionError(f"`{op}` needs numbers on both sides", op_col,
                                 "flags can only be tested with `==`, `!=` or on their own",
                                 code="SC041")
        if self.peek()[0] == "op" and self.peek()[1] in _COMPARE:
            raise ConditionError("comparisons cannot be chained", self.peek()[2],
                                 "write `1 < trust and trust < 5`")
        return ("cmp", op, left, right), TRUTH

    def atom(self) -> tuple[Node, str]:
        kind, value, col = self.take()
        if kind == "num":
            number = int(value)
            if abs(number) > 1_000_000:
                raise ConditionError(f"number `{quote(value)}` is too large", col,
                                     "meters are small whole numbers")
            return ("num", number), NUMBER
        if kind in ("true", "false"):
            return ("bool", kind == "true"), TRUTH
        if kind == "op" and value == "(":
            node, node_kind = self.or_expr()
            close_kind, close_value, close_col = self.take()
            if close_value != ")":
                raise ConditionError("missing `)`", close_col, f"close the `(` at column {col + 1}")
            return node, node_kind
        if kind == "name":
            return self.name(value, col)
        if kind == "end":
            raise ConditionError("condition ends too early", col,
                                 "finish it with a meter, flag or number")
        raise ConditionError(f"unexpected `{quote(value)}`", col,
                             "expected a meter, flag, number or `(`")

    def name(self, value: str, col: int) -> tuple[Node, str]:
        if value == TACTIC and value not in self.names.flags:
            return ("tactic", ""), TRUTH
        if "." in value:
            head, _, scene = value.partition(".")
            if head == TACTIC:
                return self.tactic(scene, col + len("tactic."))
            if head != VISITS:
                raise ConditionError(f"unknown name `{quote(value)}`", col,
                                     "dotted names are only `visits.SCENE` and `tactic.ADVICE_ID`", code="SC042")
            if scene not in self.names.scenes:
                raise ConditionError(f"`visits.{quote(scene)}` names no scene", col + len("visits."),
                                     suggest(scene, self.names.scenes), code="SC042")
            return ("visits", scene), NUMBER
        if value in self.names.meters:
            return ("meter", value), NUMBER
        if value in self.names.flags:
            return ("flag", value), TRUTH
        options = [*self.names.meters, *self.names.flags]
        raise ConditionError(
            f"unknown name `{quote(value)}`",
            col,
            suggest(value, options)
            or "declare flags under [flags]; meters under [meters.NAME]",
            code="SC042",
        )

    def tactic(self, advice: str, col: int) -> tuple[Node, str]:
        if advice not in self.names.tactics:
            hint = suggest(advice, self.names.tactics) or (
                f"tactics are advice marked `manipulative`: {', '.join(sorted(self.names.tactics))}"
                if self.names.tactics else "no advice this story knows is marked `manipulative`")
            raise ConditionError(f"`tactic.{quote(advice)}` names no tactic", col, hint, code="SC042")
        return ("tactic", advice), TRUTH

    def need_truth(self, kind: str, col: int, word: str) -> None:
        if kind != TRUTH:
            raise ConditionError(
                f"`{quote(word)}` needs a true/false test, not a number",
                col,
                "compare the meter with a number, e.g. `trust >= 3`",
                code="SC041",
            )


def _compile(node: Node) -> Callable[[Env], Any]:
    tag = node[0]
    if tag in ("num", "bool"):
        value = node[1]
        return lambda env: value
    if tag == "meter":
        name = node[1]
        return lambda env: env.meters[name]
    if tag == "flag":
        name = node[1]
        return lambda env: name in env.flags
    if tag == "visits":
        name = node[1]
        return lambda env: env.visits.get(name, 0)
    if tag == "tactic":
        advice = node[1]
        if not advice:
            return lambda env: bool(env.tactics)
        return lambda env: advice in env.tactics
    if tag == "not":
        inner = _compile(node[1])
        return lambda env: not inner(env)
    if tag == "and":
        left, right = _compile(node[1]), _compile(node[2])
        return lambda env: left(env) and right(env)
    if tag == "or":
        left, right = _compile(node[1]), _compile(node[2])
        return lambda env: left(env) or right(env)
    if tag == "cmp":
        op = _COMPARE[node[1]]
        left, right = _compile(node[2]), _compile(node[3])
        return lambda env: op(left(env), right(env))
    raise ValueError(f"unknown node {tag!r}")  # pragma: no cover - the parser builds only these


def parse_condition(source: str, names: Names) -> Condition:
    """Parse and compile one condition, raising ConditionError with a column on any problem."""
    if not source.strip():
        raise ConditionError("condition is empty", 0, "remove the key or write a test such as `trust >= 3`")
    if len(source) > MAX_LENGTH:
        raise ConditionError(f"condition is longer than {MAX_LENGTH} characters", MAX_LENGTH,
                             "split the idea across flags")
    parser = _Parser(source, names)
    try:
        node, kind = parser.parse()
    except RecursionError:
        raise ConditionError("condition is nested too deeply", 0, "use fewer parentheses") from None
    if kind != TRUTH:
        raise ConditionError(
            "condition is a number, not a test",
            0,
            f"compare it, e.g. `{quote(source.strip())} >= 3`",
            code="SC041",
        )
    return Condition(source, node, _compile(node))
