"""Which post, account or creator collaboration sent a social visitor to the shop: the ``utm_content`` of a
landing link, drawn from the world's content parts.

A shop order whose channel is an organic social one arrived through a link: mostly in a post (an article, a
note) the account published in the last ``RECENT_DAYS``, picked in proportion to the views it had by then,
otherwise the account's own page (a menu, a bio link), or a creator's collaboration note (蒲公英 on Xiaohongshu):
``utm_medium=creator`` and the collaboration's id. Which channels, and in what shares, each content platform
declares in its own ``sandbox/<source>/world.py`` as ``SHOP_LINKS`` (``sandbox.content.ShopLinks``).

The draws come from the order's own stream (``order-link``), so linking changes no other figure of an order.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import pkgutil
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sandbox
from sandbox import rng
from sandbox.content import ContentWorld, Post, ShopLinks

RECENT_DAYS = 14
CREATOR_MEDIUM = "creator"


@functools.cache
def linked_channels() -> dict[str, tuple[str, ShopLinks]]:
    """channel → (the world part serving its posts, its declared ShopLinks), from every sandbox package."""
    found: dict[str, tuple[str, ShopLinks]] = {}
    for package in pkgutil.iter_modules(sandbox.__path__):
        if not package.ispkg or importlib.util.find_spec(f"sandbox.{package.name}.world") is None:
            continue
        links = getattr(importlib.import_module(f"sandbox.{package.name}.world"), "SHOP_LINKS", None)
        if links is not None:
            if links.channel in found:
                raise ValueError(
                    f"channel {links.channel!r} is linked by both {found[links.channel][0]} and {package.name}"
                )
            found[links.channel] = (package.name, links)
    return found


@dataclass(frozen=True, slots=True)
class Link:
    medium: str | None  # replaces the channel's utm_medium when set
    content: str  # utm_content: a post id, an account id or a collaboration id


def _content_world(part: Any) -> ContentWorld:
    return part if isinstance(part, ContentWorld) else part.content


def _by_views(draw: random.Random, posts: list[Any], views: list[int]) -> Any | None:
    total = sum(views)
    if not posts or total <= 0:
        return None
    return draw.choices(posts, weights=views)[0]


def _recent_post(draw: random.Random, content: ContentWorld, moment: datetime) -> Post | None:
    account = draw.choice(content.accounts)
    posts = content.visible_posts(account.id, moment, RECENT_DAYS)
    return _by_views(draw, posts, [p.views_at(moment) for p in posts])


def _recent_collaboration(draw: random.Random, part: Any, moment: datetime) -> Any | None:
    found = part.collaborations_between(moment - timedelta(days=RECENT_DAYS), moment)
    return _by_views(draw, found, [c.note.views_at(moment) for c in found])


def link_for(world: Any, seed: int, channel: str, order_seq: int, moment: datetime) -> Link | None:
    """Where order ``order_seq`` of a ``channel`` visitor, placed at ``moment``, came from (None: not linked)."""
    linked = linked_channels().get(channel)
    if linked is None:
        return None
    part_name, shares = linked
    post_share, creator_share = shares.post_share, shares.creator_share
    part = world.part(part_name)
    draw = rng.stream(seed, "order-link", order_seq)
    u = draw.random()
    if u < creator_share:
        collaboration = _recent_collaboration(draw, part, moment)
        if collaboration is not None:
            return Link(CREATOR_MEDIUM, collaboration.id)
    content = _content_world(part)
    if u < creator_share + post_share:
        post = _recent_post(draw, content, moment)
        if post is not None:
            return Link(None, post.id)
    return Link(None, draw.choice(content.accounts).id)
