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
    steps: int = 0
    """How many numbered steps (or, for A3 and A4, headed steps counted in order) it has."""
    headings: tuple[str, ...] = ()
    """The step headings, where a citation names them after the number ("A3 #6 Initiate Contact")."""
    sections: tuple[tuple[str, ...], ...] = ()
    """For each step, the sub-headings a citation may name after a colon ("A4 #4 ...: Send a Text")."""
    parts: tuple[str, ...] = ()
    """Unnumbered parts cited by name ("A0 opening list"); "FAQ" may be followed by a question's number."""
    faq: int = 0
    """How many numbered questions its FAQ has (cited "A0 FAQ 6")."""

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
        steps=13, parts=("opening list", "Key Pointers", "FAQ"), faq=6,
    ),
    Source(
        "A1", "How To Get Your Ex Back",
        "The longest of the five: a practical guide that runs from working out why it ended, "
        "through the first contact and the talk, to the signs that it should stay over "
        "(abuse, contempt, cheating as a pattern) and moving on.",
        "Twenty-three numbered steps (A1 #21) and a closing summary.",
        steps=23, parts=("summary",),
    ),
    Source(
        "A2", "9 Ways to Get Your Ex Back",
        "A first-person piece by Milena J. Wisniewska, who tells of one reunion that lasted and "
        "one that fell apart, and brings in research along the way. It is the one that sets a "
        "personal deadline and laughs at staged photos.",
        "Nine numbered ways (A2 #8), then a section on next steps and a few questions and answers.",
        " (From Someone Who's Been There)",
        steps=9, parts=("Your Next Steps", "Conclusion", "FAQs"),
    ),
    Source(
        "A3", "Getting Your Ex Back: A 13-Step Guide",
        "A step-by-step guide that first asks whether you should try at all, then goes from "
        "giving them space to the first text, the talk and the first meeting. It is the one "
        "that says to start contact yourself and to catch their eye with cheerful posts.",
        "Its step headings counted in order, from giving them space (#1) to moving on alone or "
        "together (#14), with the heading after the number (A3 #6 Initiate Contact). Its title "
        "says thirteen steps; it has fourteen headings.",
        steps=14,
        headings=("Give Them Space", "Work on Yourself", "Stay Active", "Think of Solutions",
                  "Grab Their Attention", "Initiate Contact", "Keep the Conversation Going",
                  "Tell Them How You Feel", "Set a Date", "Address the Issue", "Keep Your Expectations at Bay",
                  "Avoid Physical Intimacy", "End on a Positive Note", "Move On Alone or Forward Together"),
        parts=("Should You Get Your Ex Back?", "How to Get Your Ex Back intro", "Final Words", "FAQ"),
    ),
    Source(
        "A4", "How to Get Your Ex Back",
        "A list of tips credited to relationship experts, in five headed parts from the breakup "
        "to an honest conversation. It is the one that sells silence as a way to be missed.",
        "Its five headed parts counted in order (A4 #2), with the sub-heading in words; its "
        "closing words are cited by name.",
        ": Tips From the Experts",
        steps=5,
        headings=("Understand Why the Breakup Happened", "Give Your Ex Space and Time", "Focus on Self-Improvement",
                  "Re-Establish Contact Slowly", "Have an Honest Conversation About Getting Back Together"),
        sections=((), ("Time Apart is Necessary", "Absence Makes the Heart Grow Fonder"),
                  ("Pick up a hobby or skill", "Focus on your health and fitness", "Reflect and set goals",
                   "Volunteer or join a local group"),
                  ("Send a Text", "Call to Chat", "Meet Up (If It Feels Right)"),
                  ("Set the Right Tone", "Address the Breakup", "Compromise and Commitment", "Set a Game Plan")),
        parts=("closing words",),
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


def _starts(words: str, name: str) -> bool:
    """Whether `words` name `name`, in full or by its first words ("Have an Honest Conversation")."""
    words, name = words.strip().lower(), name.lower()
    return bool(words) and (name == words or name.startswith(words + " ") or name.startswith(words + " ("))


def step_problem(citation: str) -> str | None:
    """What is wrong with the step a citation inside a sentence names ("A3 #15"), or None."""
    match = CITATION.fullmatch(citation.strip())
    if match is None or " #" not in citation:
        return None
    source = BY_KEY[citation.strip()[:2]]
    number = int(citation.split("#")[1])
    if not 1 <= number <= source.steps:
        return f"{source.key} has {source.steps} steps; #{number} is not one of them"
    return None


def citation_problem(source: str) -> str | None:
    """What is wrong with a `sources` entry, or None when it names a step or part the article has.

    "A1 #4", "A3 #6 Initiate Contact", "A4 #4 Re-Establish Contact Slowly: Send a
    Text", "A0 FAQ 6" and "A4 closing words" are right; "A3 #15" (A3 has
    fourteen), "A3 #6 Set a Date" (that is #9) and "A2 Epilogue" are not.
    """
    key, _, rest = source.strip().partition(" ")
    article = BY_KEY.get(key)
    if article is None:
        return "names none of the five articles (A0 to A4)"
    if rest.startswith("#"):
        number_text, _, words = rest[1:].partition(" ")
        if not number_text.isdigit():
            return "has no step number after #"
        number = int(number_text)
        if not 1 <= number <= article.steps:
            return f"names #{number}, but {key} has {article.steps} steps"
        if words and article.headings:
            heading, _, section = words.partition(":")
            named = article.headings[number - 1]
            if not _starts(heading, named):
                return f"names {key} #{number} \"{heading.strip()}\", but #{number} is \"{named}\""
            subs = article.sections[number - 1] if article.sections else ()
            if section and not any(_starts(section, sub) for sub in subs):
                return f"names a part \"{section.strip()}\" that {key} #{number} does not have"
        return None
    if not rest:
        return None
    part = next((p for p in article.parts if rest == p or rest.startswith(p + " ")), None)
    if part is None:
        return f"names a part {key} does not have (its parts: {', '.join(article.parts)})"
    tail = rest[len(part):].strip()
    if part == "FAQ" and tail:
        if not tail.isdigit() or not 1 <= int(tail) <= article.faq:
            return f"names FAQ {tail}, but {key}'s FAQ has {article.faq} questions"
    return None
