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
  might have helped, going back is named as common and not a failure, and the
  other person's trust is never shown as a score to win (`shown_meters`); the
  turning point and what mattered most are measured on the meters shown, and
  the framing is worded for the kind of help the story is about (`help_words`:
  an abusive relationship, or one that is unhealthy but not abusive).

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
    evenly_moved,
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
    EARNING,
    EVEN_TURN,
    HELP_DEBATE_INTRO,
    HELP_WORDS,
    METERS_INTRO,
    NO_ADVICE,
    NO_DEBATE,
    NO_ENTRIES,
    NO_TURN,
    OTHER_HELP,
    OUTCOME_WORDS,
    REWARDS_READING,
    SECTIONS,
    SOURCES_TITLE,
    STANCE,
    TACTICS_NOTE,
    TOP_TITLE,
    AdviceList,
    HelpWords,
    advice_intro,
    advice_lists,
    choices_words,
    cited_sources,
    debate_intro,
    ending_line,
    group_title,
    help_note,
    help_words,
    mark,
    meter_summary,
    meters_note,
    moment_head,
    moment_label,
    moment_lines,
    no_turn,
    signed,
    sources_line,
    stance_parts,
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
    "EARNING",
    "EVEN_TURN",
    "Debate",
    "Debrief",
    "GROUPS",
    "Group",
    "HELP_DEBATE_INTRO",
    "HELP_WORDS",
    "HelpWords",
    "METERS_INTRO",
    "NO_ADVICE",
    "NO_DEBATE",
    "NO_ENTRIES",
    "NO_TURN",
    "OTHER_HELP",
    "OUTCOME_WORDS",
    "REWARDS_READING",
    "SECTIONS",
    "SOURCES_TITLE",
    "STANCE",
    "TACTICS_NOTE",
    "TOP",
    "TOP_TITLE",
    "advice_intro",
    "advice_lists",
    "build",
    "choices_words",
    "cited_sources",
    "debate_intro",
    "debates",
    "ending_line",
    "entries",
    "evenly_moved",
    "group_title",
    "help_note",
    "help_words",
    "mark",
    "mattered_most",
    "meter_summary",
    "meters_note",
    "moment_head",
    "moment_label",
    "moment_lines",
    "no_turn",
    "move_size",
    "same_debate",
    "shown_meters",
    "signed",
    "sources_line",
    "stance_parts",
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
