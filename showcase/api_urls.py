from django.urls import path, re_path

from core.openapi import described_by

from . import api
from .views import hot

app_name = "showcase_api"
HANDLE = r"(?P<handle>[A-Za-z0-9_.]{2,32})"

urlpatterns = [
    # first: the two reads every viewer repeats
    path("live/<int:pk>/explaining", described_by(hot.live_explaining, api.LiveExplainingSchema),
         name="live_explaining"),
    path("videos/<int:pk>/products", described_by(hot.video_products, api.VideoProductsSchema),
         name="video_products"),
    # 橱窗管理
    path("me/showcase/items", api.ShowcaseItemsApi.as_view(), name="items"),
    path("me/showcase/items/order", api.ShowcaseItemsOrderApi.as_view(), name="items-order"),
    path("me/showcase/items/<int:pk>", api.ShowcaseItemApi.as_view(), name="item"),
    path("me/showcase/items/<int:pk>/move", api.ShowcaseItemMoveApi.as_view(), name="item-move"),
    path("me/showcase/categories", api.CategoriesApi.as_view(), name="categories"),
    path("me/showcase/categories/order", api.CategoriesOrderApi.as_view(), name="categories-order"),
    path("me/showcase/categories/<int:pk>", api.CategoryApi.as_view(), name="category"),
    path("me/showcase/categories/<int:pk>/move", api.CategoryMoveApi.as_view(), name="category-move"),
    re_path(rf"^showcases/{HANDLE}$", api.PublicShowcaseApi.as_view(), name="showcase"),
    # a video's products and seeding tags
    path("me/videos/<int:pk>/products", api.MyVideoProductsApi.as_view(), name="my-video-products"),
    path("me/videos/<int:pk>/products/order", api.MyVideoProductsOrderApi.as_view(), name="my-video-products-order"),
    path("me/videos/<int:pk>/products/<int:product_id>", api.MyVideoProductApi.as_view(), name="my-video-product"),
    path("me/videos/<int:pk>/products/<int:product_id>/move", api.MyVideoProductMoveApi.as_view(),
         name="my-video-product-move"),
    # live sessions and the live cart
    path("me/live", api.MyLiveSessionsApi.as_view(), name="my-live-sessions"),
    path("me/live/<int:pk>", api.MyLiveSessionApi.as_view(), name="my-live-session"),
    path("me/live/<int:pk>/end", api.MyLiveEndApi.as_view(), name="my-live-end"),
    path("me/live/<int:pk>/products", api.MyLiveProductsApi.as_view(), name="my-live-products"),
    path("me/live/<int:pk>/products/order", api.MyLiveProductsOrderApi.as_view(), name="my-live-products-order"),
    path("me/live/<int:pk>/products/<int:product_id>", api.MyLiveProductApi.as_view(), name="my-live-product"),
    path("me/live/<int:pk>/products/<int:product_id>/move", api.MyLiveProductMoveApi.as_view(),
         name="my-live-product-move"),
    path("me/live/<int:pk>/explaining", api.MyLiveExplainingApi.as_view(), name="my-live-explaining"),
    path("live/<int:pk>", api.PublicLiveApi.as_view(), name="live"),
]
