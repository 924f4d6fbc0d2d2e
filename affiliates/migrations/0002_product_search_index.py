"""Full-text index over the jieba tokens, on PostgreSQL only (SQLite matches tokens directly).

The expression must stay identical to ``affiliates.search.TokensVector`` so the planner uses it.
"""
from django.db import migrations

INDEX = "product_search_tokens_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON affiliates_product "
        "USING gin (to_tsvector('simple'::regconfig, search_tokens))"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ("affiliates", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index),
    ]
