"""Events of the affiliates room that higher rooms react to (they never get imported here).

``banned_rule_placements`` is asked, with ``product_ids``, where creators sell those products:
each receiver returns a list of ``Placement`` (the showcase room answers for showcases, video
carts and live carts). ``banned_rule_enforced`` is sent after commit once a banned-category rule
was applied, with ``rule`` and ``placements``: receivers take each placement down.
"""
from django.dispatch import Signal

banned_rule_placements = Signal()
banned_rule_enforced = Signal()

# Sent after commit when native products go sold out or come back (``product_ids``): the rooms
# that cache pages showing them (live rooms, showcases) show 已抢光 or the buy button at once.
products_availability_changed = Signal()
