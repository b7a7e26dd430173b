"""The join code in large letters, for the back row of a room reading a terminal on the projector.

A terminal has one size of type, so the code is drawn: each letter five
blocks by five in half-block characters (three lines tall, square blocks),
with a space between letters. Only the code's own alphabet is drawn (no 0/O,
1/I/L: game.web.guard), so a six-letter code takes 36 columns. Anything else
is written as it is, in bold, on the middle line.
"""

from __future__ import annotations

from rich.text import Text

GLYPHS = {
    "A": (".###.", "#...#", "#####", "#...#", "#...#"),
    "B": ("####.", "#...#", "####.", "#...#", "####."),
    "C": (".####", "#....", "#....", "#....", ".####"),
    "D": ("####.", "#...#", "#...#", "#...#", "####."),
    "E": ("#####", "#....", "####.", "#....", "#####"),
    "F": ("#####", "#....", "####.", "#....", "#...."),
    "G": (".####", "#....", "#..##", "#...#", ".###."),
    "H": ("#...#", "#...#", "#####", "#...#", "#...#"),
    "J": ("..###", "...#.", "...#.", "#..#.", ".##.."),
    "K": ("#...#", "#..#.", "###..", "#..#.", "#...#"),
    "M": ("#...#", "##.##", "#.#.#", "#...#", "#...#"),
    "N": ("#...#", "##..#", "#.#.#", "#..##", "#...#"),
    "P": ("####.", "#...#", "####.", "#....", "#...."),
    "Q": (".###.", "#...#", "#.#.#", "#..#.", ".##.#"),
    "R": ("####.", "#...#", "####.", "#..#.", "#...#"),
    "S": (".####", "#....", ".###.", "....#", "####."),
    "T": ("#####", "..#..", "..#..", "..#..", "..#.."),
    "U": ("#...#", "#...#", "#...#", "#...#", ".###."),
    "V": ("#...#", "#...#", "#...#", ".#.#.", "..#.."),
    "W": ("#...#", "#...#", "#.#.#", "##.##", "#...#"),
    "X": ("#...#", ".#.#.", "..#..", ".#.#.", "#...#"),
    "Y": ("#...#", ".#.#.", "..#..", "..#..", "..#.."),
    "Z": ("#####", "...#.", "..#..", ".#...", "#####"),
    "2": (".###.", "#...#", "..##.", ".#...", "#####"),
    "3": ("####.", "....#", ".###.", "....#", "####."),
    "4": ("#...#", "#...#", "#####", "....#", "....#"),
    "5": ("#####", "#....", "####.", "....#", "####."),
    "6": (".###.", "#....", "####.", "#...#", ".###."),
    "7": ("#####", "....#", "...#.", "..#..", "..#.."),
    "8": (".###.", "#...#", ".###.", "#...#", ".###."),
    "9": (".###.", "#...#", ".####", "....#", ".###."),
}
"""Every character a join code may hold, five blocks by five ("#" is a block)."""

BLANK = (".....",) * 5
WIDTH = 6
"""Columns one letter takes, with the space after it."""
HALVES = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}


def big_lines(code: str) -> list[str]:
    """The code drawn in three lines of half blocks (none of it markup). A character with no glyph is drawn
    as a letter-wide space: the caller writes the code in words beside it as well."""
    letters = [GLYPHS.get(char.upper(), BLANK) for char in code]
    lines = []
    for top in (0, 2, 4):
        line = []
        for glyph in letters:
            upper = glyph[top]
            lower = glyph[top + 1] if top + 1 < 5 else "....."
            line.append("".join(HALVES[(a == "#", b == "#")] for a, b in zip(upper, lower, strict=True)) + " ")
        lines.append("".join(line).rstrip())
    return lines


def big_code(code: str, style: str = "bold") -> Text:
    """The code in large letters, three lines, as Rich text (no wrapping: it is cut at the edge if it must be)."""
    return Text("\n".join(big_lines(code)), style=style, no_wrap=True, overflow="crop")
