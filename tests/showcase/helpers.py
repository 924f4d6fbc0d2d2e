"""Helpers for the showcase tests: creators with the three rights, logging in, covers."""
from django.db import transaction

from creators.services.rights import cart_rights_grant
from tests.factories.creators import PASSWORD, UserFactory, cover_upload


def creator_with_rights(**kwargs):
    user = UserFactory(**kwargs)
    with transaction.atomic():  # as approval does: the grant locks the rights rows
        cart_rights_grant(user=user, application=None, actor=None)
    return user


def login(client, user):
    assert client.login(handle=user.handle, password=PASSWORD)
    return client


def cover(name="live.jpg", **kwargs):
    return cover_upload(name, **kwargs)
