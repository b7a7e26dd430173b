"""Writing the handouts (Markdown, HTML, JSON) from any workshop screen, and saying where they went."""

from __future__ import annotations

from textual.screen import Screen

from game.storage import UnsafeName
from game.tui.workshop.context import Room, WorkshopContext
from game.workshop import handout


def export_handouts(screen: Screen, context: WorkshopContext, room: Room) -> list[str]:
    """Write the handouts into the export folder (--export, or the current folder); tell the facilitator where."""
    folder = context.export_folder
    try:
        written = handout.export(room.workshop, folder)
    except (OSError, UnsafeName) as problem:
        screen.notify(f"The handouts could not be written to {folder}: {problem}", severity="error", timeout=10,
                      markup=False)
        return []
    names = "\n".join(f"  {p.name}" for p in written)
    screen.notify(f"Handouts written to {folder.resolve()}:\n{names}", title="Handouts", timeout=10, markup=False)
    return [str(p) for p in written]
