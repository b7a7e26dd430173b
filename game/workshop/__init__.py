"""Workshop group play: a facilitator runs a scenario for a room, with votes, teams and branches.

`votes` holds one decision's rules (counts, locking, ties), `timer` the
optional countdown, `room` the workshop itself (teams, rounds, skips,
forum-theatre branches) on top of core Sessions, `log` its file (saved after
every decision, resumed, rebuilt into handouts), `report` the room's debrief,
and `handout` the Markdown, HTML and JSON a facilitator hands out.
"""
