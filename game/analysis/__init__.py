"""The authoring tools' analysis: exploring every play, deep checks, simulation and personas.

Everything here follows the real engine's rules (game.engine; the exploration
runs them compiled onto tuples, and tests compare the two), so what the tools
say a play can do is what a player can do. Every run has a Budget, so no file
can keep the tools busy for long.
"""

from game.analysis.budget import Budget
from game.analysis.checks import CODES, RETIRED, deep_check
from game.analysis.explore import Exploration, explore

__all__ = ["CODES", "RETIRED", "Budget", "Exploration", "deep_check", "explore"]
