from django.apps import AppConfig


class EditorialConfig(AppConfig):
    """The editors' side of the admin: dashboard, roles, audit trail, per-editor time zone."""

    name = "editorial"
    verbose_name = "Editorial"

    def ready(self) -> None:
        from django.contrib import admin
        from django.utils.functional import lazy
        from django.utils.translation import gettext
        from django.utils.translation import gettext_lazy as _

        def header() -> str:
            from organisations.models import Organisation

            names = list(Organisation.objects.values_list("name", flat=True)[:2])
            if len(names) != 1:
                return gettext("Newsletters")
            return gettext("%(organisation)s — newsletters") % {"organisation": names[0]}

        # The organisation's name instead of "Django administration" on every admin page, in the reader's language
        # (when the installation serves one; several: no one of them is the whole site's name).
        admin.site.site_header = lazy(header, str)()
        admin.site.site_title = _("Newsletters")
        admin.site.index_title = _("Newsletters administration")
