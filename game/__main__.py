"""`python -m game` runs the same command as `second-chance`."""

import sys

from game.cli import main

sys.exit(main())
