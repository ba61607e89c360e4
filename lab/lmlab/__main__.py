"""``python -m lmlab`` = the ``lmlab`` console script."""

import sys

from .cli import main

sys.exit(main())
