from django.urls import path

from . import api

app_name = "affiliates_api"
urlpatterns = [
    path("products/", api.PoolListApi.as_view(), name="products"),
    path("products/resolve/", api.ProductResolveApi.as_view(), name="product_resolve"),
    path("products/<int:pk>/", api.ProductDetailApi.as_view(), name="product_detail"),
    path("shop/", api.ShopApi.as_view(), name="shop"),
    path("merchant/products/", api.MerchantProductListApi.as_view(), name="merchant_products"),
    path("merchant/products/<int:pk>/", api.MerchantProductApi.as_view(), name="merchant_product"),
    path("merchant/products/<int:pk>/publish/", api.MerchantProductPublishApi.as_view(),
         name="merchant_product_publish"),
    path("merchant/products/<int:pk>/alliance/", api.MerchantProductAllianceApi.as_view(),
         name="merchant_product_alliance"),
    path("merchant/products/<int:pk>/images/", api.MerchantProductImagesApi.as_view(),
         name="merchant_product_images"),
    path("merchant/products/<int:pk>/images/<int:image_pk>/", api.MerchantProductImageApi.as_view(),
         name="merchant_product_image"),
]
