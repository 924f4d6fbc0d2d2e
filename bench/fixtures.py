"""Benchmark data in the benchmark database, created before the server starts (idempotent):
a creator with the three rights whose showcase holds 20 products in three categories, a video
with seven cart products and two seeding tags, and a live session with ten products, one of
them being explained.

``python -m bench.fixtures`` (with the benchmark environment) prints the paths to load as JSON;
``create(env)`` runs it in a subprocess and returns them.
"""
from __future__ import annotations

import json
import subprocess
import sys

HANDLE = "bench_showcase"
SHOWCASE_PRODUCTS = 20


def create(env: dict) -> dict[str, str]:
    from bench.server import ROOT

    result = subprocess.run([sys.executable, "-m", "bench.fixtures"], cwd=ROOT, env=env, capture_output=True,
                            text=True)
    if result.returncode != 0:
        raise RuntimeError(f"bench fixtures failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _products(n: int):
    from affiliates.models import Product
    from affiliates.search import index_tokens

    rows = []
    for i in range(n):
        title = f"压测好物{i:02d} 纯棉短袖T恤 夏季新款"
        rows.append(Product(
            source="taobao", external_id=f"bench{i:06d}", title=title, price_fen=5900 + i * 100,
            original_price_fen=9900 + i * 100, commission_rate_bp=2000, category="T恤",
            image_urls=[f"/static/bench/{i}.jpg"], shop_name="压测旗舰店", shop_credit_level=12,
            shop_dsr_description=485, shop_dsr_service=482, shop_dsr_logistics=480, industry_dsr_description=470,
            industry_dsr_service=470, industry_dsr_logistics=470, sales_volume=1000 + i,
            search_tokens=index_tokens(title, "T恤"), gate_passed=True, content_hash="bench"))
    Product.objects.bulk_create(rows, ignore_conflicts=True)
    return list(Product.objects.filter(external_id__in=[r.external_id for r in rows], source="taobao")
                .order_by("external_id"))


def _build() -> dict[str, str]:
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction
    from PIL import Image

    from creators.models import CartRight, User, Video
    from creators.services import cart_rights_grant
    from showcase import services
    from showcase.models import LiveSession, ShowcaseItem, VideoProduct

    def image(name: str) -> SimpleUploadedFile:
        buffer = io.BytesIO()
        Image.new("RGB", (90, 120), (250, 80, 110)).save(buffer, "JPEG")
        return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")

    creator, _ = User.objects.get_or_create(handle=HANDLE, defaults={"nickname": "压测达人", "fans_count": 12000})
    if not CartRight.objects.filter(user=creator).exists():
        with transaction.atomic():
            cart_rights_grant(user=creator, application=None, actor=None)
    products = _products(SHOWCASE_PRODUCTS + 4)
    if not ShowcaseItem.objects.filter(showcase__owner=creator).exists():
        from showcase.models import ShowcaseCategory

        existing = {c.name: c for c in ShowcaseCategory.objects.filter(showcase__owner=creator)}
        categories = [existing.get(n) or services.showcase_category_create(owner=creator, name=n)
                      for n in ("上衣", "下装", "配饰")]
        for i, product in enumerate(products[:SHOWCASE_PRODUCTS]):
            services.showcase_item_add(owner=creator, product_id=product.pk, category_id=categories[i % 3].pk,
                                       is_recommended=i < 3, is_new=i % 6 == 0)
    video = Video.objects.filter(owner=creator).order_by("pk").first()
    if video is None:
        video = Video.objects.create(owner=creator, title="压测视频：一周通勤穿搭", cover=image("bench-video.jpg"))
    if not VideoProduct.objects.filter(video=video).exists():
        for product in products[:7]:
            services.video_product_add(owner=creator, video_id=video.pk, product_id=product.pk)
        for product in products[SHOWCASE_PRODUCTS:SHOWCASE_PRODUCTS + 2]:
            services.video_product_add(owner=creator, video_id=video.pk, product_id=product.pk, kind="seeding")
    session = LiveSession.objects.filter(host=creator, status=LiveSession.Status.LIVE).first()
    if session is None:
        session = services.live_session_start(host=creator, title="压测直播间", cover=image("bench-live.jpg"),
                                              product_ids=[p.pk for p in products[:10]])
        services.live_explaining_set(host=creator, session_id=session.pk, product_id=products[3].pk)
    product = products[0]
    return {
        "showcase_page": f"/@{creator.handle}/showcase/",
        "seeding_page": f"/products/{product.pk}/?ch=showcase&c={creator.pk}",
        "video_products": f"/api/v1/videos/{video.pk}/products",
        "live_explaining": f"/api/v1/live/{session.pk}/explaining",
    }


def main() -> None:
    import django

    django.setup()
    print(json.dumps(_build()))


if __name__ == "__main__":
    main()
