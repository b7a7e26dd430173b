"""`second-chance lsp`: every feature driven the way an editor drives it.

Each test talks to a real `python -m game lsp` process over JSON-RPC on its
stdin and stdout, using pygls's own LanguageClient; no handler is called
directly. One server serves the module (starting one costs about a second);
each test opens documents of its own.
"""

from __future__ import annotations

import ast
import asyncio
import json
import queue
import re
import socket
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import pytest
import pytest_asyncio
from lsprotocol import types
from pygls import uris
from pygls.exceptions import JsonRpcException
from pygls.lsp.client import LanguageClient

from game.analysis.expected import check_expected
from game.cli import main
from game.loader import load_catalog, read_text
from game.locate import locate
from game.lsp import hover, symbols, wire
from game.lsp.document import Lines
from game.lsp.server import ADVANCE_CLOCK, DEBOUNCE, ScenarioServer, create_server
from game.lsp.transport import Out
from game.toml import context_at, read

in_session = pytest.mark.asyncio(loop_scope="module")
"""Every async test shares the module's event loop, where the module's server lives."""

ROOT = Path(__file__).resolve().parent.parent
SERVER = [sys.executable, "-m", "game", "lsp", "--manual-clock"]
"""The server under test moves its clock only when a test says so: no test sleeps to wait for a pause."""

STORY = '''\
[scenario]
id = "lsp-demo"
title = "At the Bar"
summary = "One drink, one message."
start = "bar"

[meters.nerve]
label = "Your nerve"
start = 3

[flags]
texted = "You sent the text."

[advice.call-a-friend]
title = "Call a *friend* <b>first</b> [x](http://e.test)"
text = "Talk it over with someone who knows you both."
sources = ["A1 #7"]
disagreement = "Some say keep it private."
stance = "The game thinks a friend helps."

[scenes.bar]
title = "Friday, 11 p.m."
text = """
The bar is loud. Your phone is in your hand.
"""

[[scenes.bar.variants]]
if = "visits.bar > 1"
text = "Back at the bar again."

[[scenes.bar.choices]]
text = "Text them."
goto = "home"
effects = { trust = -1 }
set = ["texted"]
ignores = ["no-contact-to-heal"]

[[scenes.bar.choices]]
text = "Call a friend instead."
goto = "home"
effects = { nerve = 1 }
follows = ["call-a-friend", "no-contact-to-heal"]

[scenes.home]
text = "You get home."

[[scenes.home.choices]]
text = "Go back to the bar."
goto = "bar"
if = "not texted and visits.bar < 2"
unavailable = "strike"
reason = "You are done for tonight."

[[scenes.home.choices]]
text = "Sleep."
goto = "@ending"

[endings.calm]
title = "A Calm Morning"
tone = "hopeful"
outcome = "apart"
when = "nerve >= 4 and not texted"
text = "You wake up clear-headed."

[endings.morning]
title = "The Morning After"
tone = "bittersweet"
text = "You wake up and check your phone."

[[expected]]
name = "the friend"
choices = [2, 2]
ending = "calm"
'''


def position(text: str, marker: str, shift: int = 0, nth: int = 0) -> types.Position:
    """The position just after the `nth` occurrence of `marker`, moved by `shift` characters (UTF-16 units)."""
    at = -1
    for _ in range(nth + 1):
        at = text.index(marker, at + 1)
    line, column = Lines(text).position(at + len(marker) + shift)
    return types.Position(line=line, character=column)


class Editor:
    """A test editor: a pygls client that records what the server publishes and logs."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.client = LanguageClient("second-chance-tests", "1")
        self.published: dict[str, list[types.PublishDiagnosticsParams]] = defaultdict(list)
        self.logs: list[str] = []
        self.versions: dict[str, int] = {}
        self.texts: dict[str, str] = {}

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def on_diagnostics(params: types.PublishDiagnosticsParams) -> None:
            self.published[params.uri].append(params)

        @self.client.feature(types.WINDOW_LOG_MESSAGE)
        def on_log(params: types.LogMessageParams) -> None:
            self.logs.append(params.message)

    async def start(self, command: list[str] | None = None, tcp: tuple[str, int] | None = None,
                    encodings: list[str] | None = None) -> types.InitializeResult:
        if tcp:
            await self.client.start_tcp(*tcp)
        else:
            await self.client.start_io(*(command or SERVER), cwd=str(ROOT))
        capabilities = types.ClientCapabilities(
            text_document=types.TextDocumentClientCapabilities(
                rename=types.RenameClientCapabilities(prepare_support=True)),
            general=types.GeneralClientCapabilities(position_encodings=encodings) if encodings else None,
        )
        result = await asyncio.wait_for(self.client.initialize_async(types.InitializeParams(
            capabilities=capabilities, root_uri=uris.from_fs_path(str(self.folder)))), 30)
        self.client.initialized(types.InitializedParams())
        return result

    async def stop(self) -> None:
        await asyncio.wait_for(self.client.shutdown_async(None), 10)
        self.client.exit(None)
        await asyncio.wait_for(self.client.stop(), 10)

    def open(self, text: str, name: str) -> str:
        uri = uris.from_fs_path(str(self.folder / name))
        self.versions[uri] = 1
        self.texts[uri] = text
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=uri, language_id="toml", version=1, text=text)))
        return uri

    def change(self, uri: str, text: str) -> None:
        self.versions[uri] += 1
        self.texts[uri] = text
        self.client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))

    async def advance(self, seconds: float) -> None:
        """Move the server's clock on; returns once every deep check that woke has published."""
        await asyncio.wait_for(self.client.protocol.send_request_async(ADVANCE_CLOCK, {"seconds": seconds}), 60)

    def current(self, uri: str) -> list[types.PublishDiagnosticsParams]:
        return [p for p in self.published[uri] if p.version == self.versions[uri]]

    async def diagnostics(self, uri: str, deep: bool = False, timeout: float = 30) -> list[types.Diagnostic]:
        """The latest diagnostics for the current version; with `deep`, after a pause long enough for the deep
        checks (which have then published)."""
        deadline = time.monotonic() + timeout
        while not self.current(uri):  # the quick check answers every change
            assert time.monotonic() < deadline, f"no diagnostics for {uri}: {self.published[uri]}"
            await asyncio.sleep(0.02)
        if deep:
            await self.advance(DEBOUNCE)
        return list(self.current(uri)[-1].diagnostics)

    async def complete(self, uri: str, where: types.Position) -> list[types.CompletionItem]:
        result = await self.client.text_document_completion_async(
            types.CompletionParams(types.TextDocumentIdentifier(uri), where))
        if result is None:
            return []
        return list(result.items if isinstance(result, types.CompletionList) else result)

    async def hover(self, uri: str, where: types.Position) -> types.Hover | None:
        return await self.client.text_document_hover_async(types.HoverParams(types.TextDocumentIdentifier(uri), where))


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def editor(tmp_path_factory):
    session = Editor(tmp_path_factory.mktemp("lsp"))
    await session.start()
    yield session
    await session.stop()


def labels(items: list[types.CompletionItem]) -> list[str]:
    return [item.label for item in items]


def text_of(text: str, rng: types.Range) -> str:
    lines = Lines(text)
    return text[lines.offset(rng.start.line, rng.start.character):lines.offset(rng.end.line, rng.end.character)]


# --- 1. diagnostics as the author types ---------------------------------------------------------


@in_session
async def test_a_broken_file_gets_located_coded_diagnostics(editor):
    text = STORY.replace('goto = "home"\neffects = { nerve', 'goto = "hoem"\neffects = { nerve') \
                .replace('text = "You get home."', 'txt = "You get home."')
    uri = editor.open(text, "broken.toml")
    found = await editor.diagnostics(uri)
    by_code = {d.code: d for d in found}
    assert set(by_code) == {"SC030", "SC020", "SC021"}, [(d.code, d.message) for d in found]
    goto = by_code["SC030"]
    assert text_of(text, goto.range) == 'goto = "hoem"'
    assert goto.range.start == position(text, 'goto = "hoem"', -len('goto = "hoem"'))
    assert goto.severity == types.DiagnosticSeverity.Error and goto.source == "second-chance"
    assert "`hoem`" in goto.message and "did you mean `home`?" in goto.message
    assert text_of(text, by_code["SC020"].range) == 'txt = "You get home."'
    assert by_code["SC020"].message.startswith("unknown key `txt` in scene `home`")


