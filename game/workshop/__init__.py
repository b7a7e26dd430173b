"""Workshop group play: a facilitator runs a scenario for a room, with votes, teams and branches.

`votes` holds one decision's rules (counts, locking, ties, what a vote came
out as), `timer` the optional countdown, `teams` the teams and whose turn is
next, `room` the workshop itself (rounds, skips, forum-theatre branches) on
top of core Sessions, `showing` and `shown` what the room may see, `moves`
which of the facilitator's steps are allowed now, `view` and `blocks` what the
room display and the phones are sent, `prompts` a scene's questions and notes,
`words` the workshop's sentences, `log` its file (saved after every decision,
resumed, rebuilt into handouts), `report` the room's debrief, and `handout`
the Markdown, HTML and JSON a facilitator hands out.
"""
