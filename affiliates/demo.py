"""Demo data of the affiliates room: banned categories, three shops (小店) with products, SKUs
and stock (some listed in 精选联盟), and the outside sources' hot sellers.

Idempotent: existing shops and products are left alone, and re-importing unchanged products
writes nothing (``product_upsert_many``).

How the outside sources are imported: ``seed_demo`` runs before any server is up, so the real
clients (``affiliates.sources.external_clients()``) talk to the sandbox *in process* — an
``InProcessSandbox`` transport adapter is mounted on the clients' shared HTTP session for
``SANDBOX_BASE_URL`` and hands each request to Django's own request handler, where the sandbox
gateways check signatures and answer in each source's wire format exactly as over the network.
Nothing is imported when the sandbox is off (``SANDBOX_ENABLED``) or a source points elsewhere.
"""
from __future__ import annotations

import io
import secrets
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFont

from . import sources
from .gate import PLATFORM_BANS
from .models import BannedCategory, Product, Shop, ShopProduct
from .sandbox.inprocess import InProcessSandbox
from .services import (
    SkuData,
    product_recommended_set,
    product_upsert_many,
    shop_open,
    shop_product_alliance_list,
    shop_product_create,
    shop_product_image_add,
    shop_product_publish,
)
from .services.categories import category_tree_sync
from .sources.base import NATIVE_SOURCES, SourceError

IMPORT_PAGES = 4
IMPORT_PAGE_SIZE = 20
FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
]

# The platform's bans hold for every outside source (a rule on a top category covers its leaves).
# The platform's bans hold for every source ("" = any source), as migration 0007 adds them.
BANNED = {"": PLATFORM_BANS}

# Merchants: a demo creator's handle is reused when the creators' demo made it.
SHOPS = [
    {"handle": "guoge_jiaxiang", "nickname": "果哥家乡好物", "shop": "果哥家乡果园", "category": "food",
     "contact": ("郭长青", "13800131007"), "palette": ("#d4fc79", "#96e6a1"),
     "products": [
         ("陕西洛川红富士苹果 脆甜多汁 当季现摘", "food", "黄土高原的阳光和昼夜温差，让每一口都脆甜。",
          [("5斤装 果径75mm+", 3990, 300), ("10斤装 果径80mm+", 6990, 120)], 2000),
         ("延安苹果干 无添加 办公室零食", "food", "整果切片低温烘干，不加糖。",
          [("100g×3袋", 2990, 500)], 2500),
         ("果园蜂蜜 百花蜜 农家自产", "food", "", [("500g 玻璃瓶", 5800, 40)], None),
     ]},
    {"handle": "ahua_chaye", "nickname": "阿华茶园", "shop": "阿华茶园", "category": "food",
     "contact": ("黄阿华", "13900135601"), "palette": ("#c1dfc4", "#deecdd"),
     "products": [
         ("云南古树普洱茶饼 生茶 357g", "food", "勐海古树春料，压饼后自然陈放。", [("单饼 357g", 16800, 60),
                                                                        ("七子饼整提", 109900, 8)], 3000),
         ("西湖明前龙井 2024新茶 绿茶", "food", "", [("125g 罐装", 23800, 25)], 1500),
         ("手工紫砂壶 原矿朱泥 西施壶", "home", "宜兴手作，适合冲泡乌龙、普洱。", [("200ml", 45800, 6)], None),
     ]},
    {"handle": "xiaoyu_shouzuo", "nickname": "小雨手作", "shop": "小雨手作饰品", "category": "jewelry",
     "contact": ("陈小雨", "13700132288"), "palette": ("#fbc2eb", "#a6c1ee"),
     "products": [
         ("925银手工编织手链 情侣款 小众设计", "jewelry", "每一条都是手工编织，可调节长度。",
          [("玫瑰金色", 8900, 50), ("银色", 8900, 80)], 3000),
         ("淡水珍珠耳钉 简约气质 防过敏", "jewelry", "", [("6-7mm", 5900, 120)], 2500),
     ]},
]


