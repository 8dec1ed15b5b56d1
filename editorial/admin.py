"""The audit trail in the admin: read by those allowed to view it, never added, changed or deleted."""

from __future__ import annotations

from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from editorial.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor_name", "action", "target_link", "description"]
    list_filter = ["action", "target_type", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["actor_name", "target_repr", "description", "target_id"]
    date_hierarchy = "created_at"
    fields = ["created_at", "actor_name", "actor", "action", "target_type", "target_id", "target_repr", "description",
              "extra"]
    readonly_fields = fields
    list_per_page = 100

    @admin.display(description=_("object"), ordering="target_repr")
    def target_link(self, entry: AuditEntry) -> str:
        if not entry.target_type or "." not in entry.target_type:
            return entry.target_repr or "—"
        app_label, model = entry.target_type.split(".", 1)
        try:
            url = reverse(f"admin:{app_label}_{model}_change", args=[entry.target_id])
        except NoReverseMatch:
            return entry.target_repr
        return format_html('<a href="{}">{}</a>', url, entry.target_repr)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