@in_session
async def test_a_toml_syntax_error_is_placed_on_its_line(editor):
    text = STORY.replace('title = "A Calm Morning"', 'title = "A Calm Morning')
    uri = editor.open(text, "syntax.toml")
    [problem] = await editor.diagnostics(uri)
    assert problem.code == "SC010" and problem.message.startswith("TOML syntax")
    assert problem.range.start.line == position(text, 'title = "A Calm').line


@in_session
async def test_condition_errors_point_inside_the_string(editor):
    text = STORY.replace('if = "not texted and visits.bar < 2"', 'if = "not txted and visits.bar < 2"')
    uri = editor.open(text, "condition.toml")
    [problem] = await editor.diagnostics(uri)
    assert problem.code == "SC042"
    assert text_of(text, problem.range) == "txted"
    assert "did you mean `texted`?" in problem.message


@in_session
async def test_columns_are_counted_in_utf16_units(editor):
    text = STORY.replace('text = "You get home."', 'text = "You get home 🏠."\nmood = "🏠🏠" ; oops = 1')
    uri = editor.open(text, "emoji.toml")
    found = await editor.diagnostics(uri)
    assert found, "expected a syntax error after the emoji"
    line = Lines(text).line(found[0].range.start.line)
    assert "🏠🏠" in line
    # the parser stops at ` ; `: after `mood = "🏠🏠" ` which is 12 characters but 14 UTF-16 units
    assert found[0].range.start.character == len('mood = "🏠🏠" '.encode("utf-16-le")) // 2


@in_session
async def test_deep_checks_follow_after_a_pause(editor):
    text = STORY + '\n[scenes.attic]\ntext = "Nobody comes up here."\n\n[[scenes.attic.choices]]\n' \
                   'text = "Down."\ngoto = "home"\n'
    uri = editor.open(text, "deep.toml")
    quick = await editor.diagnostics(uri)
    assert quick == []
    await editor.advance(DEBOUNCE - 0.05)
    assert len(editor.current(uri)) == 1  # not yet: the author has not paused long enough
    await editor.advance(0.05)
    [unreached] = editor.current(uri)[-1].diagnostics
    assert unreached.code == "SC110" and unreached.severity == types.DiagnosticSeverity.Warning
    assert text_of(text, unreached.range) == "[scenes.attic]"
    assert "never reached" in unreached.message


@in_session
async def test_warnings_stay_on_screen_while_the_author_types(editor):
    """Keystrokes 150 ms apart: every change is answered at once with the loader's diagnostics and the last
    deep findings, moved with the edit; the deep checks run again only after a pause."""
    unreachable = STORY + '\n[scenes.attic]\ntext = "Up here."\n\n[[scenes.attic.choices]]\ntext = "Down."\n' \
                          'goto = "home"\n'
    uri = editor.open(unreachable, "typing.toml")
    [warning] = await editor.diagnostics(uri, deep=True)
    typed = unreachable
    for letter in "# a note":  # typed above the attic, so its warning moves down with every key
        typed = typed.replace("\n[scenes.attic]", f"{letter}\n[scenes.attic]" if letter != "#" else
                              "\n#\n[scenes.attic]", 1)
        editor.change(uri, typed)
        [moved] = await editor.diagnostics(uri)
        assert moved.code == "SC110" and text_of(typed, moved.range) == "[scenes.attic]"
        await editor.advance(0.15)
        assert len(editor.current(uri)) == 1  # no deep run while typing
    assert text_of(typed, warning.range) != "[scenes.attic]"  # the old range is stale: it did move
    typed = typed.replace("scenes.attic", "scenes.attic_room")
    editor.change(uri, typed)
    [kept] = await editor.diagnostics(uri)
    assert kept.code == "SC110" and text_of(typed, kept.range).startswith("[scenes.attic")  # still shown
    [fresh] = await editor.diagnostics(uri, deep=True)  # after the pause, new findings replace the old
    assert text_of(typed, fresh.range) == "[scenes.attic_room]" and "attic_room" in fresh.message


@in_session
async def test_deep_checks_wait_for_a_clean_load(editor):
    uri = editor.open(STORY.replace('goto = "bar"', 'goto = "baar"'), "unclean.toml")
    assert [d.code for d in await editor.diagnostics(uri)] == ["SC030"]
    await editor.advance(10 * DEBOUNCE)
    assert len(editor.current(uri)) == 1  # no deep run on a broken load


@in_session
async def test_fixing_the_file_clears_its_diagnostics(editor):
    uri = editor.open(STORY.replace('goto = "bar"', 'goto = "baar"'), "fixed.toml")
    assert await editor.diagnostics(uri)
    editor.change(uri, STORY)
    assert await editor.diagnostics(uri) == []
    assert await editor.diagnostics(uri, deep=True) == []


