"""From `second-chance workshop` to the running workshop console.

The command line (game/cli/workshop.py) has already checked the arguments and
found the named scenario's file; this reads the scenarios on offer, sets aside
those --exclude hides (with the note that hid each), and starts the app.
"""

from __future__ import annotations

import contextlib
import sys

from game import library
from game.cli.sharing import WorkshopOptions
from game.safetext import printable
from game.tui.crash import exit_status
from game.tui.workshop.context import ServerLink, ServerMaker, Settings, WorkshopContext
from game.workshop import notes
from game.workshop.room import GROUND_RULES


def build_context(options: WorkshopOptions) -> WorkshopContext | int:
    """The workshop's context for these options, or an exit code after a message on stderr."""
    start_path = options.story
    entries, skipped = library.gather(builtin=True, folders=list(options.folders),
                                      files=[start_path] if start_path else [])
    start = None
    if start_path is not None:
        wanted = library.same_file(start_path)
        start = next((e for e in entries if library.same_file(e.path) == wanted), None)
        if start is not None and start.scenario is None:
            for diagnostic in start.diagnostics:
                print(printable(diagnostic.format()), file=sys.stderr)
            print(printable(f"second-chance workshop: `{start_path}` has errors, so it cannot be used until they "
                            f"are fixed (`second-chance validate {start_path}` checks it again)."), file=sys.stderr)
            return 1
    words = notes.terms(options.exclude)
    playable = [e for e in entries if e.scenario is not None]
    offered_scenarios, hidden_scenarios = notes.split([e.scenario for e in playable if e.scenario], words)
    by_scenario = {id(e.scenario): e for e in playable}
    settings = Settings(
        teams=list(options.teams),
        mode=options.turns,
        tie_rule=options.tie,
        seed=options.seed,
        discussion=options.discussion,
        voting=options.voting,
        bell=options.bell,
        rules=options.rules or GROUND_RULES,
    )
    return WorkshopContext(
        offered=[by_scenario[id(s)] for s in offered_scenarios],
        hidden=[(by_scenario[id(s)], note) for s, note in hidden_scenarios],
        broken=[e for e in entries if e.scenario is None],
        skipped=list(skipped),
        start=start,
        settings=settings,
        exclude=words,
        export_dir=options.export,
        resume=options.resume,
        server=workshop_server(options),
    )


def workshop_server(options: WorkshopOptions) -> ServerMaker:
    """The workshop's own server: always (the room display needs it), on loopback unless --lan or --host say
    otherwise; phones vote through it with --vote."""
    from game import net

    host = net.bind_host(options.lan, options.host)
    port, phones = options.port, options.vote

    def make() -> ServerLink:
        from game.web.server import WorkshopServer  # aiohttp loads after the console's first screen

        return WorkshopServer(host, port, phones=phones)

    return make


def launch(options: WorkshopOptions) -> int:
    """Run the workshop screen for `second-chance workshop`; returns the exit code."""
    context = build_context(options)
    if isinstance(context, int):
        return context
    from game.tui.workshop.app import WorkshopApp

    app = WorkshopApp(context)
    result = app.run()
    status, message = exit_status(app, result)
    for line in (message, app.ended_note):
        if line:
            with contextlib.suppress(OSError):  # after SIGHUP the terminal may be gone
                print(line, file=sys.stderr)
    return status
