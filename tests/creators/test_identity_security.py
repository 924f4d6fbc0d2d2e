"""One identity, one account: ID numbers, phones, handles and codes are NFKC-normalised to ASCII
before they are compared, hashed or made unique; any other character is refused naming the field."""
from datetime import date

import pytest
from django.urls import reverse

from core.errors import Conflict, InvalidInput
from core.normalize import code_normalize, id_number_normalize, phone_normalize
from creators import sms
from creators.models import RealNameVerification, User
from creators.selectors import real_name_matches
from creators.services import phone_bind, phone_code_request, real_name_verify, user_signup
from tests.factories.creators import UserFactory, resident_id

pytestmark = pytest.mark.django_db

ID = resident_id(date(1980, 1, 1), region="310115", sequence=790)
FULLWIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def test_full_width_id_number_cannot_verify_a_second_account():
    real_name_verify(user=UserFactory(), name="张三", id_number=ID)
    with pytest.raises(Conflict) as err:
        real_name_verify(user=UserFactory(), name="张三", id_number=ID[:14] + ID[14:].translate(FULLWIDTH))
    assert err.value.field == "id_number"
    assert RealNameVerification.objects.count() == 1


def test_full_width_id_number_is_stored_masked_in_ascii():
    record = real_name_verify(user=UserFactory(), name="张三", id_number=ID.translate(FULLWIDTH))
    assert record.id_number_masked == f"{ID[:3]}***********{ID[-4:]}"
    assert record.id_number_masked.isascii()


def test_lower_x_and_full_width_x_are_the_same_check_digit():
    assert id_number_normalize("11010519491231002x") == "11010519491231002X"
    assert id_number_normalize("11010519491231002ｘ") == "11010519491231002X"


@pytest.mark.parametrize("raw", ["٣١٠١١٥١٩٨٠٠١٠١٧٩٠٤", "31011519800101790４\u0000", "3101151980010179O4", "310115-198001017904"])
def test_id_number_with_other_characters_is_refused_naming_the_field(raw):
    with pytest.raises(InvalidInput) as err:
        real_name_verify(user=UserFactory(), name="张三", id_number=raw)
    assert err.value.field == "id_number"
    assert not RealNameVerification.objects.exists()


def test_api_refuses_arabic_indic_digits_in_the_id_number_with_400(api_client):
    api_client.force_authenticate(UserFactory())
    resp = api_client.post("/api/v1/creators/me/real-name",
                           {"name": "张三", "id_number": "٣١٠١١٥١٩٨٠٠١٠١٧٩٠٤"}, format="json")
    assert resp.status_code == 400
    assert resp.json()["error"]["field"] == "id_number"


def test_real_name_page_accepts_full_width_digits_and_shows_ascii(client):
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("creators:realname"), {"name": "李四", "id_number": ID.translate(FULLWIDTH)})
    record = RealNameVerification.objects.get(user=user)
    assert record.id_number_masked.isascii()


def test_verified_name_is_kept_only_as_a_hash_that_matches_the_same_name():
    user = UserFactory()
    record = real_name_verify(user=user, name="张三", id_number=ID)
    assert record.name_hash and "张三" not in record.name_hash
    assert real_name_matches(user=user, name=" 张三 ")
    assert not real_name_matches(user=user, name="张四")
    assert not real_name_matches(user=UserFactory(), name="张三")


def test_full_width_phone_is_the_same_phone(settings):
    settings.SMS_MIN_INTERVAL_SECONDS = 0
    first = UserFactory()
    phone_code_request(user=first, phone="13800138000")
    phone_bind(user=first, phone="13800138000", code=sms.outbox[-1].code)
    with pytest.raises(Conflict) as err:
        phone_code_request(user=UserFactory(), phone="１３８００１３８０００")
    assert err.value.field == "phone"


@pytest.mark.parametrize("raw", ["1380013800٠", "13800138000\u0000", "1380013800"])
def test_phone_with_other_characters_is_refused_naming_the_field(raw):
    with pytest.raises(InvalidInput) as err:
        phone_normalize(raw)
    assert err.value.field == "phone"


def test_full_width_verification_code_binds(settings):
    user = UserFactory()
    phone_code_request(user=user, phone="13800138000")
    code = sms.outbox[-1].code
    phone_bind(user=user, phone="13800138000", code=code.translate(FULLWIDTH))
    user.refresh_from_db()
    assert user.phone == "13800138000"


def test_verification_code_with_other_digits_is_refused():
    with pytest.raises(InvalidInput) as err:
        code_normalize("١٢٣٤٥٦")
    assert err.value.field == "code"


def test_full_width_handle_is_the_same_handle():
    user_signup(handle="alice", nickname="A", password="s3cret-pass-1")
    with pytest.raises(Conflict) as err:
        user_signup(handle="ＡＬＩＣＥ", nickname="B", password="s3cret-pass-1")
    assert err.value.field == "handle"
    assert User.objects.filter(handle__iexact="alice").count() == 1


def test_full_width_handle_signs_up_as_ascii():
    user = user_signup(handle="ｂｏｂ＿１", nickname="B", password="s3cret-pass-1")
    assert user.handle == "bob_1"


def test_api_token_accepts_the_full_width_spelling_of_a_handle(api_client):
    user_signup(handle="carol", nickname="C", password="s3cret-pass-1")
    resp = api_client.post("/api/v1/auth/token", {"handle": "ｃａｒｏｌ", "password": "s3cret-pass-1"}, format="json")
    assert resp.status_code == 200