def import_hot_sellers(out, *, pages: int = IMPORT_PAGES, page_size: int = IMPORT_PAGE_SIZE) -> None:
    """Each outside source's recommended hot sellers (no-keyword search) into the pool."""
    if not settings.SANDBOX_ENABLED:
        out.write("Products: sandbox off, no outside products imported (run the sync against the live sources).")
        return
    from .sources.http import get_session

    prefix = settings.SANDBOX_BASE_URL.rstrip("/") + "/"
    session = get_session()
    session.mount(prefix, InProcessSandbox())
    try:
        for client in sources.external_clients():
            if not client.config.base_url.startswith(prefix):
                out.write(f"  {client.source.value}: points at {urlsplit(client.config.base_url).netloc}, skipped")
                continue
            counts, hot = None, []
            try:
                tree = category_tree_sync(source=client.source.value, client=client)
                out.write(f"  {client.source.value}: {tree.nodes} categories in its tree")
                for page in range(1, pages + 1):
                    result = client.search(page=page, page_size=page_size, sort="sales")
                    page_counts = product_upsert_many(infos=result.items)
                    counts = page_counts if counts is None else counts + page_counts
                    hot += [i.external_id for i in result.items]
                    if not result.has_more:
                        break
            except SourceError as exc:
                out.write(f"  {client.source.value}: the sandbox said no ({exc.message}); skipped")
                continue
            if client.source.value == "taobao":
                product_recommended_set(source="taobao", external_ids=hot)
            if counts:
                out.write(f"  {client.source.value}: {len(hot)} hot sellers "
                          f"({counts.created} new, {counts.updated} changed, {counts.unchanged} unchanged)")
    finally:
        session.adapters.pop(prefix, None)


# --- shops -------------------------------------------------------------------------------------------------
def _font(size: int):
    for path in FONT_CANDIDATES:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default()


def _image(title: str, palette: tuple[str, str], n: int) -> SimpleUploadedFile:
    """A square product picture: a two-colour gradient with the product's first words."""
    top = tuple(int(palette[0][i:i + 2], 16) for i in (1, 3, 5))
    bottom = tuple(int(palette[1][i:i + 2], 16) for i in (1, 3, 5))
    size = 480
    img = Image.new("RGB", (size, size))
    draw = ImageDraw.Draw(img)
    for y in range(size):
        t = y / size
        draw.line([(0, y), (size, y)], fill=tuple(int(top[k] * (1 - t) + bottom[k] * t) for k in range(3)))
    words = title.split(" ")[0][:8]
    font = _font(52)
    box = draw.textbbox((0, 0), words, font=font)
    draw.text(((size - (box[2] - box[0])) / 2, size / 2 - 40), words, fill=(40, 40, 40), font=font)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return SimpleUploadedFile(f"demo-{n}.png", buf.getvalue(), content_type="image/png")


def _merchant(spec: dict, hashed_password: str):
    User = get_user_model()
    user = User.objects.filter(handle=spec["handle"]).first()
    if user is not None:
        return user, False
    return User.objects.create(handle=spec["handle"], nickname=spec["nickname"], password=hashed_password), True


def seed_shops(out) -> None:
    password = secrets.token_urlsafe(9)
    hashed = make_password(password)
    new_merchants = []
    for spec in SHOPS:
        owner, created = _merchant(spec, hashed)
        if created:
            new_merchants.append(owner.handle)
        shop = Shop.objects.filter(owner=owner).first()
        if shop is None:
            shop = shop_open(owner=owner, name=spec["shop"], category=spec["category"],
                             contact_name=spec["contact"][0], contact_phone=spec["contact"][1])
        for n, (title, category, description, skus, rate_bp) in enumerate(spec["products"]):
            if ShopProduct.objects.filter(shop=shop, title=title).exists():
                continue
            product = shop_product_create(shop=shop, title=title, category=category, description=description,
                                          skus=[SkuData(name=s, price_fen=p, stock=q) for s, p, q in skus])
            shop_product_image_add(product=product, image=_image(title, spec["palette"], n))
            shop_product_publish(product=product)
            if rate_bp:
                shop_product_alliance_list(product=product, rate_bp=rate_bp)
    if new_merchants:
        out.write(f"Demo merchants (password for each, shown once): {password}")
        for handle in new_merchants:
            out.write(f"  @{handle}")


def seed(out) -> None:
    for source, rules in BANNED.items():
        for category, rule in rules:
            BannedCategory.objects.get_or_create(source=source, category_name=category,
                                                 defaults={"rule_name": rule})
    seed_shops(out)
    for source in NATIVE_SOURCES:  # the platform's own tree for 小店 and 精选联盟 products
        category_tree_sync(source=str(source))
    import_hot_sellers(out)
    out.write(f"Products: {Shop.objects.count()} shops, {ShopProduct.objects.count()} shop products, "
              f"{Product.objects.filter(source='alliance', promotable=True).count()} in the alliance, "
              f"{Product.objects.count()} products in the pool table, "
              f"{BannedCategory.objects.filter(active=True).count()} banned-category rules.")
