"""The language server: Second Chance's checks and id help in any LSP editor.

On open and on every change the loader checks the text in the editor (not
the file on disk), in a thread, and its diagnostics are published with the
last deep findings, moved with the edit, so warnings never blink off while
the author types. One check runs at a time: changes that come while it runs
are checked together next, and a check that ends after the author typed on
is published moved to the latest text, so a request between keystrokes is
answered at once and a long story's errors keep up with the typing. When the
author pauses (`DEBOUNCE` seconds with no change, on the server's clock), the
deep checks run on a clean load in a worker thread, and their findings
replace the old ones; a change in the meantime cancels them. In a long story
the index requests use is rebuilt then too, off the event loop, and until it
is, hovers, definitions and the outline are answered from the last one, seen
through the edits (`game.lsp.views`).

No input may stop the server: a handler that fails is reported to the
editor's log (window/logMessage) with what failed, and the server carries on.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from lsprotocol import types
from pygls import uris
from pygls.exceptions import FeatureRequestError, JsonRpcException
from pygls.lsp.server import LanguageServer
from pygls.protocol import default_converter
from pygls.workspace import TextDocument

from game import __version__
from game.lsp import actions, completion, diagnostics, hover, navigation, symbols, views, wire
from game.lsp.clock import Clock, ManualClock
from game.lsp.diagnostics import Finding
from game.lsp.document import Lines
from game.lsp.index import Index, looks_like_scenario
from game.safetext import quote

DEBOUNCE = 0.6
"""Seconds without a change before the deep checks run."""
ADVANCE_CLOCK = "$/second-chance/advanceClock"
"""With `--manual-clock`: move the server's clock on by `seconds`; answered once the woken checks published."""

log = logging.getLogger("game.lsp")


class NotOpen(JsonRpcException):
    """A request about a file the editor has not opened (or has closed): refused, never read from disk.

    The library would read such a file itself, unchecked: a pipe would hang the server for good and a device
    fill its memory. The editor always opens what it asks about, so the refusal costs an editor nothing.
    """

    CODE = -32602  # invalid params

    def __init__(self, uri: str):
        super().__init__(f"`{quote(uri, 200)}` is not open in the editor: the server answers only about the files "
                         "the editor has opened", self.CODE)


