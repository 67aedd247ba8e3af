"""Identifiers in the shapes sellers see, built a million at a time without Python loops.

Uniqueness is by construction, not by luck: every identifier embeds an affine permutation of a
sequence number (x -> a·x + b mod M with a coprime to M), so two rows never collide and the numbers
still look scattered. Characters are assembled as a byte matrix and turned into `str` in one step.
"""

from __future__ import annotations

import numpy as np

DIGITS = b"0123456789"
UPPER36 = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ALNUM62 = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_MAX_FACTOR = 1 << 38  # keeps a·x below 2**62 for x < 2**24 sequence numbers


def permuted(rng: np.random.Generator, seq: np.ndarray, modulus: int) -> np.ndarray:
    """A bijection of [0, modulus) applied to `seq` (which must be unique and below `modulus`)."""
    if len(seq) and int(seq.max()) >= min(modulus, 1 << 24):
        raise ValueError("sequence too large for the identifier space")
    hi = min(modulus, _MAX_FACTOR)
    while True:
        a = int(rng.integers(max(hi // 7, 3), hi))
        if np.gcd(a, modulus) == 1:
            break
    b = int(rng.integers(0, modulus))
    return (seq.astype(np.int64) * a + b) % modulus


def encode(values: np.ndarray, width: int, alphabet: bytes) -> np.ndarray:
    """Fixed-width base-len(alphabet) digits of `values`, most significant first, as a uint8 matrix."""
    base = len(alphabet)
    table = np.frombuffer(alphabet, dtype=np.uint8)
    out = np.empty((len(values), width), dtype=np.uint8)
    rest = values.astype(np.int64).copy()
    for col in range(width - 1, -1, -1):
        out[:, col] = table[rest % base]
        rest //= base
    return out


def random_chars(rng: np.random.Generator, n: int, width: int, alphabet: bytes) -> np.ndarray:
    table = np.frombuffer(alphabet, dtype=np.uint8)
    return table[rng.integers(0, len(alphabet), (n, width))]


def literal(text: str, n: int) -> np.ndarray:
    return np.tile(np.frombuffer(text.encode("ascii"), dtype=np.uint8), (n, 1))


def join(*parts: np.ndarray) -> np.ndarray:
    """Concatenate uint8 character matrices row-wise into a fixed-width bytes array.

    Bytes take a quarter of the memory of `str` objects; the writer decodes them chunk by chunk.
    """
    matrix = np.ascontiguousarray(np.hstack(parts))
    width = max(1, matrix.shape[1])
    result: np.ndarray = matrix.view(f"S{width}").ravel() if len(matrix) else np.zeros(0, dtype=f"S{width}")
    return result


def order_ids(rng: np.random.Generator, seq: np.ndarray, prefixes: np.ndarray) -> np.ndarray:
    """Amazon order ids `111-1234567-7654321`; `prefixes` is an (n, 3) digit matrix per order."""
    n = len(seq)
    middle = random_chars(rng, n, 7, DIGITS)
    tail = encode(permuted(rng, seq, 10**7), 7, DIGITS)
    return join(prefixes, literal("-", n), middle, literal("-", n), tail)


def order_item_codes(rng: np.random.Generator, seq: np.ndarray) -> np.ndarray:
    """Fourteen-digit order item codes (the key an adjustment feed refunds against)."""
    return join(encode(permuted(rng, seq, 10**14), 14, DIGITS))


def asins(rng: np.random.Generator, n: int) -> list[str]:
    """`B0` + eight upper-case alphanumerics."""
    seq = np.arange(n)
    codes: list[str] = (
        join(literal("B0", n), encode(permuted(rng, seq, 36**8), 8, UPPER36)).astype("U10").tolist()
    )
    return codes


def rmas(rng: np.random.Generator, seq: np.ndarray) -> np.ndarray:
    """Amazon RMA ids as in the MFN returns report: eight alphanumerics then `RRMA`."""
    n = len(seq)
    return join(encode(permuted(rng, seq, 62**8), 8, ALNUM62), literal("RRMA", n))


def license_plates(rng: np.random.Generator, seq: np.ndarray) -> np.ndarray:
    """FBA license plate numbers `LPN` + ten upper-case alphanumerics (FBA returns' identity)."""
    n = len(seq)
    return join(literal("LPN", n), encode(permuted(rng, seq, 36**10), 10, UPPER36))


def _royal_mail_check(body: np.ndarray) -> np.ndarray:
    """UPU S10 check digit over eight digits (weights 8 6 4 2 3 5 9 7)."""
    weights = np.array([8, 6, 4, 2, 3, 5, 9, 7])
    total = ((body - ord("0")).astype(np.int64) * weights).sum(axis=1)
    check = 11 - total % 11
    check = np.where(check == 10, 0, np.where(check == 11, 5, check))
    return (check + ord("0")).astype(np.uint8)[:, None]


def tracking_numbers(rng: np.random.Generator, carrier: str, seq: np.ndarray) -> np.ndarray:
    """Tracking numbers in each carrier's real shape; unique per carrier for unique `seq`."""
    n = len(seq)
    if carrier == "UPS":
        shipper = random_chars(rng, 1, 6, UPPER36).repeat(n, axis=0)  # the seller's UPS account
        service = np.where(rng.random(n) < 0.8, 90, 3)  # returns service, else ground
        body = encode(permuted(rng, seq, 10**8), 8, DIGITS)
        return join(literal("1Z", n), shipper, encode(service, 2, DIGITS), body)
    if carrier == "USPS":
        return join(literal("9202", n), random_chars(rng, n, 8, DIGITS),
                    encode(permuted(rng, seq, 10**10), 10, DIGITS))  # fmt: skip
    if carrier == "FedEx":
        return join(encode(permuted(rng, seq, 10**12), 12, DIGITS))
    if carrier == "Amazon Logistics":
        return join(literal("TBA", n), encode(permuted(rng, seq, 10**12), 12, DIGITS))
    if carrier == "Royal Mail":
        body = encode(permuted(rng, seq, 10**8), 8, DIGITS)
        service = np.frombuffer(b"RNRTRBRQ", dtype=np.uint8).reshape(4, 2)[rng.integers(0, 4, n)]
        return join(service, body, _royal_mail_check(body), literal("GB", n))
    if carrier == "DPD":
        return join(literal("15", n), encode(permuted(rng, seq, 10**12), 12, DIGITS))
    if carrier == "DHL":
        return join(literal("00340434", n), encode(permuted(rng, seq, 10**12), 12, DIGITS))
    raise ValueError(f"no tracking number shape for carrier {carrier!r}")
