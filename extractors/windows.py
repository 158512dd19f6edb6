"""Reading a window in pieces: for APIs that cap the days per request or refuse a window as too large.

TikTok daily reports take at most 30 days, Ocean Engine 30, WeChat datacube 1 to 7 depending on the
endpoint, Taobao's incremental orders 1. A source declares its cap and reads through
``read_in_chunks``; when the platform still says "too large" (``WindowTooLarge``, from an error table's
``Action.TOO_LARGE``), the chunk is halved until it fits or is a single day.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from datetime import timedelta
from typing import TypeVar

from extractors.errors import WindowTooLarge
from extractors.streams import Window

log = logging.getLogger(__name__)

T = TypeVar("T")


def split_window(window: Window, max_days: int) -> list[Window]:
    """Consecutive windows of at most ``max_days`` days that cover ``window`` exactly, in order."""
    if max_days < 1:
        raise ValueError(f"max_days must be >= 1, got {max_days}")
    chunks: list[Window] = []
    start = window.start
    while start < window.end:
        end = min(start + timedelta(days=max_days), window.end)
        chunks.append(Window(start, end))
        start = end
    return chunks


def halve(window: Window) -> tuple[Window, Window]:
    """The two halves of a window of two days or more; with an odd length the second half is longer."""
    if window.days < 2:
        raise ValueError(f"cannot halve the one-day window {window}")
    middle = window.start + timedelta(days=window.days // 2)
    return Window(window.start, middle), Window(middle, window.end)


def read_in_chunks(
    window: Window,
    read: Callable[[Window], Iterable[T]],
    *,
    max_days: int | None = None,
) -> Iterator[T]:
    """Everything ``read`` yields for each chunk of ``window``, chunk after chunk, in date order.

    Chunks are at most ``max_days`` long (the whole window when None). A chunk whose read raises
    ``WindowTooLarge`` before yielding anything is read again as two halves, recursively, down to one
    day; a one-day chunk that is still too large re-raises, naming that day. A chunk that fails after it
    already yielded records re-raises too: reading its halves would hand the caller those records twice.
    """
    chunks = split_window(window, max_days) if max_days is not None else [window]
    for chunk in chunks:
        yield from _read_chunk(chunk, read)


def _read_chunk(chunk: Window, read: Callable[[Window], Iterable[T]]) -> Iterator[T]:
    yielded = False
    try:
        for item in read(chunk):
            yielded = True
            yield item
        return
    except WindowTooLarge as exc:
        if yielded:
            raise
        if chunk.days < 2:
            raise WindowTooLarge(
                exc.context, exc.url, f"{exc.detail}; even the one-day window {chunk} is too large"
            ) from None
        too_large = exc
    first, second = halve(chunk)
    log.info(
        "%s: window %s too large (%s); reading %s and %s",
        too_large.context.describe(),
        chunk,
        too_large.detail,
        first,
        second,
    )
    yield from _read_chunk(first, read)
    yield from _read_chunk(second, read)
