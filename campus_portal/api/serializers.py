"""Matter representations: a short one for lists and the full service guide for detail."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from campus_portal.catalog.models import MatterFAQ, MatterMaterial, MatterPage
from campus_portal.catalog.presentation import visit_level


class OfficeSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class MaterialSerializer(serializers.ModelSerializer):
    form_label = serializers.CharField(source="get_form_display")
    source_label = serializers.CharField(source="get_source_display")

    class Meta:
        model = MatterMaterial
        fields = ["name", "form", "form_label", "copies", "source", "source_label", "notes"]


class FAQSerializer(serializers.ModelSerializer):
    class Meta:
        model = MatterFAQ
        fields = ["question", "answer"]


class MatterSummarySerializer(serializers.ModelSerializer):
    office = OfficeSerializer()
    audiences = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    matter_type_label = serializers.CharField(source="get_matter_type_display")
    visit_level = serializers.SerializerMethodField(help_text="zero | one | more")
    visit_label = serializers.CharField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = MatterPage
        fields = [
            "code",
            "title",
            "matter_name",
            "sub_item",
            "matter_type",
            "matter_type_label",
            "office",
            "audiences",
            "visits_required",
            "visit_level",
            "visit_label",
            "online_depth",
            "promised_time_limit",
            "url",
        ]

    def get_visit_level(self, matter: MatterPage) -> str:
        return visit_level(matter.visits_required)

    @extend_schema_field(serializers.URLField())
    def get_url(self, matter: MatterPage) -> str:
        request = self.context.get("request")
        url = matter.get_url(request)
        return request.build_absolute_uri(url) if request else url


class MatterGuideSerializer(MatterSummarySerializer):
    deciding_office = OfficeSerializer(allow_null=True)
    topics = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    process_steps = serializers.ListField(child=serializers.CharField())
    is_instant = serializers.BooleanField()
    materials = MaterialSerializer(many=True)
    faqs = FAQSerializer(many=True)
    power_item_codes = serializers.SerializerMethodField()

    class Meta(MatterSummarySerializer.Meta):
        fields = [
            *MatterSummarySerializer.Meta.fields,
            "deciding_office",
            "topics",
            "basis",
            "conditions",
            "materials",
            "process_steps",
            "legal_time_limit",
            "is_instant",
            "channels",
            "charged",
            "fee_basis",
            "result_name",
            "delivery_modes",
            "address",
            "opening_hours",
            "phone",
            "complaint_channel",
            "redress",
            "faqs",
            "provincial_matter_code",
            "provincial_matter_url",
            "last_year_volume",
            "power_item_codes",
        ]

    def get_power_item_codes(self, matter: MatterPage) -> list[str]:
        return sorted(item.code for item in matter.power_items.all())
