"""No Twine story, however broken, gets anything out of the import but located diagnostics and a valid scenario.

Stories are generated from the pieces real ones are made of (headers, the
four link forms, Harlowe and SugarCube macros, hooks, HTML, variables) mixed
with random text and the characters that break readers: brackets left open,
quotes, control characters, overrides. Every diagnostic must point at a line
of the story, and every scenario the import writes must load without an error.
The examples are the same on every run (tests/conftest.py).
"""

from __future__ import annotations

import html
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.analysis.budget import Budget
from game.analysis.checks import deep_check
from game.loader import read_text
from game.loader.twine import import_text, relocate

PIECES = [
    "\n:: A\n", "\n:: B [tag]\n", "\n:: C {\"position\":\"1,2\"}\n", "\n:: End\n", "\n:: StoryInit\n", "\n:: \n",
    "\n:: A\n", "\n:: Start [startup]\n", "\n:: Broken {nope\n", "\n:: X [open\n",
    "[[B]]", "[[go->C]]", "[[End<-leave]]", "[[x|A]]", "[[y|End][$n to 3]]", "[[->]]", "[[", "]]", "[[[End]]]",
    "(set: $n to it + 1)", "(set: $n to 2)", "(set: $f to true)", "(put: 4 into $n)", "(set: $s to \"a\")",
    "(if: $n >= 2)[", "(if: $f)[", "(else-if: $n is 1)[", "(else:)[", "(unless: $f)[", "]", "[",
    "(link: \"go\")[(set: $n to it - 1)(goto: \"End\")]", "(link-goto: \"B\")", "(goto: \"C\")", "(live: 2s)[",
    "<<set $n += 1>>", "<<set $f to false>>", "<<if $n gte 2>>", "<<elseif $f>>", "<<else>>", "<</if>>",
    "<<link \"go\" \"End\">><<set $n to 0>><</link>>", "<<goto [[B]]>>", "<<audio \"x\" play>>", "<<", ">>",
    "<b>", "</b>", "<img src=x>", "<br>", "<script>x</script>", "<!-- note -->", "/* note */",
    "$n", "$f.x", "''bold''", "//it//", "{", "}", "(", ")", "\"", "'", "\\", "\x1b", "\x07", "\u202e", "\r\n",
    "\t", "é", "&amp;", "&lt;", "\n", "\n\n", " ", "text ",
]
FORMATS = ["Harlowe", "SugarCube", "Chapbook", ""]

stories = st.tuples(
    st.sampled_from(FORMATS),
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), max_size=40),
    st.booleans(),
)


def _as_html(fmt: str, body: str) -> str:
    """The same passages as Twine 2 would archive them."""
    parts = re.split(r"\n::([^\n]*)\n", "\n" + body)
    passages = "".join(
        f'<tw-passagedata pid="{k}" name="{html.escape(name.strip(), quote=True)}" tags="">'
        f"{html.escape(text)}</tw-passagedata>"
        for k, (name, text) in enumerate(zip(parts[1::2], parts[2::2], strict=False), start=1)
    )
    return f'<tw-storydata name="Fuzz" startnode="1" format="{fmt}">{passages}</tw-storydata>'


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stories)
def test_only_located_diagnostics_come_out(story):
    fmt, pieces, as_html = story
    body = "".join(pieces)
    if as_html:
        text, file = _as_html(fmt, body), "fuzz.html"
    else:
        text, file = (f':: StoryData\n{{"format": "{fmt}"}}\n' if fmt else "") + body, "fuzz.twee"
    result = import_text(text, file)
    found = list(result.diagnostics)
    if result.scenario is not None:
        checked, _ = deep_check(result.scenario, source=result.text, file=file, budget=Budget(seconds=1.0))
        found += relocate(checked, result)
    lines = text.count("\n") + 1
    for diagnostic in found:
        assert re.fullmatch(r"SC\d{3}", diagnostic.code), diagnostic
        assert diagnostic.file == file
        assert 1 <= diagnostic.line <= lines and diagnostic.column >= 1, diagnostic
        assert "\x1b" not in diagnostic.format()
    if result.text is not None:
        loaded = read_text(result.text, "fuzz.toml")
        assert not loaded.errors, [d.format() for d in loaded.errors]
        assert import_text(text, file).text == result.text  # the same story, the same file
    else:
        assert result.errors, "a story that could not be imported says why"
