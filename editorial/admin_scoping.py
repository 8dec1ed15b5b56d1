"""The organisation rule (editorial.access) in the admin: every ModelAdmin and inline of the project mixes in
ScopedAdmin, so its change list, change/delete/history pages, autocomplete answers, actions (they receive the
change list's queryset), foreign-key and many-to-many choices and related-object filters show only what the
signed-in person may see. tests/editorial/test_access.py fails for a registered admin without it."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import ForeignKey, ManyToManyField, OneToOneField
from django.http import Http404

from editorial.access import is_scoped, visible, visible_organisation_ids


class ScopedRelatedFilter(admin.RelatedFieldListFilter):
    """A related-object filter whose choices are the related rows the person may see (the plain one lists every
    organisation's lists by name)."""

    def field_choices(self, field, request, model_admin):
        related = field.remote_field.model
        queryset = visible(related._default_manager.all(), request.user)
        return [(obj.pk, str(obj)) for obj in queryset]


def _related_field(model, path: str):
    field = None
    for part in path.split("__"):
        field = model._meta.get_field(part)
        model = field.related_model
        if model is None:
            return None
    return field


class ScopedFormfields:
    """Foreign-key and many-to-many choices narrowed to the visible rows (inlines use it too)."""

    def _scoped_choices(self, db_field, request, kwargs):
        if "queryset" in kwargs or not is_scoped(db_field.related_model):
            return kwargs
        queryset = self.get_field_queryset(kwargs.get("using"), db_field, request)
        if queryset is None:
            queryset = db_field.related_model._default_manager.using(kwargs.get("using")).all()
        kwargs["queryset"] = visible(queryset, request.user)
        return kwargs

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(db_field, request, **self._scoped_choices(db_field, request, kwargs))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return super().formfield_for_manytomany(db_field, request, **self._scoped_choices(db_field, request, kwargs))


class ScopedInline(ScopedFormfields):
    def get_queryset(self, request):
        return visible(super().get_queryset(request), request.user)


class ScopedAdmin(ScopedFormfields):
    def get_queryset(self, request):
        return visible(super().get_queryset(request), request.user)

    def get_list_filter(self, request):
        filters = []
        for entry in super().get_list_filter(request):
            if isinstance(entry, str):
                field = _related_field(self.model, entry)
                if isinstance(field, (ForeignKey, OneToOneField, ManyToManyField)) and is_scoped(field.related_model):
                    entry = (entry, ScopedRelatedFilter)
            filters.append(entry)
        return filters

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Another organisation's object answers like a missing one, and both with 404 (not the admin's
        # redirect to the index), so an id tells nothing about what exists elsewhere.
        raise Http404

    def save_related(self, request, form, formsets, change):
        # A many-to-many form field shows only visible rows: links to the others (a news item also on
        # another organisation's list) are kept, not dropped because she could not see them.
        hidden = {}
        if change:
            for field in self.model._meta.many_to_many:
                if field.name in form.cleaned_data and is_scoped(field.related_model):
                    current = getattr(form.instance, field.name).all()
                    shown = visible(field.related_model._default_manager.all(), request.user)
                    hidden[field.name] = list(current.exclude(pk__in=shown.values("pk")).values_list("pk", flat=True))
        super().save_related(request, form, formsets, change)
        for name, pks in hidden.items():
            if pks:
                getattr(form.instance, name).add(*pks)


class SharedRowsAdmin:
    """Rows every organisation shares (topics, suppressions: editorial.access.GLOBAL): a member adds one, only a
    superuser changes or deletes one, since that changes what every other organisation sends."""

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and visible_organisation_ids(request.user) is None

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and visible_organisation_ids(request.user) is None
