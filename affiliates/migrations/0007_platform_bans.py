"""The categories Douyin does not let creators promote from any outside source (禁售类目), as
rules for every source. Each matches the category at any level of a product's path, so it covers
the subtree below it; operators edit or deactivate the rows in admin."""
from django.db import migrations

BANS = (
    ("烟草", "烟草制品禁售"), ("电子烟", "电子烟禁售"),
    ("医疗器械", "医疗器械禁入"), ("药品", "药品禁入"), ("处方药", "药品禁入"), ("OTC药品", "药品禁入"),
    ("成人用品", "成人用品禁入"), ("情趣用品", "成人用品禁入"),
    ("彩票", "彩票禁售"), ("虚拟货币", "虚拟货币禁售"), ("网络游戏点卡", "虚拟商品禁入"),
    ("枪支弹药", "枪支弹药禁售"), ("管制刀具", "管制器具禁售"), ("活体动物", "活体动物禁售"),
)


def add_bans(apps, schema_editor):
    BannedCategory = apps.get_model("affiliates", "BannedCategory")
    for name, rule in BANS:
        if not BannedCategory.objects.filter(source="", category_name=name).exists():
            BannedCategory.objects.create(source="", category_name=name, category_id="", rule_name=rule)


def remove_bans(apps, schema_editor):
    BannedCategory = apps.get_model("affiliates", "BannedCategory")
    for name, rule in BANS:
        BannedCategory.objects.filter(source="", category_name=name, rule_name=rule, node=None).delete()


class Migration(migrations.Migration):
    dependencies = [("affiliates", "0006_category_tree")]
    operations = [migrations.RunPython(add_bans, remove_bans)]