class ScenarioServer(LanguageServer):
    """Keeps, for each open scenario, its latest version, its index, its findings and its pending deep check."""

    def __init__(self, debounce: float = DEBOUNCE, clock: Clock | None = None):
        super().__init__(wire.NAME, __version__, converter_factory=strict_converter)
        self.debounce = debounce
        self.clock = clock or Clock()
        self.versions: dict[str, int] = {}
        self.indexes: dict[str, Index] = {}
        self.texts: dict[str, str] = {}
        self.deep_found: dict[str, list[Finding]] = {}
        self.deep_tasks: dict[str, asyncio.Task] = {}
        self.quick_tasks: dict[str, asyncio.Task] = {}
        self.picks: dict[str, diagnostics.Picks] = {}  # what the last deep check found about `@ending`
        self.lines: dict[str, Lines] = {}
        self.deep_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="second-chance-deep-check")
        self.quick_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="second-chance-quick-check")
        self.index_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="second-chance-index")

    # -- helpers ---------------------------------------------------------------------------

    def complain(self, what: str, error: BaseException) -> None:
        """Tell the editor's log, in one line, that something failed, and carry on (the traceback goes to the
        server's own log, on its error stream, never to the editor's screen or log)."""
        detail = "".join(traceback.format_exception(type(error), error, error.__traceback__, limit=6))
        log.error("%s failed: %s", what, detail)
        try:
            self.window_log_message(types.LogMessageParams(
                type=types.MessageType.Error,
                message=f"second-chance: {what} failed ({type(error).__name__}: {quote(str(error), 200)}); the "
                        "server carries on."))
        except Exception:  # pragma: no cover - the connection itself is gone
            log.exception("could not report a failure to the editor")

    def report_server_error(self, error: Exception, source: Any) -> None:
        """What failed outside a request (a notification the library could not apply): one line to the editor's
        log, as `complain` says it, instead of the library's message on the editor's screen (a failed request
        has been answered with its error already)."""
        if source is not FeatureRequestError:
            self.complain("a notification", error)

    def encoding(self) -> str:
        kind = getattr(self.workspace, "position_encoding", None)
        value = getattr(kind, "value", kind)
        return value if value in ("utf-8", "utf-16", "utf-32") else "utf-16"

    def document(self, uri: str) -> TextDocument:
        """The open document at `uri` (NotOpen when the editor has not opened it)."""
        document = self.workspace.text_documents.get(unquote(uri)) if isinstance(uri, str) else None
        if document is None:
            raise NotOpen(str(uri))
        return document

    def index(self, uri: str) -> Index:
        """The index of the open document's latest version (built once per version)."""
        document = self.document(uri)
        cached = self.indexes.get(uri)
        if cached is not None and cached.version == document.version and cached.text == document.source:
            cached.picks = self.picks.get(uri)
            return cached
        index = Index(document.source, self.encoding())
        index.version = document.version
        index.picks = self.picks.get(uri)
        self.indexes[uri] = index
        return index

    def index_near(self, uri: str, position: types.Position | None = None) -> tuple[Index, int]:
        """An index that answers a question at `position` (or about the whole document) in the latest version,
        and the offset the position has in it: in a long story, the last index built, seen through the edits
        made since, unless the question is about the stretch they changed (`game.lsp.views`); otherwise the
        latest version's own."""
        document = self.document(uri)
        text = document.source
        cached = self.indexes.get(uri)
        if cached is not None and cached.text != text and len(text) >= views.LARGE:
            lines = self.lines.get(uri)
            if lines is None or lines.text != text:
                lines = self.lines[uri] = Lines(text, self.encoding())
            offset = None if position is None else lines.offset(position.line, position.character)
            seen = views.seen_through(cached, text, lines, offset)
            if seen is not None:
                seen[0].picks = self.picks.get(uri)
                return seen
        index = self.index(uri)
        offset = 0 if position is None else index.lines.offset(position.line, position.character)
        return index, offset

    def publish(self, uri: str, version: int | None, found: list[types.Diagnostic]) -> None:
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=found,
                                                                              version=version))

    # -- checking ----------------------------------------------------------------------------

    def refresh(self, uri: str) -> None:
        """A new version came: check it soon. One check runs at a time, in a thread, so a request between two
        keystrokes is answered at once; versions that came while it ran are skipped for the latest."""
        self.cancel_deep(uri)
        self.versions[uri] = self.document(uri).version
        if uri not in self.quick_tasks:
            self.quick_tasks[uri] = asyncio.get_running_loop().create_task(self.quick(uri))

    async def quick(self, uri: str) -> None:
        """Check the latest version and publish, with the last deep findings moved to where their text went;
        schedule the deep checks (and, in a long story, a new index) for the next pause. A check that ends
        after the author typed on is published all the same, moved to the latest text (so a long story's
        errors keep up with the typing), and the latest is checked next."""
        loop = asyncio.get_running_loop()
        try:
            while True:
                document = self.workspace.text_documents.get(unquote(uri))
                if document is None:
                    return
                text, version = document.source, document.version
                if not looks_like_scenario(text):
                    self.texts[uri] = text
                    self.deep_found.pop(uri, None)
                    self.publish(uri, version, [])  # another kind of TOML file: not ours to judge
                    return
                file, path = _file(uri)
                checked = await loop.run_in_executor(self.quick_pool, diagnostics.check, text, file, path)
                latest = self.workspace.text_documents.get(unquote(uri))
                if latest is None:
                    return
                quick = diagnostics.findings(checked.diagnostics, Lines(text, self.encoding()))
                if latest.version != version:
                    quick = diagnostics.carry(quick, text, latest.source)
                before = self.texts.get(uri)
                self.texts[uri] = latest.source
                kept = diagnostics.carry(self.deep_found.get(uri, []), before, latest.source) \
                    if before is not None else []
                self.deep_found[uri] = kept
                lines = Lines(latest.source, self.encoding())
                self.publish(uri, latest.version, diagnostics.render([*quick, *kept], lines, uri))
                if latest.version != version:
                    continue  # the author typed on meanwhile: check the latest next
                for problem in checked.elsewhere:
                    log.warning("%s", problem.format())
                if checked.scenario is not None or len(text) >= views.LARGE:
                    self.deep_tasks[uri] = loop.create_task(self.deep_later(uri, version, checked, file, quick,
                                                                            lines))
                return
        except Exception as error:
            self.complain("checking the file", error)
        finally:
            if self.quick_tasks.get(uri) is asyncio.current_task():
                del self.quick_tasks[uri]

    def cancel_deep(self, uri: str) -> None:
        task = self.deep_tasks.pop(uri, None)
        if task is not None:
            task.cancel()

    async def deep_later(self, uri: str, version: int, checked: diagnostics.Checked, file: str,
                         quick: list[Finding], lines: Lines) -> None:
        try:
            await self.clock.sleep(self.debounce)
            if self.versions.get(uri) != version:
                return
            loop = asyncio.get_running_loop()
            if len(checked.text) >= views.LARGE:  # the index for requests, built off the event loop
                index = await loop.run_in_executor(self.index_pool, Index, self.document(uri).source,
                                                   self.encoding())
                if self.versions.get(uri) != version:
                    return
                index.version = version
                self.indexes[uri] = index
            if checked.scenario is None:
                return
            found, picks = await loop.run_in_executor(self.deep_pool, diagnostics.deep, checked.scenario,
                                                      checked.text, file)
            if self.versions.get(uri) != version:
                return  # the text changed while the checks ran: their findings are about old lines
            self.picks[uri] = picks
            self.deep_found[uri] = diagnostics.findings(found, lines)
            if uri in self.indexes:
                self.indexes[uri].promises.clear()
            self.publish(uri, version, diagnostics.render([*quick, *self.deep_found[uri]], lines, uri))
        except asyncio.CancelledError:
            raise
        except Exception as error:
            self.complain("the deep checks", error)
        finally:
            if self.deep_tasks.get(uri) is asyncio.current_task():
                del self.deep_tasks[uri]

    def forget(self, uri: str) -> None:
        self.cancel_deep(uri)
        task = self.quick_tasks.pop(uri, None)
        if task is not None:
            task.cancel()
        for kept in (self.versions, self.indexes, self.texts, self.deep_found, self.lines, self.picks):
            kept.pop(uri, None)
        self.publish(uri, None, [])

    def shutdown(self) -> None:
        for uri in list(self.deep_tasks):
            self.cancel_deep(uri)
        for task in self.quick_tasks.values():
            task.cancel()
        for pool in (self.deep_pool, self.quick_pool, self.index_pool):
            pool.shutdown(wait=False, cancel_futures=True)
        super().shutdown()


