"""The full-screen game: a Textual app over the plain engine.

This package is the only place that imports Textual or Rich. It never changes
game state itself: every screen asks the engine for the next Playthrough and
draws it.
"""
