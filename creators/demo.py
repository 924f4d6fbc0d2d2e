"""Demo world of the creators app: eight creators at every stage of the journey, their fans,
videos with generated covers, applications and rights, and a staff operator.

Idempotent: a creator that exists is left alone. Fans are real Follow rows from a pool of
ordinary accounts, loaded with bulk_create; the counts are then set from the rows by
``follow_counts_recompute`` (the documented bulk path), so they always match.
"""
from __future__ import annotations

import io
import random
import secrets
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db.models import Max
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from . import services
from .models import CartApplication, Follow, RealNameVerification, User, Video
from .realname import check_code, hash_name

FAN_POOL = 3000
FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
]

# stage → what the demo shows. apply: None, or (entry point, outcome[, rejected-first reason]).
CREATORS = [
    {"handle": "xiaomei_daily", "nickname": "小美的日常", "stage": "newcomer: few fans, no phone, no real name",
     "bio": "95后普通女孩，记录一日三餐和周末探店～", "fans": 36, "videos": 3, "private": 1, "reposts": 0,
     "phone": False, "real_name": None, "apply": None, "palette": ("#ff9a9e", "#fad0c4"),
     "titles": ["早餐吃什么｜五分钟燕麦杯", "周末探店：巷子里的老字号馄饨", "下班后的治愈晚餐", "出租屋改造第一天"]},
    {"handle": "laozhang_chufang", "nickname": "老张的厨房", "stage": "enough fans and videos, phone not bound",
     "bio": "做了二十年川菜的老厨师，教你在家做馆子味。", "fans": 1280, "videos": 14, "private": 0, "reposts": 0,
     "phone": False, "real_name": ("张建国", "510104", date(1972, 5, 18)), "apply": None,
     "palette": ("#f6d365", "#fda085"),
     "titles": ["回锅肉的灵魂是这一步", "麻婆豆腐家常做法", "宫保鸡丁不糊锅的秘诀", "水煮肉片红油怎么熬", "鱼香肉丝没有鱼",
                "干煸四季豆", "老张教你炒糖色", "蒜泥白肉", "夫妻肺片简易版", "酸菜鱼一次成功", "担担面的臊子",
                "川味腊肠怎么蒸", "冬天来一锅羊肉汤", "剁椒鱼头"]},
    {"handle": "ajie_lvxing", "nickname": "阿杰去旅行", "stage": "enough fans and videos, real name not verified",
     "bio": "一个人一台相机，走遍中国34个省级行政区。", "fans": 1150, "videos": 12, "private": 0, "reposts": 2,
     "phone": True, "real_name": None, "apply": None, "palette": ("#84fab0", "#8fd3f4"),
     "titles": ["稻城亚丁徒步第一天", "在大理租了一个月的院子", "318国道自驾全记录", "喀纳斯的秋天", "凌晨四点的黄山日出",
                "厦门沙坡尾citywalk", "重庆8D魔幻地形", "西安回民街吃什么", "青海湖骑行", "漠河找北", "桂林竹筏漂流",
                "婺源油菜花季", "转载：最美航拍中国", "转载：星空延时合集"]},
    {"handle": "tangtang_meizhuang", "nickname": "糖糖美妆日记", "stage": "eligible, not applied yet",
     "bio": "敏感肌女孩的真实测评｜不收钱不恰饭，好用才推荐。", "fans": 2360, "videos": 16, "private": 1, "reposts": 0,
     "phone": True, "real_name": ("唐甜", "310104", date(1998, 9, 3)), "apply": None,
     "palette": ("#fbc2eb", "#a6c1ee"),
     "titles": ["敏感肌换季护肤流程", "平价粉底液横评", "新手眼影三步画法", "通勤五分钟快速妆", "卸妆油 vs 卸妆膏",
                "防晒霜怎么选", "学生党口红推荐", "素颜霜真的有用吗", "油皮夏天控油", "眉毛怎么画不呆", "化妆刷清洁",
                "一周护肤vlog", "面膜到底多久敷一次", "唇釉试色", "毛孔粗大怎么办", "睡前护肤小习惯", "私密：未剪辑素材"]},
    {"handle": "dabai_shuma", "nickname": "大白数码测评", "stage": "applied from a showcase, under review",
     "bio": "手机、耳机、小家电，用一个月再告诉你值不值。", "fans": 1540, "videos": 11, "private": 0, "reposts": 0,
     "phone": True, "real_name": ("白宇航", "440305", date(1993, 1, 27)), "apply": ("showcase", "pending"),
     "palette": ("#a1c4fd", "#c2e9fb"),
     "titles": ["千元机怎么选", "降噪耳机盲测", "扫地机器人用了一个月", "充电宝安全吗", "平板还是笔记本", "机械键盘入门",
                "智能手表续航实测", "空气炸锅真的健康吗", "投影仪避坑指南", "路由器摆放位置", "旧手机还能干什么"]},
    {"handle": "linlin_chuanda", "nickname": "琳琳穿搭", "stage": "approved: three rights active",
     "bio": "155小个子穿搭｜每天一套通勤look，显高不显胖。", "fans": 2980, "videos": 20, "private": 0, "reposts": 1,
     "phone": True, "real_name": ("林琳", "330106", date(1996, 4, 11)), "apply": ("creator_center", "approved"),
     "palette": ("#ffecd2", "#fcb69f"),
     "titles": ["小个子显高穿搭公式", "一衣多穿：白衬衫", "梨形身材怎么穿裤子", "通勤西装外套", "秋冬叠穿", "小香风外套搭配",
                "针织开衫的五种穿法", "阔腿裤选购", "约会穿搭", "面试穿搭", "一周通勤不重样", "平价大衣推荐",
                "半身裙怎么选长度", "运动风也能精致", "配饰提升质感", "牛仔裤避雷", "雪地靴搭配", "毛衣不起球",
                "显瘦颜色搭配", "春季穿搭预告", "转载：秀场趋势合集"]},
    {"handle": "guoge_jiaxiang", "nickname": "果哥家乡好物", "stage": "rejected once, then approved: three rights active",
     "bio": "陕西果农的儿子，带你看苹果从开花到装箱。", "fans": 1860, "videos": 13, "private": 0, "reposts": 0,
     "phone": True, "real_name": ("郭长青", "610528", date(1988, 10, 2)),
     "apply": ("commerce_assistant", "approved", "近30天发布的视频中有搬运内容，请删除或设为私密后重新申请。"),
     "palette": ("#d4fc79", "#96e6a1"),
     "titles": ["苹果花开了", "疏果是怎么回事", "给苹果套袋", "果园的一天", "下冰雹了", "摘袋上色", "苹果熟了",
                "采摘装箱", "冷库里的苹果", "洛川苹果为什么甜", "老爸的果园账本", "果园里的午饭", "发货啦"]},
    {"handle": "yuebao_muying", "nickname": "悦宝母婴旗舰店", "stage": "advertiser account, applied via the commerce assistant",
     "bio": "悦宝官方账号｜科学育儿知识，每周上新。", "fans": 1320, "videos": 10, "private": 0, "reposts": 0,
     "phone": True, "real_name": ("周悦", "320102", date(1985, 7, 21)), "apply": ("commerce_assistant", "pending"),
     "advertiser": True, "palette": ("#fddb92", "#d1fdff"),
     "titles": ["新生儿洗澡步骤", "奶瓶怎么消毒", "宝宝辅食第一口", "纸尿裤尺码怎么选", "宝宝湿疹护理", "出行妈咪包清单",
                "婴儿床安全", "宝宝睡眠训练", "冬季宝宝穿衣", "儿童安全座椅安装"]},
]


