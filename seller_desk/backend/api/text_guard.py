"""Refuse text no database can store before it reaches one.

JSON may carry a NUL character (``\\u0000``) or a lone UTF-16 surrogate (``\\ud800``). PostgreSQL
rejects NUL in text columns and neither database can encode a lone surrogate, so such input would
otherwise surface as a 500 from deep inside a transaction. It is a client's bad input: ``400`` naming
the field.
"""

from __future__ import annotations

from typing import Any

from seller_desk.backend.errors import bad_request


def _bad(text: str) -> bool:
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def check_text(value: Any, path: str = "") -> None:
    """Raise ``400`` at the first string (or object key) under ``value`` that cannot be stored."""
    if isinstance(value, str):
        if _bad(value):
            raise bad_request(
                f"{path or 'body'}: text with a NUL character or a lone surrogate", path or "body"
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            child = f"{path}.{key}" if path else str(key)
            if isinstance(key, str) and _bad(key):
                raise bad_request(
                    f"{path or 'body'}: a key with a NUL character or a lone surrogate", path or "body"
                )
            check_text(item, child)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            check_text(item, f"{path}.{index}" if path else str(index))
