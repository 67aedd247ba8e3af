"""``seller-desk screenshot --view V --out F.png [--size WxH]``: render a view offscreen."""

from __future__ import annotations

import argparse
import re
from typing import Any

from seller_desk.cli.common import add_common

VIEWS = ("returns", "shipments", "refunds", "trends", "restock", "sync")


def _size(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d{2,5})x(\d{2,5})", text)
    if not match:
        raise argparse.ArgumentTypeError(f"size must look like 1366x768, got {text!r}")
    return int(match.group(1)), int(match.group(2))


def register(sub: Any) -> None:
    parser = sub.add_parser("screenshot", help="render a view offscreen to a PNG file")
    add_common(parser)
    parser.add_argument("--view", choices=VIEWS, required=True)
    parser.add_argument("--out", required=True, metavar="F.png")
    parser.add_argument("--size", type=_size, default=(1366, 768), metavar="WxH")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from seller_desk.app import render_screenshot

    return render_screenshot(view=args.view, out=args.out, size=args.size, data_dir=args.data_dir)
