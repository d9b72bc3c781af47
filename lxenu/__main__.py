"""``python -m lxenu``: see :mod:`lxenu.cli`."""

import sys

from .cli import main

sys.exit(main())
