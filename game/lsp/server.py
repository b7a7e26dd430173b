"""The language server: Second Chance's checks, completion, hover, go-to and rename in any LSP editor.

On open and on every change the loader checks the text in the editor (not
the file on disk) and its diagnostics are published at once. When the author
pauses (`DEBOUNCE` seconds with no change), the deep checks run on a clean
load, in a worker thread so typing never waits, and both sets are published
together; a change in the meantime cancels them.

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

from lsprotocol import types
from pygls import uris
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer

from game import __version__
from game.lsp import completion, diagnostics, hover, navigation
from game.lsp.document import Lines
from game.lsp.index import Index, looks_like_scenario

NAME = "second-chance"
DEBOUNCE = 0.6
"""Seconds without a change before the deep checks run."""
TRIGGERS = ['"', ".", "[", "{", " ", ","]
"""Characters after which the editor asks for completion without being told to."""

log = logging.getLogger("game.lsp")


class ScenarioServer(LanguageServer):
    """Keeps, for each open scenario, its latest version, its index, and its pending deep check."""

    def __init__(self, debounce: float = DEBOUNCE):
        super().__init__(NAME, __version__)
        self.debounce = debounce
        self.versions: dict[str, int] = {}
        self.indexes: dict[str, Index] = {}
        self.deep_tasks: dict[str, asyncio.Task] = {}
        self.deep_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="second-chance-deep-check")

    # -- helpers ---------------------------------------------------------------------------

    def complain(self, what: str, error: BaseException) -> None:
        """Tell the editor's log that something failed, and carry on."""
        detail = "".join(traceback.format_exception(type(error), error, error.__traceback__, limit=6))
        log.error("%s failed: %s", what, detail)
        try:
            self.window_log_message(types.LogMessageParams(
                type=types.MessageType.Error,
                message=f"second-chance: {what} failed ({type(error).__name__}: {error}); the server carries on.\n"
                        f"{detail}"))
        except Exception:  # pragma: no cover - the connection itself is gone
            log.exception("could not report a failure to the editor")

    def encoding(self) -> str:
        kind = getattr(self.workspace, "position_encoding", None)
        value = getattr(kind, "value", kind)
        return value if value in ("utf-8", "utf-16", "utf-32") else "utf-16"

    def index(self, uri: str) -> Index:
        """The index of the open document's latest version (built once per version)."""
        document = self.workspace.get_text_document(uri)
        cached = self.indexes.get(uri)
        if cached is not None and cached.version == document.version and cached.text == document.source:
            return cached
        index = Index(document.source, self.encoding())
        index.version = document.version
        self.indexes[uri] = index
        return index

    def publish(self, uri: str, version: int | None, found: list[types.Diagnostic]) -> None:
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=found,
                                                                              version=version))

    # -- checking ----------------------------------------------------------------------------

    def refresh(self, uri: str) -> None:
        """Check the document now, publish, and schedule the deep checks for the next pause."""
        self.cancel_deep(uri)
        document = self.workspace.get_text_document(uri)
        text, version = document.source, document.version
        self.versions[uri] = version
        if not looks_like_scenario(text):
            self.publish(uri, version, [])  # another kind of TOML file: not ours to judge
            return
        file, path = _file(uri)
        checked = diagnostics.check(text, file, path)
        lines = Lines(text, self.encoding())
        quick = diagnostics.to_lsp(checked.diagnostics, lines)
        self.publish(uri, version, quick)
        for problem in checked.elsewhere:
            log.warning("%s", problem.format())
        if checked.scenario is not None:
            self.deep_tasks[uri] = asyncio.get_running_loop().create_task(
                self.deep_later(uri, version, checked, file, quick, lines))

    def cancel_deep(self, uri: str) -> None:
        task = self.deep_tasks.pop(uri, None)
        if task is not None:
            task.cancel()

    async def deep_later(self, uri: str, version: int, checked: diagnostics.Checked, file: str,
                         quick: list[types.Diagnostic], lines: Lines) -> None:
        try:
            await asyncio.sleep(self.debounce)
            if self.versions.get(uri) != version:
                return
            loop = asyncio.get_running_loop()
            found = await loop.run_in_executor(self.deep_pool, diagnostics.deep, checked.scenario, checked.text,
                                               file)
            if self.versions.get(uri) != version:
                return  # the text changed while the checks ran: their findings are about old lines
            self.publish(uri, version, [*quick, *diagnostics.to_lsp(found, lines)])
        except asyncio.CancelledError:
            raise
        except Exception as error:
            self.complain("the deep checks", error)
        finally:
            if self.deep_tasks.get(uri) is asyncio.current_task():
                del self.deep_tasks[uri]

    def forget(self, uri: str) -> None:
        self.cancel_deep(uri)
        self.versions.pop(uri, None)
        self.indexes.pop(uri, None)
        self.publish(uri, None, [])

    def shutdown(self) -> None:
        for uri in list(self.deep_tasks):
            self.cancel_deep(uri)
        self.deep_pool.shutdown(wait=False, cancel_futures=True)
        super().shutdown()


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


def create_server(debounce: float = DEBOUNCE) -> ScenarioServer:
    """A server with every feature registered."""
    server = ScenarioServer(debounce)

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

    @server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=TRIGGERS))
    @guarded("completion", empty=[])
    def complete(ls: ScenarioServer, params: types.CompletionParams) -> types.CompletionList:
        index, offset = _offset(ls, params)
        return types.CompletionList(is_incomplete=False, items=completion.complete(index, offset))

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    @guarded("hover")
    def on_hover(ls: ScenarioServer, params: types.HoverParams) -> types.Hover | None:
        index, offset = _offset(ls, params)
        return hover.hover(index, offset)

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    @guarded("go to definition")
    def definition(ls: ScenarioServer, params: types.DefinitionParams) -> types.Location | None:
        index, offset = _offset(ls, params)
        return navigation.definition(index, params.text_document.uri, offset)

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

    return server


def serve(tcp: bool = False, host: str = "127.0.0.1", port: int = 2087) -> None:
    """Run the server over stdin/stdout (what editors start), or on a TCP port."""
    server = create_server()
    if tcp:
        server.start_tcp(host, port)
    else:
        server.start_io()