def strict_converter() -> Any:
    """The library's converter, except that text must be text: left to itself it turns any value into a string
    (`"newName": null` would rename to "None", a `uri` of 5 would be "5"), so a request whose text is not text
    is answered as invalid parameters instead."""
    converter = default_converter()

    def text(value: Any, _: Any) -> str:
        if not isinstance(value, str):
            raise TypeError(f"expected text, not {type(value).__name__}")
        return value

    converter.register_structure_hook(str, text)
    return converter


def _file(uri: str) -> tuple[str, Path | None]:
    """The name diagnostics carry, and the path when the document is a file."""
    path = uris.to_fs_path(uri) if uri.startswith("file:") else None
    return (path, Path(path)) if path else (uri, None)


def guarded(what: str, empty: Any = None) -> Callable:
    """Run a handler so that a failure is reported to the editor's log and answered with `empty`.

    Refusals meant for the author (a JsonRpcException, such as an invalid new
    id for rename) still go back to the editor as errors.
    """
    def decorate(handler: Callable) -> Callable:
        @functools.wraps(handler)
        def run(ls: ScenarioServer, params: Any) -> Any:
            try:
                return handler(ls, params)
            except JsonRpcException:
                raise
            except Exception as error:
                ls.complain(what, error)
                return empty
        return run
    return decorate


