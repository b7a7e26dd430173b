"""No input, however broken, gets anything out of the loader but ScenarioError.

Two sources of documents: random TOML structures built from the format's own
vocabulary (so they reach deep into the checks), and random edits of real
scenarios (so they look like an author's half-finished file). Whatever loads is
then played at random, to prove the engine cannot be crashed by a file either.
"""

from __future__ import annotations

import json
import random
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game import library
from game.diagnostics import ScenarioError
from game.engine import EngineError, Playthrough
from game.loader import load_text, read_text
from tests.helpers import MINIMAL, RICH, tiny

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


@pytest.mark.parametrize("opening", ["[", "{ b = ", "[{ c = "])
def test_deep_nesting_is_placed_where_it_goes_too_deep(opening):
    line = "a = " + opening * 3000
    result = read_text(f"[scenario]\n{line}\n", "deep.toml")
    [problem] = result.errors
    assert problem.code == "SC010" and "nested too deeply" in problem.message
    assert problem.line == 2 and 400 < problem.column < len(line)  # where it goes past what TOML reads, not 1:1


# -- what strangers put in files: control characters, escapes from the folder, huge values, odd saves ----------

FAST = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

WORKSHOP = (RICH.replace('id = "rich"', 'id = "rich"\ncontent_notes = ["a breakup"]\nauthor = "Sam"')
            .replace("[meters.trust]", '[meters.trust]\nlabel = "Their trust"')
            .replace('text = "A room."', 'text = "A room."\ndiscuss = ["What would you say?"]\n'
                     'facilitator = "Give the room a minute."')
            .replace('text = "Gone."', 'text = """\nGone.\n"""\nfacilitator = \'\'\'Ask who has walked away.\'\'\''))
CONTROLS = [chr(c) for c in [*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F, *range(0x80, 0xA0)]]
OVERRIDES = [chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]]
_VALUE = re.compile(r'"""[^"]*"""|\'\'\'[^\']*\'\'\'|"[^"\\\n]*"')
_KEY = re.compile(r'^([a-z_]+) = |[{,] ([a-z_]+) = |^\[\[?(?:[a-z_-]+\.)*([a-z_-]+)', re.MULTILINE)


def test_the_workshop_seed_is_a_clean_scenario():
    assert read_text(WORKSHOP, "w.toml", catalog={}).diagnostics == ()


def written(char: str, style: str) -> str:
    """`char` as a basic string holds it: an escape, or the character itself where TOML allows it raw."""
    if style == "raw" and (char in OVERRIDES or ord(char) >= 0x80):
        return char
    if style == "e" and char == "\x1b":
        return "\\e"
    if style == "x" and ord(char) < 0x100:
        return f"\\x{ord(char):02x}"
    return f"\\u{ord(char):04x}"


@st.composite
def poisoned(draw):
    """The workshop seed with a control character or bidi override in one of its strings or keys.

    Returns the text, the character, the code it must get (SC025 for a control
    character anywhere or any odd character in a key, SC102 for an override in
    text) and where that diagnostic must point: the character itself when it is
    on the first line of a value's text, otherwise the start of the key or value.
    """
    char = draw(st.sampled_from(CONTROLS + OVERRIDES))
    style = draw(st.sampled_from(["u", "x", "e", "raw"]))
    in_key = draw(st.booleans())
    if in_key:
        spans = [(m.start(g), m.end(g), g == 3) for m in _KEY.finditer(WORKSHOP) for g in (1, 2, 3) if m.group(g)]
        start, end, header = draw(st.sampled_from(spans))
        cut = draw(st.integers(start, end))
        text = f'{WORKSHOP[:start]}"{WORKSHOP[start:cut]}{written(char, style)}{WORKSHOP[cut:end]}"{WORKSHOP[end:]}'
        line, column = place(WORKSHOP, start)
        return text, char, "SC025", line, 1 if header else column
    spans = [(m.start(), m.end()) for m in _VALUE.finditer(WORKSHOP)
             if WORKSHOP[m.start()] == '"' or char in OVERRIDES or ord(char) >= 0x80]  # literals hold no escapes
    start, end = draw(st.sampled_from(spans))
    if WORKSHOP[start] == "'":
        style = "raw"
    quotes = 3 if WORKSHOP.startswith(("\'\'\'", '"""'), start) else 1
    cut = draw(st.integers(start + quotes, end - quotes))
    text = WORKSHOP[:cut] + written(char, style) + WORKSHOP[cut:]
    first = start + quotes + (WORKSHOP[start + quotes] == "\n" and quotes == 3)  # TOML drops that line break
    if char in OVERRIDES:
        return text, char, "SC102", place(WORKSHOP, start)[0], None
    if "\n" in WORKSHOP[first:cut]:
        return text, char, "SC025", *place(WORKSHOP, start)
    return text, char, "SC025", *place(WORKSHOP, cut)


def place(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)


@settings(FAST)
@given(poisoned())
def test_control_characters_and_overrides_in_any_text_or_key_are_reported_where_they_are(case):
    text, char, code, line, column = case
    result = read_text(text, "poisoned.toml", catalog={})
    assert all(d.format().isprintable() for d in result.diagnostics)
    found = [d for d in result.diagnostics if d.code == code]
    assert len(found) == 1, [d.format() for d in result.diagnostics]
    assert found[0].line == line, (found[0].format(), line)
    if column is not None:
        assert found[0].column == column, (found[0].format(), column)
    assert (result.scenario is not None) == (code == "SC102")
    if result.scenario is not None:
        texts = [result.scenario.title, result.scenario.summary, *result.scenario.content_notes]
        for scene in result.scenario.scenes.values():
            texts += [scene.text, *scene.discuss, scene.facilitator, *(c.text for c in scene.choices)]
            texts += [m.text for m in scene.messages] + [v.text for v in scene.variants]
        assert all(t.isprintable() or "\n" in t for t in texts) and not any(c in t for t in texts for c in OVERRIDES)


