from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from organisations.models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "website", "sending_domain", "feedback_sender_id")
    search_fields = ("name", "feedback_sender_id", "sending_domain")
    fieldsets = (
        (None, {"fields": ("name", "postal_address", "website", "logo_url", "accent_colour")}),
        (_("Consent"), {"fields": ("consent_text",)}),
        (_("Sending"), {"fields": ("sending_domain", "feedback_sender_id")}),
    )
