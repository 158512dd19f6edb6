"""The world as a whole: one part per source, built on first use from the same seed and scale."""

from __future__ import annotations

import pytest

from sandbox.harness import sandboxed_sources
from sandbox.world import World

SOURCES = sandboxed_sources()


@pytest.mark.parametrize("source", SOURCES)
def test_a_part_is_built_once_from_the_worlds_seed_and_scale(source: str) -> None:
    world = World(seed=7, scale=2.0)
    part = world.part(source)
    assert world.part(source) is part
    assert (part.seed, part.scale) == (7, 2.0)
    assert World(seed=7, scale=2.0).part(source) is not part  # two worlds never share a part


def test_parts_are_made_only_when_asked_for() -> None:
    world = World(seed=42)
    assert world._parts == {}
    world.part(SOURCES[0])
    assert list(world._parts) == [SOURCES[0]]


def test_scale_must_be_positive() -> None:
    for scale in (0, -1.0):
        with pytest.raises(ValueError, match="scale must be positive"):
            World(seed=42, scale=scale)
    assert repr(World(seed=3, scale=0.5)) == "World(seed=3, scale=0.5)"
