"""The variables of a Twine story: assignments and conditions, in Harlowe's and SugarCube's words.

What carries over is what a scenario can say: a number variable becomes a
meter, changed by whole steps (`(set: $x to it + 1)`, `<<set $x += 1>>`) or
set outright (`to 3`); a true/false variable becomes a flag; a condition made
of comparisons of numbers, flags, `and`, `or` and `not` becomes a scenario
condition. Anything else (text values, arithmetic between variables, calls,
JavaScript) is a `Problem` with its place in the macro, which the import
reports at that line.

Both formats' words are read by one small grammar: Harlowe's `is`, `is not`,
`>=` and SugarCube's `eq`, `neq`, `gte`, `===`, `&&`, `!` alike.
"""

from __future__ import annotations

import re

import attrs

LIMIT = 1000
"""Meters hold whole numbers from -1000 to 1000 (game.loader.build); larger values have no equivalent."""


@attrs.frozen
class Problem:
    message: str
    at: int = 0  # index in the macro's arguments
    variable: str = ""  # the variable an assignment that cannot carry over was to set, when it is known


@attrs.frozen
class Assignment:
    variable: str
    kind: str  # "set" (a number, outright), "add" (a step), "flag" (true or false)
    value: int | bool
    at: int


Expr = tuple  # ("var", name) ("num", n) ("bool", b) ("not", e) ("and", a, b) ("or", a, b) ("cmp", op, a, b)

_TOKEN = re.compile(r"""\s*(?:
    (?P<var>\$[A-Za-z_][A-Za-z0-9_]*)(?P<prop>\.[A-Za-z_]|\[)?
  | (?P<num>\d+(?:\.\d+)?)
  | (?P<str>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`)
  | (?P<op>===|!==|==|!=|>=|<=|\+=|-=|\+\+|--|&&|\|\||[<>!()+\-=,;])
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<bad>\S)
)""", re.VERBOSE)
_COMPARE = {"is": "==", "eq": "==", "==": "==", "===": "==", "isnot": "!=", "neq": "!=", "!=": "!=",
            "!==": "!=", ">": ">", "gt": ">", ">=": ">=", "gte": ">=", "<": "<", "lt": "<", "<=": "<=",
            "lte": "<="}
_AND, _OR, _NOT = {"and", "&&"}, {"or", "||"}, {"not", "!"}


def tokens(source: str) -> list[tuple[str, str, int]] | Problem:
    """(kind, text, index) for each token; a Problem for what no condition or assignment here may hold."""
    out = []
    for match in _TOKEN.finditer(source):
        kind = match.lastgroup or "bad"
        if match.group("var") is not None:
            if match.group("prop"):
                return Problem(f"`{match.group('var')}{match.group('prop')}...` reads inside a variable",
                               match.start("var"))
            kind = "var"
        if kind in ("bad", "str"):
            what = "text in quotes" if kind == "str" else f"`{match.group(kind)}`"
            if match.group(kind) == ":" and len(out) >= 2 and out[-1][0] == "word" and out[-2][1] == "(":
                return Problem(f"the macro `({out[-1][1]}:)` has no equivalent here", out[-2][2])  # (random: 1, 5)
            return Problem(f"{what} has no equivalent here", match.start(kind))
        out.append((kind, match.group(kind), match.start(kind)))
    if source.strip() and not out:
        return Problem("nothing here that a scenario can use")
    return out


class _Parser:
    def __init__(self, items: list[tuple[str, str, int]]):
        self.items = items
        self.i = 0

    def peek(self, ahead: int = 0) -> tuple[str, str, int]:
        k = self.i + ahead
        return self.items[k] if k < len(self.items) else ("end", "", self.items[-1][2] if self.items else 0)

    def take(self) -> tuple[str, str, int]:
        item = self.peek()
        self.i += 1
        return item

    def condition(self) -> Expr:
        left = self.both()
        while self.peek()[1].lower() in _OR:
            self.take()
            left = ("or", left, self.both())
        return left

    def both(self) -> Expr:
        left = self.negation()
        while self.peek()[1].lower() in _AND:
            self.take()
            left = ("and", left, self.negation())
        return left

    def negation(self) -> Expr:
        if self.peek()[1].lower() in _NOT:
            self.take()
            return ("not", self.negation())
        return self.comparison()

    def comparison(self) -> Expr:
        left = self.atom()
        word = self.peek()[1].lower()
        if word == "is" and self.peek(1)[1].lower() == "not":
            self.take()
            word = "isnot"
        if word not in _COMPARE:
            return left
        _, written, at = self.take()
        right = self.atom()
        return ("cmp", _COMPARE[word], left, right, at)

    def atom(self) -> Expr:
        kind, text, at = self.take()
        if kind == "var":
            return ("var", text[1:], at)
        if kind == "num":
            if "." in text:
                raise _Stop(Problem(f"`{text}` is not a whole number", at))
            return ("num", _int(text), at)
        if kind == "op" and text == "-" and self.peek()[0] == "num":
            number = self.atom()
            return ("num", -number[1], at)
        if kind == "word" and text.lower() in ("true", "false"):
            return ("bool", text.lower() == "true", at)
        if kind == "op" and text == "(":
            inner = self.condition()
            if self.take()[1] != ")":
                raise _Stop(Problem("a bracket is not closed", at))
            return inner
        what = "the end" if kind == "end" else f"`{text}`"
        raise _Stop(Problem(f"{what} has no equivalent here", at))


