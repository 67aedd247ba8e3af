"""``python -m seller_desk`` is the same as the ``seller-desk`` command."""

import sys

from seller_desk.cli import main

sys.exit(main())
