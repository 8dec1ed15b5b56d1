from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EditorialConfig(AppConfig):
    """The editors' side of the admin: dashboard, roles, audit trail, per-editor time zone."""

    name = "editorial"
    verbose_name = _("Editorial")

    def ready(self) -> None:
        from django.conf import settings
        from django.contrib import admin
        from django.utils.functional import lazy
        from django.utils.translation import gettext
        from django.utils.translation import gettext_lazy as _

        def header() -> str:
            return gettext("%(organisation)s — newsletters") % {"organisation": settings.ORGANISATION_NAME}

        # The organisation's name instead of "Django administration" on every admin page, in the reader's language.
        admin.site.site_header = lazy(header, str)()
        admin.site.site_title = _("Newsletters")
        admin.site.index_title = _("Newsletters administration")
