"""Colours and text the charts share: one fixed colour per reason, so a reason keeps its colour whatever
the filter shows, and the spike marker's colour, which no reason uses."""

from __future__ import annotations

from collections.abc import Callable

from matplotlib import colormaps

from seller_desk.analytics.trends import REASON_ORDER, UNMAPPED

SPIKE_COLOUR = "#111111"  # near-black triangles above a bar: distinct from every reason's colour
UNMAPPED_COLOUR = "#9e9e9e"
_TAB20 = colormaps["tab20"].colors
# Even entries of tab20 first (the saturated ones), then the light ones: neighbours stay distinct.
# Its greys (14, 15) are left out: grey is the unmapped codes' colour alone.
_ORDERED = [_TAB20[i] for i in range(0, 20, 2) if i != 14] + [_TAB20[i] for i in range(1, 20, 2) if i != 15]
REASON_COLOURS = {reason: _ORDERED[i % len(_ORDERED)] for i, reason in enumerate(REASON_ORDER)}
REASON_COLOURS[UNMAPPED] = UNMAPPED_COLOUR

Labeller = Callable[[str], str]


def colour_of(reason: str) -> object:
    return REASON_COLOURS.get(reason, UNMAPPED_COLOUR)


def plain_label(reason: str) -> str:
    """The default labeller: the reason key made readable (the UI passes its own wording)."""
    return "Unmapped codes" if reason == UNMAPPED else reason.replace("_", " ").capitalize()
