"""Admin of the periodic tasks (django-celery-beat): each row's name is the English msgid its
app's ``schedules.py`` gave it (``gettext_noop``), so the list and the form show it translated.
Imported by ``core/admin.py``."""
from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_celery_beat.admin import PeriodicTaskAdmin
from django_celery_beat.models import PeriodicTask


class TranslatedPeriodicTaskAdmin(PeriodicTaskAdmin):
    list_display = ("display_name", *[("schedule_label" if f == "scheduler" else f)
                                      for f in PeriodicTaskAdmin.list_display[1:]])
    readonly_fields = (*PeriodicTaskAdmin.readonly_fields, "display_name")
    fieldsets = (
        (None, {**PeriodicTaskAdmin.fieldsets[0][1],
                "fields": ("display_name", *PeriodicTaskAdmin.fieldsets[0][1]["fields"])}),
        *PeriodicTaskAdmin.fieldsets[1:],
    )

    @admin.display(description=_("Task"), ordering="name")
    def display_name(self, obj: PeriodicTask) -> str:
        return gettext(obj.name)

    @admin.display(description=_("Schedule"))
    def schedule_label(self, obj: PeriodicTask):
        return obj.scheduler  # the interval, crontab, solar or clocked row, shown in its own words


if admin.site.is_registered(PeriodicTask):
    admin.site.unregister(PeriodicTask)
admin.site.register(PeriodicTask, TranslatedPeriodicTaskAdmin)
