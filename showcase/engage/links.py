"""Links from the feed and the comment area to a product's seeding page (种草页), carrying
the channel, the creator and the video (``showcase.tracking``) so that the click and any
sale are attributed."""
from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from showcase.channels import Channel
from showcase.tracking import Via


def product_page_url(product_id: int) -> str:
    try:
        return reverse("showcase:product", args=[product_id])
    except NoReverseMatch:  # the path the showcase room serves it at
        return f"/products/{product_id}/"


def video_via(video, channel: str = Channel.VIDEO) -> Via:
    return Via(channel=str(channel), creator_id=video.owner_id, video_id=video.pk)


def seeding_url(product_id: int, video, channel: str = Channel.VIDEO) -> str:
    """``/products/<id>/?ch=video&c=<creator id>&v=<video id>``"""
    return product_page_url(product_id) + video_via(video, channel).suffix()
