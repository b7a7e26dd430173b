"""A screen's own rules, added to the app's stylesheet the first time a screen of its kind is made.

The list's first frame parses only the rules it needs (`app.tcss`): parsing
Textual CSS is the largest part of drawing it. The notes and play screens
keep theirs in files of their own, added here when one is first made,
before it is mounted, so its widgets are styled with them as they mount.
Textual's own way (a screen's `CSS_PATH`) would parse every rule of the app
again and restyle every widget on screen when the screen first opens;
adding one file parses that file alone. The rules are added as the app's
own, never as a widget's defaults, so they weigh exactly as they would in
`app.tcss`.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import App


def add_styles(app: App, path: Path) -> None:
    """Add the rules in `path` to the app's stylesheet, once."""
    if not app.stylesheet.has_source(str(path), ""):
        app.stylesheet.read(path)
