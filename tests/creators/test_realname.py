"""Real-name verification: GB 11643 check digit, birth date, adults only, never stored in clear."""
import logging
from datetime import date, timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from core.errors import Conflict, InvalidInput
from creators.models import RealNameVerification
from creators.realname import check_code, mask_id_number, mask_name, parse_id_number
from creators.services import real_name_verify
from tests.factories.creators import UserFactory, resident_id

ADULT_BIRTH = date(1990, 6, 15)

valid_ids = st.builds(
    lambda region, birth, seq: resident_id(birth, region=region, sequence=seq),
    st.from_regex(r"[1-8][0-9]{5}", fullmatch=True),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2020, 12, 31)),
    st.integers(min_value=0, max_value=999),
)


def test_known_published_example_passes():
    # The sample number printed in GB 11643-1999 itself.
    assert check_code("11010519491231002") == "X"
    assert parse_id_number("11010519491231002x").number == "11010519491231002X"


@given(valid_ids)
def test_every_valid_generated_id_passes(number):
    assert parse_id_number(number).number == number


@hsettings(max_examples=300)
@given(valid_ids, st.integers(min_value=0, max_value=17), st.integers(min_value=1, max_value=10))
def test_any_single_character_change_fails_the_check_digit(number, position, shift):
    chars = "0123456789X" if position == 17 else "0123456789"
    current = chars.index(number[position])
    changed = chars[(current + shift) % len(chars)]
    if changed == number[position]:
        return
    tampered = number[:position] + changed + number[position + 1:]
    with pytest.raises(InvalidInput) as err:
        parse_id_number(tampered)
    assert err.value.field == "id_number"


@pytest.mark.parametrize("raw, code", [
    ("1101051949123100", "id_format"),
    ("11010519491231002Y", "id_format"),
    ("110105194912310021", "id_checksum"),
    (resident_id(date(2001, 2, 28)).replace("20010228", "20010230")[:17] + "0", None),
])
def test_malformed_numbers_name_the_field(raw, code):
    first17 = raw[:17]
    if code is None:  # an impossible date with a correct check digit
        raw, code = first17 + check_code(first17), "id_birth_date"
    with pytest.raises(InvalidInput) as err:
        parse_id_number(raw)
    assert err.value.field == "id_number" and err.value.code == code


def test_birth_date_in_the_future_is_refused():
    with pytest.raises(InvalidInput) as err:
        parse_id_number(resident_id(timezone.localdate() + timedelta(days=1)))
    assert err.value.code == "id_birth_date"


def test_masks_keep_first_three_and_last_four_and_hide_the_name():
    assert mask_id_number("11010519491231002X") == "110***********002X"
    assert mask_name("张三") == "*三"
    assert mask_name("张小三") == "张*三"
    assert mask_name("欧阳娜娜") == "欧**娜"


@pytest.mark.django_db
def test_adult_is_verified_and_only_hash_and_masks_are_stored(caplog):
    user = UserFactory()
    number = resident_id(ADULT_BIRTH)
    with caplog.at_level(logging.DEBUG):
        record = real_name_verify(user=user, name="张小三", id_number=number)
    assert record.name_masked == "张*三"
    assert record.id_number_masked == number[:3] + "*" * 11 + number[-4:]
    assert record.id_number_hash != number and len(record.id_number_hash) == 64
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {RealNameVerification._meta.db_table}")
        stored = " ".join(str(v) for row in cursor.fetchall() for v in row)
    assert number not in stored and "张小三" not in stored
    assert number not in caplog.text


@pytest.mark.django_db
def test_eighteenth_birthday_today_is_enough_but_tomorrow_is_a_minor():
    today = timezone.localdate()
    turns_18_today = today.replace(year=today.year - 18) if not (today.month == 2 and today.day == 29) else date(
        today.year - 18, 2, 28)
    real_name_verify(user=UserFactory(), name="李雷", id_number=resident_id(turns_18_today))
    with pytest.raises(InvalidInput) as err:
        real_name_verify(user=UserFactory(), name="韩梅梅", id_number=resident_id(turns_18_today + timedelta(days=1)))
    assert err.value.code == "minor" and err.value.field == "id_number"
    assert "18" in err.value.message


@pytest.mark.django_db
def test_same_id_cannot_verify_two_accounts():
    number = resident_id(ADULT_BIRTH)
    real_name_verify(user=UserFactory(), name="张三", id_number=number)
    with pytest.raises(Conflict) as err:
        real_name_verify(user=UserFactory(), name="张三", id_number=number.lower())
    assert err.value.field == "id_number"


@pytest.mark.django_db
def test_bad_name_is_refused_naming_the_field():
    with pytest.raises(InvalidInput) as err:
        real_name_verify(user=UserFactory(), name="张3", id_number=resident_id(ADULT_BIRTH))
    assert err.value.field == "name"


@pytest.mark.django_db
def test_verifier_is_pluggable(settings):
    settings.REAL_NAME_VERIFIER = "tests.creators.test_realname.RefusingVerifier"
    with pytest.raises(InvalidInput) as err:
        real_name_verify(user=UserFactory(), name="张三", id_number=resident_id(ADULT_BIRTH))
    assert err.value.code == "mismatch"


class RefusingVerifier:
    name = "refusing"

    def verify(self, *, name, id_number):
        parse_id_number(id_number)
        raise InvalidInput("name and number do not match", field="name", code="mismatch")


@pytest.mark.django_db
def test_api_verifies_and_never_returns_the_number(api, user):
    number = resident_id(ADULT_BIRTH)
    response = api.post("/api/v1/creators/me/real-name", {"name": "王五", "id_number": number}, format="json")
    assert response.status_code == 201
    assert number not in response.content.decode()
    assert response.json()["id_number_masked"].startswith("110***")
    assert number not in api.get("/api/v1/creators/me/real-name").content.decode()


@pytest.mark.django_db
def test_api_answers_bad_checksum_and_minor_with_400_naming_id_number(api):
    bad = resident_id(ADULT_BIRTH)[:17] + ("0" if resident_id(ADULT_BIRTH)[17] != "0" else "1")
    response = api.post("/api/v1/creators/me/real-name", {"name": "王五", "id_number": bad}, format="json")
    assert response.status_code == 400 and response.json()["error"]["field"] == "id_number"
    assert response.json()["error"]["code"] == "id_checksum"
    minor = resident_id(timezone.localdate() - timedelta(days=365 * 10))
    response = api.post("/api/v1/creators/me/real-name", {"name": "王五", "id_number": minor}, format="json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "minor"


@pytest.mark.django_db
def test_page_shows_the_error_next_to_the_field_and_then_the_masked_record(logged_in):
    url = reverse("creators:realname")
    response = logged_in.post(url, {"name": "王五", "id_number": "110105199001011234"})
    assert response.status_code == 200
    assert "校验码" in response.content.decode()
    number = resident_id(ADULT_BIRTH)
    response = logged_in.post(url, {"name": "王五", "id_number": number}, follow=True)
    html = response.content.decode()
    assert "*五" in html and number[:3] + "***********" + number[-4:] in html and number not in html


@pytest.mark.django_db
def test_other_users_real_name_is_not_reachable(api, user):
    other = UserFactory()
    real_name_verify(user=other, name="赵六", id_number=resident_id(ADULT_BIRTH))
    assert api.get("/api/v1/creators/me/real-name").status_code == 404
