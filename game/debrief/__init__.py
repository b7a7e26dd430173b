"""What a finished play meant: derived from the history, never written per ending.

Every choice names the advice it follows or ignores, so the debrief for any
path, including ones no author foresaw, is assembled from the steps taken.

This package is also the one home of the debrief's policy and its words, so the
full-screen debrief, the plain player, and a workshop's room debrief and
handouts (game.workshop.report, which calls a pick "decision 3" where a player
reads "choice 3") say the same things the same way:

- each piece of advice is explained once, with every choice that followed or
  ignored it (`AdviceEntry`), never once per list;
- each disagreement between the articles is shown once (`Debate`), however
  many pieces of advice on the path raise it;
- the summary leads with the three entries that mattered most (`top`, rule in
  `mattered_most`), and on an ending that is not a good one at least one of
  them says what turned it; the turning point says when another choice tied;
- in a story with `help = true` (a red-flag story) the list is framed as what
  might have helped, going back is named as common and not a failure, and an
  abuser's trust is never shown as a score to win (`shown_meters`).

It is two modules along that seam: `meaning` works out what a play meant
(the entries, the debates, the turning point and its ties, the meters shown)
and `words` says it (headings, intros, marks and each line's wording). Both
are reached through this package, as `game.debrief.build`, `game.debrief.mark`
and so on.
"""

from __future__ import annotations

from game.debrief.meaning import (
    GROUPS,
    TOP,
    AdviceEntry,
    Debate,
    Debrief,
    Group,
    build,
    debates,
    entries,
    mattered_most,
    move_size,
    same_debate,
    shown_meters,
    ties,
    turning_point,
)
from game.debrief.words import (
    ADVICE_INTRO,
    DEBATE_INTRO,
    HELP_ADVICE_INTRO,
    HELP_METERS_NOTE,
    HELP_NOTE,
    METERS_INTRO,
    NO_ADVICE,
    NO_DEBATE,
    NO_ENTRIES,
    NO_TURN,
    OUTCOME_WORDS,
    SECTIONS,
    SOURCES_TITLE,
    STANCE,
    TACTICS_NOTE,
    TOP_TITLE,
    AdviceList,
    advice_lists,
    choices_words,
    cited_sources,
    ending_line,
    group_title,
    mark,
    meter_summary,
    moment_head,
    moment_label,
    moment_lines,
    signed,
    sources_line,
    tie_clause,
    tie_sentence,
    top_line,
    turning_head,
    turning_moves,
    turning_summary,
    when_words,
)

__all__ = [
    "ADVICE_INTRO",
    "AdviceEntry",
    "AdviceList",
    "DEBATE_INTRO",
    "Debate",
    "Debrief",
    "GROUPS",
    "Group",
    "HELP_ADVICE_INTRO",
    "HELP_METERS_NOTE",
    "HELP_NOTE",
    "METERS_INTRO",
    "NO_ADVICE",
    "NO_DEBATE",
    "NO_ENTRIES",
    "NO_TURN",
    "OUTCOME_WORDS",
    "SECTIONS",
    "SOURCES_TITLE",
    "STANCE",
    "TACTICS_NOTE",
    "TOP",
    "TOP_TITLE",
    "advice_lists",
    "build",
    "choices_words",
    "cited_sources",
    "debates",
    "ending_line",
    "entries",
    "group_title",
    "mark",
    "mattered_most",
    "meter_summary",
    "moment_head",
    "moment_label",
    "moment_lines",
    "move_size",
    "same_debate",
    "shown_meters",
    "signed",
    "sources_line",
    "tie_clause",
    "tie_sentence",
    "ties",
    "top_line",
    "turning_head",
    "turning_moves",
    "turning_point",
    "turning_summary",
    "when_words",
]
