from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy

from editorial.admin_scoping import ScopedAdmin
from operations.models import OutboxMessage, WorkerHeartbeat
from operations.outbox import outbox_readable_by


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ScopedAdmin, admin.ModelAdmin):
    list_display = ["sent_at", "to", "subject", "open_rendered"]
    search_fields = ["to", "subject"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]

    @admin.display(description=gettext_lazy("Rendered"))
    def open_rendered(self, obj: OutboxMessage) -> str:
        return format_html('<a href="{}">{}</a>', reverse("outbox-detail", args=[obj.pk]), gettext_lazy("open"))

    def has_add_permission(self, request) -> bool:
        return False

    # Every row names a recipient: the same rule as the /outbox/ pages (Administrators only).
    def has_module_permission(self, request) -> bool:
        return outbox_readable_by(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return outbox_readable_by(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return outbox_readable_by(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return outbox_readable_by(request.user) and super().has_delete_permission(request, obj)


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(ScopedAdmin, admin.ModelAdmin):
    list_display = ["hostname", "seen_at"]
    readonly_fields = ["hostname", "seen_at", "marker"]