def _offset(ls: ScenarioServer, params: Any) -> tuple[Index, int]:
    index = ls.index(params.text_document.uri)
    return index, index.lines.offset(params.position.line, params.position.character)


def create_server(debounce: float = DEBOUNCE, clock: Clock | None = None) -> ScenarioServer:
    """A server with every feature registered (`wire.capabilities` says the same to the editor)."""
    server = ScenarioServer(debounce, clock)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    @guarded("checking the opened file")
    def did_open(ls: ScenarioServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.refresh(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    @guarded("checking the changed file")
    def did_change(ls: ScenarioServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.refresh(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    @guarded("closing the file")
    def did_close(ls: ScenarioServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.forget(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=wire.TRIGGERS))
    @guarded("completion", empty=[])
    def complete(ls: ScenarioServer, params: types.CompletionParams) -> types.CompletionList:
        index, offset = _offset(ls, params)
        return types.CompletionList(is_incomplete=False, items=completion.complete(index, offset))

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    @guarded("hover")
    def on_hover(ls: ScenarioServer, params: types.HoverParams) -> types.Hover | None:
        index, offset = ls.index_near(params.text_document.uri, params.position)
        return hover.hover(index, offset)

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    @guarded("go to definition")
    def definition(ls: ScenarioServer, params: types.DefinitionParams) -> types.Location | None:
        index, offset = ls.index_near(params.text_document.uri, params.position)
        return navigation.definition(index, params.text_document.uri, offset)

    @server.feature(types.TEXT_DOCUMENT_REFERENCES)
    @guarded("finding references", empty=[])
    def references(ls: ScenarioServer, params: types.ReferenceParams) -> list[types.Location]:
        index, offset = _offset(ls, params)
        return navigation.references(index, params.text_document.uri, offset, params.context.include_declaration)

    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    @guarded("the outline", empty=[])
    def outline(ls: ScenarioServer, params: types.DocumentSymbolParams) -> list[types.DocumentSymbol]:
        return symbols.outline(ls.index_near(params.text_document.uri)[0])

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
    @guarded("quick fixes", empty=[])
    def fixes(ls: ScenarioServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        index = ls.index(params.text_document.uri)
        return actions.fixes(index, params.text_document.uri, params.range, params.context.diagnostics)

    @server.feature(types.TEXT_DOCUMENT_PREPARE_RENAME)
    @guarded("preparing a rename")
    def prepare_rename(ls: ScenarioServer, params: types.PrepareRenameParams) -> Any:
        index, offset = _offset(ls, params)
        return navigation.prepare_rename(index, offset)

    @server.feature(types.TEXT_DOCUMENT_RENAME)
    @guarded("rename")
    def rename(ls: ScenarioServer, params: types.RenameParams) -> types.WorkspaceEdit | None:
        index, offset = _offset(ls, params)
        return navigation.rename(index, params.text_document.uri, offset, params.new_name)

    if isinstance(server.clock, ManualClock):
        @server.feature(ADVANCE_CLOCK)
        async def advance(ls: ScenarioServer, params: Any) -> float:
            seconds = params.get("seconds") if isinstance(params, dict) else getattr(params, "seconds", 0)
            woken = ls.clock.advance(float(seconds or 0))  # type: ignore[attr-defined]
            await asyncio.gather(*woken, return_exceptions=True)
            return ls.clock.now  # type: ignore[attr-defined]

    return server


def serve_stdio(greeting: wire.Greeting, manual_clock: bool = False) -> None:
    """Serve the editor that started the server (its `initialize` already answered by `wire.greet`)."""
    from game.lsp.transport import serve_stdio as run

    run(create_server(clock=ManualClock() if manual_clock else None), greeting)


def serve_tcp(host: str, port: int, manual_clock: bool = False) -> None:
    from game.lsp.transport import serve_tcp as run

    run(create_server(clock=ManualClock() if manual_clock else None), host, port)
