"""Second Chance: a game about trying to win back an ex, and what the advice really does."""

__version__ = "0.1.0"
