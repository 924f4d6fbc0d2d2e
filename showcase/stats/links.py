"""Links from the stats pages to the shopper pages of the showcase room."""
from django.urls import NoReverseMatch, reverse


def showcase_url(handle: str) -> str:
    """The creator's showcase, ``/@<handle>/showcase/``."""
    try:
        return reverse("showcase:showcase", kwargs={"handle": handle})
    except NoReverseMatch:
        return f"/@{handle}/showcase/"


def product_url(product_id: int) -> str:
    """The product's seeding page (种草页), ``/products/<id>/``."""
    try:
        return reverse("showcase:product", kwargs={"pk": product_id})
    except NoReverseMatch:
        return f"/products/{product_id}/"