@pytest.mark.parametrize("text", [
    "",
    "[scenario]\n\x00\x1b[31m",
    "[scenario]\n[[[[[[[[",
    "[scenes.a]\ntext = '''\nnever closed",
    "[scenario]\na = " + "[" * 600,
    '[scenario]\nid = "\ud800"\n',
    "[scenario]\n= = =\n[.]\n[[]]\n{}\n",
    STORY[: len(STORY) // 2],
    STORY.replace("]", ""),
    STORY.replace('"', ""),
])
@in_session
async def test_no_file_stops_the_server(editor, text):
    name = f"garbage-{abs(hash(text))}.toml"
    uri = editor.open(text, name)
    found = await editor.diagnostics(uri)
    assert found and all(d.source == "second-chance" and d.code.startswith("SC") for d in found)
    lines = Lines(text)
    for offset in range(0, len(text) + 1, max(1, len(text) // 40)):
        line, column = lines.position(offset)
        where = types.Position(line=line, character=column)
        await editor.complete(uri, where)
        await editor.hover(uri, where)
        await editor.client.text_document_definition_async(
            types.DefinitionParams(types.TextDocumentIdentifier(uri), where))
    assert not [log for log in editor.logs if "failed" in log], editor.logs
    check = editor.open(STORY, f"after-{name}")  # and the server still answers
    assert await editor.diagnostics(check) == []


@in_session
async def test_other_toml_files_hear_nothing(editor):
    text = '[project]\nname = "demo"\n\n[tool.ruff]\nline-length = 120\n'
    uri = editor.open(text, "pyproject.toml")
    assert await editor.diagnostics(uri) == []
    await editor.advance(10 * DEBOUNCE)
    assert len(editor.published[uri]) == 1  # and no deep checks either
    assert await editor.complete(uri, position(text, "line-length = 120\n")) == []
    catalog = (ROOT / "scenarios" / "advice.toml").read_text(encoding="utf-8")
    assert await editor.diagnostics(editor.open(catalog, "advice.toml")) == []
    empty = editor.open("", "new.toml")  # a scenario about to be written is one
    assert [d.code for d in await editor.diagnostics(empty)] == ["SC003"]
    assert labels(await editor.complete(empty, types.Position(line=0, character=0))) == \
        ["[scenario]", "[meters.", "[flags]", "[cast.", "[advice.", "[scenes.", "[endings.", "[[expected]]"]


@in_session
async def test_a_failing_handler_is_logged_and_the_server_carries_on(tmp_path):
    broken = ("import game.lsp.completion as c\n"
              "def fail(*args):\n    raise RuntimeError('a planted fault')\n"
              "c.complete = fail\n"
              "from game.cli import main\nmain(['lsp'])\n")
    session = Editor(tmp_path)
    await session.start([sys.executable, "-c", broken])
    try:
        uri = session.open(STORY, "story.toml")
        assert await session.diagnostics(uri) == []
        items = await session.complete(uri, position(STORY, 'goto = "'))
        assert items == []
        assert any("completion failed" in log and "a planted fault" in log for log in session.logs), session.logs
        hover = await session.hover(uri, position(STORY, 'goto = "h'))
        assert hover is not None and "Scene home" in hover.contents.value
    finally:
        await session.stop()


@in_session
async def test_a_file_the_editor_has_not_opened_is_refused_never_read(editor, tmp_path):
    """The library would read an unopened file from disk unchecked: a pipe would hang the server for good, a
    device fill its memory, a missing file bring a traceback. Each is refused with an error at once, and a
    file just closed is refused the same way."""
    import os

    pipe = tmp_path / "pipe.toml"
    os.mkfifo(pipe)
    closed = editor.open(STORY, "closed-soon.toml")
    await editor.diagnostics(closed)
    editor.client.text_document_did_close(types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(closed)))
    where = types.Position(line=0, character=0)
    for uri in (pipe.as_uri(), "file:///dev/zero", (tmp_path / "missing.toml").as_uri(), closed):
        ask = types.TextDocumentIdentifier(uri)
        for request in (editor.client.text_document_hover_async(types.HoverParams(ask, where)),
                        editor.client.text_document_document_symbol_async(types.DocumentSymbolParams(ask)),
                        editor.client.text_document_references_async(types.ReferenceParams(
                            text_document=ask, position=where, context=types.ReferenceContext(True)))):
            with pytest.raises(JsonRpcException) as refused:
                await asyncio.wait_for(request, 10)
            assert "is not open in the editor" in str(refused.value), refused.value
    assert not [log for log in editor.logs if "Traceback" in log or "failed" in log], editor.logs
    alive = editor.open(STORY, "still-alive.toml")
    assert await editor.diagnostics(alive) == []
    assert (await editor.hover(alive, position(STORY, 'goto = "h'))) is not None


@in_session
async def test_a_long_story_answers_between_keystrokes_from_the_last_index_moved_with_the_edit(editor):
    """Past `views.LARGE`, a hover, a definition or the outline asked for after an edit is answered by the last
    index, each place moved by the edit, exactly as a new index would answer; a question about the edited
    stretch gets a new index."""
    from game.lsp.index import Index
    from game.lsp.views import LARGE

    scenes = "".join(f'[scenes.s{i}]\ntext = "Scene {i}."\n\n[[scenes.s{i}.choices]]\ntext = "On."\n'
                     f'goto = "s{i + 1}"\n\n' for i in range(800))
    text = STORY.replace('[scenes.bar]', scenes.replace('goto = "s800"', 'goto = "bar"') + "[scenes.bar]") \
        .replace('start = "bar"', 'start = "s0"')
    assert len(text) > LARGE
    uri = editor.open(text, "long-story.toml")
    await editor.diagnostics(uri)
    assert await editor.hover(uri, position(text, 'goto = "s1')) is not None  # the index, built once
    at = text.index('text = "Scene 350.') + len('text = "Scene')
    edited = text[:at] + " three hundred and fifty,\nand a line" + text[at:]
    editor.change(uri, edited)
    fresh = Index(edited)
    for marker in ('goto = "s1', 'goto = "s60', 'goto = "ho', 'goto = "s400'):
        where = position(edited, marker)
        got = await editor.hover(uri, where)
        offset = fresh.lines.offset(where.line, where.character)
        assert got == hover.hover(fresh, offset), marker
    outline = await editor.client.text_document_document_symbol_async(
        types.DocumentSymbolParams(types.TextDocumentIdentifier(uri)))
    assert [(s.name, s.range) for s in outline] == [(s.name, s.range) for s in symbols_outline(fresh)]
    inside = await editor.hover(uri, position(edited, "three hundred"))
    assert inside is None  # on the edit itself: a new index, which finds no id there


def symbols_outline(index):
    return symbols.outline(index)


# --- 2. completion -------------------------------------------------------------------------------------


@in_session
async def test_goto_offers_scenes_endings_and_auto_ending(editor):
    text = STORY.replace('goto = "@ending"', 'goto = ""')
    uri = editor.open(text, "goto.toml")
    items = await editor.complete(uri, position(text, 'goto = "', nth=3))
    assert labels(items) == ["bar", "home", "calm", "morning", "@ending"]
    bar = items[0]
    assert bar.detail == "scene: Friday, 11 p.m." and bar.kind == types.CompletionItemKind.Class
    assert items[2].detail == "ending (hopeful): A Calm Morning"
    assert bar.text_edit.new_text == "bar" and bar.text_edit.range.start == position(text, 'goto = "', nth=3)


@in_session
async def test_goto_completes_in_a_file_that_does_not_parse(editor):
    text = STORY.replace('goto = "@ending"', 'goto = "mo') + '\n[scenes.late\ntext = "unfinished'
    uri = editor.open(text, "half-typed.toml")
    assert (await editor.diagnostics(uri))[0].code == "SC010"
    items = await editor.complete(uri, position(text, 'goto = "mo'))
    assert "morning" in labels(items) and "late" in labels(items)  # even the scene still being written
    morning = next(i for i in items if i.label == "morning")
    assert text_of(text, morning.text_edit.range) == "mo"


@in_session
async def test_goto_without_quotes_inserts_them(editor):
    text = STORY.replace('goto = "@ending"', "goto = ")
    uri = editor.open(text, "unquoted.toml")
    items = await editor.complete(uri, position(text, "goto = ", nth=3))
    assert next(i for i in items if i.label == "home").text_edit.new_text == '"home"'


@in_session
async def test_start_and_expected_ending(editor):
    text = STORY.replace('start = "bar"', 'start = ""').replace('ending = "calm"', 'ending = ""')
    uri = editor.open(text, "start.toml")
    assert labels(await editor.complete(uri, position(text, 'start = "'))) == ["bar", "home"]
    assert labels(await editor.complete(uri, position(text, 'ending = "'))) == ["calm", "morning"]


@in_session
async def test_conditions_offer_meters_flags_visits_and_words(editor):
    text = STORY.replace('if = "not texted and visits.bar < 2"', 'if = "not texted and vi')
    uri = editor.open(text, "condition-complete.toml")
    items = await editor.complete(uri, position(text, 'if = "not texted and vi'))
    names = labels(items)
    for expected in ("trust", "self_esteem", "nerve", "texted", "visits.bar", "visits.home", "and", "or", "not"):
        assert expected in names
    assert "calm" not in names  # endings have no visit counts
    visits = next(i for i in items if i.label == "visits.home")
    assert text_of(text, visits.text_edit.range) == "vi"
    nerve = next(i for i in items if i.label == "nerve")
    assert nerve.detail == "meter: Your nerve (0 to 10)"
    when = STORY.replace('when = "nerve >= 4 and not texted"', 'when = "')
    uri = editor.open(when, "when-complete.toml")
    assert "nerve" in labels(await editor.complete(uri, position(when, 'when = "')))


@in_session
async def test_follows_offers_advice_with_titles(editor):
    text = STORY.replace('follows = ["call-a-friend", "no-contact-to-heal"]', 'follows = ["call-a-friend", "no-')
    uri = editor.open(text, "follows.toml")
    items = await editor.complete(uri, position(text, '"no-'))
    catalog, _ = load_catalog()
    assert set(labels(items)) == set(catalog) | {"call-a-friend"}
    assert labels(items)[0] == "call-a-friend"  # the file's own advice first
    heal = next(i for i in items if i.label == "no-contact-to-heal")
    assert heal.detail == catalog["no-contact-to-heal"].title
    assert text_of(text, heal.text_edit.range) == "no-"
    assert "A1 \\#4" in heal.documentation.value
    ignores = STORY.replace('ignores = ["no-contact-to-heal"]', "ignores = [\n  ")
    uri = editor.open(ignores, "ignores.toml")
    items = await editor.complete(uri, position(ignores, "ignores = [\n  "))
    assert next(i for i in items if i.label == "call-a-friend").text_edit.new_text == '"call-a-friend"'


@in_session
async def test_set_and_clear_offer_flags(editor):
    text = STORY.replace('set = ["texted"]', 'set = ["')
    uri = editor.open(text, "set.toml")
    items = await editor.complete(uri, position(text, 'set = ["'))
    assert labels(items) == ["texted"] and items[0].detail == "You sent the text."


@in_session
async def test_effects_offer_meters(editor):
    text = STORY.replace("effects = { nerve = 1 }", "effects = { nerve = 1, ")
    uri = editor.open(text, "effects.toml")
    assert labels(await editor.complete(uri, position(text, "effects = { nerve = 1, "))) == \
        ["trust", "self_esteem"]  # not `nerve`, already written in this table


@in_session
async def test_keys_of_the_current_table_less_those_written(editor):
    text = STORY.replace('text = "Sleep."\ngoto = "@ending"\n', 'text = "Sleep."\ngoto = "@ending"\non')
    uri = editor.open(text, "keys.toml")
    items = await editor.complete(uri, position(text, 'goto = "@ending"\non'))
    names = labels(items)
    assert "once" in names and "unavailable" in names and "effects" in names
    assert "text" not in names and "goto" not in names  # already written
    assert "tone" not in names  # an ending's key, not a choice's
    once = next(i for i in items if i.label == "once")
    assert once.text_edit.new_text == "once = " and "only once" in once.documentation.value
    ending = STORY.replace('tone = "bittersweet"\n', "")
    uri = editor.open(ending, "ending-keys.toml")
    items = await editor.complete(uri, position(ending, 'title = "The Morning After"\n'))
    assert items[0].label == "tone" and items[0].detail == "string, required"


@in_session
async def test_enumerated_values(editor):
    text = STORY.replace('tone = "bittersweet"', 'tone = "')
    uri = editor.open(text, "tone.toml")
    assert labels(await editor.complete(uri, position(text, 'tone = "'))) == \
        ["hopeful", "warm", "bittersweet", "hard", "grim"]


@in_session
async def test_nothing_is_offered_inside_prose_or_comments(editor):
    text = STORY.replace("[scenes.home]", "# the walk home: goto = \"\n[scenes.home]")
    uri = editor.open(text, "prose.toml")
    assert await editor.complete(uri, position(text, "The bar is ")) == []
    assert await editor.complete(uri, position(text, 'home: goto = \"')) == []


# --- 3. hover ----------------------------------------------------------------------------------------------


@in_session
async def test_hover_on_catalog_advice(editor):
    uri = editor.open(STORY, "hover-advice.toml")
    hover = await editor.hover(uri, position(STORY, '"no-contact', nth=1))
    advice = load_catalog()[0]["no-contact-to-heal"]
    value = hover.contents.value
    assert hover.contents.kind == types.MarkupKind.Markdown
    assert value.startswith("**Step back from contact to heal** (advice no\\-contact\\-to\\-heal)")
    assert "For the first few weeks" in value and "A1 \\#4" in value
    assert "Where the articles disagree:" in value and "The game's stance:" in value
    assert "(from the shared catalog)" in value
    assert text_of(STORY, hover.range) == "no-contact-to-heal"
    assert advice.title in value


@in_session
async def test_hover_escapes_the_scenarios_own_text(editor):
    uri = editor.open(STORY, "hover-escape.toml")
    hover = await editor.hover(uri, position(STORY, 'follows = ["call'))
    value = hover.contents.value
    assert "Call a \\*friend\\* \\<b\\>first\\</b\\> \\[x\\]\\(http\\://e\\.test\\)" in value
    assert "<b>" not in value and "](" not in value
    assert "(from this file)" in value and "Some say keep it private\\." in value


@in_session
async def test_hover_on_scenes_and_endings(editor):
    uri = editor.open(STORY, "hover-place.toml")
    scene = await editor.hover(uri, position(STORY, 'goto = "b'))
    assert scene.contents.value == ("**Scene bar**: Friday, 11 p\\.m\\.\n\n"
                                    "The bar is loud\\. Your phone is in your hand\\.")
    ending = await editor.hover(uri, position(STORY, 'ending = "ca'))
    assert ending.contents.value.startswith("**Ending calm**: A Calm Morning (hopeful, apart)")
    header = await editor.hover(uri, position(STORY, "[scenes.ho"))
    assert header.contents.value.startswith("**Scene home**")
    flag = await editor.hover(uri, position(STORY, 'set = ["tex'))
    assert flag.contents.value == ("**Flag texted**\n\nYou sent the text\\.\n\n"
                                   "Set by 1 choice; tested by 2 conditions.")
    assert await editor.hover(uri, position(STORY, "The bar is")) is None


# --- 4. go to definition ---------------------------------------------------------------------------------


@pytest.mark.parametrize("marker, target", [
    ('goto = "ho', "[scenes.home]"),
    ('start = "b', "[scenes.bar]"),
    ('ending = "ca', "[endings.calm]"),
    ('if = "visits.b', "[scenes.bar]"),
    ('and visits.ba', "[scenes.bar]"),
    ('follows = ["call', "[advice.call-a-friend]"),
    ("[[scenes.ho", "[scenes.home]"),
])
@in_session
async def test_definition_lands_on_the_table_header(editor, marker, target):
    uri = editor.open(STORY, f"definition-{abs(hash(marker))}.toml")
    location = await editor.client.text_document_definition_async(
        types.DefinitionParams(types.TextDocumentIdentifier(uri), position(STORY, marker)))
    if isinstance(location, list):
        [location] = location
    assert location.uri == uri
    line = Lines(STORY).line(location.range.start.line)
    assert line == target
    assert text_of(STORY, location.range) == target[1:-1].split(".", 1)[1]


@in_session
async def test_no_definition_off_an_id(editor):
    uri = editor.open(STORY, "definition-none.toml")
    assert await editor.client.text_document_definition_async(
        types.DefinitionParams(types.TextDocumentIdentifier(uri), position(STORY, "The bar"))) is None


# --- 5. rename -----------------------------------------------------------------------------------------------


def apply(text: str, edit: types.WorkspaceEdit, uri: str) -> str:
    lines = Lines(text)
    spans = sorted(((lines.offset(e.range.start.line, e.range.start.character),
                     lines.offset(e.range.end.line, e.range.end.character), e.new_text) for e in edit.changes[uri]),
                   reverse=True)
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


async def rename(editor: Editor, uri: str, where: types.Position, new: str) -> types.WorkspaceEdit:
    return await editor.client.text_document_rename_async(
        types.RenameParams(types.TextDocumentIdentifier(uri), where, new))


@in_session
async def test_rename_a_scene_everywhere(editor):
    uri = editor.open(STORY, "rename.toml")
    prepared = await editor.client.text_document_prepare_rename_async(
        types.PrepareRenameParams(types.TextDocumentIdentifier(uri), position(STORY, 'goto = "b')))
    assert prepared.placeholder == "bar" and text_of(STORY, prepared.range) == "bar"
    edit = await rename(editor, uri, position(STORY, 'goto = "b'), "the_bar")
    assert len(edit.changes[uri]) == 8  # four headers, start, a goto, and visits.bar in two conditions
    renamed = apply(STORY, edit, uri)
    for written in ("[scenes.the_bar]", "[[scenes.the_bar.variants]]", "[[scenes.the_bar.choices]]",
                    'start = "the_bar"', 'goto = "the_bar"', 'if = "visits.the_bar > 1"',
                    "visits.the_bar < 2"):
        assert written in renamed
    word = re.compile(r"(?<![A-Za-z_])bar(?![A-Za-z_])")
    assert len(word.findall(renamed)) == len(word.findall(STORY)) - 8  # the prose keeps its bar
    result = read_text(renamed)
    assert result.scenario is not None and result.diagnostics == ()
    assert set(result.scenario.scenes) == {"the_bar", "home"} and result.scenario.start == "the_bar"


@in_session
async def test_rename_an_ending_updates_expected_playthroughs(editor):
    uri = editor.open(STORY, "rename-ending.toml")
    edit = await rename(editor, uri, position(STORY, "[endings.ca"), "clear_head")
    renamed = apply(STORY, edit, uri)
    assert "[endings.clear_head]" in renamed and 'ending = "clear_head"' in renamed
    scenario = read_text(renamed).unwrap()
    assert scenario.expected[0].ending == "clear_head"


@pytest.mark.parametrize("new, words", [
    ("walk-home", "cannot be a scene or ending id"),
    ("2nd", "cannot be a scene or ending id: an id must start with a letter or an underscore"),
    ("home", "already a scene"),
    ("morning", "already an ending"),
])
@in_session
async def test_rename_refuses_a_bad_new_id(editor, new, words):
    uri = editor.open(STORY, f"rename-bad-{new}.toml")
    with pytest.raises(JsonRpcException) as refused:
        await rename(editor, uri, position(STORY, 'goto = "b'), new)
    assert words in refused.value.message


@in_session
async def test_prepare_rename_refuses_what_cannot_be_renamed(editor):
    uri = editor.open(STORY, "rename-not.toml")
    for marker, words in (("The bar is", "Put the cursor on"), ('follows = ["call', "Put the cursor on"),
                          ("effects = { trus", "one of the game's own meters")):
        with pytest.raises(JsonRpcException) as refused:
            await editor.client.text_document_prepare_rename_async(
                types.PrepareRenameParams(types.TextDocumentIdentifier(uri), position(STORY, marker)))
        assert words in refused.value.message
    broken = editor.open(STORY + "\n[oops", "rename-broken.toml")
    with pytest.raises(JsonRpcException) as refused:
        await editor.client.text_document_prepare_rename_async(
            types.PrepareRenameParams(types.TextDocumentIdentifier(broken), position(STORY, 'goto = "b')))
    assert "fix the syntax error" in refused.value.message


@in_session
async def test_rename_refuses_what_it_cannot_rename_safely(editor):
    text = STORY.replace('goto = "bar"', 'goto = "b\\u0061r"')  # the same id, written with an escape
    uri = editor.open(text, "rename-escaped.toml")
    assert await editor.diagnostics(uri) == []
    with pytest.raises(JsonRpcException) as refused:
        await rename(editor, uri, position(text, "[scenes.b"), "pub")
    assert "cannot rename safely" in refused.value.message


# --- 6. references, the outline, quick fixes, and the rest of hover and rename ------------------------------

FEUD = (ROOT / "tests" / "stories" / "the-feud.toml").read_text(encoding="utf-8")
"""A story with a cast, where Oskar is named in a choice before one of three ways has introduced him."""


async def references(editor: Editor, uri: str, text: str, marker: str,
                     declaration: bool = True) -> list[types.Location]:
    return await editor.client.text_document_references_async(types.ReferenceParams(
        text_document=types.TextDocumentIdentifier(uri), position=position(text, marker),
        context=types.ReferenceContext(declaration)))


@in_session
async def test_references_find_every_use_of_a_flag_meter_scene_and_character(editor):
    uri = editor.open(STORY, "references.toml")

    async def lines(marker: str) -> list[str]:
        return [Lines(STORY).line(loc.range.start.line).strip() for loc in await references(editor, uri, STORY, marker)]

    assert await lines('set = ["tex') == [
        'texted = "You sent the text."', 'set = ["texted"]', 'if = "not texted and visits.bar < 2"',
        'when = "nerve >= 4 and not texted"']
    assert await lines('when = "ner') == [
        "[meters.nerve]", "effects = { nerve = 1 }", 'when = "nerve >= 4 and not texted"']
    assert len(await references(editor, uri, STORY, 'goto = "b', declaration=False)) == 4  # not the 4 headers
    feud = editor.open(FEUD, "references-feud.toml")
    oskar = await references(editor, feud, FEUD, 'text = "Osk')
    assert [text_of(FEUD, loc.range) for loc in oskar] == ["oskar", "Oskar", "Osk", "Oskar", "Oskar", "Oskar",
                                                           "Oskar", "Oskar"]
    # [cast.oskar], his name, his other name, "Oskar's mum" among Ilse's, the flag's sentence, the hallway, the
    # message from him, the choice that names him too early


@in_session
async def test_the_outline_lists_the_story_and_selects_each_id(editor):
    uri = editor.open(STORY, "outline.toml")
    found = await editor.client.text_document_document_symbol_async(
        types.DocumentSymbolParams(types.TextDocumentIdentifier(uri)))
    assert [s.name for s in found] == ["scenario", "Meters", "Flags", "Advice", "bar", "home", "calm", "morning",
                                       "the friend"]
    bar = found[4]
    assert bar.kind == types.SymbolKind.Class and bar.detail == "Friday, 11 p.m."
    assert text_of(STORY, bar.selection_range) == "bar"
    assert [(c.name, c.detail) for c in bar.children] == [("1. Text them.", "→ home"),
                                                          ("2. Call a friend instead.", "→ home")]
    assert text_of(STORY, bar.range).startswith("[scenes.bar]") and "Call a friend instead" in text_of(STORY, bar.range)
    assert found[6].detail == "hopeful, apart: A Calm Morning"
    assert [c.name for c in found[1].children] == ["nerve"] and found[1].children[0].detail == "Your nerve"
    broken = editor.open(STORY.replace('title = "A Calm Morning"', 'title = "A Calm'), "outline-broken.toml")
    found = await editor.client.text_document_document_symbol_async(
        types.DocumentSymbolParams(types.TextDocumentIdentifier(broken)))
    assert "bar" in [s.name for s in found]  # the outline stays while the file does not parse


async def fixes(editor: Editor, uri: str, text: str, code: str | None = None,
                where: types.Range | None = None) -> list[types.CodeAction]:
    found = await editor.diagnostics(uri)
    chosen = [d for d in found if d.code == code] if code else []
    assert chosen or where, (code, [(d.code, d.message) for d in found])
    return await editor.client.text_document_code_action_async(types.CodeActionParams(
        types.TextDocumentIdentifier(uri), where or chosen[0].range, types.CodeActionContext(diagnostics=chosen)))


@in_session
async def test_quick_fixes_mend_the_file(editor):
    cases = [  # (the broken text, the code, the fix's title, what the mended file then holds)
        (STORY.replace('goto = "home"\neffects = { nerve', 'goto = "hoem"\neffects = { nerve'), "SC030",
         "Change `hoem` to `home`", 'goto = "home"\neffects = { nerve'),
        (STORY.replace('text = "You get home."', 'txt = "You get home."'), "SC020", "Change `txt` to `text`",
         'text = "You get home."'),
        (STORY.replace('set = ["texted"]', 'set = ["texted", "drunk"]'), "SC032",
         "Declare flag `drunk` under [flags]", 'drunk = "What happened, in one sentence."'),
        (STORY.replace('if = "not texted and', 'if = "not brave and'), "SC042", "Declare flag `brave` under [flags]",
         'brave = "What happened, in one sentence."'),
        (STORY.replace("effects = { nerve = 1 }", "effects = { nerve = 1, calm = 2 }"), "SC031",
         "Declare meter `calm`", "[meters.calm]"),
        (STORY.replace("scenes.home", "scenes.walk-home").replace('goto = "home"', 'goto = "walk-home"'), "SC023",
         "Rename `walk-home` to `walk_home` everywhere", "[[scenes.walk_home.choices]]"),
    ]
    for number, (text, code, title, holds) in enumerate(cases):
        uri = editor.open(text, f"fix-{number}.toml")
        offered = await fixes(editor, uri, text, code)
        fix = next((f for f in offered if f.title == title), None)
        assert fix is not None, (title, [f.title for f in offered])
        mended = apply(text, fix.edit, uri)
        assert holds in mended
        assert not read_text(mended).errors, (title, read_text(mended).errors)


@in_session
async def test_an_id_with_a_hyphen_is_one_diagnostic_whose_fix_renames_it_everywhere(editor):
    """A flag, a meter, a scene split between two spellings: each is one SC023 naming the id to use, and its quick
    fix renames every place it is written (conditions included) into a file with no error; nothing offers the
    refused id."""
    flag = STORY.replace("texted", "sent-it")
    meter = STORY.replace("[meters.nerve]", "[meters.the-nerve]").replace("{ nerve", "{ the-nerve").replace(
        '"nerve >=', '"the-nerve >=')
    scene = STORY.replace("scenes.home", "scenes.go_home").replace('goto = "home"', 'goto = "go_home"').replace(
        "[scenes.go_home]", "[scenes.go-home]")  # its choices' headers and the `goto`s still say `go_home`
    for number, (text, old, new) in enumerate(((flag, "sent-it", "sent_it"), (meter, "the-nerve", "the_nerve"),
                                               (scene, "go-home", "go_home"))):
        uri = editor.open(text, f"hyphen-{number}.toml")
        found = await editor.diagnostics(uri)
        assert [d.code for d in found] == ["SC023"], [(d.code, d.message) for d in found]
        assert f"call it `{new}`" in found[0].message
        [fix] = [f for f in await fixes(editor, uri, text, "SC023") if f.title.startswith("Rename")]
        assert fix.title == f"Rename `{old}` to `{new}` everywhere"
        mended = apply(text, fix.edit, uri)
        assert old not in mended and not read_text(mended).errors, read_text(mended).errors
        for marker in ('if = "', 'goto = "', "effects = { "):
            labels_here = labels(await editor.complete(uri, position(text, marker)))
            assert old not in labels_here and f"visits.{old}" not in labels_here
    typo = scene.replace('goto = "go_home"\neffects = { trust', 'goto = "go_hom"\neffects = { trust')
    uri = editor.open(typo, "hyphen-typo.toml")
    [wrong] = [d for d in await editor.diagnostics(uri) if d.code == "SC030"]
    assert "go-home" not in wrong.message and "did you mean `go_home`?" in wrong.message


@in_session
async def test_declaring_a_missing_name_offers_what_the_condition_uses_it_as(editor):
    """`not leftt` tests a flag: a meter is not offered. A compared name is a meter, declared after the meters the
    file has, not before the first scene."""
    flag = STORY.replace('if = "not texted and', 'if = "not leftt and')
    uri = editor.open(flag, "declare-flag.toml")
    titles = [f.title for f in await fixes(editor, uri, flag, "SC042")]
    assert "Declare flag `leftt` under [flags]" in titles and not [t for t in titles if "meter" in t], titles
    meter = STORY.replace('if = "not texted and', 'if = "calm > 2 and not texted and')
    uri = editor.open(meter, "declare-meter.toml")
    offered = await fixes(editor, uri, meter, "SC042")
    assert [f.title for f in offered if "Declare" in f.title] == ["Declare meter `calm`"]
    mended = apply(meter, offered[[f.title for f in offered].index("Declare meter `calm`")].edit, uri)
    assert 'start = 3\n\n[meters.calm]\nlabel = "Calm"\nstart = 5\n\n[flags]' in mended
    assert not read_text(mended).errors


@in_session
async def test_a_quick_fix_promises_the_shortest_play_to_an_ending(editor):
    text = STORY.split("[[expected]]")[0]
    uri = editor.open(text, "promise.toml")
    at = position(text, "[endings.ca")
    [promise] = [f for f in await fixes(editor, uri, text, where=types.Range(start=at, end=at))
                 if f.title.startswith("Promise")]
    assert promise.title == "Promise the shortest play to `calm` ([[expected]], 2 choices)"
    promised = apply(text, promise.edit, uri)
    assert promised.endswith('[[expected]]\nname = "shortest play to calm"\nchoices = [\n  2,  # Call a friend '
                             'instead.\n  2,  # Sleep.\n]\nending = "calm"\n')
    scenario = read_text(promised).unwrap()
    assert check_expected(scenario) == [] and scenario.expected[0].ending == "calm"


@in_session
async def test_hover_on_meters_flags_auto_endings_tactics_and_the_cast(editor):
    text = STORY.replace('when = "nerve >= 4 and not texted"', 'when = "nerve >= 4 and not texted and not tactic"') \
                .replace('if = "visits.bar > 1"', 'if = "visits.bar > 1 and not tactic.make-them-jealous"')
    uri = editor.open(text, "hover-more.toml")
    meter = await editor.hover(uri, position(text, 'when = "ner'))
    assert meter.contents.value == ("**Meter nerve**: Your nerve\n\nFrom 0 to 10, starting at 3; hidden during play "
                                    "(declared here).\n\nMoved by 1 choice; read by 1 condition.")
    trust = await editor.hover(uri, position(text, "effects = { trus"))
    assert "(built in)" in trust.contents.value and "Moved by 1 choice" in trust.contents.value
    auto = (await editor.hover(uri, position(text, 'goto = "@en'))).contents.value
    assert auto.splitlines()[2:4] == [
        "1. `calm` (A Calm Morning) when `nerve >= 4 and not texted and not tactic`",
        "2. `morning` (The Morning After): no `when`, so it is picked whenever none above holds"]
    tactic = (await editor.hover(uri, position(text, "tactic.make"))).contents.value
    assert tactic.startswith("**Make them jealous") and "`tactic.make-them-jealous` holds" in tactic
    feud = editor.open(FEUD, "hover-feud.toml")
    oskar = await editor.hover(feud, position(FEUD, "text = \"Osk"))
    assert oskar.contents.value == ("**Oskar** (also Osk) · cast `oskar`\n\n"
                                    "Your ex's younger brother; he never took a side\\.")
    assert text_of(FEUD, oskar.range) == "Oskar"
    mum = await editor.hover(feud, position(FEUD, "Let Oskar's m"))
    assert mum.contents.value.startswith("**Ilse** (also Oskar's mum, their mum)")


@in_session
async def test_the_ending_hover_says_what_the_checks_proved_about_this_choice(editor):
    """After the deep checks, `@ending` says which endings this choice picks in every play, marks an ending whose
    `when` never holds (SC115) and those never picked here; bare `tactic` explains itself."""
    dream = '[endings.dream]\ntitle = "Dream"\ntone = "warm"\nwhen = "nerve > 10"\ntext = "A dream."\n\n'
    text = STORY.replace("[endings.calm]", dream + "[endings.calm]").replace(
        'if = "not texted and visits.bar < 2"', 'if = "not texted and not tactic and visits.bar < 2"')
    uri = editor.open(text, "hover-ending-proved.toml")
    before = (await editor.hover(uri, position(text, 'goto = "@en'))).contents.value
    assert "shown after the checks that run when you pause" in before
    found = await editor.diagnostics(uri, deep=True)
    assert "SC115" in [d.code for d in found]
    auto = (await editor.hover(uri, position(text, 'goto = "@en'))).contents.value.splitlines()
    assert auto[2] == "1. `dream` (Dream) when `nerve > 10`: never picked in any play (its `when` never holds " \
                      "when the story picks an ending, SC115)"
    assert auto[-1] == "From this choice, plays end at `calm` or `morning` (every play checked)."
    tactic = (await editor.hover(uri, position(text, "not tac"))).contents.value
    assert tactic.startswith("**tactic**: true once the play has taken a choice that follows advice marked")
    assert "`tactic.make-them-jealous`" in tactic


@in_session
async def test_rename_a_flag_a_meter_and_a_character_everywhere(editor):
    uri = editor.open(STORY, "rename-more.toml")
    flag = apply(STORY, await rename(editor, uri, position(STORY, 'set = ["tex'), "sent_text"), uri)
    assert 'sent_text = "You sent the text."' in flag and 'if = "not sent_text and visits.bar < 2"' in flag
    assert read_text(flag).unwrap().flags.keys() == {"sent_text"}
    meter = apply(STORY, await rename(editor, uri, position(STORY, "[meters.ner"), "courage"), uri)
    assert "effects = { courage = 1 }" in meter and 'when = "courage >= 4 and not texted"' in meter
    assert "courage" in read_text(meter).unwrap().meter_ids
    for taken, words in (("nerve", "already a meter"), ("texted", "already a flag"), ("tactic", "keep for"),
                         ("visits", "keep for")):
        with pytest.raises(JsonRpcException) as refused:
            await rename(editor, uri, position(STORY, 'set = ["tex' if taken == "nerve" else "[meters.ner"), taken)
        assert words in refused.value.message
    feud = editor.open(FEUD, "rename-feud.toml")
    prepared = await editor.client.text_document_prepare_rename_async(
        types.PrepareRenameParams(types.TextDocumentIdentifier(feud), position(FEUD, "text = \"Osk")))
    assert prepared.placeholder == "Oskar"
    renamed = apply(FEUD, await rename(editor, feud, position(FEUD, "text = \"Osk"), "Jonas"), feud)
    story = "\n".join(line for line in renamed.splitlines() if not line.startswith("#"))  # comments stay
    assert "Oskar" not in story and story.count("Jonas") == 6 and 'aka = ["Osk"]' in story
    assert 'from = "Jonas"' in renamed and "Let Jonas's mum explain the feud." in renamed
    assert read_text(renamed).unwrap().cast["oskar"].name == "Jonas"
    with pytest.raises(JsonRpcException) as refused:
        await rename(editor, feud, position(FEUD, "text = \"Osk"), "Ilse")
    assert "already a name of `mum`" in refused.value.message


@in_session
async def test_renaming_a_character_keeps_expected_plays_that_pick_choices_by_their_text(editor):
    """A choice's text that names the character changes with the rename, and so does an `[[expected]]` play's
    copy of it: the play still picks the same choice."""
    text = FEUD + '\n[[expected]]\nname = "by text"\nchoices = ["Slip round to the back door.", ' \
        '"Let Oskar\'s mum explain the feud."]\nending = "told"\n'
    uri = editor.open(text, "rename-expected.toml")
    renamed = apply(text, await rename(editor, uri, position(text, 'text = "Osk'), "Jonas"), uri)
    assert 'choices = ["Slip round to the back door.", "Let Jonas\'s mum explain the feud."]' in renamed
    assert check_expected(read_text(renamed).unwrap()) == []


@in_session
async def test_renaming_from_another_name_renames_that_name(editor):
    """On one of a character's other names, rename offers that name and renames it alone, with a capital where
    a sentence starts; the character's main name stays."""
    text = FEUD.replace('aka = ["Osk"]', 'aka = ["your ex\'s brother"]').replace(
        "He takes your coat.", "He takes your coat. Your ex's brother always did.").replace(
        'text = "Your phone buzzes."', 'text = "Your phone buzzes: your ex\'s brother."')
    uri = editor.open(text, "rename-aka.toml")
    where = position(text, "Your ex's br")
    prepared = await editor.client.text_document_prepare_rename_async(
        types.PrepareRenameParams(types.TextDocumentIdentifier(uri), where))
    assert prepared.placeholder == "your ex's brother"
    renamed = apply(text, await rename(editor, uri, where, "the little brother"), uri)
    assert 'aka = ["the little brother"]' in renamed
    assert "He takes your coat. The little brother always did." in renamed
    assert 'text = "Your phone buzzes: the little brother."' in renamed
    assert renamed.count("Oskar") == text.count("Oskar"), "the main name is left alone"
    assert read_text(renamed).unwrap().cast["oskar"].aka == ("the little brother",)


@in_session
async def test_a_rename_with_no_name_is_refused_for_that_reason(editor):
    """An empty name is refused as empty (a name that is not text at all, `null`, is invalid parameters: see the
    broken frames)."""
    uri = editor.open(STORY, "rename-nothing.toml")
    feud = editor.open(FEUD, "rename-nothing-feud.toml")
    for where_uri, where in ((uri, position(STORY, 'set = ["tex')), (feud, position(FEUD, 'text = "Osk'))):
        with pytest.raises(JsonRpcException) as refused:
            await rename(editor, where_uri, where, "")
        assert "cannot be empty" in refused.value.message


@in_session
async def test_definition_of_catalog_advice_opens_the_catalog(editor):
    uri = editor.open(STORY, "definition-catalog.toml")
    location = await editor.client.text_document_definition_async(
        types.DefinitionParams(types.TextDocumentIdentifier(uri), position(STORY, 'ignores = ["no-con')))
    if isinstance(location, list):
        [location] = location
    catalog = ROOT / "scenarios" / "advice.toml"
    assert uris.to_fs_path(location.uri) == str(catalog)
    line = catalog.read_text(encoding="utf-8").splitlines()[location.range.start.line]
    assert line == "[advice.no-contact-to-heal]"


@in_session
async def test_a_broken_promise_points_at_the_choice_that_made_the_difference(editor):
    text = STORY.replace('[[scenes.home.choices]]\ntext = "Sleep."', '[[scenes.home.choices]]\n'
                         'text = "Post a photo with someone new."\ngoto = "calm"\nfollows = ["make-them-jealous"]\n\n'
                         '[[scenes.home.choices]]\ntext = "Sleep."')
    uri = editor.open(text, "promise-broken.toml")
    [broken] = [d for d in await editor.diagnostics(uri, deep=True) if d.code == "SC126"]
    assert text_of(text, broken.range).startswith("[endings.calm]")
    assert broken.message.endswith(", ending with trust 4, self_esteem 5, nerve 3 (a tactic must never pay off: "
                                   "after one, a play may end warm (and not together) only if the ending's text names "
                                   "what the tactic cost; change this route's effects, or lead it to another "
                                   "ending)")
    cause, *steps = broken.related_information
    assert cause.message == "the tactic (make-them-jealous), in the example play"
    assert Lines(text).line(cause.location.range.start.line) == "[[scenes.home.choices]]"
    assert text_of(text, cause.location.range) == "[[scenes.home.choices]]"
    assert [s.message for s in steps] == ["step 1 of the example: 1 “Text them.”",
                                          "step 2 of the example: 1 “Post a photo with someone new.”"]


@in_session
async def test_a_name_met_too_early_is_underlined_in_the_editor(editor):
    uri = editor.open(FEUD, "feud.toml")
    [early] = await editor.diagnostics(uri, deep=True)
    assert early.code == "SC150" and text_of(FEUD, early.range) == "Oskar"
    assert Lines(FEUD).line(early.range.start.line) == 'text = "Let Oskar\'s mum explain the feud."'
    [cast] = early.related_information
    assert Lines(FEUD).line(cast.location.range.start.line) == "[cast.oskar]"


# --- the command ------------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@in_session
async def test_tcp_on_loopback(tmp_path):
    port = _free_port()
    process = subprocess.Popen([*SERVER, "--tcp", "--port", str(port)], cwd=ROOT, stderr=subprocess.PIPE)
    session = Editor(tmp_path)
    try:
        for _ in range(200):  # the server serves one client, so the first connection must be the real one
            try:
                result = await session.start(tcp=("127.0.0.1", port))
                break
            except OSError:
                await asyncio.sleep(0.1)
        assert result.server_info.name == "second-chance"
        capabilities = result.capabilities
        assert capabilities.hover_provider and capabilities.definition_provider
        assert capabilities.rename_provider == types.RenameOptions(prepare_provider=True)
        assert '"' in capabilities.completion_provider.trigger_characters
        uri = session.open(STORY.replace('goto = "bar"', 'goto = "baar"'), "story.toml")
        assert [d.code for d in await session.diagnostics(uri)] == ["SC030"]
        await asyncio.wait_for(session.client.shutdown_async(None), 10)
        session.client.exit(None)
    finally:
        process.terminate()
        _, err = process.communicate(timeout=10)
    assert b"warning" not in err


def _frame(body: bytes | dict) -> bytes:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return b"Content-Length: %d\r\n\r\n" % len(data) + data


def test_a_broken_frame_costs_one_error_reply_and_never_the_session(tmp_path):
    """Bad frames and bad parameters each get their JSON-RPC error (or are skipped when no reply can be
    addressed), and every good request around them is still answered."""
    process = subprocess.Popen(SERVER, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               cwd=ROOT)
    replies: queue.Queue = queue.Queue()

    def read() -> None:
        stream = process.stdout
        length = 0
        while header := stream.readline():
            if header.lower().startswith(b"content-length:"):
                length = int(header.split(b":")[1])
            elif not header.strip() and length:
                replies.put(json.loads(stream.read(length)))
                length = 0

    threading.Thread(target=read, daemon=True).start()
    uri = (tmp_path / "story.toml").as_uri()
    hover = {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}
    try:
        process.stdin.write(
            _frame({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}})
            + _frame({"jsonrpc": "2.0", "method": "initialized", "params": {}})
            + _frame({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
                "uri": uri, "languageId": "toml", "version": 1, "text": STORY}}})
            + b"Content-Length: lots\r\n\r\n{}"  # no usable length: skipped
            + _frame(b"{not json")  # -32700
            + _frame(b"[1, 2]")  # -32600
            + _frame(b"[" * 100_000 + b"]" * 100_000)  # -32700: deeper than the parser's stack
            + _frame(b"1" * 5000)  # -32700: a number too long to read
            + _frame({"jsonrpc": "2.0", "id": 2, "method": "textDocument/hover", "params": {"textDocument": 5}})
            + b"Content-Length: 999\r\n\r\n{\"jsonrpc\": \"2.0\"}"  # too long: the next frame's header is inside
            + _frame({"jsonrpc": "2.0", "id": 3, "method": "textDocument/hover", "params": hover})
            + _frame({"jsonrpc": "2.0", "id": 5, "method": "textDocument/rename", "params": {
                **hover, "position": {"line": 11, "character": 2}, "newName": None}})  # text that is not text
            + b"garbage between frames\n"
            + b"Content-Length: %d\n\n" % len(json.dumps({"jsonrpc": "2.0", "id": 4, "method": "shutdown"}))
            + json.dumps({"jsonrpc": "2.0", "id": 4, "method": "shutdown"}).encode())  # bare \n headers
        process.stdin.flush()
        got = {}
        while 4 not in got:
            reply = replies.get(timeout=30)
            if "id" in reply:
                got.setdefault(reply["id"], []).append(reply)
        assert got[1][0]["result"]["serverInfo"]["name"] == "second-chance"
        errors = sorted(r["error"]["code"] for r in got.get(None, []))
        assert errors == [-32700] * 3 + [-32600] * 2, got.get(None)  # no JSON (3); a list; the too-long frame's body
        said = " ".join(r["error"]["message"] for r in got[None])
        assert "nested too deeply" in said and "4,300 digits" in said and "sys." not in said
        assert got[2][0]["error"]["code"] == -32602 and "textDocument/hover" in got[2][0]["error"]["message"]
        assert "result" in got[3][0] and got[4][0]["result"] is None
        assert got[5][0]["error"]["code"] == -32602, "never renamed to the text `None`"
    finally:
        process.kill()
        process.wait()