def _font(size: int):
    for path in FONT_CANDIDATES:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return None


def _hex(color: str) -> tuple[int, int, int]:
    return tuple(int(color[i:i + 2], 16) for i in (1, 3, 5))


def _cover(title: str, palette: tuple[str, str], seed: int) -> ContentFile:
    """A 360×480 JPEG: a gradient, a few soft shapes and the title (when a CJK font is installed)."""
    rng = random.Random(seed)
    w, h = 360, 480
    top, bottom = (Image.new("RGB", (w, h), _hex(c)) for c in palette)
    image = Image.composite(bottom, top, Image.linear_gradient("L").resize((w, h)))
    overlay = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for _ in range(4):
        r = rng.randint(40, 130)
        x, y = rng.randint(-40, w), rng.randint(-40, h - 120)
        draw.ellipse((x, y, x + r, y + r), fill=(255, 255, 255, rng.randint(40, 90)))
    draw.rectangle((0, h - 150, w, h), fill=(0, 0, 0, 70))
    image = Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")
    font = _font(30)
    if font is not None:
        text = ImageDraw.Draw(image)
        lines = [title[i:i + 10] for i in range(0, min(len(title), 20), 10)]
        for n, line in enumerate(lines):
            text.text((20, h - 130 + n * 42), line, font=font, fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82)
    return ContentFile(buffer.getvalue())


def _resident_id(region: str, birth: date, n: int) -> str:
    first17 = f"{region}{birth:%Y%m%d}{n:03d}"
    return first17 + check_code(first17)


def _operator(out) -> User:
    operator = User.objects.filter(handle="operator").first()
    if operator is None:
        password = secrets.token_urlsafe(12)
        operator = User.objects.create_superuser(handle="operator", nickname="平台运营", password=password)
        out.write(f"Operator for /admin/ (shown once): operator / {password}")
    return operator


