from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    """The editor's desk: the pages editors work in (compose, news, media, feeds, results), outside the admin."""

    name = "desk"
    verbose_name = _("Editor's desk")