def test_the_first_answer_is_the_one_the_library_would_give():
    """`initialize` is answered before the LSP library loads; the library's own answer, computed from the
    features registered, must be the same for every kind of client."""
    clients = [{}, {"general": {"positionEncodings": ["utf-8", "utf-16"]}},
               {"general": {"positionEncodings": ["utf-32"]}}, {"general": {"positionEncodings": ["latin-1"]}},
               {"textDocument": {"rename": {"prepareSupport": True}, "synchronization": {"willSave": True}},
                "workspace": {"workspaceFolders": True, "fileOperations": {"didCreate": True}}},
               {"textDocument": {"rename": {"prepareSupport": False}, "codeAction": {"codeActionLiteralSupport": {
                   "codeActionKind": {"valueSet": ["quickfix"]}}}, "documentSymbol": {
                   "hierarchicalDocumentSymbolSupport": True}, "synchronization": {
                   "willSave": False, "willSaveWaitUntil": True, "didSave": True}},
                "workspace": {"fileOperations": {k: True for k in ("willCreate", "didCreate", "willRename",
                                                                   "didRename", "willDelete", "didDelete")}}}]
    async def initialize(server: ScenarioServer, params: dict) -> None:
        request = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": params}
        server.protocol.handle_message(server.protocol.structure_message(request))
        await asyncio.sleep(0)

    for capabilities in clients:
        server = create_server()
        sent: list[bytes] = []
        server.protocol.set_writer(Out(sent.append))
        params = {"processId": None, "rootUri": None, "capabilities": capabilities}
        asyncio.run(initialize(server, params))
        library = json.loads(sent[0].split(b"\r\n\r\n", 1)[1])["result"]
        assert library == wire.initialize_result(params), capabilities


