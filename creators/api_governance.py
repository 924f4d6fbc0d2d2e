"""Governance API for the signed-in creator (issue 12 §5): their violations with the rule
version quoted, evidence, points, penalties and appeal, and one appeal per violation.
Someone else's violation is 404."""
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import Appeal, Penalty, RuleVersion, Violation
from .selectors import violation_of, violations_of
from .services.governance import APPEAL_TEXT_MAX, appeal_deadline, appeal_submit


class RuleVersionOut(serializers.ModelSerializer):
    code = serializers.CharField(source="rule.code")

    class Meta:
        model = RuleVersion
        fields = ["code", "version", "title", "body", "created_at"]


class PenaltyOut(serializers.ModelSerializer):
    kind = serializers.CharField()
    right_kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")

    class Meta:
        model = Penalty
        fields = ["kind", "kind_label", "right_kind", "starts_at", "ends_at", "lifted_at"]


class AppealOut(serializers.ModelSerializer):
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = Appeal
        fields = ["status", "status_label", "text", "decision_note", "submitted_at", "decided_at"]


class ViolationOut(serializers.ModelSerializer):
    # codes as plain strings, each with its label in the reader's language
    status = serializers.CharField()
    severity = serializers.CharField()
    penalty = serializers.CharField()
    right_kind = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    severity_label = serializers.CharField(source="get_severity_display")
    penalty_label = serializers.CharField(source="get_penalty_display")
    rule = RuleVersionOut(source="rule_version", allow_null=True)
    images = serializers.SerializerMethodField()
    penalties = PenaltyOut(many=True)
    appeal = serializers.SerializerMethodField()
    appeal_until = serializers.SerializerMethodField()

    class Meta:
        model = Violation
        fields = ["id", "summary", "details", "evidence", "images", "severity", "severity_label", "points",
                  "right_kind", "status", "status_label", "penalty", "penalty_label", "score_after", "occurred_on",
                  "decided_at", "rule", "penalties", "appeal", "appeal_until"]

    def get_images(self, obj) -> list[str]:
        request = self.context.get("request")
        return [request.build_absolute_uri(i.image.url) if request else i.image.url for i in obj.images.all()]

    @extend_schema_field(AppealOut(allow_null=True))
    def get_appeal(self, obj):
        appeal = getattr(obj, "appeal", None) if hasattr(obj, "appeal") else None
        return AppealOut(appeal).data if appeal else None

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_appeal_until(self, obj):
        deadline = appeal_deadline(obj)
        return serializers.DateTimeField().to_representation(deadline) if deadline else None


class AppealIn(serializers.Serializer):
    text = serializers.CharField(min_length=1, max_length=APPEAL_TEXT_MAX)
    images = serializers.ListField(child=serializers.ImageField(), required=False, max_length=10)


class MyViolationsApi(APIView):
    """The signed-in creator's decided violations, newest first."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=ViolationOut(many=True))
    def get(self, request):
        return Response(ViolationOut(violations_of(request.user), many=True, context={"request": request}).data)


class MyViolationApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=ViolationOut)
    def get(self, request, pk: int):
        violation = violation_of(request.user, pk)
        if violation is None:
            raise Http404
        return Response(ViolationOut(violation, context={"request": request}).data)


class MyViolationAppealApi(APIView):
    """Appeal once within ``APPEAL_DAYS`` with text and up to ``APPEAL_MAX_IMAGES`` images."""

    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(request=AppealIn, responses={201: AppealOut})
    def post(self, request, pk: int):
        if violation_of(request.user, pk) is None:
            raise Http404
        data = request.data
        payload = {"text": data.get("text", "")}
        if hasattr(data, "getlist") and data.getlist("images"):
            payload["images"] = data.getlist("images")
        serializer = AppealIn(data=payload)
        serializer.is_valid(raise_exception=True)
        appeal = appeal_submit(user=request.user, violation_id=pk, text=serializer.validated_data["text"],
                               images=serializer.validated_data.get("images", []))
        return Response(AppealOut(appeal).data, status=status.HTTP_201_CREATED)
