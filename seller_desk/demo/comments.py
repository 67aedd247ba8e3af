"""What buyers write in the return comment box, per canonical reason.

Phrases are expanded from small templates once, at import, into a pool per reason (and a German pool
for amazon.de), so a million returns pick comments by integer index and the text still varies.
"""

from __future__ import annotations

from itertools import product

import numpy as np

from seller_desk.demo.reasons import REASONS
from seller_desk.domain.enums import CanonicalReason as R

# Share of returns with a comment, per reason: people explain defects, not changes of heart.
COMMENT_SHARE: dict[R, float] = {
    R.DEFECTIVE: 0.65, R.DAMAGED_IN_TRANSIT: 0.6, R.WRONG_ITEM: 0.6, R.NOT_AS_DESCRIBED: 0.6,
    R.SIZE_FIT: 0.4, R.UNWANTED: 0.2, R.BETTER_PRICE: 0.25, R.LATE_DELIVERY: 0.35, R.MISSING_PARTS: 0.6,
    R.INCOMPATIBLE: 0.5, R.QUALITY: 0.55, R.FRAUD: 0.3, R.UNDELIVERABLE: 0.05, R.OTHER: 0.3,
}  # fmt: skip

_EN: dict[R, tuple[tuple[str, tuple[str, ...]], ...]] = {
    R.DEFECTIVE: (
        ("{} after {}", ("Stopped working", "Won't turn on", "Broke", "Died", "Started flickering")),
        ("", ("two days", "a week", "first use", "one charge", "ten minutes")),
        (
            "{}",
            (
                "Does not charge at all",
                "Left earbud has no sound",
                "Zipper broke first time I used it",
                "Buttons unresponsive",
                "Makes a loud buzzing noise",
                "Seam came apart",
                "Battery drains overnight",
                "Heel separated from the sole",
            ),
        ),
    ),
    R.DAMAGED_IN_TRANSIT: (
        ("{} {}", ("Box was crushed and", "Arrived with", "Package was wet and", "Outer box torn,")),
        ("", ("the item is cracked", "a dent on the side", "glass shattered", "parts scratched")),
        (
            "{}",
            ("Came broken", "Damaged on arrival", "Carrier clearly dropped it", "Lid cracked in shipping"),
        ),
    ),
    R.WRONG_ITEM: (
        (
            "{}",
            (
                "Received a different color",
                "Got the wrong size in a box labelled correctly",
                "This is not the model I ordered",
                "Completely different item in the package",
                "Sent the 2-pack instead of the 4-pack",
                "Wrong item sent",
            ),
        ),
    ),
    R.NOT_AS_DESCRIBED: (
        ("{} {}", ("Colour is", "Material is", "Size is", "Finish is")),
        (
            "",
            (
                "nothing like the photos",
                "not as described",
                "much thinner than advertised",
                "different from the listing",
            ),
        ),
        (
            "{}",
            (
                "Listing says stainless steel, it's plastic",
                "Not 100% cotton as stated",
                "Much smaller than pictured",
                "Says waterproof but it isn't",
            ),
        ),
    ),
    R.SIZE_FIT: (
        (
            "{}",
            (
                "Ordered my usual size, doesn't fit",
                "Doesn't fit",
                "Bought two sizes, keeping the other one",
                "Fit is off",
            ),
        ),
    ),
    R.UNWANTED: (
        (
            "{}",
            (
                "Changed my mind",
                "No longer needed",
                "Bought by mistake",
                "Ordered twice by accident",
                "Gift, recipient already has one",
                "Don't like the style",
                "Not what I expected",
            ),
        ),
    ),
    R.BETTER_PRICE: (
        (
            "{}",
            (
                "Found it cheaper elsewhere",
                "Price dropped the day after I bought it",
                "Same item is $10 less at another store",
                "Found a better deal",
            ),
        ),
    ),
    R.LATE_DELIVERY: (
        (
            "{}",
            (
                "Arrived too late for the trip",
                "Needed it for a birthday, came after",
                "Delivery took two weeks",
                "Missed the event, no longer needed",
                "Arrived a week late",
            ),
        ),
    ),
    R.MISSING_PARTS: (
        ("{} {}", ("Missing", "No", "Box did not include the")),
        ("", ("screws", "charging cable", "instructions", "remote", "lid", "two pieces", "power adapter")),
    ),
    R.INCOMPATIBLE: (
        ("{} {}", ("Doesn't work with my", "Not compatible with", "Won't connect to", "Doesn't fit my")),
        ("", ("iPhone", "laptop", "car", "TV", "Android phone", "older model", "drill")),
    ),
    R.QUALITY: (
        (
            "{}",
            (
                "Feels cheap",
                "Poor stitching",
                "Smells strongly of chemicals",
                "Flimsy",
                "Pilled after one wash",
                "Fabric is see-through",
                "Paint chipping already",
                "Quality not worth the price",
            ),
        ),
    ),
    R.FRAUD: (
        ("{}", ("I did not order this", "Unauthorized purchase on my account", "My kid ordered this")),
    ),
    R.UNDELIVERABLE: (("{}", ("Never received it", "Returned to sender by the carrier")),),
    R.OTHER: (
        (
            "{}",
            (
                "See photos",
                "Please call me",
                "Item doesn't suit my needs",
                "Other reason",
                "Return per Amazon chat",
                "Prefer a refund",
            ),
        ),
    ),
}

