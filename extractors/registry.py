"""Every source the warehouse extracts from, by name: the one list a DAG fans out over."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from extractors import meta, shopify
from extractors.source import Source

SOURCES: Mapping[str, Source] = MappingProxyType({source.name: source for source in (meta.SOURCE, shopify.SOURCE)})


def get_source(name: str) -> Source:
    try:
        return SOURCES[name]
    except KeyError:
        raise KeyError(f"unknown source '{name}'; known sources: {sorted(SOURCES)}") from None
