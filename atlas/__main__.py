"""`python -m atlas COMMAND`: the command line of the installed engine, as `build.py COMMAND` in a site."""

import sys

from .cli import main

sys.exit(main())
