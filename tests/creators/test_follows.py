"""Follows: no self-follow, no duplicates, counts exact even under concurrency."""
import threading

import pytest
from django.conf import settings
from django.db import IntegrityError, connections, transaction
from django.urls import reverse

from core.errors import Conflict, InvalidInput
from creators.models import Follow
from creators.services import follow_create, follow_delete
from tests.factories.creators import UserFactory


def counts(user):
    user.refresh_from_db()
    return user.fans_count, user.following_count


@pytest.mark.django_db
def test_follow_and_unfollow_move_both_counts():
    fan, star = UserFactory(), UserFactory()
    follow_create(follower=fan, followee=star)
    assert counts(star) == (1, 0) and counts(fan) == (0, 1)
    assert follow_delete(follower=fan, followee=star) is True
    assert counts(star) == (0, 0) and counts(fan) == (0, 0)


@pytest.mark.django_db
def test_unfollowing_someone_not_followed_changes_nothing():
    fan, star = UserFactory(), UserFactory()
    assert follow_delete(follower=fan, followee=star) is False
    assert counts(star) == (0, 0)


@pytest.mark.django_db
def test_self_follow_is_refused_by_service_and_database():
    user = UserFactory()
    with pytest.raises(InvalidInput) as err:
        follow_create(follower=user, followee=user)
    assert err.value.field == "followee"
    with pytest.raises(IntegrityError), transaction.atomic():
        Follow.objects.create(follower=user, followee=user)
    assert counts(user) == (0, 0)


@pytest.mark.django_db
def test_duplicate_follow_is_refused_and_not_counted_twice():
    fan, star = UserFactory(), UserFactory()
    follow_create(follower=fan, followee=star)
    with pytest.raises(Conflict):
        follow_create(follower=fan, followee=star)
    assert counts(star) == (1, 0) and Follow.objects.count() == 1


@pytest.mark.django_db
def test_follow_button_on_the_profile(client):
    fan, star = UserFactory(), UserFactory()
    page = reverse("creators:profile", args=[star.handle])
    assert reverse("creators:login") in client.get(page).content.decode()  # logged out: follow leads to log-in
    client.force_login(fan)
    assert 'id="follow"' in client.get(page).content.decode()
    client.post(reverse("creators:follow", args=[star.handle]))
    html = client.get(page).content.decode()
    assert 'id="unfollow"' in html and counts(star)[0] == 1
    client.post(reverse("creators:unfollow", args=[star.handle]))
    assert counts(star)[0] == 0


@pytest.mark.django_db
def test_follow_api(api_client):
    fan, star = UserFactory(), UserFactory()
    api_client.force_authenticate(fan)
    url = f"/api/v1/creators/{star.handle}/follow"
    assert api_client.post(url).json() == {"following": True, "fans_count": 1}
    again = api_client.post(url)
    assert again.status_code == 409 and again.json()["error"]["field"] == "followee"
    assert api_client.delete(url).json() == {"following": False, "fans_count": 0}
    assert api_client.post(f"/api/v1/creators/{fan.handle}/follow").status_code == 400
    assert api_client.post("/api/v1/creators/nobody_here/follow").status_code == 404


needs_postgres = pytest.mark.skipif(not settings.IS_POSTGRES, reason="threads need a database with row locks")


def _in_threads(n, work):
    barrier = threading.Barrier(n)
    errors = []

    def run(i):
        try:
            barrier.wait()
            work(i)
        except Exception as e:  # collected and checked by the test
            errors.append(e)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_follows_by_many_fans_keep_the_count_exact():
    star = UserFactory()
    fans = UserFactory.create_batch(24)
    errors = _in_threads(len(fans), lambda i: follow_create(follower=fans[i], followee=star))
    assert errors == []
    assert counts(star)[0] == 24 == Follow.objects.filter(followee=star).count()
    assert all(counts(f)[1] == 1 for f in fans)


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_follow_sent_concurrently_counts_once():
    fan, star = UserFactory(), UserFactory()
    errors = _in_threads(12, lambda i: follow_create(follower=fan, followee=star))
    assert len(errors) == 11 and all(isinstance(e, Conflict) for e in errors)
    assert counts(star)[0] == 1 and counts(fan)[1] == 1 and Follow.objects.count() == 1


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_follow_and_unfollow_storm_ends_consistent():
    star = UserFactory()
    fans = UserFactory.create_batch(10)
    for f in fans[:5]:
        follow_create(follower=f, followee=star)

    def work(i):
        if i < 5:
            follow_delete(follower=fans[i], followee=star)
        else:
            follow_create(follower=fans[i], followee=star)

    assert _in_threads(10, work) == []
    assert counts(star)[0] == 5 == Follow.objects.filter(followee=star).count()


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_users_following_each_other_at_once_do_not_deadlock():
    a, b = UserFactory(), UserFactory()
    pairs = [(a, b), (b, a)] * 8
    fans = [UserFactory() for _ in pairs]

    def work(i):  # each thread also makes a fan follow both, so the rows are hot
        follower, followee = pairs[i]
        if i < 2:
            follow_create(follower=follower, followee=followee)
        else:
            follow_create(follower=fans[i], followee=followee)

    assert _in_threads(len(pairs), work) == []
    assert counts(a) == (1 + 7, 1) and counts(b) == (1 + 7, 1)
