"""Default beat schedule of the creators room (installed by ``manage.py setup_schedules``)."""

from django.utils.translation import gettext_noop as _

SCHEDULE = {
    _("creators: lift penalties that have ended"): {"task": "creators.penalties_lift_due", "every": 5 * 60},
    _("creators: give points back after a clean period"): {"task": "creators.credit_clean_restore",
                                                           "every": 6 * 60 * 60},
}