def test_another_host_earns_a_one_line_warning(monkeypatch, capsys):
    calls = []
    monkeypatch.setattr("game.lsp.start.serve", lambda **kw: calls.append(kw))
    assert main(["lsp", "--tcp", "--host", "0.0.0.0", "--port", "4000"]) == 0
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "warning" in err and "0.0.0.0:4000" in err
    assert calls == [{"tcp": True, "host": "0.0.0.0", "port": 4000, "manual_clock": False}]
    for host in ("127.0.0.1", "localhost", "::1"):
        assert main(["lsp", "--tcp", "--host", host]) == 0
        assert capsys.readouterr().err == ""
    assert main(["lsp", "--stdio"]) == 0
    assert calls[-1] == {"tcp": False, "host": "127.0.0.1", "port": 2087, "manual_clock": False}


def test_host_without_tcp_and_bad_ports_are_refused(capsys):
    assert main(["lsp", "--port", "4000"]) == 2
    assert "go with --tcp" in capsys.readouterr().err
    assert main(["lsp", "--tcp", "--port", "70000"]) == 2
    assert "between 1 and 65535" in capsys.readouterr().err


def test_other_commands_do_not_load_the_server():
    code = ("import sys\nfrom game.cli import build_parser\nbuild_parser().parse_args(['validate', 'x'])\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pygls', 'lsprotocol', 'game') "
            "and (m.startswith('game.lsp') or not m.startswith('game'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def test_the_core_never_imports_the_server_or_the_command_line():
    shells = ("cli", "lsp", "tui", "__main__.py")
    for path in (ROOT / "game").rglob("*.py"):
        if path.relative_to(ROOT / "game").parts[0] in shells:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            for name in names:
                assert not name.startswith(("game.lsp", "game.cli", "pygls", "lsprotocol")), (path, name)
    for path in (ROOT / "game" / "lsp").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert "textual" not in source and "rich" not in source.replace("enriche", ""), path


# --- the tolerant reading underneath ---------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted((ROOT / "scenarios").glob("*.toml")), ids=lambda p: p.stem)
def test_the_tolerant_reading_agrees_with_the_locator(path):
    """On every built-in file, each key game.locate finds is read at the same place."""
    text = path.read_text(encoding="utf-8")
    reading = read(text)
    mine = {}
    for key in reading.keys:
        mine.setdefault(key.path, key.start)
    for string in reading.strings:
        mine.setdefault(string.path, string.start)
    lines = Lines(text)
    checked = 0
    for where, (line, column) in locate(text).items():
        if not where:
            continue  # the whole file (the locator places it at its first key)
        if where in mine:
            assert mine[where] == lines.offset_of(line, column), where
            checked += 1
        else:  # an array of tables as a whole, numbers in arrays, and a table named only by deeper headers
            assert isinstance(where[-1], int) or any(k[:len(where)] == where for k in mine), where
    assert checked > 20


def test_the_reading_recovers_at_the_next_statement():
    text = ('[scenes.a]\ntext = "never closed\nchoices = [\n  "x",\n'
            '[[scenes.a.choices]]\ngoto = "b"\n[endings.b]\ntitle = "B"\n')
    reading = read(text)
    assert ("scenes", "a", "choices", 0, "goto") in {s.path for s in reading.strings}
    assert "b" in reading.tree["endings"]
    context = context_at(text, text.index('goto = "b') + len('goto = "'))
    assert context.kind == "string" and context.names == ("scenes", "a", "choices", "goto")
