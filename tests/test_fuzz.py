"""No input, however broken, gets anything out of the loader but ScenarioError.

Two sources of documents: random TOML structures built from the format's own
vocabulary (so they reach deep into the checks), and random edits of real
scenarios (so they look like an author's half-finished file). Whatever loads is
then played at random, to prove the engine cannot be crashed by a file either.
"""

from __future__ import annotations

import json
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game import library
from game.diagnostics import ScenarioError
from game.engine import EngineError, Playthrough
from game.loader import load_text, read_text
from tests.helpers import MINIMAL, RICH

SEEDS = [MINIMAL, RICH] + [p.read_text(encoding="utf-8") for p in library.builtin_scenarios()[:3]]
WORDS = ["scenario", "id", "title", "summary", "start", "scenes", "endings", "choices", "text",
         "goto", "if", "when", "effects", "trust", "self_esteem", "flags", "set", "clear", "meters",
         "min", "max", "tone", "hopeful", "variants", "messages", "from", "draft", "unavailable",
         "strike", "reason", "follows", "ignores", "advice", "sources", "once", "expected", "a", "b",
         "@ending", "help", "outcome", "[/", "[@click=app.quit]x[/]", "trust >= 3", "not a", "(("]

scalars = st.one_of(
    st.sampled_from(WORDS), st.text(max_size=12), st.integers(-(2**70), 2**70), st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(WORDS), inner, max_size=5),
    ),
    max_leaves=25,
)
documents = st.dictionaries(st.sampled_from(WORDS), values, max_size=7)


def dump_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)  # JSON string escapes are valid TOML basic-string escapes
    if isinstance(value, list):
        return "[" + ", ".join(dump_value(v) for v in value) + "]"
    return "{" + ", ".join(f"{json.dumps(k)} = {dump_value(v)}" for k, v in value.items()) + "}"


def dump(document: dict) -> str:
    return "".join(f"{json.dumps(k)} = {dump_value(v)}\n" for k, v in document.items())


def play_at_random(text: str, seed: int) -> None:
    try:
        scenario = load_text(text, "fuzz.toml")
    except ScenarioError as problem:
        assert problem.diagnostics, "a ScenarioError must carry its diagnostics"
        for diagnostic in problem.diagnostics:
            assert diagnostic.line >= 1 and diagnostic.column >= 1
            diagnostic.format()
        return
    rng = random.Random(seed)
    play = Playthrough.begin(scenario)
    for _ in range(60):
        open_options = [o for o in play.options() if o.available]
        if play.is_over or not open_options:
            break
        play = play.choose(rng.choice(open_options).choice.index)
        play.text(), play.messages()
    if play.steps:
        assert play.undo().steps == play.steps[:-1]
    try:
        play.choose(999)
    except EngineError:
        pass


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents, st.integers(0, 1000))
def test_random_structures(document, seed):
    play_at_random(dump(document), seed)


@st.composite
def mutations(draw):
    text = draw(st.sampled_from(SEEDS))
    lines = text.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        kind = draw(st.sampled_from(["drop", "dup", "char", "insert", "swap"]))
        if kind == "drop":
            del lines[i]
        elif kind == "dup":
            lines.insert(i, lines[i])
        elif kind == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "char" and lines[i]:
            k = draw(st.integers(0, len(lines[i]) - 1))
            lines[i] = lines[i][:k] + draw(st.sampled_from('"[]{}=#\\x0.-@ ')) + lines[i][k + 1:]
        else:
            value = draw(st.sampled_from(['"x"', "1", "[", "{}"]))
            lines.insert(i, f"{draw(st.sampled_from(WORDS))} = {value}\n")
    return "".join(lines)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutations(), st.integers(0, 1000))
def test_mutated_scenarios(text, seed):
    play_at_random(text, seed)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_through_the_file_reader(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("fuzz") / "bytes.toml"
    path.write_bytes(data)
    from game.loader import read_scenario

    result = read_scenario(path)
    assert result.scenario is None or not result.errors


def test_read_text_never_raises_on_deep_nesting():
    result = read_text("a = " + "[" * 5000 + "]" * 5000 + "\n", "deep.toml")
    assert result.errors
