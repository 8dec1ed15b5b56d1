"""The audit trail in the admin (read by those allowed to view it, never added, changed or deleted), organisation
memberships (managed by superusers only), and the people of the admin scoped to one's organisations."""

from __future__ import annotations

import logging

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from editorial.admin_scoping import ScopedAdmin, ScopedInline, SharedRowsAdmin
from editorial.forms import InviteForm
from editorial.invitations import InvitationError, access_add, account_of, invitation_create, invitation_email_send
from editorial.models import AuditEntry, Invitation, OrganisationMembership
from editorial.roles import role_label

log = logging.getLogger(__name__)


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


@admin.register(Invitation)
class InvitationAdmin(ScopedAdmin, admin.ModelAdmin):
    """Who was invited, by whom, and what became of the link. "Invite a person" (the add page) is the invitation
    form; an invitation is never edited: invite the address again for a new link."""

    change_list_template = "admin/editorial/invitation/change_list.html"
    list_display = ["email", "role_name", "organisation_names", "invited_by", "created_at", "state"]
    search_fields = ["email"]
    list_select_related = ["invited_by"]
    fields = ["email", "role", "language", "invited_by", "created_at", "expires_at", "accepted_at", "replaced_at",
              "user"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("organisations")

    @admin.display(description=_("role"), ordering="role")
    def role_name(self, invitation: Invitation) -> str:
        return role_label(invitation.role)

    @admin.display(description=_("organisations"))
    def organisation_names(self, invitation: Invitation) -> str:
        return ", ".join(sorted(o.name for o in invitation.organisations.all()))

    @admin.display(description=_("state"))
    def state(self, invitation: Invitation) -> str:
        if invitation.accepted_at:
            return gettext("accepted")
        if invitation.replaced_at:
            return gettext("replaced by a newer invitation")
        if invitation.expires_at <= timezone.now():
            return gettext("expired")
        return gettext("waiting")

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def add_view(self, request, form_url="", extra_context=None):
        # Not the admin's changeform: that runs in a transaction, and sending the email is a network call.
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = InviteForm(request.POST or None, user=request.user, initial={"language": get_language()})
        existing = None
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            organisation_ids = [o.pk for o in data["organisations"]]
            existing = account_of(data["email"])
            try:
                if existing is None:
                    return self._invite(request, data, organisation_ids)
                if "_add_access" in request.POST:
                    access_add(user=existing, role=data["role"], organisation_ids=organisation_ids, actor=request.user)
                    self.message_user(request, gettext("%(email)s now has the role %(role)s in %(organisations)s.") % {
                        "email": existing.email or existing.get_username(), "role": role_label(data["role"]),
                        "organisations": ", ".join(o.name for o in data["organisations"])}, messages.SUCCESS)
                    return HttpResponseRedirect(reverse("admin:editorial_invitation_changelist"))
            except InvitationError as error:
                form.add_error(None, str(error))
        context = {**self.admin_site.each_context(request), "title": gettext("Invite a person"), "form": form,
                   "existing": existing, "opts": self.model._meta}
        return TemplateResponse(request, "admin/editorial/invitation/invite.html", context)

    def _invite(self, request, data, organisation_ids):
        invitation, token = invitation_create(email=data["email"], role=data["role"], organisation_ids=organisation_ids,
                                              language=data["language"], actor=request.user)
        try:
            invitation_email_send(invitation_id=invitation.pk, token=token)
        except Exception:  # the provider or SMTP server: the invitation stays, the admin tries again
            log.exception("event=invitation_email_failed", extra={"invitation": invitation.pk})
            self.message_user(request, gettext("The invitation to %(email)s is saved but its email could not be sent. "
                                               "Invite the same address again to send a new link.")
                              % {"email": invitation.email}, messages.ERROR)
        else:
            self.message_user(request, gettext("Invitation sent to %(email)s. Its link works once, until %(date)s.") % {
                "email": invitation.email,
                "date": date_format(timezone.localtime(invitation.expires_at), "DATETIME_FORMAT")}, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:editorial_invitation_changelist"))
