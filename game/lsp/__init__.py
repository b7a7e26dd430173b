"""`second-chance lsp`: the game's checks and id help in any editor that speaks the Language Server Protocol.

The server (`game.lsp.server`, built on pygls) is a thin shell; the work is in
plain modules: `document` reads the text tolerantly, `index` finds the ids and
where each is written, `diagnostics` runs the loader and the deep checks,
`completion`, `hover` and `navigation` answer the editor's questions. Nothing
in the core imports this package, and nothing here imports Textual or Rich.
"""
