"""Message tones (error, ok, refused, banner) from one stylesheet in ``resources/style/tones.qss``.

Screens used to write their own reds and greens inline, each a little different and each dark-red on
the dark theme. Now a widget says which tone it is in; the colours live in one file, and each is lifted
to stay readable when the window is dark (``theme.readable``). The stylesheet is set on the widget
itself, not on the application, so the long lists keep Qt's plain (fast) style.
"""

from __future__ import annotations

import re
from functools import lru_cache

from PySide6.QtWidgets import QWidget

from seller_desk.resources import resource_path
from seller_desk.ui.theme import current_is_dark, readable

TONE_FILE = ("style", "tones.qss")
_RULE = re.compile(r'\[tone="([a-z-]+)"\]\s*\{([^}]*)\}')
_COLOUR = re.compile(r"^@([a-z-]+):\s*(#[0-9a-fA-F]{6});", re.M)
_BACKGROUNDS = frozenset({"banner"})  # a background colour goes dark on a dark window, not light


@lru_cache(maxsize=1)
def _sheet() -> tuple[dict[str, str], dict[str, str]]:
    text = re.sub(r"/\*.*?\*/", "", resource_path(*TONE_FILE).read_text(encoding="utf-8"), flags=re.S)
    rules = {tone: body.strip() for tone, body in _RULE.findall(text)}
    colours = dict(_COLOUR.findall(text))
    return rules, colours


def tones() -> tuple[str, ...]:
    return tuple(_sheet()[0])


def style_of(tone: str) -> str:
    """The widget stylesheet of ``tone`` in colours readable on the current window."""
    rules, colours = _sheet()
    if tone not in rules:
        raise KeyError(f"no tone {tone!r} in {'/'.join(TONE_FILE)}; tones: {', '.join(rules)}")
    body = rules[tone]
    for name in sorted(colours, key=len, reverse=True):  # @banner-text before @banner
        body = body.replace(f"@{name}", _shown(name, colours[name]))
    return body


def _shown(name: str, colour: str) -> str:
    if name in _BACKGROUNDS and current_is_dark():
        return "#4a2020"  # a dark red panel, under lifted text
    return readable(colour)


def set_tone(widget: QWidget, tone: str | None) -> None:
    """Show ``widget`` in ``tone`` (None: back to the plain style)."""
    widget.setStyleSheet("" if tone is None else style_of(tone))
