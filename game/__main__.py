"""`python -m game` runs the same command as `second-chance`."""

import sys

from game.launcher import main

sys.exit(main())
