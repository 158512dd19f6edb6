"""Every source the warehouse extracts from, by name.

This is where a source's extractor, streams, lookback and accounts (via its connection) are declared and
looked up. It does not decide what runs: the DAG keeps its own (source, stream) list in
``dags/marketing_daily.py``, and each entry there must name a source registered here.
"""

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
