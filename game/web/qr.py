"""The join address as a QR code: drawn in text for the console, and as a picture for the room display.

Each line of text holds two rows of modules with the half-block characters
(▀ top, ▄ bottom, █ both, a space for neither), so the code stays square in a
terminal whose cells are twice as tall as they are wide. The quiet zone (four
light modules on every side, which phone cameras need) is part of the lines.

A block character is drawn in the text colour. By default the blocks are the
dark modules, so the screen should show the lines dark on light (Textual:
`color: black; background: white`). `invert=True` draws the light modules
instead, for a plain terminal that shows light text on a dark background.
"""

from __future__ import annotations

import segno

BORDER = 4
"""The quiet zone of a QR code, in modules."""

GLYPHS = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}


def matrix(text: str, border: int = BORDER) -> list[list[bool]]:
    """The QR code for `text` (never a Micro QR, which phone cameras rarely read): True is a dark module."""
    code = segno.make(text, micro=False)
    return [[bool(module) for module in row] for row in code.matrix_iter(scale=1, border=border)]


def qr_lines(text: str, border: int = BORDER, invert: bool = False) -> list[str]:
    """The QR code for `text` as lines of half blocks, quiet zone included; all lines are the same width."""
    rows = matrix(text, border)
    if invert:
        rows = [[not module for module in row] for row in rows]
    if len(rows) % 2:
        rows.append([invert] * len(rows[0]))  # the last half line is quiet zone: light
    return ["".join(GLYPHS[top, bottom] for top, bottom in zip(upper, lower, strict=True))
            for upper, lower in zip(rows[0::2], rows[1::2], strict=True)]


def svg(text: str, border: int = BORDER) -> str:
    """The QR code for `text` as a small SVG picture, black on white, quiet zone included (for the room
    display, which scales it to the size of the room)."""
    rows = matrix(text, border)
    size = len(rows)
    dark = "".join(f"M{x},{y}h1v1h-1z" for y, row in enumerate(rows) for x, on in enumerate(row) if on)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" shape-rendering="crispEdges" '
            f'role="img"><rect width="{size}" height="{size}" fill="#fff"/><path fill="#000" d="{dark}"/></svg>')
