"""Events the creators app announces; higher apps (showcase, orders, ...) react to them.

Each is sent after the transaction that caused it commits.
"""
from django.dispatch import Signal

# sender=CartApplication, application=...
cart_application_submitted = Signal()
# sender=CartApplication, application=... (status approved or rejected)
cart_application_reviewed = Signal()
# sender=CartRight, right=..., from_status=...
cart_right_changed = Signal()
# sender=Violation, violation=... (a penalty takes the violation's related product off the
# creator's carts and showcase; the rooms that hold them react)
penalty_products_removed = Signal()
