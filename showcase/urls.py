from django.urls import path, re_path

from .views import center, manage, public

app_name = "showcase"
HANDLE = r"(?P<handle>[A-Za-z0-9_.]{2,32})"

urlpatterns = [
    # shoppers
    path("search/", public.search, name="search"),
    re_path(rf"^@{HANDLE}/showcase/$", public.showcase, name="showcase"),
    path("products/<int:pk>/", public.product, name="product"),
    path("live/<int:pk>/", public.live_room, name="live_room"),
    path("live/<int:pk>/products/", public.live_room_products, name="live_room_products"),
    # the creator's hub and 橱窗管理
    path("showcase/center/", center.center, name="center"),
    path("showcase/manage/", manage.manage, name="manage"),
    path("showcase/manage/add/", manage.item_add, name="item_add"),
    path("showcase/manage/items/<int:pk>/", manage.item_update, name="item_update"),
    path("showcase/manage/items/<int:pk>/move/", manage.item_move, name="item_move"),
    path("showcase/manage/items/<int:pk>/remove/", manage.item_remove, name="item_remove"),
    path("showcase/manage/categories/", manage.category_create, name="category_create"),
    path("showcase/manage/categories/<int:pk>/", manage.category_rename, name="category_rename"),
    path("showcase/manage/categories/<int:pk>/move/", manage.category_move, name="category_move"),
    path("showcase/manage/categories/<int:pk>/delete/", manage.category_delete, name="category_delete"),
    # a video's products and seeding tags
    path("showcase/videos/<int:pk>/products/", manage.video_cart, name="video_cart"),
    path("showcase/videos/<int:pk>/products/add/", manage.video_product_add, name="video_product_add"),
    path("showcase/videos/<int:pk>/products/<int:product_id>/remove/", manage.video_product_remove,
         name="video_product_remove"),
    path("showcase/videos/<int:pk>/products/<int:product_id>/move/", manage.video_product_move,
         name="video_product_move"),
    # live sessions
    path("showcase/live/", manage.live, name="live"),
    path("showcase/live/<int:pk>/", manage.live_console, name="live_console"),
    path("showcase/live/<int:pk>/add/", manage.live_product_add, name="live_product_add"),
    path("showcase/live/<int:pk>/products/<int:product_id>/remove/", manage.live_product_remove,
         name="live_product_remove"),
    path("showcase/live/<int:pk>/products/<int:product_id>/move/", manage.live_product_move,
         name="live_product_move"),
    path("showcase/live/<int:pk>/products/<int:product_id>/explain/", manage.live_explain, name="live_explain"),
    path("showcase/live/<int:pk>/explain/clear/", manage.live_explain_clear, name="live_explain_clear"),
    path("showcase/live/<int:pk>/end/", manage.live_end, name="live_end"),
]
