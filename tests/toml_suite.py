"""Check the game's TOML reader against a checkout of toml-test, the TOML project's suite of valid and invalid files.

    python -m tests.toml_suite PATH/TO/toml-test/tests

Every `.toml` file below the folder is read by tomli and by `game.toml`; the
two must refuse the same files and read the others to the same values. A
file that is not UTF-8 is refused by both (the loader decodes before
parsing). Prints each disagreement and a count; exits 1 if there is one.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tests.test_toml_reader import agrees


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not Path(argv[0]).is_dir():
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    files = sorted(Path(argv[0]).rglob("*.toml"))
    undecodable = disagree = 0
    for path in files:
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            undecodable += 1
            continue
        if not agrees(text):
            disagree += 1
            print(f"disagree: {path}")
    print(f"{len(files)} files ({undecodable} not UTF-8): {disagree} disagreement{'s' if disagree != 1 else ''}")
    return 1 if disagree else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
