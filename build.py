#!/usr/bin/env python3
"""Atlas ESS command line: `python build.py build | check | serve | new` (see --help)."""

import sys

from atlas.cli import main

if __name__ == "__main__":
    sys.exit(main())
