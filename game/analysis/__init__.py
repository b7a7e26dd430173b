"""The authoring tools' analysis: exploring every play, deep checks, simulation and personas.

Everything here follows the real engine's rules (game.engine; the exploration
runs them compiled onto tuples, and tests compare the two), so what the tools
say a play can do is what a player can do. Every run has a Budget, so no file
can keep the tools busy for long.

The package itself imports nothing: callers name the module they need
(`game.analysis.checks.deep_check`, `game.analysis.explore.explore`), so the
command line can list the personas without loading the checks at every start.
"""
