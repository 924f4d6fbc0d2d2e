"""Creators API: thin views that validate input, call one service or selector, serialize."""
from django.conf import settings
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.openapi import error_responses

from . import selectors, services
from . import serializers as s
from .models import CartApplication, RealNameVerification, User, Video
from .sms import mask_phone
from .views.common import client_ip


def _valid(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class SignupApi(APIView):
    """Create an account; answers with the profile and an API token."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(request=s.SignupInput, responses={201: s.SignupOutput, **error_responses(
        400, e409="The Douyin number is already taken.")})
    def post(self, request):
        user = services.user_signup(**_valid(s.SignupInput, request))
        token = services.auth_token_issue(user=user)
        return Response({"user": s.MeSerializer(user).data, "token": token.key}, status=status.HTTP_201_CREATED)


class TokenApi(APIView):
    """Exchange Douyin number and password for a token (``Authorization: Token <key>``)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(request=s.TokenInput, responses={200: s.TokenOutput, **error_responses(
        400, 429, e401="Wrong Douyin number or password (the answer never says which).",
        e429="Too many wrong passwords for this account or from this address; `Retry-After` says when to "
             "try again.")})
    def post(self, request):
        token = services.auth_token_obtain(request=request, **_valid(s.TokenInput, request))
        return Response({"token": token.key})


class MeApi(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(responses=s.MeSerializer)
    def get(self, request):
        return Response(s.MeSerializer(request.user, context={"request": request}).data)

    @extend_schema(request=s.ProfileInput, responses=s.MeSerializer)
    def patch(self, request):
        user = services.profile_update(user=request.user, **_valid(s.ProfileInput, request))
        return Response(s.MeSerializer(user, context={"request": request}).data)


class CreatorApi(APIView):
    """A creator's public profile."""

    permission_classes = [AllowAny]

    @extend_schema(responses=s.PublicUserSerializer)
    def get(self, request, handle):
        creator = get_object_or_404(User, handle=handle, is_active=True)
        return Response(s.PublicUserSerializer(creator, context={"request": request}).data)


class CreatorVideosApi(generics.ListAPIView):
    """A creator's public videos."""

    permission_classes = [AllowAny]
    serializer_class = s.VideoSerializer

    def get_queryset(self):
        creator = get_object_or_404(User, handle=self.kwargs["handle"], is_active=True)
        return selectors.public_videos(creator)


class FollowApi(APIView):
    """POST follows, DELETE unfollows the creator."""

    permission_classes = [IsAuthenticated]

    def _answer(self, creator, code=status.HTTP_200_OK):
        creator.refresh_from_db(fields=["fans_count"])
        following = selectors.is_following(follower=self.request.user, followee=creator)
        return Response({"following": following, "fans_count": creator.fans_count}, status=code)

    @extend_schema(request=None, responses={201: s.FollowOutput})
    def post(self, request, handle):
        creator = get_object_or_404(User, handle=handle, is_active=True)
        services.follow_create(follower=request.user, followee=creator)
        return self._answer(creator, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: s.FollowOutput})
    def delete(self, request, handle):
        creator = get_object_or_404(User, handle=handle, is_active=True)
        services.follow_delete(follower=request.user, followee=creator)
        return self._answer(creator)


class MyVideosApi(generics.ListAPIView):
    """Your videos (GET) and upload (POST, multipart: title, cover, video_file, is_public, is_original)."""

    permission_classes = [IsAuthenticated]
    serializer_class = s.VideoSerializer
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        return Video.objects.filter(owner=self.request.user)

    @extend_schema(request=s.VideoCreateInput, responses={201: s.VideoSerializer})
    def post(self, request):
        video = services.video_create(owner=request.user, **_valid(s.VideoCreateInput, request))
        return Response(s.VideoSerializer(video, context={"request": request}).data, status=status.HTTP_201_CREATED)


class MyVideoApi(APIView):
    """One of your videos; anyone else's is 404."""

    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(responses=s.VideoSerializer)
    def get(self, request, pk):
        video = get_object_or_404(Video, pk=pk, owner=request.user)
        return Response(s.VideoSerializer(video, context={"request": request}).data)

    @extend_schema(request=s.VideoUpdateInput, responses=s.VideoSerializer)
    def patch(self, request, pk):
        video = services.video_update(owner=request.user, video_id=pk, **_valid(s.VideoUpdateInput, request))
        return Response(s.VideoSerializer(video, context={"request": request}).data)

    @extend_schema(responses={204: None})
    def delete(self, request, pk):
        services.video_delete(owner=request.user, video_id=pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _phone_state(user) -> dict:
    return {"bound": bool(user.phone), "phone": mask_phone(user.phone) if user.phone else None,
            "bound_at": user.phone_bound_at}


class PhoneApi(APIView):
    """GET your bound phone (masked); POST ``{phone, code}`` binds it."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=s.PhoneOutput)
    def get(self, request):
        return Response(s.PhoneOutput(_phone_state(request.user)).data)

    @extend_schema(request=s.PhoneBindInput, responses=s.PhoneOutput)
    def post(self, request):
        user = services.phone_bind(user=request.user, **_valid(s.PhoneBindInput, request))
        return Response(s.PhoneOutput(_phone_state(user)).data)


class PhoneCodeApi(APIView):
    """Send a six-digit code to a mainland mobile number (rate-limited per phone and per IP)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=s.PhoneCodeInput, responses={202: s.PhoneCodeOutput, **error_responses(
        e429="A code was just sent, or too many codes went to this number or from your network.")})
    def post(self, request):
        record = services.phone_code_request(user=request.user, ip=client_ip(request),
                                             **_valid(s.PhoneCodeInput, request))
        return Response({"sent_to": mask_phone(record.phone),
                         "expires_in": int(settings.SMS_CODE_TTL.total_seconds())}, status=status.HTTP_202_ACCEPTED)


class RealNameApi(APIView):
    """GET your verification (masked); POST ``{name, id_number}`` verifies. The ID is never returned."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=s.RealNameOutput)
    def get(self, request):
        record = get_object_or_404(RealNameVerification, user=request.user)
        return Response(s.RealNameOutput(record).data)

    @extend_schema(request=s.RealNameInput, responses={201: s.RealNameOutput})
    def post(self, request):
        record = services.real_name_verify(user=request.user, **_valid(s.RealNameInput, request))
        return Response(s.RealNameOutput(record).data, status=status.HTTP_201_CREATED)


class EligibilityApi(APIView):
    """Each criterion for product sharing: value, threshold, passed, and what to do next."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=s.EligibilitySerializer)
    def get(self, request):
        return Response(selectors.eligibility_for(request.user).as_dict())


class MyApplicationsApi(generics.ListAPIView):
    """Your product sharing applications; POST ``{entry_point}`` submits one."""

    permission_classes = [IsAuthenticated]
    serializer_class = s.CartApplicationSerializer

    def get_queryset(self):
        return CartApplication.objects.filter(applicant=self.request.user)

    @extend_schema(request=s.CartApplicationInput, responses={201: s.CartApplicationSerializer,
                                                              400: s.NotEligibleSerializer})
    def post(self, request):
        application = services.cart_application_submit(applicant=request.user,
                                                       **_valid(s.CartApplicationInput, request))
        return Response(s.CartApplicationSerializer(application).data, status=status.HTTP_201_CREATED)


class MyApplicationApi(generics.RetrieveAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = s.CartApplicationSerializer

    def get_queryset(self):
        return CartApplication.objects.filter(applicant=self.request.user)


class MyRightsApi(APIView):
    """The three rights (showcase, video, live) and their state."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=s.RightSerializer(many=True))
    def get(self, request):
        return Response(s.RightSerializer(selectors.cart_rights_for(request.user), many=True).data)
