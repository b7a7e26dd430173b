"""The authoring tools' analysis: exploring every play, deep checks, simulation and personas.

Everything here runs on the real engine (game.engine), so what the tools say a
play can do is what a player can do.
"""

from game.analysis.checks import CODES, deep_check
from game.analysis.explore import Exploration, explore

__all__ = ["CODES", "Exploration", "deep_check", "explore"]
