from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from worker.models import OutboxMessage, WorkerHeartbeat


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["sent_at", "to", "subject", "open_rendered"]
    search_fields = ["to", "subject"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]

    @admin.display(description="Rendered")
    def open_rendered(self, obj: OutboxMessage) -> str:
        return format_html('<a href="{}">open</a>', reverse("outbox-detail", args=[obj.pk]))

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["hostname", "seen_at"]
    readonly_fields = ["hostname", "seen_at", "marker"]
