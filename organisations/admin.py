from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from organisations.models import Organisation
from organisations.sending import alignment_problem


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "website", "sending_domain", "feedback_sender_id")
    search_fields = ("name", "feedback_sender_id", "sending_domain")
    fieldsets = (
        (None, {"fields": ("name", "postal_address", "website", "logo_url", "accent_colour")}),
        (_("Consent"), {"fields": ("consent_text",)}),
        (_("Sending"), {"fields": ("sending_domain", "feedback_sender_id")}),
    )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Saved all the same; each list whose sender address the new domain does not align is named, and the
        # pre-send check refuses its digests until it is fixed.
        for mailing_list in obj.lists.order_by("name"):
            if reason := alignment_problem(from_email=mailing_list.from_email, organisation=obj):
                messages.warning(request, f"{mailing_list.name}: {reason}")