_DE: dict[R, tuple[str, ...]] = {
    R.DEFECTIVE: ("Funktioniert nicht", "Nach zwei Tagen kaputt", "Lässt sich nicht einschalten", "Defekt"),
    R.DAMAGED_IN_TRANSIT: ("Beschädigt angekommen", "Karton war eingedrückt", "Glas zerbrochen"),
    R.WRONG_ITEM: ("Falscher Artikel geliefert", "Falsche Farbe erhalten"),
    R.NOT_AS_DESCRIBED: ("Entspricht nicht der Beschreibung", "Farbe anders als auf dem Foto"),
    R.SIZE_FIT: ("Passt nicht", "Passform stimmt nicht"),
    R.UNWANTED: ("Gefällt mir nicht", "Nicht mehr benötigt", "Versehentlich bestellt"),
    R.BETTER_PRICE: ("Woanders günstiger gefunden",),
    R.LATE_DELIVERY: ("Kam zu spät", "Lieferung hat zu lange gedauert"),
    R.MISSING_PARTS: ("Teile fehlen", "Ladekabel fehlt", "Anleitung fehlt"),
    R.INCOMPATIBLE: ("Nicht kompatibel", "Passt nicht zu meinem Gerät"),
    R.QUALITY: ("Schlechte Qualität", "Wirkt billig verarbeitet"),
    R.FRAUD: ("Nicht von mir bestellt",),
    R.UNDELIVERABLE: ("Nie angekommen",),
    R.OTHER: ("Sonstiges", "Bitte Rückerstattung"),
}  # fmt: skip


# Size comments that agree with a TOO_SMALL / TOO_LARGE raw code: (English, German).
SIZE_SMALL = (
    (
        "Runs small",
        "Too tight",
        "Sleeves too short",
        "Need one size up",
        "Too narrow",
        "Tight around the shoulders",
    ),
    ("Zu klein", "Fällt klein aus", "Eine Nummer größer bitte"),
)
SIZE_LARGE = (("Runs large", "Too loose", "Too long", "Need one size down", "Waist too big"),
              ("Zu groß", "Fällt groß aus", "Eine Nummer kleiner bitte"))  # fmt: skip


def _expand(templates: tuple[tuple[str, tuple[str, ...]], ...]) -> list[str]:
    """Templates are (format, fillers); an empty format continues the previous two-slot template."""
    phrases: list[str] = []
    i = 0
    while i < len(templates):
        fmt, fills = templates[i]
        if fmt.count("{}") == 2 and i + 1 < len(templates) and templates[i + 1][0] == "":
            phrases += [fmt.format(a, b) for a, b in product(fills, templates[i + 1][1])]
            i += 2
        else:
            phrases += [fmt.format(a) for a in fills]
            i += 1
    return phrases


EN_POOLS: dict[R, tuple[str, ...]] = {r: tuple(_expand(_EN[r])) for r in REASONS}
DE_POOLS: dict[R, tuple[str, ...]] = {r: _DE[r] for r in REASONS}
# One flat pool: per reason, its English phrases then its German ones; then the sized phrases.
_BY_REASON = tuple(p for r in REASONS for p in EN_POOLS[r] + DE_POOLS[r])
_OFFSETS = np.cumsum([0] + [len(EN_POOLS[r]) + len(DE_POOLS[r]) for r in REASONS])
_SIZED = (SIZE_SMALL[0], SIZE_SMALL[1], SIZE_LARGE[0], SIZE_LARGE[1])
_SIZED_OFFSETS = len(_BY_REASON) + np.cumsum([0] + [len(p) for p in _SIZED])
POOL: tuple[str, ...] = _BY_REASON + tuple(p for part in _SIZED for p in part)


def draw_comments(
    rng: np.random.Generator, reason: np.ndarray, german: np.ndarray, size_dir: np.ndarray | None = None
) -> np.ndarray:
    """An index into POOL per return, or -1 for no comment.

    `size_dir` (-1 too small, +1 too large, 0 unknown, per return) keeps a size comment from
    contradicting the raw code ("Runs large" on APPAREL_TOO_SMALL).
    """
    n = len(reason)
    share = np.array([COMMENT_SHARE[r] for r in REASONS])[reason]
    en_len = np.array([len(EN_POOLS[r]) for r in REASONS])[reason]
    de_len = np.array([len(DE_POOLS[r]) for r in REASONS])[reason]
    use_de = german & (rng.random(n) < 0.6)
    u = rng.random(n)
    offset = _OFFSETS[:-1][reason] + np.where(use_de, en_len, 0)
    size = np.where(use_de, de_len, en_len)
    pick = offset + (u * size).astype(np.int64)
    if size_dir is not None:
        part = np.where(size_dir < 0, 0, 2) + use_de
        lengths = np.diff(_SIZED_OFFSETS)[part]
        sized = _SIZED_OFFSETS[:-1][part] + (rng.random(n) * lengths).astype(np.int64)
        directed = (size_dir != 0) & (rng.random(n) < 0.8)
        pick = np.where(directed, sized, pick)
    result: np.ndarray = np.where(rng.random(n) < share, pick, -1)
    return result
