"""Search (issue 10, item 13): stored search tokens gain the character pairs of words the
dictionary lacks (百搭 for 百 搭), which queries now ask for; recompute them for every product.
A derived column, so the current ``index_tokens`` is the right one to use here."""
from django.db import migrations

BATCH = 2000


def reindex(apps, schema_editor):
    from affiliates.search import index_tokens

    Product = apps.get_model("affiliates", "Product")
    batch = []
    for product in Product.objects.only("pk", "title", "category", "search_tokens").iterator(chunk_size=BATCH):
        tokens = index_tokens(product.title, product.category)
        if tokens != product.search_tokens:
            product.search_tokens = tokens
            batch.append(product)
        if len(batch) >= BATCH:
            Product.objects.bulk_update(batch, ["search_tokens"])
            batch = []
    if batch:
        Product.objects.bulk_update(batch, ["search_tokens"])


class Migration(migrations.Migration):

    dependencies = [
        ("affiliates", "0004_product_category_path"),
    ]

    operations = [
        migrations.RunPython(reindex, migrations.RunPython.noop, elidable=True),
    ]
