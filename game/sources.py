"""The five articles the advice comes from: each key's title, what kind of piece it is, how it is cited.

Every piece of advice cites its article by a short key ("A1 #6"). A player who
has never seen the articles needs to know what "A1" is, in the full-screen
game (the sources screen), in the plain player and in the docs, so the list
lives here once, in the package, and ships in the wheel with the code.
The descriptions are the game's own words, not the articles'.
"""

from __future__ import annotations

import re

import attrs


@attrs.frozen
class Source:
    """One article: its key, its title as published, what it is, and how the game numbers it."""

    key: str
    title: str
    about: str
    numbering: str
    subtitle: str = ""
    """The rest of the title, with its own punctuation (": Tips From the Experts")."""

    @property
    def heading(self) -> str:
        """The whole title as published."""
        return self.title + self.subtitle


SOURCES: tuple[Source, ...] = (
    Source(
        "A0", "13 Ways To Get Back With Your Ex",
        "A blog post reviewed by an expert, leaning on a counsellor who works with people going "
        "through separation and divorce (Shazia Saleem, MA Psychology). Warm in tone, strong on "
        "patience, apology and letting go of old scores.",
        "Thirteen numbered ways (A0 #4), then key pointers and a set of questions and answers "
        "(A0 FAQ 6); its opening list of reasons some exes should stay exes is cited by name.",
    ),
    Source(
        "A1", "How To Get Your Ex Back",
        "The longest of the five: a practical guide that runs from working out why it ended, "
        "through the first contact and the talk, to the signs that it should stay over "
        "(abuse, contempt, cheating as a pattern) and moving on.",
        "Twenty-three numbered steps (A1 #21) and a closing summary.",
    ),
    Source(
        "A2", "9 Ways to Get Your Ex Back",
        "A first-person piece by Milena J. Wisniewska, who tells of one reunion that lasted and "
        "one that fell apart, and brings in research along the way. It is the one that sets a "
        "personal deadline and laughs at staged photos.",
        "Nine numbered ways (A2 #8), then a section on next steps and a few questions and answers.",
        " (From Someone Who's Been There)",
    ),
    Source(
        "A3", "Getting Your Ex Back: A 13-Step Guide",
        "A step-by-step guide that first asks whether you should try at all, then goes from "
        "giving them space to the first text, the talk and the first meeting. It is the one "
        "that says to start contact yourself and to catch their eye with cheerful posts.",
        "Its step headings counted in order, from giving them space (#1) to moving on alone or "
        "together (#14), with the heading after the number (A3 #6 Initiate Contact).",
    ),
    Source(
        "A4", "How to Get Your Ex Back",
        "A list of tips credited to relationship experts, in five headed parts from the breakup "
        "to an honest conversation. It is the one that sells silence as a way to be missed.",
        "Its five headed parts counted in order (A4 #2), with the sub-heading in words; its "
        "closing words are cited by name.",
        ": Tips From the Experts",
    ),
)

BY_KEY: dict[str, Source] = {source.key: source for source in SOURCES}

CITATION = re.compile(r"\bA[0-4]\b(?: #\d+)?")
"""A citation inside a sentence: a key, and the step number where there is one ("A1 #6", "A3")."""


def key_of(citation: str) -> str | None:
    """The article key a citation names ("A1 #6" -> "A1"), or None if it names none of the five."""
    match = CITATION.search(citation)
    return match.group(0)[:2] if match else None


def citations(text: str) -> list[tuple[int, int, str]]:
    """Where the citations sit in a sentence: (start, end, key), in order, for linking each one."""
    return [(m.start(), m.end(), m.group(0)[:2]) for m in CITATION.finditer(text)]
