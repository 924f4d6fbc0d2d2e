"""Input and output shapes of the creators API (explicit fields; nothing the client must not set)."""
from django.contrib.auth import password_validation
from rest_framework import serializers

from core.normalize import code_normalize, handle_normalize, id_number_normalize, phone_normalize, serializer_clean
from core.openapi import ErrorDetailSerializer

from .models import CartApplication, RealNameVerification, User, Video


class OptionalUploadField(serializers.FileField):
    """An optional file of a form: left out, nothing changes; sent as text (an empty string
    included) it is refused naming the field. A browser's file input with no file chosen sends
    no part at all (Django drops a part without a file name), so only a wrong client sends text."""

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def get_value(self, dictionary):
        if hasattr(dictionary, "getlist") and dictionary.get(self.field_name) == "":
            return ""  # DRF would read "" as "not given"; to_internal_value refuses it as not a file
        return super().get_value(dictionary)


class PublicUserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["handle", "nickname", "avatar", "bio", "fans_count", "following_count", "is_official"]
        read_only_fields = fields


class MeSerializer(serializers.ModelSerializer):
    phone_bound = serializers.SerializerMethodField()
    real_name_verified = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["handle", "nickname", "avatar", "bio", "fans_count", "following_count", "is_advertiser",
                  "phone_bound", "real_name_verified", "date_joined"]
        read_only_fields = fields

    def get_phone_bound(self, obj) -> bool:
        return bool(obj.phone)

    def get_real_name_verified(self, obj) -> bool:
        return RealNameVerification.objects.filter(user=obj).exists()


def _password_min_length() -> int:
    """The shortest password the configured validators accept (Django's MinimumLengthValidator)."""
    lengths = [v.min_length for v in password_validation.get_default_password_validators()
               if isinstance(v, password_validation.MinimumLengthValidator)]
    return max(lengths, default=1)


class SignupInput(serializers.Serializer):
    handle = serializers.CharField(min_length=2, max_length=32,
                                   help_text="Douyin number: letters, digits, underscores or dots.")
    nickname = serializers.CharField(min_length=1, max_length=40)
    password = serializers.CharField(write_only=True, min_length=_password_min_length(), max_length=128,
                                     style={"input_type": "password"})

    def validate_handle(self, value):
        return serializer_clean(value, handle_normalize)


class TokenInput(serializers.Serializer):
    handle = serializers.CharField()
    password = serializers.CharField(write_only=True, style={"input_type": "password"})

    def validate_handle(self, value):
        return serializer_clean(value, handle_normalize)


class TokenOutput(serializers.Serializer):
    token = serializers.CharField()


class SignupOutput(serializers.Serializer):
    user = MeSerializer()
    token = serializers.CharField()


class ProfileInput(serializers.Serializer):
    nickname = serializers.CharField(min_length=1, max_length=40, required=False)
    bio = serializers.CharField(max_length=200, required=False, allow_blank=True)
    avatar = OptionalUploadField()


class VideoSerializer(serializers.ModelSerializer):
    counts_toward_eligibility = serializers.SerializerMethodField()

    class Meta:
        model = Video
        fields = ["id", "title", "cover", "video_file", "is_public", "is_original", "counts_toward_eligibility",
                  "created_at"]
        read_only_fields = fields

    def get_counts_toward_eligibility(self, obj) -> bool:
        return obj.is_public and obj.is_original


class VideoCreateInput(serializers.Serializer):
    title = serializers.CharField(min_length=1, max_length=100)
    cover = serializers.FileField()
    video_file = OptionalUploadField()
    is_public = serializers.BooleanField(default=True)
    is_original = serializers.BooleanField(default=True)


class VideoUpdateInput(serializers.Serializer):
    title = serializers.CharField(min_length=1, max_length=100, required=False)
    cover = OptionalUploadField()
    is_public = serializers.BooleanField(required=False)
    is_original = serializers.BooleanField(required=False)


# Phones and codes are normalised after these checks (full-width digits, spaces, +86), which
# never makes a value longer: the raw limits hold for every spelling that can pass.
class PhoneCodeInput(serializers.Serializer):
    phone = serializers.CharField(min_length=11, max_length=20)

    def validate_phone(self, value):
        return serializer_clean(value, phone_normalize)


class PhoneCodeOutput(serializers.Serializer):
    sent_to = serializers.CharField()
    expires_in = serializers.IntegerField()


class PhoneBindInput(serializers.Serializer):
    phone = serializers.CharField(min_length=11, max_length=20)
    code = serializers.CharField(min_length=6, max_length=12)

    def validate_phone(self, value):
        return serializer_clean(value, phone_normalize)

    def validate_code(self, value):
        return serializer_clean(value, code_normalize)


class PhoneOutput(serializers.Serializer):
    bound = serializers.BooleanField()
    phone = serializers.CharField(allow_null=True, help_text="masked")
    bound_at = serializers.DateTimeField(allow_null=True)


class RealNameInput(serializers.Serializer):
    name = serializers.CharField(min_length=2, max_length=30)
    id_number = serializers.CharField(min_length=18, max_length=24, write_only=True,
                                      help_text="The 18-character resident ID number (spaces allowed).")

    def validate_id_number(self, value):
        return serializer_clean(value, id_number_normalize)


class RealNameOutput(serializers.ModelSerializer):
    class Meta:
        model = RealNameVerification
        fields = ["name_masked", "id_number_masked", "verified_at"]
        read_only_fields = fields


class CriterionSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    value = serializers.JSONField()
    threshold = serializers.JSONField()
    passed = serializers.BooleanField()
    next_step = serializers.CharField()
    action_label = serializers.CharField()
    next_url = serializers.CharField()


class EligibilitySerializer(serializers.Serializer):
    eligible = serializers.BooleanField()
    criteria = CriterionSerializer(many=True)


class CartApplicationSerializer(serializers.ModelSerializer):
    class Meta:
        model = CartApplication
        fields = ["id", "status", "entry_point", "is_advertiser", "eligibility_snapshot", "submitted_at",
                  "reviewed_at", "auto_approved", "reject_reason"]
        read_only_fields = fields


class NotEligibleDetailSerializer(ErrorDetailSerializer):
    criteria = CriterionSerializer(many=True, required=False,
                                   help_text="With `not_eligible`: the criteria that fail, with what to do next.")


class NotEligibleSerializer(serializers.Serializer):
    """Invalid input, or (``code`` = ``not_eligible``) criteria for product sharing that fail."""

    error = NotEligibleDetailSerializer()


class CartApplicationInput(serializers.Serializer):
    entry_point = serializers.ChoiceField(choices=CartApplication.EntryPoint.choices)


class RightSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    suspended_until = serializers.DateTimeField(allow_null=True)
    reason = serializers.CharField()


class FollowOutput(serializers.Serializer):
    following = serializers.BooleanField()
    fans_count = serializers.IntegerField()
