"""``python -m seller_desk.bench [NAME...] [--rows N] [--json]`` (design/CLI.md)."""

import sys

from seller_desk.bench.runner import main

sys.exit(main())
