"""What the feed and the comment area count in the data dashboard (数据看板).

* A feed slide that comes into view: one ``view`` of the video (channel video) and one
  ``impression`` of each product it shows (cart products and seeding tags).
* A comment area: one ``impression`` of each product in its pinned entry (channel comment).

The seeding page counts its own views and the buy button its clicks, with the channel
these links carry. Each event is one cache operation (``showcase.stats``), no query.
"""
from __future__ import annotations

from showcase.channels import Channel
from showcase.tracking import record

from .links import video_via


def video_seen(video, *, product_ids: list[int], visitor: str) -> None:
    via = video_via(video, Channel.VIDEO)
    record("view", via, visitor=visitor)
    for product_id in product_ids:
        record("impression", via, product_id=product_id, visitor=visitor)


def comment_entry_shown(video, *, product_ids: list[int], visitor: str) -> None:
    via = video_via(video, Channel.COMMENT)
    for product_id in product_ids:
        record("impression", via, product_id=product_id, visitor=visitor)