def toml_string(value: str) -> str:
    """A TOML basic string holding `value` exactly, whatever it contains."""
    out = []
    for char in value:
        if char in '"\\':
            out.append("\\" + char)
        elif char.isprintable():
            out.append(char)
        else:
            out.append(f"\\u{ord(char):04x}" if ord(char) < 0x10000 else f"\\U{ord(char):08x}")
    return '"' + "".join(out) + '"'


SAFE = "abcdefghijklmnopqrstuvwxyz0123456789-"
leaving_ids = st.one_of(
    st.sampled_from(["../x", "/etc/x", "a\x00b", "..", ".", "", "x/../../y", "C:\\x", "a/b", ".hidden", "-rf",
                     "con\nsole", "x" * 65, "caf\u00e9", "Upper", "a b", "~/x", "%2e%2e%2fx"]),
    st.builds(lambda a, sep, b: a + sep + b, st.text(SAFE, max_size=8),
              st.sampled_from(["/", "\\", "..", "\x00", "/../", ":", "\n", " ", "\x1b]0;", "\u2215", "%2f"]),
              st.text(SAFE + "./", max_size=8)),
    st.text(SAFE, min_size=65, max_size=5000).filter(lambda s: s[0] != "-"),
)


@settings(FAST)
@given(leaving_ids)
def test_scenario_ids_that_could_leave_the_save_folder_are_refused(scenario_id):
    text = MINIMAL.replace('id = "tiny"', f"id = {toml_string(scenario_id)}")
    result = read_text(text, "ids.toml", catalog={})
    assert result.scenario is None
    found = [d for d in result.diagnostics if d.code == "SC024"]
    assert len(found) == 1 and (found[0].line, found[0].column) == (2, 1), [d.format() for d in result.diagnostics]
    assert len(found[0].format()) < 500


MEGABYTE = 1024 * 1024
PLACES = [  # where a huge value lands in MINIMAL, and the code that quotes it
    ('id = "tiny"', 'id = "{}"', "SC024"),
    ('goto = "hall"', 'goto = "{}"', "SC030"),
    ('start = "door"', 'start = "{}"', "SC035"),
    ('tone = "warm"', 'tone = "{}"', "SC023"),
    ('goto = "@ending"', 'goto = "@ending"\nif = "{}"', "SC040"),
    ('set = ["knocked"]', 'set = ["{}"]', "SC032"),
    ("effects = { trust = 1 }", "effects = {{ {} = 1 }}", "SC031"),
    ('text = "A door."', 'text = "A door."\n{} = 1', "SC020"),
    ("[scenes.hall]", "[scenes.hall]\n[scenes.{}]", "SC023"),
    ('title = "Warm"', 'title = "Warm"\noutcome = "{}"', "SC023"),
    ('summary = "A two-scene test story."', "summary = {}", "SC010"),
    ('text = "A hall."', 'text = "{}', "SC010"),
    ('text = "A hall."', 'text = """{}\n\n[x]\ny = """\nbye\n"""', "SC010"),
    ("effects = { trust = 1 }", "effects = {{ trust = 1{} }}", "SC010"),
]


@settings(max_examples=len(PLACES) * 2, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.sampled_from(PLACES), st.text("abcxyz_-019", min_size=1, max_size=7))
def test_a_megabyte_value_is_quoted_not_echoed(place, piece):
    old, new, code = place
    big = (piece * (MEGABYTE // len(piece) + 1))[:MEGABYTE]
    text = MINIMAL.replace(old, new.format(big), 1)
    result = read_text(text, "big.toml", catalog={})
    assert code in [d.code for d in result.diagnostics], [d.format()[:200] for d in result.diagnostics]
    for diagnostic in result.diagnostics:
        assert len(diagnostic.format()) < 500, diagnostic.format()[:600]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)
steps = st.lists(st.one_of(json_values, st.tuples(st.sampled_from(["door", "hall", "x", ""]),
                                                   st.one_of(st.integers(-3, 3), json_values)).map(list)),
                 max_size=4)
saves_of_any_shape = st.one_of(
    json_values,
    st.fixed_dictionaries({"format": st.just("second-chance-save"), "version": st.just(1),
                           "scenario": st.just("tiny")},
                          optional={"path": st.one_of(steps, json_values), "owner": json_values,
                                    "digest": json_values, "ended": json_values, "saved_at": json_values}),
    st.dictionaries(st.sampled_from(["format", "version", "scenario", "path", "owner"]), json_values),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(saves_of_any_shape)
def test_a_save_of_any_shape_is_resumed_or_set_aside(tmp_path_factory, data):
    from game.saves import SaveSlots

    folder = tmp_path_factory.mktemp("saves")
    slots = SaveSlots(folder)
    scenario = tiny()
    slots.path_for("tiny").write_text(json.dumps(data), encoding="utf-8")
    play, problem = slots.load(scenario)
    kept = list(folder.glob("tiny.unreadable-*.json"))
    if play is None:
        assert problem is not None and "could not be resumed" in problem and problem.isprintable()
        assert len(kept) == 1 and not slots.has("tiny")
        assert json.loads(kept[0].read_text(encoding="utf-8")) == data
    else:
        assert problem is None and not kept and slots.has("tiny")
        assert [list(step) for step in play.path] == data["path"]
