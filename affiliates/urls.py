from django.urls import path

from . import views

app_name = "affiliates"
urlpatterns = [
    path("pool/", views.pool, name="pool"),
    path("pool/resolve/", views.pool_resolve, name="pool_resolve"),
    path("shop/open/", views.shop_open, name="shop_open"),
    path("merchant/", views.merchant_home, name="merchant_home"),
    path("merchant/products/new/", views.merchant_product_create, name="merchant_product_create"),
    path("merchant/products/<int:pk>/", views.merchant_product_edit, name="merchant_product_edit"),
    path("merchant/products/<int:pk>/images/", views.merchant_product_image_add, name="merchant_product_image_add"),
    path("merchant/products/<int:pk>/images/<int:image_pk>/delete/", views.merchant_product_image_delete,
         name="merchant_product_image_delete"),
    path("merchant/products/<int:pk>/publish/", views.merchant_product_publish, name="merchant_product_publish"),
    path("merchant/products/<int:pk>/unpublish/", views.merchant_product_unpublish,
         name="merchant_product_unpublish"),
    path("merchant/products/<int:pk>/alliance/", views.merchant_product_alliance, name="merchant_product_alliance"),
    path("merchant/products/<int:pk>/alliance/unlist/", views.merchant_product_alliance_unlist,
         name="merchant_product_alliance_unlist"),
]
