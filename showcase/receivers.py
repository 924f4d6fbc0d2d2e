"""Reactions to what lower rooms announce: a creator's right or a video changed, so the
cached shopper views of that showcase or video get a new version."""
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from creators.models import CartRight, Video
from creators.signals import cart_right_changed

from . import cache as vcache


@receiver(cart_right_changed, sender=CartRight, dispatch_uid="showcase.right_changed")
def _right_changed(sender, right, **kwargs):
    vcache.bump(vcache.SHOWCASE, right.user_id)  # the signal is sent after commit


@receiver(post_save, sender=Video, dispatch_uid="showcase.video_saved")
@receiver(post_delete, sender=Video, dispatch_uid="showcase.video_deleted")
def _video_changed(sender, instance, **kwargs):
    vcache.bump_on_commit(vcache.VIDEO, instance.pk)
