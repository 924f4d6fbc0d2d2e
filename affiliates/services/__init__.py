"""Every write of the affiliates room (products, gate, shops). Import from here."""
from .products import (
    UpsertCounts,
    product_gate_recheck,
    product_recommended_set,
    product_upsert_many,
)
from .shops import (
    SkuData,
    shop_open,
    shop_product_alliance_list,
    shop_product_alliance_unlist,
    shop_product_catalog_sync,
    shop_product_create,
    shop_product_image_add,
    shop_product_image_delete,
    shop_product_publish,
    shop_product_unpublish,
    shop_product_update,
)

__all__ = [
    "SkuData",
    "UpsertCounts",
    "product_gate_recheck",
    "product_recommended_set",
    "product_upsert_many",
    "shop_open",
    "shop_product_alliance_list",
    "shop_product_alliance_unlist",
    "shop_product_catalog_sync",
    "shop_product_create",
    "shop_product_image_add",
    "shop_product_image_delete",
    "shop_product_publish",
    "shop_product_unpublish",
    "shop_product_update",
]
