"""Demo world of the engage app: real, playable clips for the demo videos, comments under
the videos of the creators with cart rights, and a few private conversations.

Clips are rendered locally by the ffmpeg that imageio-ffmpeg ships (no network, no stock
footage): one short H.264 clip per demo creator, in the creator's colours, rendered once
into ``MEDIA_ROOT/demo/clips/`` and copied onto every demo video that has no file yet.
Idempotent: a video with a file, a creator whose videos have comments and a pair that
already talks are left alone.
"""
from __future__ import annotations

import datetime
import random
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import Q
from django.utils import timezone

from core.media import render_clip
from creators.demo import CREATORS
from creators.models import User, Video
from showcase.selectors import video_cart_products

from . import services
from .models import Comment, Conversation

CLIP_SIZE = (360, 640)

COMMENTS = [
    "好好看！求链接", "这件衣服什么面料的？", "小个子穿会不会拖地", "已下单，坐等收货", "主播好会搭配",
    "颜色有几种可以选？", "多少钱呀", "同款已经买了，质量不错", "求出一期通勤穿搭", "平时穿M码选哪个尺码",
    "这个价格太香了", "看完就想买", "码数偏大还是偏小？", "发货快吗", "已关注，期待更新",
]
CREATOR_REPLIES = ["尺码表在商品详情里，拿不准可以私信我～", "面料是纯棉的，亲测不起球", "谢谢支持！"]
PINNED = "置顶：视频里的同款都在左下角购物车，评论区顶部也能直接买，有问题私信我～"
CONVERSATIONS = [
    ("fan_00012", ["你好，视频里那件外套还有货吗？", "我身高155，选S码可以吗？"], ["有的，S码刚好～"]),
    ("fan_00027", ["可以出一期梨形身材的裤子推荐吗"], []),
    ("fan_00044", ["请问商品什么时候发货", "着急穿"], ["一般48小时内发货哦"]),
]


def _clips_folder() -> Path:
    return Path(settings.MEDIA_ROOT) / "demo" / "clips"


def _clip_for(index: int, spec: dict) -> Path:
    """The creator's clip, rendered on first use (3–6 s, their palette, their name)."""
    path = _clips_folder() / f"{spec['handle']}.mp4"
    if not path.exists():
        render_clip(path, seconds=3 + index % 4, size=CLIP_SIZE, colors=spec["palette"], label=spec["nickname"])
    return path


def _attach_clips(out) -> int:
    specs = {spec["handle"]: (index, spec) for index, spec in enumerate(CREATORS)}
    videos = list(Video.objects.filter(Q(video_file="") | Q(video_file__isnull=True),
                                       owner__handle__in=list(specs)).select_related("owner"))
    if not videos:
        return 0
    handles = sorted({v.owner.handle for v in videos})
    with ThreadPoolExecutor(max_workers=2) as pool:  # ffmpeg processes; the GIL is not held
        clips = dict(zip(handles, pool.map(lambda h: _clip_for(*specs[h]), handles), strict=True))
    data = {handle: path.read_bytes() for handle, path in clips.items()}
    for video in videos:
        video.video_file.save(f"{video.owner.handle}.mp4", ContentFile(data[video.owner.handle]), save=False)
        Video.objects.filter(pk=video.pk).update(video_file=video.video_file.name)
    return len(videos)


def _seed_comments(creator: User, fans: list[User]) -> int:
    videos = list(Video.objects.filter(owner=creator, is_public=True).order_by("-created_at", "-pk")[:6])
    if not videos or Comment.objects.filter(video__owner=creator).exists():
        return 0
    rng = random.Random(creator.handle)
    made = 0
    for n, video in enumerate(videos):
        posted = []
        texts = rng.sample(COMMENTS, k=5 if n < 2 else 3)
        cart = video_cart_products(video_ids=[video.pk])[video.pk]
        if cart:  # a question about one of the video's products: E后台's "mentions a product" filter
            texts.insert(1, f"{cart[0].title[:10]}质量怎么样？")
        for text in texts:
            posted.append(services.comment_post(video_id=video.pk, author=rng.choice(fans), body=text))
            made += 1
        reply = services.comment_post(video_id=video.pk, author=creator, body=rng.choice(CREATOR_REPLIES),
                                      parent_id=posted[1].pk)
        services.comment_post(video_id=video.pk, author=rng.choice(fans), body="好的谢谢！", parent_id=reply.pk)
        made += 2
        if n == 0:
            pinned = services.comment_post(video_id=video.pk, author=creator, body=PINNED)
            services.comment_pin(owner=creator, comment_id=pinned.pk)
            services.comment_hide(owner=creator, comment_id=posted[-1].pk)
            made += 1
    # Spread the conversation over the last days, in the order it was written.
    now = timezone.now()
    comments = list(Comment.objects.filter(video__owner=creator).order_by("pk"))
    for age, comment in zip(range(len(comments), 0, -1), comments, strict=True):
        Comment.objects.filter(pk=comment.pk).update(created_at=now - datetime.timedelta(minutes=47 * age))
    return made


def _seed_messages(creator: User) -> int:
    made = 0
    for handle, asks, answers in CONVERSATIONS:
        fan = User.objects.filter(handle=handle).first()
        if fan is None:
            continue
        low, high = sorted((fan.pk, creator.pk))
        if Conversation.objects.filter(user_low_id=low, user_high_id=high).exists():
            continue
        for text in asks:
            services.private_message_send(sender=fan, recipient=creator, body=text)
            made += 1
        for text in answers:
            services.private_message_send(sender=creator, recipient=fan, body=text)
            made += 1
    return made


def seed(out) -> None:
    attached = _attach_clips(out)
    fans = list(User.objects.filter(handle__startswith="fan_").order_by("pk")[:40])
    comments = messages = 0
    for handle in ("linlin_chuanda", "guoge_jiaxiang"):
        creator = User.objects.filter(handle=handle).first()
        if creator is None or not fans:
            continue
        comments += _seed_comments(creator, fans)
        messages += _seed_messages(creator)
    with_file = Video.objects.exclude(video_file="").count()
    out.write(f"Engage: {attached} clips attached ({with_file} videos play in the feed), "
              f"{comments} comments and {messages} private messages added.")