class _Stop(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem


def condition(source: str) -> Expr | Problem:
    """A condition's tree, or the Problem that keeps it from carrying over."""
    items = tokens(source)
    if isinstance(items, Problem):
        return items
    if not items:
        return Problem("the condition is empty")
    parser = _Parser(items)
    try:
        tree = parser.condition()
    except _Stop as stop:
        return stop.problem
    except RecursionError:
        return Problem("the condition is nested too deeply")
    if parser.i < len(items):
        _, text, at = items[parser.i]
        return Problem(f"`{text}` has no equivalent here", at)
    return tree


def assignments(source: str, harlowe: bool) -> list[Assignment | Problem]:
    """Each assignment in a (set:)/(put:) or <<set>>: `$x to 3, $y += 1` (Harlowe's `(put: 3 into $x)` too)."""
    items = tokens(source)
    if isinstance(items, Problem):
        head = re.match(r"\s*\$([A-Za-z_][A-Za-z0-9_]*)\s*(?:to\b|=|\+=|-=)", source, re.IGNORECASE)
        return [attrs.evolve(items, variable=head.group(1)) if head else items]
    out: list[Assignment | Problem] = []
    part: list[tuple[str, str, int]] = []
    depth = 0  # SugarCube's random(1, 5): commas inside a function's brackets are its own
    for item in [*items, ("op", ",", len(source))]:
        depth = max(0, depth + (item[1] == "(") - (item[1] == ")"))
        if item[0] == "op" and item[1] in ",;" and depth == 0:
            if part:
                call = next((w for w, after in zip(part, part[1:], strict=False)
                             if w[0] == "word" and after[1] == "("), None)
                made = _assignment(part, harlowe) if call is None else \
                    Problem(f"the function `{call[1]}()` has no equivalent here", call[2])
                named = next((text[1:] for kind, text, _ in (part[0], part[-1]) if kind == "var"), "")
                out.append(attrs.evolve(made, variable=named) if isinstance(made, Problem) else made)
            part = []
        else:
            part.append(item)
    return out


def _assignment(part: list[tuple[str, str, int]], harlowe: bool) -> Assignment | Problem:
    words = [text.lower() for _, text, _ in part]
    if harlowe and "into" in words and part[-1][0] == "var":  # (put: VALUE into $x)
        cut = words.index("into")
        return _value(part[-1][1][1:], part[:cut], part[0][2], harlowe)
    if not part or part[0][0] != "var":
        return Problem("only a $variable can be set here", part[0][2] if part else 0)
    name, at = part[0][1][1:], part[0][2]
    if len(part) == 2 and part[1][1] in ("++", "--"):
        return Assignment(name, "add", 1 if part[1][1] == "++" else -1, at)
    if len(part) >= 2 and part[1][1] in ("+=", "-="):
        value = _value(name, part[2:], at, harlowe)
        if isinstance(value, Problem) or value.kind != "set" or isinstance(value.value, bool):
            return value if isinstance(value, Problem) else Problem("a step must be a whole number", part[2][2])
        return Assignment(name, "add", value.value if part[1][1] == "+=" else -value.value, at)
    if len(part) >= 2 and part[1][1].lower() in ("to", "="):
        return _value(name, part[2:], at, harlowe)
    return Problem(f"`{' '.join(t for _, t, _ in part)[:40]}` is no assignment this import can read", at)


def _value(name: str, value: list[tuple[str, str, int]], at: int, harlowe: bool) -> Assignment | Problem:
    """`3`, `-2`, `true`, `it + 1` (Harlowe), `$x - 1` or `1 + $x`, for the variable `name`."""
    texts = [text.lower() for _, text, _ in value]
    where = value[0][2] if value else at
    if texts in (["true"], ["false"]):
        return Assignment(name, "flag", texts == ["true"], at)
    number = _number(value)
    if number is not None:
        return _bounded(Assignment(name, "set", number, at), where)
    self_words = {f"${name.lower()}"} | ({"it"} if harlowe else set())
    if len(value) >= 3 and texts[0] in self_words and texts[1] in "+-":
        step = _number(value[2:])
        if step is not None:
            return _bounded(Assignment(name, "add", step if texts[1] == "+" else -step, at), where)
    if len(value) == 3 and texts[2] in self_words and texts[1] == "+":
        step = _number(value[:1])
        if step is not None:
            return _bounded(Assignment(name, "add", step, at), where)
    shown = " ".join(t for _, t, _ in value)
    return Problem(f"the value `{shown[:40]}` is not a whole number, true/false, or a step up or down", where)


def _number(value: list[tuple[str, str, int]]) -> int | None:
    if len(value) == 2 and value[0][1] == "-" and value[1][0] == "num" and "." not in value[1][1]:
        return -_int(value[1][1])
    if len(value) == 1 and value[0][0] == "num" and "." not in value[0][1]:
        return _int(value[0][1])
    return None


def _int(digits: str) -> int:
    """A number as written, without reading thousands of digits (anything that long is out of range anyway)."""
    return int(digits) if len(digits) <= 7 else 10**7


def _bounded(assignment: Assignment, where: int) -> Assignment | Problem:
    if abs(int(assignment.value)) > LIMIT:
        return Problem(f"{assignment.value} is outside what a meter can hold (-{LIMIT} to {LIMIT})", where)
    return assignment


def variables(tree: Expr) -> list[tuple[str, str, int]]:
    """Each variable a condition reads, with how: "number" (compared with a number) or "truth"."""
    kind = tree[0]
    if kind == "var":
        return [(tree[1], "truth", tree[2])]
    if kind == "not":
        return variables(tree[1])
    if kind in ("and", "or"):
        return variables(tree[1]) + variables(tree[2])
    if kind == "cmp":
        _, op, left, right, _ = tree
        sides = (left, right)
        if any(side[0] == "num" for side in sides) or op not in ("==", "!="):
            how = "number"
        elif any(side[0] == "bool" for side in sides):
            how = "truth"
        else:
            how = "either"
        return [(side[1], how, side[2]) for side in sides if side[0] == "var"]
    return []


def render(tree: Expr, kinds: dict[str, str], ids: dict[str, str]) -> str | Problem:
    """The condition in the scenario's language, given each variable's kind ("meter" or "flag") and id."""
    try:
        return _truth(tree, kinds, ids)
    except _Stop as stop:
        return stop.problem


def _truth(tree: Expr, kinds: dict[str, str], ids: dict[str, str]) -> str:
    kind = tree[0]
    if kind == "var":
        return ids[tree[1]] if kinds[tree[1]] == "flag" else f"{ids[tree[1]]} != 0"
    if kind == "bool":
        return "true" if tree[1] else "false"
    if kind == "num":
        return "true" if tree[1] else "false"
    if kind == "not":
        return f"not {_wrap(tree[1], kinds, ids)}"
    if kind in ("and", "or"):
        return f"{_wrap(tree[1], kinds, ids)} {kind} {_wrap(tree[2], kinds, ids)}"
    _, op, left, right, at = tree
    truths = [side for side in (left, right) if side[0] == "bool" or (side[0] == "var" and kinds[side[1]] == "flag")]
    if truths:
        if len(truths) != 2 or op not in ("==", "!="):
            raise _Stop(Problem("a true/false value compared with a number", at))
        if left[0] == "bool" and right[0] == "bool":
            return "true" if (left[1] == right[1]) == (op == "==") else "false"
        if left[0] == "bool" or right[0] == "bool":
            flag, value = (right, left[1]) if left[0] == "bool" else (left, right[1])
            holds = value == (op == "==")
            return _truth(flag, kinds, ids) if holds else f"not {_truth(flag, kinds, ids)}"
        a, b = _truth(left, kinds, ids), _truth(right, kinds, ids)
        same = f"({a} and {b}) or (not {a} and not {b})"
        return same if op == "==" else f"not (({same}))"
    return f"{_side(left, at, ids)} {op} {_side(right, at, ids)}"


def _side(tree: Expr, at: int, ids: dict[str, str]) -> str:
    if tree[0] == "var":
        return ids[tree[1]]
    if tree[0] == "num":
        if abs(tree[1]) > LIMIT:
            raise _Stop(Problem(f"{tree[1]} is outside what a meter can hold (-{LIMIT} to {LIMIT})", at))
        return str(tree[1])
    raise _Stop(Problem("only numbers and number variables can be compared", at))


def _wrap(tree: Expr, kinds: dict[str, str], ids: dict[str, str]) -> str:
    text = _truth(tree, kinds, ids)
    return f"({text})" if tree[0] in ("and", "or", "cmp") and (" and " in text or " or " in text) else text
