"""Story text made inert for a handout: escaped for Markdown, for a Markdown table cell, and for HTML.

Every handout (the full one and the take-home, in Markdown and HTML) puts
scenario text and the room's ideas through these, so nothing a story or a
phone says can add markup, links or scripts to a page a facilitator hands out,
not even a bare web address that a Markdown viewer would make a link of.
"""

from __future__ import annotations

import html
import re

from game.safetext import printable

_INLINE = re.compile(r"([\\`*_\[\]<>|~])|&(?=#?\w+;)")
"""What can start markup anywhere in a line: emphasis, code, links and images, HTML, table cells, strikes,
and an ampersand that would make an entity."""
_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+(?=[.)](?:\s|$)))")
"""What can start a block at the head of a line: headings, quotes, lists, rules, and numbered lists."""


_AUTOLINK = re.compile(r"(?i)\b(?:https?|ftp)(?=://)|\bwww(?=\.)|(?<=\w)(?=@\w)")
"""Where GitHub-style Markdown would turn plain words into a link by itself (a bare address, www., an email
address): a backslash goes before the `:`, the `.` or the `@` that follows, so the words stay words."""


def _unlinked(match: re.Match) -> str:
    return match.group() + "\\"


def _inline(match: re.Match) -> str:
    return "\\" + (match.group(1) or "&")


def _line(text: str) -> str:
    text = _AUTOLINK.sub(_unlinked, _INLINE.sub(_inline, text))
    head = _LINE_START.match(text)
    if head is None:
        return text
    indent, mark = head.groups()
    if mark[0].isdigit():  # "1." starts a list: the dot (or bracket) after the number is what is escaped
        after = head.end()
        return text[:after] + "\\" + text[after:]
    return f"{indent}\\{text[len(indent):]}"


def md(text: str) -> str:
    """Scenario text made inert in Markdown, escaping only what Markdown would read as markup (so "1:52 a.m."
    stays as written): inline marks anywhere, and block marks at the head of a line."""
    return "  \n".join(_line(line) for line in printable(text).split("\n"))


def cell(text: str) -> str:
    """Scenario text for a Markdown table cell: inert, and on one line."""
    return md(" ".join(text.split()))


def h(text: str) -> str:
    """Scenario text made inert in HTML."""
    return html.escape(printable(text), quote=True)
