"""``python -m lm_provider.cli``: the ``lm-provider`` command."""

import sys

from . import main

sys.exit(main())
