"""The audit trail in the admin (read by those allowed to view it, never added, changed or deleted), organisation
memberships (managed by superusers only), and the people of the admin scoped to one's organisations."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from editorial.admin_scoping import ScopedAdmin, ScopedInline, SharedRowsAdmin
from editorial.models import AuditEntry, OrganisationMembership


@admin.register(AuditEntry)
class AuditEntryAdmin(ScopedAdmin, admin.ModelAdmin):
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


class _SuperusersManage:
    """Who belongs to which organisation decides what she sees: only a superuser changes it (an Administrator
    holds every model permission, and must not make herself a member of another organisation)."""

    def has_add_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser


@admin.register(OrganisationMembership)
class OrganisationMembershipAdmin(_SuperusersManage, ScopedAdmin, admin.ModelAdmin):
    list_display = ["user", "organisation", "created_at"]
    list_filter = ["organisation"]
    search_fields = ["user__username", "user__email", "organisation__name"]
    list_select_related = ["user", "organisation"]


class OrganisationMembershipInline(_SuperusersManage, ScopedInline, admin.TabularInline):
    model = OrganisationMembership
    fk_name = "user"
    extra = 0
    fields = ["organisation", "created_at"]
    readonly_fields = ["created_at"]


# What makes a person more powerful: only a superuser changes it, so an Administrator cannot lift herself or a
# colleague out of her organisations (a superuser sees every organisation).
_PRIVILEGE_FIELDS = ("is_superuser", "groups", "user_permissions")

User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class ScopedUserAdmin(ScopedAdmin, UserAdmin):
    inlines = [OrganisationMembershipInline]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += [name for name in _PRIVILEGE_FIELDS if name not in readonly]
        return readonly


# The two roles are every organisation's: an Administrator reads them, only a superuser changes what they allow.
if admin.site.is_registered(Group):
    admin.site.unregister(Group)


@admin.register(Group)
class RoleAdmin(SharedRowsAdmin, ScopedAdmin, GroupAdmin):
    pass
