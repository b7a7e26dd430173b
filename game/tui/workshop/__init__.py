"""The workshop's full screen: one laptop, one projector, a room deciding together.

`app` holds the workshop's context and the keys that work everywhere;
`screens` are what the room sees (choosing a story, the setup, each decision,
the card after it, forum theatre, the comparison, the room's debrief) and
`widgets` the pieces they share (the vote tally, the place for phones). Every
rule lives in game.workshop; these modules only draw it and pass the
facilitator's keys to it.
"""