def _fan_pool() -> list[int]:
    existing = User.objects.filter(handle__startswith="fan_").count()
    if existing < FAN_POOL:
        rng = random.Random(2020)
        unusable = make_password(None)
        User.objects.bulk_create(
            [User(handle=f"fan_{i:05d}", nickname=f"用户{rng.randint(1000000, 9999999)}", password=unusable)
             for i in range(1, FAN_POOL + 1)],
            ignore_conflicts=True, batch_size=500,
        )
    return list(User.objects.filter(handle__startswith="fan_").order_by("pk").values_list("pk", flat=True))


def _videos(creator: User, spec: dict, index: int) -> None:
    titles = spec["titles"]
    now = timezone.now()
    kinds = (["public"] * spec["videos"] + ["private"] * spec["private"] + ["repost"] * spec["reposts"])
    for n, kind in enumerate(kinds):
        title = titles[n % len(titles)]
        video = Video(owner=creator, title=title, is_public=kind != "private", is_original=kind != "repost")
        video.cover.save("cover.jpg", _cover(title, spec["palette"], index * 100 + n), save=False)
        video.save()
        Video.objects.filter(pk=video.pk).update(created_at=now - timedelta(days=3 * (len(kinds) - n), hours=index))


def seed(out) -> None:
    operator = _operator(out)
    pool = _fan_pool()
    password = secrets.token_urlsafe(9)
    hashed = make_password(password)  # hashed once for all: the hasher is deliberately slow
    created = []
    auto_approve, settings.CART_APPLICATION_AUTO_APPROVE = settings.CART_APPLICATION_AUTO_APPROVE, False
    try:
        for index, spec in enumerate(CREATORS, start=1):
            if User.objects.filter(handle=spec["handle"]).exists():
                continue
            created.append(spec)
            creator = User.objects.create(
                handle=spec["handle"], nickname=spec["nickname"], bio=spec["bio"], password=hashed,
                is_advertiser=spec.get("advertiser", False),
            )
            services.welcome_message_send(user=creator)
            fans = random.Random(spec["handle"]).sample(pool, min(spec["fans"], len(pool)))
            Follow.objects.bulk_create([Follow(follower_id=f, followee=creator) for f in fans],
                                       ignore_conflicts=True, batch_size=1000)
            _videos(creator, spec, index)
            if spec["phone"]:
                User.objects.filter(pk=creator.pk).update(phone=f"1380013{index:04d}", phone_bound_at=timezone.now())
            if spec["real_name"]:
                name, region, birth = spec["real_name"]
                services.real_name_verify(user=creator, name=name, id_number=_resident_id(region, birth, index * 7))
            services.follow_counts_recompute(user_ids=[creator.pk])
            _apply(creator, spec, operator)
        if created:
            services.follow_counts_recompute(user_ids=pool)
        _backfill_name_hashes()
    finally:
        settings.CART_APPLICATION_AUTO_APPROVE = auto_approve
    if created:
        out.write(f"Demo creators (password for each, shown once): {password}")
        for spec in created:
            out.write(f"  @{spec['handle']:<20} {spec['nickname']} — {spec['stage']}")
    last = Video.objects.aggregate(Max("created_at"))["created_at__max"]
    out.write(f"Creators: {User.objects.filter(handle__in=[c['handle'] for c in CREATORS]).count()} demo creators, "
              f"{Follow.objects.count()} follows, {Video.objects.count()} videos (latest {last:%Y-%m-%d})."
              if last else "Creators: ready.")


def _backfill_name_hashes() -> None:
    """Demo verifications seeded before names were hashed get their name hash (payouts compare it)."""
    for spec in CREATORS:
        if spec["real_name"]:
            RealNameVerification.objects.filter(user__handle=spec["handle"], name_hash="").update(
                name_hash=hash_name(spec["real_name"][0]))


def _apply(creator: User, spec: dict, operator: User) -> None:
    if not spec["apply"]:
        return
    entry, outcome, *rejected_first = spec["apply"]
    creator.refresh_from_db()
    if rejected_first:
        first = services.cart_application_submit(applicant=creator, entry_point=entry)
        services.cart_application_reject(application=first, reviewer=operator, reason=rejected_first[0])
        CartApplication.objects.filter(pk=first.pk).update(submitted_at=first.submitted_at - timedelta(days=12),
                                                           reviewed_at=first.submitted_at - timedelta(days=11))
    application = services.cart_application_submit(applicant=creator, entry_point=entry)
    if outcome == "approved":
        services.cart_application_approve(application=application, reviewer=operator)
