"""Deterministic randomness keyed by strings.

Every random choice in the world is drawn from a generator seeded by a string such as
``"42|<source>|<ad_id>|2026-11-01"``. Python's built-in ``hash()`` is salted per process, so seeds come
from blake2b instead: the same key gives the same numbers in every process, on every machine, and a
day can be generated on its own without replaying the days before it.
"""

from __future__ import annotations

import hashlib
import math
import random


def _key_bytes(parts: tuple[object, ...]) -> bytes:
    return "|".join(map(str, parts)).encode()


def seed_of(*parts: object) -> int:
    """A 64-bit integer seed for the key made of ``parts``."""
    return int.from_bytes(hashlib.blake2b(_key_bytes(parts), digest_size=8).digest(), "big")


def stream(*parts: object) -> random.Random:
    """A private generator for one key, for when several draws belong together."""
    return random.Random(seed_of(*parts))


def unit(*parts: object) -> float:
    """One uniform draw in [0, 1) for a key; ten times cheaper than building a generator."""
    return seed_of(*parts) / 2.0**64


def lognormal_noise(rng: random.Random, sigma: float) -> float:
    """A multiplicative noise factor with median 1."""
    return math.exp(rng.gauss(0.0, sigma))


def poisson(rng: random.Random, lam: float) -> int:
    """A Poisson draw; exact for small means, normal approximation where that is indistinguishable."""
    if lam <= 0:
        return 0
    if lam > 40:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    threshold = math.exp(-lam)
    count, product = 0, rng.random()
    while product > threshold:
        count += 1
        product *= rng.random()
    return count


def binomial(rng: random.Random, n: int, p: float) -> int:
    """A binomial draw, approximated by a clamped normal (counts here are large or p is small)."""
    if n <= 0 or p <= 0:
        return 0
    if n * p < 30:
        return min(n, poisson(rng, n * p))
    mean = n * p
    return min(n, max(0, round(rng.gauss(mean, math.sqrt(mean * (1 - p))))))
