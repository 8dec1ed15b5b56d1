from django.contrib import admin, messages
from django.utils.translation import pgettext_lazy

from editorial.admin_scoping import ScopedAdmin
from organisations.models import Organisation
from organisations.sending import alignment_problem
from subscribers.admin_texts import PerLanguageTextsAdmin


@admin.register(Organisation)
class OrganisationAdmin(ScopedAdmin, PerLanguageTextsAdmin):
    list_display = ("name", "website", "sending_domain", "feedback_sender_id")
    search_fields = ("name", "feedback_sender_id", "sending_domain")
    fieldsets = (
        (None, {"fields": ("name", "postal_address", "website", "logo_url", "accent_colour")}),
        # A context: Django merges every app's catalogue, and "Sending" is also a digest status (newsletter).
        (pgettext_lazy("organisation fieldset", "Consent"), {"fields": ("consent_text",)}),
        (pgettext_lazy("organisation fieldset", "Sending"), {"fields": ("sending_domain", "feedback_sender_id")}),
    )

    # Members may change their organisation's identity (Administrators); making or removing one is a superuser's.
    def has_add_permission(self, request) -> bool:
        return super().has_add_permission(request) and request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and request.user.is_superuser

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Saved all the same; each list whose sender address the new domain does not align is named, and the
        # pre-send check refuses its digests until it is fixed.
        for mailing_list in obj.lists.order_by("name"):
            if reason := alignment_problem(from_email=mailing_list.from_email, organisation=obj):
                messages.warning(request, f"{mailing_list.name}: {reason}")
