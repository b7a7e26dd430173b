"""The workshop's console: the facilitator's own screen, beside the room display on the projector.

`app` holds the workshop's context, starts the workshop's server (the room
display, and the phones with --vote) and keeps the keys that work everywhere;
`screens` are what the facilitator works in (choosing a story, the setup, each
decision, the result card with a preview of what comes next, skipping, forum
theatre, the comparison, the room's debrief) and `widgets` the pieces they
share (the scene and its asides, the vote tally, the status lines, the place
for phones). Every rule lives in game.workshop: which keys work is its moves
table, what the room sees its release line; these modules only draw it and
pass the facilitator's keys to it.
"""
