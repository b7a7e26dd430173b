"""Workshop group play: a facilitator runs a scenario for a room, with votes, teams and branches.

`votes` holds one decision's rules (counts, locking, ties, what a vote came
out as), `timer` the optional countdown, `teams` the teams and whose turn is
next, `room` the workshop itself (rounds, skips, forum-theatre branches) on
top of core Sessions, `showing` and `shown` what the room may see, `moves`
which of the facilitator's steps are allowed now, `view` and `blocks` what the
room display and the phones are sent, `prompts` a scene's questions and notes,
`words` the workshop's sentences, `ideas` the questions put to the room and
the ideas it sends back, `predictions` the room's guess at how a play ends,
`log` its file (saved after every decision, resumed, rebuilt into handouts),
`report` the room's debrief, `handout` the Markdown, HTML and JSON a
facilitator hands out, `takehome` the one page for the room to keep, and
`markup` how text is escaped in them.
"""
