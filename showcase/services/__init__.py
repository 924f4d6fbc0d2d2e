"""Every write of the showcase room, as keyword-only ``<noun>_<verb>`` functions.

Split by cart; import from here: ``from showcase.services import showcase_item_add``.
"""
from .common import addable_product
from .live import (
    live_explaining_clear,
    live_explaining_set,
    live_product_add,
    live_product_move,
    live_product_remove,
    live_products_reorder,
    live_session_end,
    live_session_start,
)
from .video_cart import (
    video_product_add,
    video_product_move,
    video_product_remove,
    video_products_reorder,
)
from .window import (
    UNSET,
    showcase_categories_reorder,
    showcase_category_create,
    showcase_category_delete,
    showcase_category_move,
    showcase_category_rename,
    showcase_get_or_create,
    showcase_item_add,
    showcase_item_move,
    showcase_item_remove,
    showcase_item_update,
    showcase_items_reorder,
)

__all__ = [
    "UNSET", "addable_product", "live_explaining_clear", "live_explaining_set", "live_product_add",
    "live_product_move", "live_product_remove", "live_products_reorder", "live_session_end", "live_session_start",
    "showcase_categories_reorder", "showcase_category_create", "showcase_category_delete", "showcase_category_move",
    "showcase_category_rename", "showcase_get_or_create", "showcase_item_add", "showcase_item_move",
    "showcase_item_remove", "showcase_item_update", "showcase_items_reorder", "video_product_add",
    "video_product_move", "video_product_remove", "video_products_reorder",
]
